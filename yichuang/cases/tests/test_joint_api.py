"""联办 in the API: `joint` in (POST /api/v1/cases), `parts` out (GET), the same contract
otherwise; bad rows are 400 with the error body and create nothing."""

import pytest

from yichuang.cases.models import Case, CasePart

from .factories import VALID_ID, all_required
from .joint_hall import make_joint

pytestmark = pytest.mark.django_db
J = "application/json"


@pytest.fixture
def j(hall):
    return make_joint(hall)


def create(api, j, joint, channel="window"):
    body = {
        "service": j.lead.code,
        "channel": channel,
        "applicant": {"name": "李小明", "id_number": VALID_ID, "phone": "13812345678"},
        "materials": all_required(j.lead),
    }
    if joint is not None:
        body["joint"] = joint
    return api.post("/api/v1/cases", body, content_type=J)


def test_a_joint_case_is_created_and_shows_its_parts(j, api_for):
    api = api_for(j.hall.alice)
    r = create(api, j, [{"department": "xsc", "service": "xsc-card"}, {"department": "hqc"}])
    assert r.status_code == 201, r.content
    assert set(r.json()) == {"number", "query_code", "status", "missing_materials"}
    number = r.json()["number"]
    accepted = api.post(f"/api/v1/cases/{number}/accept").json()
    assert [
        {k: p[k] for k in ("department", "service", "status", "assignee", "deadline", "light")}
        for p in accepted["parts"]
    ] == [
        {
            "department": "xsc",
            "service": "xsc-card",
            "status": "running",
            "assignee": "dave",
            "deadline": accepted["parts"][0]["deadline"],
            "light": "green",
        },
        {
            "department": "hqc",
            "service": None,
            "status": "running",
            "assignee": "hank",
            "deadline": accepted["deadline"],  # the case's days for a part without a service
            "light": "green",
        },
    ]
    seen_by_part = api_for(j.hank).get(f"/api/v1/cases/{number}").json()
    assert [p["department"] for p in seen_by_part["parts"]] == ["xsc", "hqc"]


def test_the_public_see_each_parts_progress_without_staff_names(j, api_for, client):
    api = api_for(j.hall.alice)
    created = create(api, j, [{"department": "xsc", "service": "xsc-card"}], "online").json()
    api.post(f"/api/v1/cases/{created['number']}/accept")
    public = client.get(
        f"/api/v1/cases/{created['number']}?query_code={created['query_code']}"
    ).json()
    assert [(p["department"], p["status"]) for p in public["parts"]] == [("学生处", "running")]
    assert "dave" not in str(public) and "陈思远" not in str(public)


def test_a_case_without_joint_answers_as_before(j, api_for):
    api = api_for(j.hall.alice)
    number = create(api, j, None).json()["number"]
    body = api.get(f"/api/v1/cases/{number}").json()
    assert body["parts"] == [] and body["status"] == "submitted"


@pytest.mark.parametrize(
    "joint, code",
    [
        ([{"department": "nope"}], "unknown_department"),
        ([{"department": "xsc", "service": "nope"}], "unknown_service"),
        ([{"department": "jwc"}], "joint_lead_department"),
        ([{"department": "xsc"}, {"department": "xsc", "service": "xsc-card"}], "joint_duplicate"),
        ([{"department": "hqc", "service": "xsc-card"}], "joint_service_department"),
        ([{"service": "xsc-card"}], "invalid"),
        ("xsc", "invalid"),
    ],
)
def test_bad_joint_rows_are_400_and_create_nothing(j, api_for, joint, code):
    r = create(api_for(j.hall.alice), j, joint)
    assert r.status_code == 400, r.content
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["message"]
    assert Case.objects.count() == 0 and CasePart.objects.count() == 0


def test_the_joint_field_and_its_errors_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    case_in = schema["components"]["schemas"]["CaseIn"]
    joint = case_in["properties"]["joint"]
    for code in (
        "unknown_department",
        "unknown_service",
        "joint_lead_department",
        "joint_duplicate",
    ):
        assert code in joint["description"]
    part = schema["components"]["schemas"]["JointPartIn"]
    assert part["required"] == ["department"]
    post = schema["paths"]["/api/v1/cases"]["post"]
    assert "400" in post["responses"]
