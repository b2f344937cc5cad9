"""The provincial 好差评 outbox (feedback/provincial.py): every rating, its voiding and its
follow-up's outcome write one record in the national shape, in the same transaction, whether
or not the endpoint answers; the rater's identity never goes in it."""

import json

import pytest
from django.core.management import call_command
from django.db import transaction

from yichuang.core.errors import Conflict
from yichuang.core.models import OutboundMessage, WebhookSubscription
from yichuang.core.outbound import delivery, webhooks
from yichuang.core.outbound.models import MessageStatus
from yichuang.core.tests.receiver import Receiver
from yichuang.feedback import services
from yichuang.feedback.models import Channel, Rating
from yichuang.inquiries import services as inquiry_services
from yichuang.inquiries.tests.factories import log

from .factories import at, completed_case

pytestmark = pytest.mark.django_db
REGION = "440106000000"


@pytest.fixture
def province(settings):
    """The provincial endpoint, down: it answers 500 to everything."""
    with Receiver() as r:
        r.default = "fail"
        settings.PROVINCIAL_RATING_URL = r.url
        settings.OUTBOUND_TIMEOUT_SECONDS = 0.5
        settings.HALL_REGION_CODE = REGION
        yield r


def provincial(rating=None):
    qs = OutboundMessage.objects.filter(destination_kind="provincial")
    return qs.filter(record_key__startswith=f"rating-{rating.pk}") if rating else qs


def rate(case, level=5, **kw):
    return services.rate_case(
        case,
        level=level,
        channel=kw.pop("channel", Channel.QR),
        query_code=case.query_code,
        **kw,
    )


def test_the_outbox_holds_one_record_per_rating_even_when_the_endpoint_is_down(
    hall, province, django_capture_on_commit_callbacks
):
    case = completed_case(hall)
    with django_capture_on_commit_callbacks(execute=True):
        rating = rate(case, 4)
    # The push was tried after the commit and failed; the record stays, once.
    assert len(province.requests) == 1
    [message] = provincial(rating)
    assert (message.record_key, message.status, message.attempts) == (
        f"rating-{rating.pk}",
        "pending",
        1,
    )
    with pytest.raises(Conflict):
        rate(case, 1)
    delivery.deliver_due(now=message.next_attempt_at)
    assert provincial().count() == 1


def test_the_record_has_the_national_shape(hall, settings):
    settings.HALL_REGION_CODE = REGION
    case = completed_case(hall)
    case.service.item_code = "11440106MB2C12345X4440106001000"
    case.service.save(update_fields=["item_code"])
    rating = rate(case, 5, channel=Channel.SMS, comment="很快")
    Rating.objects.filter(pk=rating.pk).update(
        indicators=["fwxl", "fwtd"], indicator_set="2020-onsite"
    )
    rating.refresh_from_db()
    from yichuang.feedback.provincial import build_record

    record = build_record(rating)
    assert record == provincial(rating).get().payload | {
        "indicators": ["fwxl", "fwtd"],
        "indicator_set": "2020-onsite",
    }
    expected = {
        "record_type": "rating",
        "region_code": REGION,
        "object_type": "case",
        "case_number": case.number,
        "item_code": "11440106MB2C12345X4440106001000",
        "item_name": case.service.name,
        "promised_days": case.committed_days,
        "department_code": "jwc",
        "department_name": "教务处",
        "case_status": "completed",
        "level": 5,
        "level_name": "非常满意",
        "indicators": ["fwxl", "fwtd"],
        "indicator_set": "2020-onsite",
        "comment": "很快",
        "channel_code": "7",
        "channel": "sms",
        "is_default": 0,
        "is_valid": 1,
        "applicant_type": "1",
        "applicant_id_type": "111",
        "window_code": "1",
        "window_name": "学籍成绩",
        "staff_code": "alice",
        "staff_name": "王晓燕",
        "rectification": None,
    }
    assert {k: record[k] for k in expected} == expected
    assert record["accepted_on"] and record["rated_at"].startswith(str(rating.created_at.year))


def test_a_province_that_numbers_the_codes_otherwise_sets_them_without_code(hall, settings):
    from yichuang.feedback.provincial import build_record, check_provincial_codes

    settings.PROVINCIAL_CODES = {"channel.sms": "8", "id_type.resident_card": "01"}
    rating = rate(completed_case(hall), 4, channel=Channel.SMS)
    record = build_record(rating)
    assert (record["channel_code"], record["applicant_id_type"]) == ("8", "01")
    assert record["applicant_type"] == "1"  # not overridden: the default stands
    assert check_provincial_codes() == []
    settings.PROVINCIAL_CODES = {"channel.fax": "9"}
    assert [e.id for e in check_provincial_codes()] == ["feedback.E001"]


