"""Ratings: one per case (一事一评), from the window tablet, a QR code, an SMS link or the portal.
A bad rating opens its follow-up in the same transaction; an appeal and the office's review can
void a mistaken or malicious one, with the reason kept."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.cases import figure_days
from yichuang.cases.models import Case, Status
from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yichuang.core.lookup import codes_match
from yichuang.inquiries import services as inquiry_services

from .. import indicators as rating_indicators
from .. import limits, permissions, provincial
from ..models import AppealState, Channel, Level, Rating, RatingAppeal, RatingInvitation, Tablet
from ..models.ratings import tablet_statuses
from .common import required_text
from .followups import cancel_follow_up, open_follow_up

# Channels a person rates through; DEFAULT is the hall's, never chosen by anyone.
RATER_CHANNELS = (Channel.TABLET, Channel.QR, Channel.SMS, Channel.PORTAL)
COMMENT_LIMIT = 500


def code_matches(case: Case, query_code: str | None) -> bool:
    return codes_match(query_code, case.query_code)


def invitation_minutes() -> int:
    return max(int(getattr(settings, "FEEDBACK_TABLET_INVITATION_MINUTES", 5)), 1)


def tablet_may_take(case: Case) -> bool:
    return case.status in tablet_statuses()


def _tablet_for(*, tablet=None, window=None) -> Tablet:
    if tablet is None:
        if window is None:
            raise Invalid(_("请选择测评器或窗口"), code="tablet_required")
        tablets = list(Tablet.objects.filter(window=window, is_active=True)[:2])
        if not tablets:
            raise Invalid(_("该窗口没有启用的测评器"), code="no_tablet")
        if len(tablets) > 1:
            raise Invalid(_("该窗口有多台测评器，请选择一台"), code="tablet_required")
        tablet = tablets[0]
    if not tablet.is_active:
        raise Invalid(_("该测评器已停用"), code="tablet_disabled")
    return tablet


def invite_rating(case: Case, *, by, tablet=None, window=None) -> RatingInvitation:
    """请评价: the clerk at a window hands the case just served to that window's tablet. The
    tablet then offers this case alone, once, for a few minutes; a new invitation on the same
    tablet withdraws an unused older one."""
    tablet = _tablet_for(tablet=tablet, window=window)
    if not permissions.can_invite_rating(by, case, tablet.window):
        raise NotAllowed(_("只有在该窗口办理此件的工作人员可以邀请评价"), code="not_at_window")
    now = timezone.now()
    with transaction.atomic():
        # The tablet row lock queues two invitations to one tablet.
        Tablet.objects.select_for_update().get(pk=tablet.pk)
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not tablet_may_take(locked):
            raise Conflict(
                _("只有已办结、不予受理或退件的办件可以在测评器上评价"), code="not_rateable"
            )
        if Rating.objects.filter(case=locked).exists():
            raise Conflict(_("该办件已评价，每件只能评价一次"), code="already_rated")
        RatingInvitation.objects.filter(
            tablet=tablet, consumed_at__isnull=True, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        invitation = RatingInvitation.objects.create(
            tablet=tablet,
            case=locked,
            created_by=by,
            created_at=now,
            expires_at=now + timedelta(minutes=invitation_minutes()),
        )
        audit.record(
            "feedback.tablet_invited",
            actor=by,
            target=locked,
            summary=_("邀请在测评器上评价"),
            data={"tablet": tablet.pk, "invitation": invitation.pk},
        )
    return invitation


def open_invitation(tablet) -> RatingInvitation | None:
    """What the tablet shows: the case it was handed, while the invitation stands."""
    return (
        RatingInvitation.objects.filter(
            tablet=tablet,
            consumed_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("case__service")
        .first()
    )


def _consume(invitation, tablet, case: Case) -> RatingInvitation:
    """Inside the rating's transaction: the invitation must be this tablet's, for this case,
    unused and in time."""
    locked = RatingInvitation.objects.select_for_update().filter(pk=invitation).first()
    if locked is None or tablet is None or locked.tablet_id != tablet.pk or not tablet.is_active:
        raise NotFound(_("评价邀请无效，请工作人员重新点击“请评价”"), code="invitation_invalid")
    if locked.case_id != case.pk:
        raise Conflict(_("评价邀请不是这个办件的"), code="invitation_other_case")
    if locked.consumed_at is not None:
        raise Conflict(_("该评价邀请已使用，每次邀请只能评价一次"), code="invitation_used")
    if locked.withdrawn_at is not None or locked.expires_at <= timezone.now():
        raise Conflict(_("评价邀请已过期，请工作人员重新点击“请评价”"), code="invitation_expired")
    return locked


def _level(value) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if level not in Level.values:
        raise Invalid(_("评价等级应为 1（非常不满意）至 5（非常满意）"), code="invalid_level")
    return level


def _served_by(case: Case, channel: str):
    # At the counter the applicant rates the clerk in front of them; elsewhere whoever
    # handled the case.
    if channel == Channel.TABLET:
        return case.intake_by_id or case.assignee_id
    return case.assignee_id or case.intake_by_id


def rate_case(
    case: Case,
    *,
    level,
    channel: str,
    comment: str = "",
    query_code: str | None = None,
    tablet=None,
    invitation: int | None = None,
    indicators=None,
) -> Rating:
    """The applicant rates a case: with its query code, or on the tablet the clerk handed it
    to (`invitation`, the binding made by `invite_rating`), which it consumes. `indicators`:
    the codes ticked after the level, from the set the channel offers (feedback/indicators.py);
    the set's version is stored with them."""
    level = _level(level)
    if channel not in RATER_CHANNELS:
        raise Invalid(_("评价渠道无效"), code="invalid_channel")
    indicators, indicator_set = rating_indicators.clean(indicators, channel=channel)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_LIMIT:
        raise Invalid(_("评价意见最多 %(n)d 字") % {"n": COMMENT_LIMIT}, code="too_long")
    with transaction.atomic():
        # The case row lock queues two ratings of one case; the unique constraint is the
        # last word should anything bypass it.
        locked = Case.objects.select_for_update().get(pk=case.pk)
        bound = None
        if not code_matches(locked, query_code):
            if invitation is None or channel != Channel.TABLET:
                raise NotFound(_("办件编号或查询码不正确"))
            bound = _consume(invitation, tablet, locked)
        if locked.status == Status.SUBMITTED:
            raise Conflict(_("该办件尚未受理，暂不能评价"), code="not_rateable")
        if bound is not None and not tablet_may_take(locked):
            raise Conflict(
                _("只有已办结、不予受理或退件的办件可以在测评器上评价"), code="not_rateable"
            )
        if Rating.objects.filter(case=locked).exists():
            raise Conflict(_("该办件已评价，每件只能评价一次"), code="already_rated")
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    case=locked,
                    level=level,
                    channel=channel,
                    comment=comment,
                    indicators=indicators,
                    indicator_set=indicator_set,
                    # On the tablet: the clerk who handed it the case, in front of the applicant.
                    staff_id=bound.created_by_id if bound else _served_by(locked, channel),
                    department_id=locked.department_id,
                    post_id=locked.post_id,
                )
        except IntegrityError as exc:
            raise Conflict(_("该办件已评价，每件只能评价一次"), code="already_rated") from exc
        if bound is not None:
            bound.consumed_at, bound.rating = rating.created_at, rating
            bound.save(update_fields=["consumed_at", "rating"])
        figure_days.cases_rated([rating])
        if rating.is_bad:
            open_follow_up(rating)
        provincial.record_ratings([rating])
    return rating


