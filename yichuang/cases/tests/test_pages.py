import pytest

from yichuang.cases import services
from yichuang.cases.models import Case, Status
from yichuang.core.models import AuditEvent
from yichuang.core.testing import make_evaluators

from .factories import all_required, applicant, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(hall):
    return make_service(hall)


def intake(client, service, materials, decision):
    return client.post(
        f"/cases/intake/{service.code}/",
        {
            "applicant_name": "李小明",
            "id_number": "110101199003071233",
            "phone": "13812345678",
            "materials": [str(m) for m in materials],
            "decision": decision,
        },
    )


def test_intake_search_by_pinyin_initials(hall, service, client_for):
    html = client_for(hall.alice).get("/cases/intake/?q=zxzm").content.decode()
    assert "在读证明" in html
    html = (
        client_for(hall.alice)
        .get("/cases/intake/?q=zxzm", headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "在读证明" in html and "<html" not in html


def test_intake_to_acceptance_and_the_notice(hall, service, client_for):
    c = client_for(hall.alice)
    r = intake(c, service, all_required(service), "accept")
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.number}/"
    assert case.status == Status.ACCEPTED
    doc = case.documents.get(kind="acceptance")
    html = c.get(f"/cases/{case.number}/documents/{doc.pk}/").content.decode()
    assert "受理通知书" in html and doc.number in html and "<svg" in html
    pdf = c.get(f"/cases/{case.number}/documents/{doc.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_intake_with_missing_materials_gives_one_supplement_list(hall, service, client_for):
    c = client_for(hall.alice)
    intake(c, service, [], "supplement")
    case = Case.objects.get()
    assert case.status == Status.SUPPLEMENT
    assert case.documents.get(kind="supplement").data["missing"] == ["学生证", "申请表"]


def test_bad_intake_keeps_the_form_and_creates_nothing(hall, service, client_for):
    r = client_for(hall.alice).post(
        f"/cases/intake/{service.code}/",
        {"applicant_name": "李小明", "id_number": "12345", "decision": "accept"},
    )
    assert r.status_code == 200 and "身份证号码" in r.content.decode()
    assert Case.objects.count() == 0


def test_case_detail_offers_only_allowed_actions(hall, service, client_for):
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    html = client_for(hall.alice).get(f"/cases/{case.number}/").content.decode()
    assert "/act/accept/" in html and "/act/resume/" not in html
    assert "1101**********1233" in html and "110101199003071233" not in html


def test_reveal_on_the_page_is_recorded(hall, service, client_for):
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    html = client_for(hall.alice).get(f"/cases/{case.number}/?reveal=1").content.decode()
    assert "110101199003071233" in html
    assert AuditEvent.objects.filter(action="case.personal_data_viewed").count() == 1


def test_actions_from_the_page(hall, service, client_for):
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    c = client_for(hall.alice)
    c.post(f"/cases/{case.number}/act/accept/")
    head = client_for(hall.carol)
    head.post(f"/cases/{case.number}/act/review/", {"decision": "approve", "note": "同意"})
    r = head.post(f"/cases/{case.number}/act/check/", {"agree": "1"}, follow=True)
    assert "一审一核" in r.content.decode()  # the reviewer cannot also check
    r = c.post(f"/cases/{case.number}/act/check/", {"agree": "1"}, follow=True)
    assert "无权" in r.content.decode()  # a clerk does not check
    client_for(hall.rita).post(f"/cases/{case.number}/act/check/", {"agree": "1"})
    case.refresh_from_db()
    assert case.status == Status.COMPLETED


def test_mine_monitor_and_ledger(hall, service, client_for):
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    services.accept_case(case, by=hall.alice)
    assert case.number in client_for(hall.alice).get("/cases/mine/").content.decode()
    assert case.number in client_for(hall.olga).get("/cases/monitor/?light=green").content.decode()
    assert (
        case.number in client_for(hall.alice).get("/cases/ledger/?status=accepted").content.decode()
    )
    export = client_for(hall.alice).get("/cases/ledger.xlsx?status=accepted")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_it_validates_ownership(hall, service, client_for):
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    dave = client_for(hall.dave)
    assert dave.get(f"/cases/{case.number}/").status_code == 404
    assert dave.post(f"/cases/{case.number}/act/accept/").status_code == 404
    assert case.number not in dave.get("/cases/ledger/").content.decode()
    assert dave.get(f"/cases/intake/{service.code}/").status_code == 404
    # panel evaluators appraise departments: no case or applicant of any department
    for evaluator in make_evaluators(hall):
        c = client_for(evaluator)
        assert c.get(f"/cases/{case.number}/").status_code == 404
        assert case.number not in c.get("/cases/ledger/").content.decode()
        assert case.number not in c.get("/cases/mine/").content.decode()
        assert c.post(f"/cases/{case.number}/act/accept/").status_code == 404
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
