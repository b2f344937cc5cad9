from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from yichuang.inquiries import services
from yichuang.inquiries.models import Inquiry, InquiryEvent
from yichuang.org.models import Presence
from yichuang.org.services import set_presence
from yichuang.org.testing import make_evaluators

from .factories import faq_entry, log

pytestmark = pytest.mark.django_db
J = "application/json"
SH = ZoneInfo("Asia/Shanghai")


def create(api, **extra):
    payload = {
        "channel": "phone",
        "asker": {"name": "李小明", "phone": "13812345678"},
        "matter": "在读证明怎么开？",
        **extra,
    }
    return api.post("/api/v1/inquiries", payload, content_type=J)


def test_logging_answers_id_owner_and_due(hall, api_for):
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH), tick=False):
        r = create(api_for(hall.alice), time_limit="investigation")
    assert r.status_code == 201, r.content
    body = r.json()
    assert {"id", "owner", "due"} <= set(body)
    assert body["owner"] == "alice" and body["due"] == "2026-03-17"
    assert body["number"].startswith("ZX20260302")
    assert Inquiry.objects.get(pk=body["id"]).first_owner == hall.alice


def test_logging_needs_a_token(hall):
    assert create(Client()).status_code == 401
    assert Inquiry.objects.count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"channel": "fax", "asker": {"name": "李"}, "matter": "x"},
        {
            "channel": "phone",
            "asker": {"name": "李"},
            "matter": "x",
        },  # a caller's phone is required
        {"channel": "walk_in", "asker": {"name": ""}, "matter": "x"},
        {"channel": "walk_in", "asker": {"name": "李", "phone": "123"}, "matter": "x"},
        {"channel": "walk_in", "asker": {"name": "李"}, "matter": " "},
        {"channel": "walk_in", "asker": {"name": "李"}, "matter": "x", "service": "nope"},
        {"channel": "walk_in", "asker": {"name": "李"}, "matter": "x", "time_limit": "never"},
        {"channel": "walk_in", "matter": "x"},
        {"channel": "walk_in", "asker": "李", "matter": "x"},
    ],
)
def test_bad_input_is_400_and_creates_nothing(hall, api_for, payload):
    r = api_for(hall.alice).post("/api/v1/inquiries", payload, content_type=J)
    assert r.status_code == 400, r.content
    assert set(r.json()["error"]) >= {"code", "message"}
    assert Inquiry.objects.count() == 0