def rate_inquiry(
    inquiry,
    *,
    level,
    comment: str = "",
    channel: str = Channel.PORTAL,
    by=None,
    indicators=None,
) -> Rating:
    """The asker rates the answer to an inquiry (电话/窗口/网上咨询), once: online with the
    query code (`by` None, checked by the caller), or recorded by staff who handle the
    inquiry from what the asker said (channel STAFF). Like a case's rating it is a Rating
    row, counted by the figures, and a bad one opens a follow-up owned by the head of the
    inquiry's department. The inquiry's `satisfaction` is written in the same transaction."""
    level = _level(level)
    if by is None and channel not in RATER_CHANNELS:
        raise Invalid(_("评价渠道无效"), code="invalid_channel")
    if by is not None:
        channel = Channel.STAFF
    indicators, indicator_set = rating_indicators.clean(indicators, channel=channel)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_LIMIT:
        raise Invalid(_("评价意见最多 %(n)d 字") % {"n": COMMENT_LIMIT}, code="too_long")
    department_id = inquiry.department_id or inquiry.first_department_id
    if department_id is None:
        raise Invalid(_("该咨询没有负责部门，不能评价"), code="no_department")
    with transaction.atomic():
        # The inquiry's own checks (answered, may record, not rated yet) lock its row first.
        inquiry_services.record_satisfaction(inquiry, level=level, by=by)
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    inquiry=inquiry,
                    level=level,
                    channel=channel,
                    comment=comment,
                    indicators=indicators,
                    indicator_set=indicator_set,
                    staff_id=inquiry.answered_by_id or inquiry.owner_id,
                    department_id=department_id,
                    post_id=inquiry.post_id,
                    created_at=inquiry.rated_at or timezone.now(),
                )
        except IntegrityError as exc:
            raise Conflict(_("该咨询已评价"), code="already_rated") from exc
        figure_days.cases_rated([rating])
        if rating.is_bad:
            open_follow_up(rating)
        provincial.record_ratings([rating])
    return rating


