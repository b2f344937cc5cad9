"""联办 on the pages: co-department rows at the window's intake, the 联办 section of the case
page with each part's actions for those allowed, the inbox, and the portal (apply with
co-departments; the progress page with each part's progress and no staff names)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yichuang.cases import inbox as cases_inbox
from yichuang.cases import services
from yichuang.cases.models import Case, CasePart, PartStatus, Status
from yichuang.core import inbox
from yichuang.core.testing_files import png_bytes

from .joint_hall import accepted_joint, at, make_joint

pytestmark = pytest.mark.django_db


@pytest.fixture
def j(hall):
    return make_joint(hall)


def intake(client, j, joint, decision="accept"):
    return client.post(
        f"/cases/intake/{j.lead.code}/",
        {
            "applicant_name": "李小明",
            "id_number": "110101199003071233",
            "phone": "13812345678",
            "materials": [str(m.pk) for m in j.lead.materials.all() if m.required],
            "decision": decision,
            "joint": joint,
        },
    )


def test_the_intake_form_offers_co_departments_with_their_services(j, client_for):
    html = client_for(j.hall.alice).get(f"/cases/intake/{j.lead.code}/").content.decode()
    assert "联办部门（可选）" in html
    assert 'value="svc:xsc-card"' in html and 'value="dept:hqc"' in html
    assert 'value="dept:jwc"' not in html  # never the lead itself


def test_a_joint_case_is_started_at_the_window(j, client_for):
    r = intake(client_for(j.hall.alice), j, ["svc:xsc-card", "", "dept:hqc"])
    assert r.status_code == 302 and "/documents/" in r["Location"]  # the notice to print
    case = Case.objects.get()
    assert case.is_joint and case.status == Status.ACCEPTED
    assert [
        (p.department.code, p.service_id and p.service.code, p.status) for p in case.parts.all()
    ] == [
        ("xsc", "xsc-card", PartStatus.RUNNING),
        ("hqc", None, PartStatus.RUNNING),
    ]


@pytest.mark.parametrize(
    "joint, message",
    [
        (["dept:xsc", "svc:xsc-card"], "联办部门重复"),
        (["dept:nope"], "联办部门不存在"),
        (["svc:nope"], "联办事项不存在"),
    ],
)
def test_bad_rows_keep_the_form_and_create_nothing(j, client_for, joint, message):
    r = intake(client_for(j.hall.alice), j, joint)
    html = r.content.decode()
    assert r.status_code == 200 and message in html
    assert 'value="李小明"' in html  # what the clerk typed is kept
    assert Case.objects.count() == 0


def test_the_case_page_lists_each_part_and_offers_its_steps_to_its_department(j, client_for):
    hall = j.hall
    case = accepted_joint(j)
    with at(2026, 3, 3):
        lead_page = client_for(hall.alice).get(f"/cases/{case.number}/").content.decode()
        dave_page = client_for(hall.dave).get(f"/cases/{case.number}/").content.decode()
    section = lead_page[lead_page.index('id="parts"') :]
    for text in ("学生处", "学生证补办", "陈思远", "后勤处", "配合办理", "马青", "2026年3月12日"):
        assert text in section, text
    assert "剩余 7 个工作日" in section  # the part's own clock, not the lead's (4 left)
    # The lead sees the parts but may not complete another department's.
    assert 'data-action="complete_part"' not in lead_page
    dave_parts = dave_page[dave_page.index('id="parts"') :]
    forms = re.findall(
        r'data-action="(\w+)"[^>]*>.*?name="department" value="(\w+)"', dave_parts, re.S
    )
    assert ("complete_part", "xsc") in forms and ("refuse_part", "xsc") in forms
    assert not any(dep == "hqc" for _a, dep in forms)


def test_refuse_from_the_page_then_the_lead_drops_it(j, client_for):
    hall = j.hall
    case = accepted_joint(j)
    hank = client_for(j.hank)
    r = hank.post(f"/cases/{case.number}/act/refuse_part/", {"department": "hqc", "reason": ""})
    assert r.status_code == 400 and "请写明退回理由" in r.content.decode()
    r = hank.post(
        f"/cases/{case.number}/act/refuse_part/", {"department": "hqc", "reason": "未在校内住宿"}
    )
    assert r.status_code == 302
    # dave (学生处) may not refuse 后勤处's part, nor drop it
    dave = client_for(hall.dave)
    assert (
        dave.post(
            f"/cases/{case.number}/act/drop_part/", {"department": "hqc", "reason": "x"}
        ).status_code
        == 403
    )
    page = client_for(hall.alice).get(f"/cases/{case.number}/").content.decode()
    assert "未在校内住宿" in page and 'data-action="drop_part"' in page
    r = client_for(hall.alice).post(
        f"/cases/{case.number}/act/drop_part/", {"department": "hqc", "reason": "无需后勤处办理"}
    )
    assert r.status_code == 302
    assert CasePart.objects.get(case=case, department=j.hqc).status == PartStatus.DROPPED


def test_the_inbox_brings_a_part_to_its_handler_and_a_refusal_to_the_lead(j):
    hall = j.hall
    case = accepted_joint(j)
    with at(2026, 3, 3):
        dave = {s.source.name: s for s in inbox.sections(hall.dave)}
        assert [r.reference for r in dave["cases.parts"].rows] == [case.number]
        assert dave["cases.parts"].rows[0].light == "green"
        assert "cases.parts" not in {s.source.name for s in inbox.sections(j.cora)}
        services.refuse_part(case, department=j.hqc, reason="未在校内住宿", by=j.hank)
        alice = {s.source.name: s for s in inbox.sections(hall.alice)}
        assert [r.reference for r in alice["cases.refused_parts"].rows] == [case.number]
        assert "cases.refused_parts" not in {s.source.name for s in inbox.sections(hall.dave)}


def test_part_rows_leave_the_applicants_id_number_and_phone_unread(j):
    """联办事项 and 联办退回 rows show neither the applicant's ID number nor phone, so their
    cases' encrypted columns are not even read (and not decrypted), as in every case list."""
    hall = j.hall
    case = accepted_joint(j)
    unread = {"applicant_id_number", "applicant_phone", "public_events", "note"}
    with at(2026, 3, 3):
        services.refuse_part(case, department=j.hqc, reason="未在校内住宿", by=j.hank)
        for items, person in (
            (cases_inbox.parts_to_do, hall.dave),
            (cases_inbox.refused_parts, hall.alice),
        ):
            viewer = inbox.Viewer(person)
            parts = list(items(viewer))
            assert [p.case.number for p in parts] == [case.number], items.__name__
            assert unread <= parts[0].case.get_deferred_fields(), items.__name__
            assert parts[0].case.applicant_name == "李小明"  # what a row shows is read


