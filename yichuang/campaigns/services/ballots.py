"""The secret ballot: casting once, counting at close, settling a tie, publishing.

One ballot per voter is enforced where two requests meet — the voter's roll row, locked and
then updated only if still unvoted (the row count is checked) — so two ballots sent at the
same moment by one voter put exactly one in the box. The roll entry and the ballot are
written in one transaction; nothing written links them.
"""

import secrets
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid, NotAllowed

from .. import permissions
from ..models import Ballot, BallotChoice, Candidate, Election, ElectionStatus, VoterRoll
from .common import required_text, today
from .elections import code_digest


def roll_entry(election: Election, *, by=None, code: str | None = None) -> VoterRoll:
    """The caller's place on the roll: a signed-in staff member, or a ballot code."""
    entry = None
    if by is not None and getattr(by, "is_authenticated", False):
        entry = election.voters.filter(staff=by).first()
    elif code:
        entry = election.voters.filter(token_digest=code_digest(code), staff__isnull=True).first()
    if entry is None:
        raise NotAllowed(
            _("投票码无效或已作废") if code else _("您不在本次评选的投票人名单中"),
            code="not_a_voter",
        )
    return entry


def cast_ballot(election: Election, *, choices: list[int], by=None, code: str | None = None):
    """One ballot for up to `max_choices` candidates; it cannot be changed once cast.
    Returns nothing: the caller learns only that the ballot is in the box."""
    entry = roll_entry(election, by=by, code=code)
    chosen = list(dict.fromkeys(int(c) for c in choices))
    if not chosen:
        raise Invalid(_("请至少选择一名候选人"), code="no_choice")
    with transaction.atomic():
        # Locked so that the count at close never misses a ballot committed at that moment.
        locked = Election.objects.select_for_update().get(pk=election.pk)
        if not locked.is_voting():
            raise Conflict(
                _("投票时间为 %(a)s 至 %(b)s")
                % {"a": locked.voting_opens, "b": locked.voting_closes},
                code="outside_voting",
            )
        if len(chosen) > locked.max_choices:
            raise Invalid(
                _("每张选票最多选择 %(n)d 名候选人，您选择了 %(m)d 名，请减少后再投")
                % {"n": locked.max_choices, "m": len(chosen)},
                code="too_many_choices",
            )
        valid = set(locked.candidates.filter(pk__in=chosen).values_list("pk", flat=True))
        if valid != set(chosen):
            raise Invalid(_("选票上有不属于本次评选的候选人"), code="unknown_candidate")
        voter = VoterRoll.objects.select_for_update().get(pk=entry.pk)
        marked = VoterRoll.objects.filter(pk=voter.pk, voted_at__isnull=True).update(
            voted_at=timezone.now()
        )
        if voter.voted_at is not None or marked != 1:
            raise Conflict(_("您已经投过票，选票投出后不能更改"), code="already_voted")
        ballot = Ballot.objects.create(election=locked)
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, candidate_id=pk) for pk in chosen
        )
        # The record says who voted, as the roll does; never which ballot or what was chosen.
        audit.record(
            "election.voted",
            actor=by if entry.staff_id else None,
            target=locked,
            summary=voter.name,
            data={"voter": voter.pk},
        )


def _reshuffle(election: Election) -> None:
    """Shake the box: rewrite every ballot in a random order under new keys, so that not
    even the storage order or the rows' write history lines up with the roll's times."""
    contents = defaultdict(list)
    for ballot_id, candidate_id in BallotChoice.objects.filter(
        ballot__election=election
    ).values_list("ballot_id", "candidate_id"):
        contents[ballot_id].append(candidate_id)
    ballots = list(contents.values())
    secrets.SystemRandom().shuffle(ballots)
    election.ballots.all().delete()
    new = Ballot.objects.bulk_create(Ballot(election=election) for _b in ballots)
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=b, candidate_id=c)
        for b, chosen in zip(new, ballots, strict=True)
        for c in chosen
    )