def test_the_rater_identity_goes_to_no_third_party(hall):
    case = completed_case(hall, name="欧阳娜娜", phone="13955556666", email="na@example.org")
    rate(case, 1, comment="窗口态度差")
    sent = json.dumps([m.payload for m in OutboundMessage.objects.all()], ensure_ascii=False)
    for personal in (
        "欧阳娜娜",
        "13955556666",
        "na@example.org",
        case.applicant_id_number,
        case.query_code,
    ):
        assert personal not in sent
    assert "窗口态度差" in sent  # the rater's words are the record's 文字评价


def test_a_rolled_back_rating_leaves_no_record(hall):
    case = completed_case(hall)
    with pytest.raises(RuntimeError), transaction.atomic():
        rate(case, 5)
        raise RuntimeError("after the rating, in its transaction")
    assert not provincial().exists()


def test_a_bad_ratings_follow_up_reports_its_reply_and_close(hall):
    case = completed_case(hall)
    rating = rate(case, 1, comment="等太久")
    follow_up = rating.follow_up
    services.verify_follow_up(follow_up, finding="substantiated", note="属实", by=hall.carol)
    services.rectify_follow_up(follow_up, measures="增设取号机", by=hall.carol)
    services.reply_follow_up(follow_up, reply="已整改，感谢监督", by=hall.carol)
    services.close_follow_up(follow_up, by=hall.carol)
    records = {m.record_key: m.payload for m in provincial(rating)}
    assert set(records) == {
        f"rating-{rating.pk}",
        f"rating-{rating.pk}-reply",
        f"rating-{rating.pk}-close",
    }
    assert records[f"rating-{rating.pk}"]["rectification"]["status"] == "verifying"
    replied = records[f"rating-{rating.pk}-reply"]
    assert replied["record_type"] == "rectification"
    assert replied["rectification"]["status"] == "replied"
    assert replied["rectification"]["measures"] == "增设取号机"
    assert replied["rectification"]["replied_at"] is not None
    closed = records[f"rating-{rating.pk}-close"]["rectification"]
    assert closed["status"] == "closed" and closed["closed_at"] is not None
    assert "已整改，感谢监督" not in json.dumps(records, ensure_ascii=False)


def test_voiding_a_rating_sends_it_again_as_not_valid(hall):
    case = completed_case(hall)
    rating = rate(case, 1)
    services.void_rating(rating, reason="误触", by=hall.olga)
    voided = provincial(rating).get(record_key=f"rating-{rating.pk}-void").payload
    assert voided["record_type"] == "void" and voided["is_valid"] == 0
    assert voided["voided_at"] and voided["rectification"]["status"] == "cancelled"


def test_default_ratings_are_recorded_once_however_often_the_command_runs(hall, settings):
    settings.FEEDBACK_DEFAULT_RATING_DAYS = 7
    with at(2026, 3, 2):
        unrated = completed_case(hall)
    with at(2026, 3, 9, 11):
        call_command("apply_default_ratings")
        call_command("apply_default_ratings")
    default = Rating.objects.get(case=unrated)
    record = provincial(default).get().payload
    assert record["is_default"] == 1 and record["channel_code"] == "0" and record["level"] == 3


def test_an_inquiry_rating_is_recorded_too(hall):
    inquiry = log(hall)
    inquiry_services.answer_inquiry(inquiry, answer="凭学生证到1号窗口即办", by=hall.alice)
    rating = services.rate_inquiry(inquiry, level=4, by=hall.alice)
    record = provincial(rating).get().payload
    assert record["object_type"] == "inquiry" and record["case_number"] == inquiry.number
    assert record["channel_code"] == "6" and record["applicant_id_type"] == "999"


def test_a_rating_is_announced_to_rating_subscribers_without_its_text(hall):
    webhooks.create_subscription(
        name="督查系统", url="https://example.org/hook", kinds=["rating"], by=hall.olga
    )
    rating = rate(completed_case(hall), 2, comment="材料要求多")
    [message] = OutboundMessage.objects.filter(destination_kind="webhook")
    assert (
        message.topic == "rating.created"
        and message.subscription == WebhookSubscription.objects.get()
    )
    assert message.payload["object"]["level"] == 2 and message.payload["object"]["id"] == rating.pk
    assert "材料要求多" not in json.dumps(message.payload, ensure_ascii=False)


def test_the_record_is_delivered_once_the_province_answers(hall, province):
    rating = rate(completed_case(hall), 5)
    province.default = "ok"
    assert delivery.deliver_due() == {MessageStatus.DELIVERED: 1}
    [request] = province.requests
    body = json.loads(request["body"])
    assert body["record_key"] == f"rating-{rating.pk}" and body["region_code"] == REGION
