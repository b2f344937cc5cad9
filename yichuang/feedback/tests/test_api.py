import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from yichuang.feedback.models import Complaint, FollowUp, Rating
from yichuang.org.testing import make_evaluators

from .factories import at, completed_case

pytestmark = pytest.mark.django_db
J = "application/json"


def post_rating(client, case, level=5, code=None, **extra):
    return client.post(
        "/api/v1/ratings",
        {
            "case": case.number,
            "query_code": case.query_code if code is None else code,
            "level": level,
            "comment": "",
            **extra,
        },
        content_type=J,
    )


def test_a_rating_is_201_and_a_second_one_409(hall):
    case = completed_case(hall)
    r = post_rating(Client(), case, 4)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["case"] == case.number and body["level"] == 4 and body["label"] == "满意"
    assert body["follow_up_due"] is None
    again = post_rating(Client(), case, 1)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_rated"
    assert Rating.objects.get().level == 4


@pytest.mark.parametrize("code", ["", "WRONG123", None])
def test_rating_without_the_query_code_is_refused_with_the_error_body(hall, code):
    case = completed_case(hall)
    payload = {"case": case.number, "level": 5, "comment": ""}
    if code is not None:
        payload["query_code"] = code
    r = Client().post("/api/v1/ratings", payload, content_type=J)
    assert r.status_code == 404
    assert set(r.json()["error"]) == {"code", "message"}
    assert not Rating.objects.exists()


def test_an_unknown_case_looks_the_same_as_a_wrong_code(hall):
    r = Client().post(
        "/api/v1/ratings",
        {"case": "209901010001", "query_code": "ABCDEFGH", "level": 5},
        content_type=J,
    )
    assert r.status_code == 404 and r.json()["error"]["message"] == "办件编号或查询码不正确"


@pytest.mark.parametrize("level", [0, 6, "x", None])
def test_a_bad_level_is_400_and_changes_nothing(hall, level):
    r = post_rating(Client(), completed_case(hall), level)
    assert r.status_code == 400
    assert "error" in r.json() and not Rating.objects.exists()


def test_a_rating_of_2_opens_a_follow_up_listed_by_case(hall, api_for):
    with at(2026, 3, 2):
        case = completed_case(hall)
        r = post_rating(Client(), case, 2, comment="材料要求没说清")
    assert r.json()["follow_up_due"] == "2026-03-03"
    with at(2026, 3, 2, 15):
        listing = api_for(hall.carol).get(f"/api/v1/followups?case={case.number}").json()
    assert listing["count"] == 1
    item = listing["results"][0]
    assert item["case"] == case.number and item["level"] == 2 and item["owner"] == "carol"
    assert (item["status"], item["verify_due"], item["rectify_due"]) == (
        "verifying",
        "2026-03-03",
        "2026-03-23",
    )
    assert item["light"] == "yellow" and [e["action"] for e in item["events"]] == ["open"]
    other = completed_case(hall)
    assert api_for(hall.carol).get(f"/api/v1/followups?case={other.number}").json()["count"] == 0


def test_the_follow_up_steps_through_the_api(hall, api_for):
    case = completed_case(hall)
    post_rating(Client(), case, 1)
    api = api_for(hall.carol)
    pk = FollowUp.objects.get().pk
    assert (
        api.post(f"/api/v1/followups/{pk}/reply", {"reply": "x"}, content_type=J).status_code == 409
    )
    r = api.post(
        f"/api/v1/followups/{pk}/verify",
        {"finding": "substantiated", "note": "属实"},
        content_type=J,
    )
    assert r.status_code == 200 and r.json()["status"] == "rectifying"
    api.post(f"/api/v1/followups/{pk}/rectify", {"measures": "整改"}, content_type=J)
    api.post(f"/api/v1/followups/{pk}/reply", {"reply": "已整改"}, content_type=J)
    r = api.post(f"/api/v1/followups/{pk}/close", {"note": ""}, content_type=J)
    assert r.json()["status"] == "closed" and r.json()["light"] is None
    assert len(r.json()["events"]) == 5