def tally(election: Election) -> list[Candidate]:
    """Votes per candidate, counted in the database; ranks with ties sharing a rank."""
    counts = dict(
        BallotChoice.objects.filter(ballot__election=election)
        .values("candidate")
        .annotate(n=Count("id"))
        .values_list("candidate", "n")
    )
    candidates = list(election.candidates.select_related("staff", "department"))
    votes = {c.pk: counts.get(c.pk, 0) for c in candidates}
    ranks = {c.pk: 1 + sum(1 for o in candidates if votes[o.pk] > votes[c.pk]) for c in candidates}
    candidates.sort(key=lambda c: -votes[c.pk])
    # Elected: within the seats and with at least one vote. When candidates tie for the last
    # seats and would overfill them, none of the tied is elected until the hall decides.
    within = [c for c in candidates if votes[c.pk] > 0 and ranks[c.pk] <= election.seats]
    cutoff = max((ranks[c.pk] for c in within), default=0)
    overfull = len(within) > election.seats
    for c in candidates:
        c.votes, c.rank = votes[c.pk], ranks[c.pk]
        c.tied = overfull and c in within and c.rank == cutoff
        c.elected = c in within and not c.tied
    return candidates


def close_election(election: Election, *, by) -> Election:
    """After the voting day: shake the box, count, and record the result."""
    if not permissions.can_manage_campaigns(by):
        raise NotAllowed(_("只有大厅管理办公室可以计票"))
    with transaction.atomic():
        locked = Election.objects.select_for_update().get(pk=election.pk)
        if locked.status != ElectionStatus.OPEN:
            raise Conflict(_("已经计票"), code="already_closed")
        if today() <= locked.voting_closes:
            raise Conflict(
                _("投票截止日为 %(d)s，截止后方可计票") % {"d": locked.voting_closes},
                code="voting_not_over",
            )
        voted = locked.voters.filter(voted_at__isnull=False).count()
        ballots = locked.ballots.count()
        if voted != ballots:
            raise Conflict(
                _("票箱中的选票（%(b)d 张）与已投票人数（%(v)d 人）不符，请核查")
                % {"b": ballots, "v": voted},
                code="count_mismatch",
            )
        _reshuffle(locked)
        candidates = tally(locked)
        Candidate.objects.bulk_update(candidates, ["votes", "rank", "elected", "tied"])
        locked.status, locked.closed_at, locked.ballots_counted = (
            ElectionStatus.CLOSED,
            timezone.now(),
            ballots,
        )
        locked.save(update_fields=["status", "closed_at", "ballots_counted"])
        audit.record(
            "election.closed",
            actor=by,
            target=locked,
            summary=locked.title,
            data={"ballots": ballots, "elected": sum(c.elected for c in candidates)},
        )
    election.refresh_from_db()
    return election


def decide_tie(election: Election, *, elect: list[int], reason: str, by) -> Election:
    """The hall (e.g. the selection panel) fills the seats the tie left open."""
    if not permissions.can_manage_campaigns(by):
        raise NotAllowed(_("只有大厅管理办公室可以处理并列"))
    reason = required_text(reason, _("请写明并列的处理办法与依据"), limit=300)
    with transaction.atomic():
        locked = Election.objects.select_for_update().get(pk=election.pk)
        if locked.status != ElectionStatus.CLOSED:
            raise Conflict(_("只有已计票、未公布的评选可以处理并列"), code="not_closed")
        tied = {c.pk: c for c in locked.candidates.filter(tied=True)}
        open_seats = locked.seats - locked.candidates.filter(elected=True).count()
        chosen = set(elect)
        if not tied or not chosen <= set(tied) or len(chosen) != open_seats:
            raise Invalid(
                _("请从并列候选人中选出 %(n)d 名") % {"n": open_seats}, code="invalid_tie_choice"
            )
        for pk, c in tied.items():
            c.elected, c.tied = pk in chosen, False
        Candidate.objects.bulk_update(tied.values(), ["elected", "tied"])
        locked.tie_note = reason
        locked.save(update_fields=["tie_note"])
        audit.record("election.tie_decided", actor=by, target=locked, summary=reason)
    election.refresh_from_db()
    return election


def publish_election(election: Election, *, by) -> Election:
    """The elected go on the public page (the portal links it)."""
    if not permissions.can_manage_campaigns(by):
        raise NotAllowed(_("只有大厅管理办公室可以公布评选结果"))
    with transaction.atomic():
        locked = Election.objects.select_for_update().get(pk=election.pk)
        if locked.status != ElectionStatus.CLOSED:
            raise Conflict(_("计票后方可公布"), code="not_closed")
        if locked.candidates.filter(tied=True).exists():
            raise Conflict(_("尚有并列候选人待决定"), code="tie_open")
        locked.status, locked.published_at = ElectionStatus.PUBLISHED, timezone.now()
        locked.save(update_fields=["status", "published_at"])
        audit.record("election.published", actor=by, target=locked, summary=locked.title)
    election.refresh_from_db()
    return election
