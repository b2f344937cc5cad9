import re

import pytest

from yichuang.cases import services
from yichuang.cases.models import Case, Status
from yichuang.core.models import AuditEvent
from yichuang.org.testing import make_evaluators

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
    assert case.status == Status.ACCEPTED
    doc = case.documents.get(kind="acceptance")
    # 受理并打印受理通知书: the notice's print view, printing as it opens
    assert r.status_code == 302
    assert r["Location"] == f"/cases/{case.number}/documents/{doc.pk}/?print=1"
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


def test_a_mistyped_id_number_keeps_everything_the_clerk_typed_and_ticked(
    hall, service, client_for
):
    """A validation error re-renders the form with every posted value: the ticked materials,
    the note, the name and phone, and the bad ID number itself (to correct, not retype)."""
    studentcard, form_, _proxy = service.materials.all()
    r = client_for(hall.alice).post(
        f"/cases/intake/{service.code}/",
        {
            "applicant_name": "李小明",
            "id_number": "110101199003071234",  # wrong check digit
            "phone": "13812345678",
            "materials": [str(studentcard.pk), str(form_.pk)],
            "note": "申请人代其子女办理",
            "decision": "accept",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200 and Case.objects.count() == 0
    assert "身份证号码格式或校验位不正确" in html
    boxes = re.findall(r'<input type="checkbox" name="materials"[^>]*>', html)
    checked = {re.search(r'value="(\d+)"', b).group(1) for b in boxes if " checked" in b}
    assert checked == {str(studentcard.pk), str(form_.pk)}
    assert 'value="申请人代其子女办理"' in html
    assert 'value="李小明"' in html and 'value="13812345678"' in html
    assert 'value="110101199003071234"' in html


def test_a_refused_field_is_marked_next_to_it(hall, service, client_for):
    """The service's refusal names its field: the message stands under that input."""
    r = client_for(hall.alice).post(
        f"/cases/intake/{service.code}/",
        {"applicant_name": "李小明", "phone": "12345", "decision": "submit"},
    )
    html = r.content.decode()
    phone_block = html[html.index('id="id_phone"') : html.index('id="id_phone"') + 400]
    assert "联系电话格式不正确" in phone_block
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


def test_a_refused_action_keeps_what_was_typed_in_its_form(hall, service, client_for):
    """An extension refused (too many days) comes back with the days and the reason typed;
    a supplement list refused keeps the materials ticked and the note. Nothing changes."""
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    c = client_for(hall.alice)
    studentcard, form_, proxy = service.materials.all()
    r = c.post(
        f"/cases/{case.number}/act/request_supplement/",
        {"missing": [str(proxy.pk), "999999"], "note": "请带原件"},
    )
    html = r.content.decode()
    assert r.status_code == 400
    box = r'<input type="checkbox" name="missing" value="(\d+)"[^>]*>'
    ticked = {m.group(1) for m in re.finditer(box, html) if " checked" in m.group(0)}
    assert ticked == {str(proxy.pk)}
    assert 'value="请带原件"' in html
    services.accept_case(case, by=hall.alice)
    r = client_for(hall.carol).post(
        f"/cases/{case.number}/act/extend/", {"days": "600", "reason": "需专家论证"}
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert 'value="600"' in html and 'value="需专家论证"' in html
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and not case.events.filter(action="extend").exists()


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


def offered(html):
    """The case page's action forms in page order: (action, button class, asks first)."""
    forms = re.findall(r"<form [^>]*data-action=\"(\w+)\"[^>]*>", html)
    found = []
    for action in forms:
        tag = re.search(rf"<form [^>]*data-action=\"{action}\"[^>]*>", html).group(0)
        style = re.search(r'class="action-form (\w+)"', tag).group(1)
        found.append((action, style, "data-confirm=" in tag))
    return found


def test_the_case_page_offers_the_next_step_first_and_the_refusals_last(hall, service, client_for):
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    html = client_for(hall.alice).get(f"/cases/{case.number}/").content.decode()
    actions = offered(html)
    assert actions[0] == ("accept", "primary", False)
    assert "受理并打印受理通知书" in html
    assert [a for a, style, _ in actions if style == "primary"] == ["accept"]
    assert actions[-2:] == [("reject", "danger", True), ("return", "danger", True)]
    assert all(style == "secondary" and not asks for _, style, asks in actions[1:-2])
    # the destructive step's button is styled as danger, not as the blue primary
    assert re.search(r'data-action="return".*?<button class="danger">', html, re.S)

    incomplete = services.create_case(
        service=service, channel="window", applicant=applicant(), materials=[], by=hall.alice
    )
    html = client_for(hall.alice).get(f"/cases/{incomplete.number}/").content.decode()
    assert offered(html)[0] == ("request_supplement", "primary", False)

    services.accept_case(case, by=hall.alice)
    html = client_for(hall.carol).get(f"/cases/{case.number}/").content.decode()
    actions = offered(html)
    assert actions[0] == ("review", "primary", False)
    assert actions[-1] == ("return", "danger", True)


def test_accepting_on_the_case_page_opens_the_notice_to_print(hall, service, client_for):
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    c = client_for(hall.alice)
    r = c.post(f"/cases/{case.number}/act/accept/")
    notice = case.documents.get(kind="acceptance")
    assert r["Location"] == f"/cases/{case.number}/documents/{notice.pk}/?print=1"
    html = c.get(r["Location"]).content.decode()
    assert "受理通知书" in html and notice.number in html and "data-autoprint" in html
    again = c.get(f"/cases/{case.number}/documents/{notice.pk}/").content.decode()
    assert "data-autoprint" not in again  # opened from the case page: printed on demand


def test_the_masked_id_number_may_wrap_inside_its_card(hall, service, client_for):
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    html = client_for(hall.alice).get(f"/cases/{case.number}/").content.decode()
    assert '<dd class="id-number">1101**********1233</dd>' in html
    assert 'class="grid"' not in html  # no quarter-width auto-fill grid: main and side columns
    assert 'class="detail"' in html and 'class="detail-side noprint"' in html
