"""The provincial 好差评 record: what the hall sends to the province for each rating and each
change of it, written to the outbox (core/outbound) in the transaction of the rating, its
voiding or its follow-up step, and announced to the webhook subscribers of "rating" there too.

The record always goes to the outbox, whether or not PROVINCIAL_RATING_URL is set: a hall that
joins the provincial platform later (or whose endpoint is down) loses nothing — the worker
sends the backlog once the address is configured.

One record per rating and stage, with a record key the province deduplicates by:

    rating-<id>            the rating as given (or the hall's default rating)
    rating-<id>-void       it was voided (appeal upheld or the office's review): is_valid 0
    rating-<id>-reply      its follow-up (差评整改) answered the rater: the rectification
    rating-<id>-close      its follow-up closed

Each record is the whole rating as it stands (the receiver keeps the latest), in the shape of
the national record (GB/T 39735-2020 and the national platform's 好差评 interface). The
fields, and the national data item each one carries:

    record_key           the key above                                     (唯一标识)
    record_type          rating | void | rectification                     (数据类型)
    region_code          HALL_REGION_CODE, 12 digits                       (行政区划代码)
    object_type          case | inquiry                                    (评价对象类型)
    case_number          the case's (or inquiry's) number                  (办件编号)
    item_code            Service.item_code, the national item code         (事项编码)
    item_name            the service's name                                (事项名称)
    promised_days        committed working days                            (承诺时限)
    department_code/_name the rated department                             (实施部门)
    case_status/_name    the case's status when the record was written     (办件状态)
    accepted_on          the acceptance date (YYYY-MM-DD)                  (受理时间)
    level, level_name    1–5, 5 非常满意 … 1 非常不满意                     (评价等级)
    indicator_set        the version of the indicator set                  (评价指标版本)
    indicators           the codes ticked after the level                  (评价指标)
    comment              the rater's words                                 (文字评价)
    channel_code         DEFAULT_CODES below; channel: the hall's value    (评价渠道)
    rated_at             ISO time with offset                              (评价时间)
    is_default           1 for the hall's default rating                   (是否默认评价)
    is_valid             0 once voided; voided_at then says when           (是否有效)
    applicant_type       1 自然人 (the hall's applicants are persons)      (申请人类型)
    applicant_id_type    111 居民身份证, 999 none given                     (证件类型代码)
    window_code/_name    the window of the case's post                     (窗口)
    staff_code/_name     the rated staff member's account and name         (工作人员)
    rectification        for a bad rating: status, finding, due dates, the
                         times of each step, measures, on time              (差评整改情况)

What is never sent (MISSION.md: the rater's identity goes to no third party): the applicant's
name, ID number, phone, e-mail or any hash of them; only their type and the type of their ID.
A province whose interface names these fields differently swaps the transport
(PROVINCIAL_RATING_TRANSPORT), not this record.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.checks import Error
from django.utils import timezone

from yichuang.core.outbound.outbox import Draft, enqueue
from yichuang.core.outbound.webhooks import WebhookEvent, announce

from .models import FollowUp, Level, Rating

RECORD_VERSION = "1"
# The coded values of the record. These follow the national platform's interface as commonly
# implemented (评价渠道: 1 PC 端, 2 移动端, 3 二维码, 4 政务大厅平板电脑, 5 政务大厅其他终端,
# 6 电话, 7 短信; 0 here for the hall's default rating; 申请人类型 1 自然人; 证件类型 111
# 居民身份证, 999 其他) but were not checked against any one province's specification: a
# province that numbers them otherwise sets PROVINCIAL_CODES (a JSON object of these keys),
# with no change of code. `manage.py check` refuses a key that is not one of these.
DEFAULT_CODES = {
    "channel.portal": "1",
    "channel.qr": "3",
    "channel.tablet": "4",
    "channel.staff": "6",
    "channel.sms": "7",
    "channel.default": "0",
    "applicant_type.person": "1",
    "id_type.resident_card": "111",
    "id_type.none": "999",
}


def codes() -> dict[str, str]:
    """The coded values in force: the defaults, overridden by PROVINCIAL_CODES."""
    return {**DEFAULT_CODES, **getattr(settings, "PROVINCIAL_CODES", {})}


def check_provincial_codes(app_configs=None, **kwargs):
    unknown = sorted(set(getattr(settings, "PROVINCIAL_CODES", {})) - set(DEFAULT_CODES))
    if not unknown:
        return []
    return [
        Error(
            f"PROVINCIAL_CODES names keys the record does not have: {', '.join(unknown)}.",
            hint=f"The keys are: {', '.join(DEFAULT_CODES)}.",
            id="feedback.E001",
        )
    ]


# stage -> (record type, key suffix, webhook event)
STAGES = {
    "rating": ("rating", "", "rating.created"),
    "void": ("void", "-void", "rating.voided"),
    "reply": ("rectification", "-reply", "rating.follow_up_replied"),
    "close": ("rectification", "-close", "rating.follow_up_closed"),
}
RELATED = (
    "case__service",
    "case__post__window",
    "inquiry__service",
    "inquiry__post__window",
    "department",
    "post__window",
    "staff",
)


def record_key(rating: Rating, stage: str) -> str:
    return f"rating-{rating.pk}{STAGES[stage][1]}"


def _time(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _rectification(follow_up: FollowUp | None) -> dict | None:
    if follow_up is None:
        return None
    return {
        "status": follow_up.status,
        "finding": follow_up.finding,
        "verify_due": _day(follow_up.verify_due),
        "rectify_due": _day(follow_up.rectify_due),
        "verified_at": _time(follow_up.verified_at),
        "rectified_at": _time(follow_up.rectified_at),
        "replied_at": _time(follow_up.replied_at),
        "closed_at": _time(follow_up.closed_at),
        "measures": follow_up.rectification[:1000],
        "verified_on_time": follow_up.verified_on_time,
        "rectified_on_time": follow_up.rectified_on_time,
    }


def build_record(
    rating: Rating, *, stage: str = "rating", follow_up: FollowUp | None = None
) -> dict:
    """The national record of `rating` at `stage` (see the module's docstring). `follow_up`:
    the follow-up as its step leaves it (not yet saved), else the rating's own."""
    case, inquiry = rating.case, rating.inquiry
    subject = case or inquiry
    service = subject.service if subject is not None else None
    post = rating.post or (subject.post if subject is not None else None)
    window = post.window if post is not None else None
    if follow_up is None and rating.is_bad:
        follow_up = FollowUp.objects.filter(rating=rating).first()
    staff = rating.staff
    coded = codes()
    return {
        "record_type": STAGES[stage][0],
        "record_version": RECORD_VERSION,
        "region_code": getattr(settings, "HALL_REGION_CODE", ""),
        "object_type": "case" if case is not None else "inquiry",
        "case_number": subject.number if subject is not None else "",
        "item_code": service.item_code if service is not None else "",
        "item_name": service.name if service is not None else "",
        "promised_days": (
            case.committed_days
            if case is not None
            else (service.committed_days if service is not None else None)
        ),
        "department_code": rating.department.code,
        "department_name": rating.department.name,
        "case_status": subject.status if subject is not None else "",
        "case_status_name": str(subject.get_status_display()) if subject is not None else "",
        "accepted_on": _day(timezone.localdate(case.accepted_at))
        if case is not None and case.accepted_at
        else None,
        "level": rating.level,
        "level_name": str(Level(rating.level).label),
        "indicator_set": rating.indicator_set,
        "indicators": list(rating.indicators or []),
        "comment": rating.comment,
        "channel_code": coded.get(f"channel.{rating.channel}", ""),
        "channel": rating.channel,
        "rated_at": _time(rating.created_at),
        "is_default": 1 if rating.is_default else 0,
        "is_valid": 0 if rating.is_voided else 1,
        "voided_at": _time(rating.voided_at),
        "applicant_type": coded["applicant_type.person"],
        "applicant_id_type": (
            coded["id_type.resident_card"]
            if case is not None and case.applicant_id_number
            else coded["id_type.none"]
        ),
        "window_code": window.number if window is not None else "",
        "window_name": window.name if window is not None else "",
        "staff_code": staff.username if staff is not None else "",
        "staff_name": staff.display_name if staff is not None else "",
        "rectification": _rectification(follow_up),
    }


def _announcement(rating: Rating, record: dict, stage: str) -> WebhookEvent:
    """The same fact for webhook subscribers: no text, no staff, the object's number."""
    key = record_key(rating, stage)
    return WebhookEvent(
        key=key,
        kind="rating",
        event=STAGES[stage][2],
        at=timezone.now() if stage != "rating" else rating.created_at,
        reference=record["case_number"],
        obj={
            "type": "rating",
            "id": rating.pk,
            "object_type": record["object_type"],
            "number": record["case_number"],
            "level": rating.level,
            "is_default": bool(rating.is_default),
            "is_valid": not rating.is_voided,
        },
    )


def record_ratings(
    ratings: Iterable[Rating], *, stage: str = "rating", follow_up: FollowUp | None = None
) -> int:
    """Inside the transaction of the change: write each rating's record at `stage` to the
    provincial outbox and announce it to the webhooks. The ratings are read again with what
    the record needs (one query); a repeat of a stage writes nothing (the record key)."""
    pks = [r.pk for r in ratings]
    if not pks:
        return 0
    drafts, announcements = [], []
    for rating in Rating.objects.filter(pk__in=pks).select_related(*RELATED).order_by("pk"):
        record = build_record(rating, stage=stage, follow_up=follow_up)
        drafts.append(
            Draft(
                record_key=record_key(rating, stage),
                topic=STAGES[stage][2],
                reference=record["case_number"],
                payload=record,
            )
        )
        announcements.append(_announcement(rating, record, stage))
    written = enqueue(drafts)
    announce(announcements)
    return written


def record_follow_up(follow_up: FollowUp, *, stage: str) -> None:
    """A follow-up step that reports back (reply, close), from inside the step: the rating's
    record with the rectification as the step leaves it. A visit's follow-up has no rating
    and nothing to report to the rating platform."""
    if follow_up.rating_id is None:
        return
    rating = Rating(pk=follow_up.rating_id)
    record_ratings([rating], stage=stage, follow_up=follow_up)
