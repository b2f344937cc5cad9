"""Setting up a star-staff election (微笑服务之星, seed 002), the nomination of one candidate
per department by its head, and the voter roll (cadres and teacher/student representatives).
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.crypto import keyed_hash
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.numbering import new_code
from yichuang.org.models import Department

from .. import permissions
from ..models import Candidate, Election, ElectionStatus, VoterGroup, VoterRoll
from .common import required_text, today

# Printed on paper slips and typed by hand (core.numbering.CODE_ALPHABET has no 0/O, 1/I/L).
CODE_LENGTH = 12


def _require_manager(by) -> None:
    if not permissions.can_manage_campaigns(by):
        raise NotAllowed(_("只有大厅管理办公室可以组织评选"))


def _lock(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def _require_open(election: Election) -> None:
    if election.status != ElectionStatus.OPEN:
        raise Conflict(_("评选已计票，不能再修改"), code="election_closed")


def check_dates(
    nomination_opens: date, nomination_closes: date, voting_opens: date, voting_closes: date
) -> None:
    if None in (nomination_opens, nomination_closes, voting_opens, voting_closes):
        raise Invalid(_("请填写申报和投票的起止日期"), code="dates_missing")
    if nomination_opens > nomination_closes:
        raise Invalid(_("申报开始日期不能晚于截止日期"), code="dates_order")
    if voting_opens <= nomination_closes:
        raise Invalid(_("投票应在申报截止之后开始（候选人先公示）"), code="dates_order")
    if voting_opens > voting_closes:
        raise Invalid(_("投票开始日期不能晚于截止日期"), code="dates_order")


def _check_counts(seats: int, max_choices: int) -> None:
    if not isinstance(seats, int) or not 1 <= seats <= 100:
        raise Invalid(_("评选名额应为 1 至 100"), code="invalid_seats")
    if not isinstance(max_choices, int) or not 1 <= max_choices <= seats:
        raise Invalid(_("每票可选人数应为 1 至评选名额之间"), code="invalid_max_choices")


def create_election(
    *,
    title: str,
    criteria: str,
    nomination_opens: date,
    nomination_closes: date,
    voting_opens: date,
    voting_closes: date,
    seats: int = 10,
    max_choices: int | None = None,
    departments=None,
    campaign=None,
    figures_since: date | None = None,
    by,
) -> Election:
    """`departments` nominate (every department when omitted); the candidates' figures count
    from `figures_since` (a year before the nomination by default)."""
    _require_manager(by)
    title = required_text(title, _("请填写评选名称"), limit=100)
    criteria = required_text(criteria, _("请填写评选条件"), limit=5000)
    check_dates(nomination_opens, nomination_closes, voting_opens, voting_closes)
    max_choices = seats if max_choices is None else max_choices
    _check_counts(seats, max_choices)
    with transaction.atomic():
        election = Election.objects.create(
            title=title,
            criteria=criteria,
            campaign=campaign,
            nomination_opens=nomination_opens,
            nomination_closes=nomination_closes,
            voting_opens=voting_opens,
            voting_closes=voting_closes,
            seats=seats,
            max_choices=max_choices,
            figures_since=figures_since or nomination_opens - timedelta(days=365),
            created_by=by,
        )
        election.departments.set(
            departments if departments is not None else Department.objects.all()
        )
        audit.record("election.created", actor=by, target=election, summary=title)
    return election


def update_election(
    election: Election,
    *,
    title: str,
    criteria: str,
    nomination_opens: date,
    nomination_closes: date,
    voting_opens: date,
    voting_closes: date,
    seats: int,
    max_choices: int,
    by,
) -> Election:
    """Wording and dates may move while the election is open; the number of seats and of
    choices are fixed once voting has begun, so every ballot counts by the same rule."""
    _require_manager(by)
    title = required_text(title, _("请填写评选名称"), limit=100)
    criteria = required_text(criteria, _("请填写评选条件"), limit=5000)
    check_dates(nomination_opens, nomination_closes, voting_opens, voting_closes)
    _check_counts(seats, max_choices)
    with transaction.atomic():
        locked = _lock(election)
        _require_open(locked)
        started = locked.ballots.exists() or today() >= locked.voting_opens
        if started and (seats, max_choices) != (locked.seats, locked.max_choices):
            raise Conflict(_("投票已开始，评选名额和每票可选人数不能再改"), code="voting_started")
        for name, value in {
            "title": title,
            "criteria": criteria,
            "nomination_opens": nomination_opens,
            "nomination_closes": nomination_closes,
            "voting_opens": voting_opens,
            "voting_closes": voting_closes,
            "seats": seats,
            "max_choices": max_choices,
        }.items():
            setattr(locked, name, value)
        locked.save()
        audit.record("election.updated", actor=by, target=locked, summary=title)
    election.refresh_from_db()
    return election


# --- nomination -------------------------------------------------------------------------


def nominate(election: Election, *, staff, deeds: str, by) -> Candidate:
    """The head of a department puts forward one member of it, inside the nomination window."""
    department_id = by.department_id if by is not None else None
    if not permissions.can_nominate(by, department_id):
        raise NotAllowed(_("只有部门负责人可以为本部门申报候选人"))
    deeds = required_text(deeds, _("请填写候选人的主要事迹"), limit=3000)
    if staff.department_id != department_id or not staff.is_active:
        raise Invalid(_("候选人应为本部门在职工作人员"), code="not_in_department")
    with transaction.atomic():
        locked = _lock(election)
        _require_open(locked)
        if not locked.departments.filter(pk=department_id).exists():
            raise NotAllowed(_("本部门不在本次评选的申报范围内"), code="department_not_invited")
        if not locked.is_nominating():
            raise Conflict(
                _("申报时间为 %(a)s 至 %(b)s")
                % {"a": locked.nomination_opens, "b": locked.nomination_closes},
                code="outside_nomination",
            )
        existing = locked.candidates.filter(department_id=department_id).first()
        if existing is not None:
            raise Conflict(
                _("本部门已申报候选人 %(n)s；每个部门只能申报一名，如需更换请先撤回")
                % {"n": existing.staff.display_name},
                code="department_has_candidate",
            )
        try:
            with transaction.atomic():
                candidate = Candidate.objects.create(
                    election=locked,
                    department_id=department_id,
                    staff=staff,
                    deeds=deeds,
                    nominated_by=by,
                )
        except IntegrityError:
            raise Conflict(
                _("每个部门只能申报一名候选人"), code="department_has_candidate"
            ) from None
        audit.record(
            "election.nominated",
            actor=by,
            target=locked,
            summary=f"{staff.display_name}（{by.department.name}）",
            data={"candidate": candidate.pk},
        )
    return candidate


def withdraw_nomination(candidate: Candidate, *, by) -> None:
    if not permissions.can_nominate(by, candidate.department_id):
        raise NotAllowed(_("只有本部门负责人可以撤回申报"))
    with transaction.atomic():
        locked = _lock(candidate.election)
        _require_open(locked)
        if not locked.is_nominating():
            raise Conflict(_("申报已截止，不能撤回"), code="outside_nomination")
        audit.record(
            "election.withdrawn",
            actor=by,
            target=locked,
            summary=candidate.staff.display_name,
        )
        candidate.delete()


# --- the voter roll ---------------------------------------------------------------------


def new_ballot_code() -> str:
    raw = new_code(CODE_LENGTH)
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_digest(code: str) -> str:
    return keyed_hash((code or "").replace("-", ""))


def _require_roll_editable(election: Election) -> None:
    _require_open(election)
    if today() > election.voting_closes:
        raise Conflict(_("投票已截止，名单不能再改"), code="voting_closed")


def add_staff_voters(election: Election, *, staff, group: str, by) -> int:
    """Staff vote signed in; someone already on the roll is left as they are."""
    _require_manager(by)
    if group not in VoterGroup.values:
        raise Invalid(_("投票人类别无效"), code="invalid_group")
    with transaction.atomic():
        locked = _lock(election)
        _require_roll_editable(locked)
        present = set(locked.voters.filter(staff__isnull=False).values_list("staff_id", flat=True))
        new = [s for s in staff if s.pk not in present and s.is_active]
        VoterRoll.objects.bulk_create(
            VoterRoll(election=locked, staff=s, name=s.display_name, group=group, added_by=by)
            for s in new
        )
        audit.record(
            "election.voters_added",
            actor=by,
            target=locked,
            summary=f"{len(new)} {VoterGroup(group).label}",
        )
    return len(new)


def add_representatives(election: Election, *, people: list[dict], by) -> list[tuple]:
    """Representatives without an account, each given a ballot code (shown once, only its
    keyed hash is kept). Returns [(roll entry, code)] for printing the slips."""
    _require_manager(by)
    rows = []
    for number, person in enumerate(people, start=1):
        name = (person.get("name") or "").strip()
        group = person.get("group") or ""
        if not name or len(name) > 40:
            raise Invalid(_("第 %(n)d 行：请填写姓名（40 字以内）") % {"n": number}, code="name")
        if group not in (VoterGroup.TEACHER, VoterGroup.STUDENT):
            raise Invalid(
                _("第 %(n)d 行：类别应为教师代表或学生代表") % {"n": number}, code="invalid_group"
            )
        rows.append((name, group, (person.get("phone") or "").strip(), person.get("email") or ""))
    issued = []
    with transaction.atomic():
        locked = _lock(election)
        _require_roll_editable(locked)
        for name, group, phone, email in rows:
            code = new_ballot_code()
            roll = VoterRoll.objects.create(
                election=locked,
                name=name,
                group=group,
                phone=phone,
                email=email.strip(),
                token_digest=code_digest(code),
                added_by=by,
            )
            issued.append((roll, code))
        audit.record(
            "election.voters_added",
            actor=by,
            target=locked,
            summary=f"{len(issued)} 名师生代表",
        )
    return issued


def reissue_ballot_code(voter: VoterRoll, *, by) -> str:
    """A lost slip: a new code replaces the old one, which stops working."""
    _require_manager(by)
    with transaction.atomic():
        _require_roll_editable(_lock(voter.election))
        locked = VoterRoll.objects.select_for_update().get(pk=voter.pk)
        if locked.staff_id is not None:
            raise Conflict(_("工作人员登录投票，无需投票码"), code="staff_voter")
        if locked.voted_at is not None:
            raise Conflict(_("该代表已投票"), code="already_voted")
        code = new_ballot_code()
        locked.token_digest = code_digest(code)
        locked.save(update_fields=["token_digest"])
        audit.record(
            "election.code_reissued", actor=by, target=locked.election, summary=locked.name
        )
    return code


def remove_voter(voter: VoterRoll, *, by) -> None:
    _require_manager(by)
    with transaction.atomic():
        _require_roll_editable(_lock(voter.election))
        locked = VoterRoll.objects.select_for_update().get(pk=voter.pk)
        if locked.voted_at is not None:
            # The ballot cannot be found to take it back out of the box.
            raise Conflict(_("该投票人已投票，不能移出名单"), code="already_voted")
        audit.record(
            "election.voter_removed", actor=by, target=locked.election, summary=locked.name
        )
        locked.delete()
