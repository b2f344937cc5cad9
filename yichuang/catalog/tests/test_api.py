import pytest
from django.test import Client

from yichuang.catalog.services import save_service, set_service_active
from yichuang.catalog.validation import ServiceData

from .factories import committed_data, make_service

pytestmark = pytest.mark.django_db

LIST_KEYS = {
    "code",
    "name",
    "department",
    "kind",
    "legal_days",
    "committed_days",
    "online",
    "department_name",
    "item_code",  # additive: the national 事项编码, "" when none
}
MATERIAL_KEYS = {"id", "name", "required", "originals", "copies", "notes"}
DETAIL_KEYS = {
    "materials",
    "post",
    "basis",
    "conditions",
    "steps",
    "fees",
    "location",
    "hours",
    "phones",
    "version",
}


@pytest.fixture
def anonymous():
    return Client()


def test_list_is_public_and_has_the_documented_shape(cat, anonymous):
    make_service(cat.hall)
    make_service(cat.hall, data=committed_data(cat.hall))
    response = anonymous.get("/api/v1/services")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert set(body["results"][0]) == LIST_KEYS
    assert body["results"] == [
        {
            "code": "status-change",
            "name": "学籍异动（休学/复学）",
            "department": "jwc",
            "department_name": "教务处",
            "kind": "committed",
            "legal_days": 10,
            "committed_days": 5,
            "online": False,
            "item_code": "",
        },
        {
            "code": "transcript",
            "name": "成绩证明",
            "department": "jwc",
            "department_name": "教务处",
            "kind": "immediate",
            "legal_days": 5,
            "committed_days": 0,
            "online": True,
            "item_code": "",
        },
    ]


def test_list_is_paginated_and_filtered(cat, anonymous):
    make_service(cat.hall)
    make_service(cat.hall, data=committed_data(cat.hall))
    make_service(
        cat.hall,
        code="work-study",
        name="勤工助学岗位申请",
        department=cat.hall.xsc,
        post=cat.aid_post,
    )
    page = anonymous.get("/api/v1/services?page=2&page_size=2").json()
    assert page["count"] == 3 and [r["code"] for r in page["results"]] == ["work-study"]
    assert [r["code"] for r in anonymous.get("/api/v1/services?q=cjzm").json()["results"]] == [
        "transcript"
    ]
    by_department = anonymous.get("/api/v1/services?department=xsc").json()
    assert [r["code"] for r in by_department["results"]] == ["work-study"]


def test_list_runs_a_fixed_number_of_queries(cat, anonymous, django_assert_num_queries):
    for i in range(5):
        make_service(cat.hall, code=f"item-{i}", name=f"事项{i}")
    with django_assert_num_queries(2):  # count, page
        assert anonymous.get("/api/v1/services").json()["count"] == 5


def test_detail_has_the_documented_shape(cat, anonymous):
    service = make_service(cat.hall)
    response = anonymous.get("/api/v1/services/transcript")
    assert response.status_code == 200
    body = response.json()
    assert LIST_KEYS | DETAIL_KEYS <= set(body)
    assert body["post"] == "jwc-status"
    assert body["version"] == 1
    assert body["kind"] == "immediate" and body["department"] == "jwc"
    assert body["basis"].startswith("《普通高等学校学生管理规定》")
    assert body["fees"] == "不收费"
    materials = body["materials"]
    assert MATERIAL_KEYS <= set(materials[0])
    first = service.materials.get(name="学生证或校园卡")
    assert {k: materials[0][k] for k in MATERIAL_KEYS} == {
        "id": first.pk,
        "name": "学生证或校园卡",
        "required": True,
        "originals": 1,
        "copies": 0,
        "notes": "",
    }
    assert materials[2]["required"] is False and materials[2]["condition"] == "委托他人代办时"
    assert body["steps"][0] == {"position": 1, "title": "提交申请", "description": "窗口或网上提交"}
    assert body["sheet_url"] == "http://testserver/catalog/transcript/sheet/"


def test_detail_shows_the_current_version(cat, anonymous):
    service = make_service(cat.hall)
    data = ServiceData.from_service(service)
    data.fees = "每份 2 元"
    save_service(data, by=cat.hall.olga, service=service)
    body = anonymous.get("/api/v1/services/transcript").json()
    assert body["version"] == 2 and body["fees"] == "每份 2 元"


def test_unknown_code_is_404_with_the_error_body(cat, anonymous):
    response = anonymous.get("/api/v1/services/no-such-item")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["message"]


def test_it_validates_ownership(cat, anonymous, api_for):
    """The catalogue is public and the same for everyone, signed in or not, whatever their
    department; a withdrawn item is found by nobody."""
    make_service(cat.hall)
    withdrawn = make_service(cat.hall, data=committed_data(cat.hall))
    set_service_active(withdrawn, active=False, by=cat.hall.carol)
    for client in (anonymous, api_for(cat.hall.dave), api_for(cat.hall.olga)):
        assert [r["code"] for r in client.get("/api/v1/services").json()["results"]] == [
            "transcript"
        ]
        assert client.get("/api/v1/services/status-change").status_code == 404


def test_bundles_are_listed_and_read_like_services(cat, anonymous):
    client = anonymous
    from .factories import make_bundle, make_bundle_services

    bh = make_bundle_services(cat)
    make_bundle(cat, bh)
    listed = client.get("/api/v1/bundles").json()
    assert listed["count"] == 1
    assert listed["results"][0] == {
        "code": "freshman",
        "name": "新生入学",
        "lead": "freshman-register",
        "department": "jwc",
        "department_name": "教务处",
        "version": 1,
    }
    detail = client.get("/api/v1/bundles/freshman").json()
    assert [(s["code"], s["department"], s["lead"]) for s in detail["services"]] == [
        ("freshman-register", "jwc", True),
        ("hukou-in", "xsc", False),
        ("dorm-checkin", "hqc", False),
    ]
    card = next(m for m in detail["materials"] if m["name"] == "本人身份证")
    assert card["services"] == ["freshman-register", "hukou-in"] and card["copies"] == 2
    assert detail["sheet_url"].endswith("/catalog/bundles/freshman/sheet/")


def test_an_unknown_bundle_is_the_api_s_404(anonymous):
    client = anonymous
    response = client.get("/api/v1/bundles/nothing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