def test_transfer_keeps_the_caller_owner_and_names_the_covering_receiver(hall, api_for):
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    dave = api_for(hall.dave)
    inquiry_id = create(dave).json()["id"]
    r = dave.post(
        f"/api/v1/inquiries/{inquiry_id}/transfer", {"post": "jwc-status"}, content_type=J
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["owner"] == "dave" and body["status"] == "routed"
    assert body["pending"]["receiver"] == "bob" and body["pending"]["post"] == "jwc-status"
    r = api_for(hall.bob).post(f"/api/v1/inquiries/{inquiry_id}/acknowledge")
    assert r.status_code == 200 and r.json()["owner"] == "bob" and r.json()["pending"] is None
    assert r.json()["first_owner"] == "dave"


def test_answer_then_a_second_answer_is_409(hall, api_for):
    alice = api_for(hall.alice)
    inquiry_id = create(alice).json()["id"]
    r = alice.post(
        f"/api/v1/inquiries/{inquiry_id}/answer", {"answer": "凭学生证即办。"}, content_type=J
    )
    assert r.status_code == 200 and r.json()["status"] == "answered"
    assert r.json()["light"] is None
    r = alice.post(f"/api/v1/inquiries/{inquiry_id}/answer", {"answer": "again"}, content_type=J)
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"


def test_unknown_post_is_400_and_changes_nothing(hall, api_for):
    alice = api_for(hall.alice)
    inquiry_id = create(alice).json()["id"]
    r = alice.post(f"/api/v1/inquiries/{inquiry_id}/transfer", {"post": "nope"}, content_type=J)
    assert r.status_code == 400 and r.json()["error"]["code"] == "unknown_post"
    assert Inquiry.objects.get().status == "open"


def test_a_colleague_who_does_not_own_it_is_403(hall, api_for):
    inquiry_id = create(api_for(hall.alice)).json()["id"]
    r = api_for(hall.bob).post(
        f"/api/v1/inquiries/{inquiry_id}/answer", {"answer": "x"}, content_type=J
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_allowed"
    assert InquiryEvent.objects.count() == 1


def test_it_validates_ownership(hall, api_for):
    inquiry = log(hall)
    dave = api_for(hall.dave)
    assert dave.get(f"/api/v1/inquiries/{inquiry.pk}").status_code == 404
    for action, payload in [
        ("answer", {"answer": "x"}),
        ("transfer", {"post": "jwc-status"}),
        ("acknowledge", None),
        ("close", {"reason": "x"}),
    ]:
        r = dave.post(f"/api/v1/inquiries/{inquiry.pk}/{action}", payload or {}, content_type=J)
        assert r.status_code == 404, action
    assert dave.get("/api/v1/inquiries").json()["count"] == 0
    for evaluator in make_evaluators(hall):  # the appraisal panel sees no inquiry
        panel = api_for(evaluator)
        assert panel.get(f"/api/v1/inquiries/{inquiry.pk}").status_code == 404
        assert panel.get("/api/v1/inquiries").json()["count"] == 0
    inquiry.refresh_from_db()
    assert inquiry.status == "open" and inquiry.events.count() == 1


@time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_list_is_scoped_paginated_and_filtered(hall, api_for, django_assert_max_num_queries):
    # On a Wednesday: an inquiry logged on a weekend is due on Monday and is still green.
    for _ in range(3):
        log(hall)
    answered = log(hall)
    services.answer_inquiry(answered, answer="已答复", by=hall.alice)
    log(hall, by=hall.dave)
    alice = api_for(hall.alice)
    with django_assert_max_num_queries(6):
        body = alice.get("/api/v1/inquiries?page_size=2").json()
    assert body["count"] == 4 and len(body["results"]) == 2
    assert body["results"][0]["asker"] == "李*明"
    assert alice.get("/api/v1/inquiries?status=open").json()["count"] == 3
    assert alice.get("/api/v1/inquiries?light=yellow").json()["count"] == 3
    assert alice.get("/api/v1/inquiries?owner=dave").json()["count"] == 0
    assert api_for(hall.olga).get("/api/v1/inquiries").json()["count"] == 5
    assert alice.get("/api/v1/inquiries?light=blue").status_code == 400


def test_detail_masks_the_phone_unless_revealed_and_recorded(hall, api_for):
    from yichuang.core.models import AuditEvent

    inquiry = log(hall)
    body = api_for(hall.alice).get(f"/api/v1/inquiries/{inquiry.pk}").json()
    assert body["asker"]["phone"] == "138****5678" and body["events"][0]["action"] == "create"
    assert api_for(hall.bob).get(f"/api/v1/inquiries/{inquiry.pk}?reveal=true").status_code == 403
    body = api_for(hall.alice).get(f"/api/v1/inquiries/{inquiry.pk}?reveal=true").json()
    assert body["asker"]["phone"] == "13812345678"
    assert AuditEvent.objects.filter(action="inquiry.personal_data_viewed").count() == 1


def test_time_limit_and_staff_recorded_satisfaction(hall, api_for):
    alice = api_for(hall.alice)
    inquiry_id = create(alice).json()["id"]
    r = alice.post(
        f"/api/v1/inquiries/{inquiry_id}/time-limit", {"time_limit": "complex"}, content_type=J
    )
    assert r.status_code == 200 and r.json()["time_limit"] == "complex"
    alice.post(f"/api/v1/inquiries/{inquiry_id}/answer", {"answer": "已答复"}, content_type=J)
    r = alice.post(f"/api/v1/inquiries/{inquiry_id}/satisfaction", {"level": 5}, content_type=J)
    assert r.json()["satisfaction"] == 5


def test_public_online_consultation_round_trip(hall, api_for):
    public = Client()
    r = public.post(
        "/api/v1/inquiries/online",
        {
            "asker": {"name": "李小明", "phone": "13812345678"},
            "matter": "学籍异动怎么办理？",
            "department": "jwc",
        },
        content_type=J,
    )
    assert r.status_code == 201, r.content
    number, code = r.json()["number"], r.json()["query_code"]
    assert public.get(f"/api/v1/inquiries/online/{number}?query_code=WRONG").status_code == 404
    view = public.get(f"/api/v1/inquiries/online/{number}?query_code={code}").json()
    assert view["status"] == "open" and view["answer"] == "" and view["asker"] == "李*明"
    inquiry = Inquiry.objects.get(number=number)
    assert inquiry.owner == hall.alice  # she covers the department's post
    api_for(hall.alice).post(
        f"/api/v1/inquiries/{inquiry.pk}/answer",
        {"answer": "请到教务处1号窗口办理。"},
        content_type=J,
    )
    view = public.get(f"/api/v1/inquiries/online/{number}?query_code={code.lower()}").json()
    assert view["answer"] == "请到教务处1号窗口办理。" and "owner" not in view
    rate = f"/api/v1/inquiries/online/{number}/satisfaction"
    assert public.post(rate, {"query_code": "WRONG", "level": 5}, content_type=J).status_code == 404
    assert public.post(rate, {"query_code": code, "level": 5}, content_type=J).status_code == 200
    assert public.post(rate, {"query_code": code, "level": 1}, content_type=J).status_code == 409


@pytest.mark.parametrize(
    "payload",
    [
        {"asker": {"name": "李小明"}, "matter": "x", "department": "jwc"},
        {"asker": {"name": "李小明", "phone": "13812345678"}, "matter": "x"},
        {"asker": {"name": "李小明", "phone": "13812345678"}, "matter": "x", "department": "nope"},
        {"asker": {"name": "", "phone": "13812345678"}, "matter": "x", "department": "jwc"},
    ],
)
def test_bad_online_consultation_is_400(hall, payload):
    r = Client().post("/api/v1/inquiries/online", payload, content_type=J)
    assert r.status_code == 400, r.content
    assert Inquiry.objects.count() == 0


def test_faq_is_public_and_searchable_by_pinyin_initials(hall, api_for):
    faq_entry(hall)
    faq_entry(
        hall,
        question="内部口径：学籍异动审批",
        answer="仅供内部。",
        keywords="学籍异动",
        is_public=False,
    )
    body = Client().get("/api/v1/faq?q=zdzm").json()
    assert body["count"] == 1 and body["results"][0]["question"] == "在读证明怎么开？"
    assert Client().get("/api/v1/faq").json()["count"] == 1
    assert api_for(hall.dave).get("/api/v1/faq").json()["count"] == 2


def test_guessing_query_codes_is_rate_limited(hall, settings):
    from django.core.cache import cache

    cache.clear()
    settings.LOOKUP_FAILURE_RATE = "3/m"
    inquiry = services.ask_online(
        asker={"name": "李小明", "phone": "13812345678"}, matter="x", department=hall.jwc
    )
    url = f"/api/v1/inquiries/online/{inquiry.number}?query_code="
    for _ in range(3):
        assert Client().get(url + "WRONG000").status_code == 404
    r = Client().get(url + inquiry.query_code)
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert (
        Client()
        .get("/inquiries/lookup/", {"number": inquiry.number, "code": inquiry.query_code})
        .status_code
        == 429
    )
    cache.clear()
    assert Client().get(url + inquiry.query_code).status_code == 200