def test_the_rated_clerk_sees_her_ratings_without_the_case(hall, api_for):
    case = completed_case(hall)
    post_rating(Client(), case, 3)
    mine = api_for(hall.alice).get(f"/api/v1/ratings?case={case.number}").json()
    assert mine["count"] == 1 and mine["results"][0]["case"] is None
    assert mine["results"][0]["staff"] == "alice"
    head = api_for(hall.carol).get("/api/v1/ratings").json()
    assert head["results"][0]["case"] == case.number


def test_a_complaint_is_201_with_number_query_code_and_due(hall):
    with at(2026, 3, 2):
        r = Client().post(
            "/api/v1/complaints",
            {
                "name": "李小明",
                "phone": "13812345678",
                "subject": "排队太久",
                "content": "上午排队两个小时",
            },
            content_type=J,
        )
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) == {"number", "query_code", "due"}
    assert body["number"].startswith("TS20260302") and body["due"] == "2026-03-23"
    status = Client().get(f"/api/v1/complaints/{body['number']}?query_code={body['query_code']}")
    assert status.json()["status"] == "received"
    assert Client().get(f"/api/v1/complaints/{body['number']}").status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {"phone": "13812345678", "subject": "s", "content": "c"},
        {"name": "李", "phone": "", "subject": "s", "content": "c"},
        {"name": "李", "phone": "13812345678", "subject": "", "content": "c"},
        {"name": "李", "phone": "13812345678", "subject": "s", "content": "c", "case": "1"},
        {"name": "李", "phone": "电话", "subject": "s", "content": "c"},
        {"name": "李", "phone": "13812345678", "subject": "s", "content": "c", "kind": "x"},
    ],
)
def test_bad_complaints_are_400_and_register_nothing(hall, payload):
    r = Client().post("/api/v1/complaints", payload, content_type=J)
    assert r.status_code == 400, r.content
    assert set(r.json()["error"]) >= {"code", "message"}
    assert not Complaint.objects.exists()


def test_complaint_handling_through_the_api(hall, api_for):
    number = (
        Client()
        .post(
            "/api/v1/complaints",
            {
                "name": "李小明",
                "phone": "13812345678",
                "subject": "态度",
                "content": "态度差",
                "case": (case := completed_case(hall)).number,
                "query_code": case.query_code,
            },
            content_type=J,
        )
        .json()["number"]
    )
    office = api_for(hall.olga)
    r = office.post(f"/api/v1/complaints/{number}/assign", {"department": "jwc"}, content_type=J)
    assert r.json()["status"] == "handling" and r.json()["phone"] == "138****5678"
    head = api_for(hall.carol)
    head.post(
        f"/api/v1/complaints/{number}/verify",
        {"outcome": "upheld", "verification": "属实"},
        content_type=J,
    )
    r = api_for(hall.carol).post(
        "/api/v1/accountability",
        {"staff": "alice", "kind": "criticism_education", "reason": "态度", "complaint": number},
        content_type=J,
    )
    assert r.status_code == 201 and r.json()["complaint"] == number
    assert api_for(hall.alice).get("/api/v1/accountability").json()["count"] == 1


def test_announcements_are_public(hall):
    assert Client().get("/api/v1/announcements").json() == {"count": 0, "results": []}


