import pytest
from django.test import Client

from yichuang.cases.models import Case, Status
from yichuang.core.models import AuditEvent
from yichuang.org.testing import make_evaluators

from .factories import VALID_ID, all_required, make_service

pytestmark = pytest.mark.django_db
J = "application/json"


@pytest.fixture
def service(hall):
    return make_service(hall)


def create(api, service, materials=None, channel="window"):
    return api.post(
        "/api/v1/cases",
        {
            "service": service.code,
            "channel": channel,
            "applicant": {"name": "李小明", "id_number": VALID_ID, "phone": "13812345678"},
            "materials": all_required(service) if materials is None else materials,
        },
        content_type=J,
    )


def test_intake_answers_number_query_code_and_missing(hall, service, api_for):
    card = service.materials.get(name="学生证")
    r = create(api_for(hall.alice), service, materials=[card.pk])
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"number", "query_code", "status", "missing_materials"}
    assert body["status"] == "submitted"
    assert body["missing_materials"] == [
        {"id": service.materials.get(name="申请表").pk, "name": "申请表"}
    ]


def test_window_intake_needs_a_token_but_online_is_public(hall, service):
    assert create(Client(), service).status_code == 401
    assert create(Client(), service, channel="online").status_code == 201


@pytest.mark.parametrize(
    "payload",
    [
        {"service": "zxzm", "channel": "fax", "applicant": {"name": "李"}, "materials": []},
        {"service": "nope", "channel": "window", "applicant": {"name": "李"}, "materials": []},
        {"service": "zxzm", "channel": "window", "applicant": {"name": ""}, "materials": []},
        {
            "service": "zxzm",
            "channel": "window",
            "applicant": {"name": "李", "id_number": "123"},
            "materials": [],
        },
        {
            "service": "zxzm",
            "channel": "window",
            "applicant": {"name": "李"},
            "materials": [999999],
        },
        {"service": "zxzm", "channel": "window"},
        {"service": "zxzm", "channel": "window", "applicant": {"name": "李"}, "materials": "all"},
    ],
)
def test_bad_intake_is_400_and_creates_nothing(hall, service, api_for, payload):
    r = api_for(hall.alice).post("/api/v1/cases", payload, content_type=J)
    assert r.status_code == 400, r.content
    assert set(r.json()["error"]) >= {"code", "message"}
    assert Case.objects.count() == 0


def test_accept_answers_the_case_with_deadline_and_assignee(hall, service, api_for):
    api = api_for(hall.alice)
    number = create(api, service).json()["number"]
    r = api.post(f"/api/v1/cases/{number}/accept")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "accepted" and body["assignee"] == "alice" and body["deadline"]
    assert body["light"] == "green"


def test_accept_with_missing_materials_is_409(hall, service, api_for):
    api = api_for(hall.alice)
    number = create(api, service, materials=[]).json()["number"]
    r = api.post(f"/api/v1/cases/{number}/accept")
    assert r.status_code == 409 and r.json()["error"]["code"] == "materials_missing"