def test_the_portal_offers_other_departments_online_services(j):
    html = Client().get(f"/services/{j.lead.code}/apply/").content.decode()
    assert "需要其他部门联办" in html
    assert 'value="svc:hqc-room"' in html  # online
    assert 'value="svc:xsc-card"' not in html  # not taken online (make_service default)


def _apply(j, joint):
    card = j.lead.materials.get(name="学生证")
    form = j.lead.materials.get(name="申请表")
    png = png_bytes()
    return Client().post(
        f"/services/{j.lead.code}/apply/",
        {
            "name": "李小明",
            "id_number": "110101199003071233",
            "phone": "13812345678",
            "email": "",
            "joint": joint,
            f"m{card.pk}": SimpleUploadedFile("a.png", png, content_type="image/png"),
            f"m{form.pk}": SimpleUploadedFile("b.png", png, content_type="image/png"),
        },
    )


def test_an_online_joint_application_and_its_progress_page(j):
    r = _apply(j, ["svc:hqc-room"])
    assert r.status_code == 302
    case = Case.objects.get()
    assert case.channel == "online" and [p.department.code for p in case.parts.all()] == ["hqc"]
    services.accept_case(case, by=j.hall.alice)
    html = Client().get(r["Location"]).content.decode()
    section = html[html.index('id="parts"') :]
    assert "后勤处" in section and "宿舍调整" in section and "办理中" in section
    assert "马青" not in html and "hank" not in html  # no staff names for the public


def test_a_bad_online_choice_creates_nothing(j):
    r = _apply(j, ["svc:nope"])
    assert r.status_code == 200 and "联办事项不存在" in r.content.decode()
    assert Case.objects.count() == 0


def test_the_portal_takes_only_the_online_services_it_offers(j):
    for forged in (["svc:xsc-card"], ["dept:xsc"]):
        r = _apply(j, forged)
        assert r.status_code == 200, forged
    assert Case.objects.count() == 0