def apply_default_ratings(*, now=None) -> int:
    """The hall's default rating for completed cases nobody rated within the delay; dated at
    the end of the delay, so running it late or twice gives the same ratings. Returns how many
    were made."""
    days = limits.default_rating_days()
    if days <= 0:
        return 0
    now = now or timezone.now()
    delay = timedelta(days=days)
    level = limits.default_rating_level()
    due = Case.objects.filter(
        status=Status.COMPLETED,
        completed_at__lte=now - delay,
        ratings__isnull=True,
    ).values_list("pk", "department_id", "post_id", "assignee_id", "intake_by_id", "completed_at")
    made = 0
    batch = []
    for pk, department_id, post_id, assignee_id, intake_by_id, completed_at in due.iterator():
        if completed_at is None:  # excluded by the filter; the column is nullable
            continue
        batch.append(
            Rating(
                case_id=pk,
                level=level,
                channel=Channel.DEFAULT,
                is_default=True,
                staff_id=assignee_id or intake_by_id,
                department_id=department_id,
                post_id=post_id,
                created_at=completed_at + delay,
            )
        )
        if len(batch) == 500:
            made += _save_defaults(batch)
            batch = []
    return made + _save_defaults(batch)


def _save_defaults(batch) -> int:
    if not batch:
        return 0
    with transaction.atomic():
        # A real rating arriving meanwhile wins: the unique constraint skips the default.
        before = Rating.objects.filter(is_default=True).count()
        Rating.objects.bulk_create(batch, ignore_conflicts=True)
        made = Rating.objects.filter(is_default=True).count() - before
        figure_days.cases_rated(batch)
        # The defaults of these cases, to the provincial outbox in the same transaction (a
        # default written by an earlier run already has its record: the key skips it).
        provincial.record_ratings(
            Rating.objects.filter(case_id__in=[r.case_id for r in batch], is_default=True).only(
                "pk"
            )
        )
    return made


def appeal_rating(
    rating: Rating, *, reason: str, by=None, query_code: str | None = None
) -> RatingAppeal:
    """The rater (with the case's query code) or the person rated and their head ask the
    office to void a rating."""
    reason = required_text(reason, _("请写明申诉理由"), code="reason_required", limit=1000)
    with transaction.atomic():
        locked = (
            Rating.objects.select_for_update(of=("self",)).select_related("case").get(pk=rating.pk)
        )
        if by is None:
            if locked.case is None or not code_matches(locked.case, query_code):
                raise NotFound(_("办件编号或查询码不正确"))
        elif not permissions.can_appeal_rating(by, locked):
            raise NotAllowed(_("只有被评价人或其部门负责人可以申诉"))
        if locked.is_voided:
            raise Conflict(_("该评价已撤销"), code="already_voided")
        if locked.appeals.filter(state=AppealState.PENDING).exists():
            raise Conflict(_("该评价已有待复核的申诉"), code="appeal_pending")
        appeal = RatingAppeal.objects.create(
            rating=locked, by_rater=by is None, by=by, reason=reason
        )
        audit.record(
            "feedback.rating_appealed",
            actor=by,
            target=locked,
            summary=_("评价申诉"),
            data={"appeal": appeal.pk, "by_rater": by is None},
        )
    return appeal


def review_appeal(appeal: RatingAppeal, *, uphold: bool, note: str, by) -> RatingAppeal:
    """The office decides: uphold voids the rating (and stops its follow-up), dismiss keeps it."""
    note = required_text(note, _("请写明复核意见"), code="note_required", limit=1000)
    if not permissions.can_review(by):
        raise NotAllowed(_("评价申诉由大厅管理办公室复核"))
    with transaction.atomic():
        locked = RatingAppeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.state != AppealState.PENDING:
            raise Conflict(_("该申诉已复核"), code="appeal_decided")
        locked.state = AppealState.UPHELD if uphold else AppealState.DISMISSED
        locked.decided_at, locked.decided_by, locked.decision_note = timezone.now(), by, note
        locked.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        if uphold:
            _void(locked.rating, reason=f"{locked.reason}（{_('复核意见')}：{note}）", by=by)
        else:
            audit.record(
                "feedback.appeal_dismissed",
                actor=by,
                target=locked.rating,
                summary=_("维持评价"),
                data={"appeal": locked.pk, "note": note},
            )
    appeal.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return appeal


def void_rating(rating: Rating, *, reason: str, by) -> Rating:
    """The office's own review voids a malicious or mistaken rating."""
    reason = required_text(reason, _("请写明撤销理由"), code="reason_required", limit=1000)
    if not permissions.can_review(by):
        raise NotAllowed(_("评价由大厅管理办公室复核撤销"))
    with transaction.atomic():
        _void(rating, reason=reason, by=by)
    rating.refresh_from_db()
    return rating


def _void(rating: Rating, *, reason: str, by) -> None:
    locked = Rating.objects.select_for_update().get(pk=rating.pk)
    if locked.is_voided:
        raise Conflict(_("该评价已撤销"), code="already_voided")
    locked.voided_at, locked.voided_by, locked.void_reason = timezone.now(), by, reason
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    figure_days.cases_rated([locked])
    audit.record(
        "feedback.rating_voided",
        actor=by,
        target=locked,
        summary=_("评价已撤销"),
        data={"reason": reason, "level": locked.level},
    )
    follow_up = getattr(locked, "follow_up", None) if locked.is_bad else None
    if follow_up is not None and follow_up.status not in ("closed", "cancelled"):
        cancel_follow_up(follow_up, reason=reason, by=by)
    provincial.record_ratings([locked], stage="void")