def test_full_life_through_the_api(hall, service, api_for):
    alice, rita, carol = api_for(hall.alice), api_for(hall.rita), api_for(hall.carol)
    form = service.materials.get(name="申请表").pk
    number = create(alice, service, materials=[service.materials.get(name="学生证").pk]).json()[
        "number"
    ]
    r = alice.post(
        f"/api/v1/cases/{number}/request-supplement",
        {"missing": [form], "note": "补申请表"},
        content_type=J,
    )
    assert r.json()["status"] == "supplement"
    code = Case.objects.get(number=number).query_code
    r = Client().post(
        f"/api/v1/cases/{number}/supplement?query_code={code}",
        {"materials": [form]},
        content_type=J,
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert alice.post(f"/api/v1/cases/{number}/accept").json()["status"] == "accepted"
    assert (
        alice.post(
            f"/api/v1/cases/{number}/suspend", {"reason": "专家评审"}, content_type=J
        ).json()["status"]
        == "suspended"
    )
    assert alice.post(f"/api/v1/cases/{number}/resume").json()["status"] == "accepted"
    before = alice.get(f"/api/v1/cases/{number}").json()["deadline"]
    r = carol.post(
        f"/api/v1/cases/{number}/extend", {"days": 3, "reason": "需补充调查"}, content_type=J
    )
    assert r.json()["status"] == "accepted" and r.json()["deadline"] > before
    r = alice.post(
        f"/api/v1/cases/{number}/review", {"decision": "approve", "note": "同意"}, content_type=J
    )
    assert r.json()["status"] == "checking"
    assert (
        alice.post(f"/api/v1/cases/{number}/check", {"agree": True}, content_type=J).status_code
        == 403
    )
    r = rita.post(f"/api/v1/cases/{number}/check", {"agree": True, "note": "同意"}, content_type=J)
    assert r.json()["status"] == "completed"
    events = alice.get(f"/api/v1/cases/{number}").json()["events"]
    assert [e["action"] for e in events] == [
        "create",
        "request_supplement",
        "supplement",
        "accept",
        "suspend",
        "resume",
        "extend",
        "review",
        "check",
    ]
    assert set(events[0]) >= {"at", "action", "status", "by"}


def test_disallowed_transition_is_409_and_changes_nothing(hall, service, api_for):
    api = api_for(hall.alice)
    number = create(api, service).json()["number"]
    r = api.post(f"/api/v1/cases/{number}/resume")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    assert Case.objects.get(number=number).status == Status.SUBMITTED


def test_immediate_complete_and_reject_and_return(hall, api_for):
    api = api_for(hall.alice)
    immediate = make_service(hall, code="cjzm", name="成绩证明", kind="immediate", committed_days=0)
    n = create(api, immediate).json()["number"]
    assert api.post(f"/api/v1/cases/{n}/complete").json()["status"] == "completed"
    n = create(api, immediate).json()["number"]
    assert api.post(f"/api/v1/cases/{n}/reject", {"reason": ""}, content_type=J).status_code == 400
    assert (
        api.post(f"/api/v1/cases/{n}/reject", {"reason": "不符合条件"}, content_type=J).json()[
            "status"
        ]
        == "rejected"
    )
    n = create(api, immediate).json()["number"]
    assert (
        api.post(f"/api/v1/cases/{n}/return", {"reason": "申请人撤回"}, content_type=J).json()[
            "status"
        ]
        == "returned"
    )


def test_transfer(hall, service, api_for):
    from yichuang.org.models import Post, PostBackup

    exam = Post.objects.create(
        code="jwc-exam", name="考试与证书岗", department=hall.jwc, holder=hall.bob
    )
    PostBackup.objects.create(post=exam, staff=hall.alice, position=1)
    api = api_for(hall.alice)
    n = create(api, service).json()["number"]
    api.post(f"/api/v1/cases/{n}/accept")
    r = api.post(
        f"/api/v1/cases/{n}/transfer", {"post": "jwc-exam", "reason": "证书业务"}, content_type=J
    )
    assert (
        r.json()["post"] == "jwc-exam"
        and r.json()["assignee"] == "bob"
        and r.json()["status"] == "accepted"
    )
    assert (
        api.post(
            f"/api/v1/cases/{n}/transfer", {"post": "nope", "reason": "x"}, content_type=J
        ).status_code
        == 400
    )


def test_staff_view_masks_personal_data_unless_revealed_and_records_the_view(
    hall, service, api_for
):
    api = api_for(hall.alice)
    n = create(api, service).json()["number"]
    body = api.get(f"/api/v1/cases/{n}").json()
    assert body["applicant"]["id_number"] == "1101**********1233"
    assert body["applicant"]["phone"] == "138****5678"
    assert set(body) >= {
        "number",
        "service",
        "status",
        "channel",
        "applicant",
        "materials",
        "missing_materials",
        "post",
        "assignee",
        "accepted_at",
        "deadline",
        "light",
        "events",
    }
    revealed = api.get(f"/api/v1/cases/{n}?reveal=true").json()
    assert revealed["applicant"]["id_number"] == VALID_ID
    assert (
        AuditEvent.objects.filter(action="case.personal_data_viewed", actor=hall.alice).count() == 1
    )
    assert api_for(hall.olga).get(f"/api/v1/cases/{n}?reveal=true").status_code == 403


def test_public_view_needs_the_query_code_and_hides_staff(hall, service, api_for):
    created = create(api_for(hall.alice), service).json()
    n, code = created["number"], created["query_code"]
    assert Client().get(f"/api/v1/cases/{n}").status_code == 404
    assert Client().get(f"/api/v1/cases/{n}?query_code=WRONG123").status_code == 404
    body = Client().get(f"/api/v1/cases/{n}?query_code={code}").json()
    assert {"number", "service", "status", "deadline", "light", "events"} <= set(body)
    assert body["applicant"] == "李*明"
    assert all(set(e) == {"at", "action", "status"} for e in body["events"])
    assert "13812345678" not in str(body) and "alice" not in str(body)


def test_list_filters_and_lights(hall, service, api_for):
    api = api_for(hall.alice)
    a = create(api, service).json()["number"]
    create(api, service)
    api.post(f"/api/v1/cases/{a}/accept")
    body = api.get("/api/v1/cases?status=accepted").json()
    assert (
        body["count"] == 1
        and body["results"][0]["number"] == a
        and body["results"][0]["light"] == "green"
    )
    assert api.get("/api/v1/cases?light=green").json()["count"] == 1
    assert api.get("/api/v1/cases?light=red").json()["count"] == 0
    assert api.get("/api/v1/cases?light=purple").status_code == 400
    assert api.get("/api/v1/cases?assignee=alice").json()["count"] == 1
    assert api.get(f"/api/v1/cases?service={service.code}&post=jwc-status").json()["count"] == 2


def test_list_has_no_query_per_row(hall, service, api_for, django_assert_max_num_queries):
    api = api_for(hall.alice)
    for _ in range(15):
        create(api, service)
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/cases?page_size=50").json()["count"] == 15


def test_it_validates_ownership(hall, service, api_for):
    n = create(api_for(hall.alice), service).json()["number"]
    dave = api_for(hall.dave)
    assert dave.get(f"/api/v1/cases/{n}").status_code == 404
    assert dave.post(f"/api/v1/cases/{n}/accept").status_code == 404
    assert dave.get("/api/v1/cases").json()["count"] == 0
    assert create(dave, service).status_code == 403
    assert api_for(hall.olga).get("/api/v1/cases").json()["count"] == 1
    for evaluator in make_evaluators(hall):  # the appraisal panel sees no case
        panel = api_for(evaluator)
        assert panel.get(f"/api/v1/cases/{n}").status_code == 404
        assert panel.get("/api/v1/cases").json()["count"] == 0


def test_guessing_query_codes_is_rate_limited(hall, service, api_for, settings):
    from django.core.cache import cache

    cache.clear()
    settings.LOOKUP_FAILURE_RATE = "3/m"
    created = create(api_for(hall.alice), service).json()
    n = created["number"]
    for _ in range(3):
        assert Client().get(f"/api/v1/cases/{n}?query_code=WRONG000").status_code == 404
    r = Client().get(f"/api/v1/cases/{n}?query_code={created['query_code']}")
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert "再试" in r.json()["error"]["message"]
    cache.clear()
    assert Client().get(f"/api/v1/cases/{n}?query_code={created['query_code']}").status_code == 200