def test_it_validates_ownership(hall, api_for):
    case = completed_case(hall)
    post_rating(Client(), case, 1)
    number = (
        Client()
        .post(
            "/api/v1/complaints",
            {
                "name": "李小明",
                "phone": "13812345678",
                "subject": "s",
                "content": "c",
                "case": case.number,
                "query_code": case.query_code,
            },
            content_type=J,
        )
        .json()["number"]
    )
    pk = FollowUp.objects.get().pk
    dave = api_for(hall.dave)
    assert dave.get("/api/v1/followups").json()["count"] == 0
    assert dave.get(f"/api/v1/followups/{pk}").status_code == 404
    assert (
        dave.post(
            f"/api/v1/followups/{pk}/verify", {"finding": "partly", "note": "x"}, content_type=J
        ).status_code
        == 404
    )
    assert dave.get("/api/v1/ratings").json()["count"] == 0
    assert dave.get("/api/v1/complaints").json()["count"] == 0
    assert dave.get(f"/api/v1/complaints/{number}").status_code == 404
    assert dave.get("/api/v1/feedback/figures").json()["ratings"]["total"] == 0
    alice = api_for(hall.alice)
    assert alice.get("/api/v1/followups").json()["count"] == 0
    assert alice.get("/api/v1/complaints").json()["count"] == 0
    assert (
        alice.post(
            f"/api/v1/complaints/{number}/assign", {"department": "jwc"}, content_type=J
        ).status_code
        == 404
    )
    assert (
        api_for(hall.carol)
        .post(f"/api/v1/complaints/{number}/assign", {"department": "jwc"}, content_type=J)
        .status_code
        == 403
    )
    assert Client().get("/api/v1/followups").status_code == 401
    for evaluator in make_evaluators(hall):  # the appraisal panel: no rating or complaint
        panel = api_for(evaluator)
        assert panel.get("/api/v1/ratings").json()["count"] == 0
        assert panel.get("/api/v1/complaints").json()["count"] == 0
        assert panel.get(f"/api/v1/complaints/{number}").status_code == 404
        assert panel.get("/api/v1/followups").json()["count"] == 0
        assert panel.get(f"/api/v1/followups/{pk}").status_code == 404
        assert panel.get("/api/v1/feedback/figures").json()["ratings"]["total"] == 0
    olga = api_for(hall.olga)
    assert olga.get("/api/v1/followups").json()["count"] == 1
    assert olga.get("/api/v1/feedback/figures").json()["ratings"]["bad"] == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_ratings_posted_at_once_one_201_one_409(hall):
    case = completed_case(hall)
    barrier = threading.Barrier(2)
    codes = []

    def rate(level):
        try:
            barrier.wait()
            codes.append(post_rating(Client(), case, level).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=rate, args=(level,)) for level in (5, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [201, 409]
    assert Rating.objects.filter(case=case).count() == 1
    assert FollowUp.objects.count() == (1 if Rating.objects.get().level == 1 else 0)


def test_the_clerk_hands_a_case_to_the_tablet_through_the_api(hall, api_for):
    from yichuang.feedback.models import RatingInvitation, Tablet

    tablet = Tablet.objects.create(window=hall.window)
    case = completed_case(hall)
    r = api_for(hall.alice).post(
        "/api/v1/ratings/invitations", {"case": case.number, "window": "1"}, content_type=J
    )
    assert r.status_code == 201, r.content
    assert r.json()["tablet"] == tablet.pk and r.json()["case"] == case.number
    r = api_for(hall.dave).post(
        "/api/v1/ratings/invitations", {"case": case.number, "tablet": tablet.pk}, content_type=J
    )
    assert r.status_code == 404 and set(r.json()["error"]) == {"code", "message"}
    assert RatingInvitation.objects.count() == 1


def test_window_1_names_the_clerks_own_window_1_when_another_hall_has_one(hall, api_for):
    from yichuang.feedback.models import RatingInvitation, Tablet
    from yichuang.org.models import Window
    from yichuang.org.testing import make_second_hall

    east: Any = make_second_hall(hall)
    # Listed first (Window.Meta.ordering), so that `first()` would find the other hall's.
    Window.objects.filter(pk=hall.window.pk).update(sort_order=5)
    east_one = Window.objects.create(
        number="1", name="东区一号", department=hall.jwc, hall=east.hall
    )
    Tablet.objects.create(window=east_one)
    tablet = Tablet.objects.create(window=hall.window)
    case = completed_case(hall)
    r = api_for(hall.alice).post(
        "/api/v1/ratings/invitations", {"case": case.number, "window": "1"}, content_type=J
    )
    assert r.status_code == 201, r.content
    assert RatingInvitation.objects.get().tablet == tablet


def test_a_second_identical_accountability_record_is_409(hall, api_for):
    from yichuang.feedback import services

    case = completed_case(hall)
    post_rating(Client(), case, 1)
    f = FollowUp.objects.get()
    services.verify_follow_up(f, finding="substantiated", note="属实", by=hall.carol)
    payload = {
        "staff": "alice",
        "kind": "criticism_education",
        "reason": "窗口推诿",
        "follow_up": f.pk,
    }
    carol = api_for(hall.carol)
    assert carol.post("/api/v1/accountability", payload, content_type=J).status_code == 201
    again = carol.post("/api/v1/accountability", payload, content_type=J)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate_accountability"
