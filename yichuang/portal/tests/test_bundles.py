"""一件事一次办 on the portal: the bundle's page (reachable from 首页 and 办事, in the portal
frame, materials as a checklist once each, the services with departments and time limits)
and its one online form: bad input is shown beside its field and writes nothing; good
input is one submission, one case number and query code."""

import re
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yichuang.cases.models import Attachment, Case
from yichuang.catalog.services import set_bundle_active
from yichuang.catalog.tests.factories import freshman_bundle, make_bundle
from yichuang.core.testing_files import pdf_bytes

from .test_frame import assert_portal_frame

pytestmark = pytest.mark.django_db
ID = "110101199003071233"


@pytest.fixture
def freshman(hall):
    return freshman_bundle(hall)


def test_the_bundle_is_reached_from_home_and_the_guide(freshman):
    for path in ("/", "/services/"):
        assert 'href="/bundles/freshman/"' in Client().get(path).content.decode(), path


def test_the_bundle_page_lists_materials_once_and_every_part(freshman):
    response = Client().get("/bundles/freshman/")
    html = response.content.decode()
    assert response.status_code == 200
    assert_portal_frame(html, "/bundles/freshman/")
    checklist = html.split('class="material-list"', 1)[1].split("</ul>", 1)[0]
    names = re.findall(r'<span class="m-name">\d+\. ([^<]+)</span>', checklist)
    assert names == ["录取通知书", "本人身份证", "户口迁移证", "近期一寸免冠证件照"]
    parts = html.split('class="parts"', 1)[1].split("</ol>", 1)[0]
    assert "新生学籍注册" in parts and "教务处 · 5 个工作日" in parts
    assert "后勤保障处 · 即来即办" in parts
    assert 'href="/bundles/freshman/apply/"' in html
    assert 'href="/catalog/bundles/freshman/sheet.pdf"' in html


def test_the_bundles_index_lists_each_bundle_with_its_services_and_links_to_it(freshman):
    """/bundles/ (linked from 首页 and 办事 like each bundle) answers, in the portal frame:
    each bundle's name, what it is for, and its services with their departments."""
    for path in ("/", "/services/"):
        assert 'href="/bundles/"' in Client().get(path).content.decode(), path
    response = Client().get("/bundles/")
    html = response.content.decode()
    assert response.status_code == 200
    assert_portal_frame(html, "/bundles/")
    assert "<h1>一件事一次办</h1>" in html
    card = html.split('data-bundle="freshman"', 1)[1].split("</section>", 1)[0]
    assert 'href="/bundles/freshman/"' in card and "新生入学" in card
    assert "本校录取的本科新生，报到时一次办理学籍注册、户口迁入和宿舍入住。" in card
    services = re.findall(r"<li>(.*?)</li>", card.split('bundle-services">', 1)[1], re.S)
    assert [re.sub(r"<[^>]+>|\s+", " ", li).split() for li in services] == [
        ["新生学籍注册", "教务处", "牵头"],
        ["新生集体户口迁入", "学生处"],
        ["新生宿舍入住登记", "后勤保障处"],
    ]


def test_the_bundles_index_reads_a_fixed_number_of_queries(
    freshman, hall, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as one:
        assert Client().get("/bundles/").status_code == 200
    bh = freshman.bh
    make_bundle(
        SimpleNamespace(hall=hall),
        bh,
        code="arrival",
        name="新生报到",
        services=[bh.register, bh.dorm],
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = Client().get("/bundles/").content.decode()
    assert 'data-bundle="arrival"' in html and 'data-bundle="freshman"' in html


def test_a_bundle_not_offered_is_not_listed(freshman, hall):
    set_bundle_active(freshman.bundle, active=False, by=hall.olga)
    html = Client().get("/bundles/").content.decode()
    assert 'data-bundle="freshman"' not in html and "暂无可一次办理的一件事" in html


def test_an_unknown_bundle_is_not_found():
    assert Client().get("/bundles/nothing/").status_code == 404
    assert Client().get("/bundles/nothing/apply/").status_code == 404


def upload(name="身份证.pdf", content=None):
    return SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf")


def form(freshman, **changes):
    data = {"name": "李小明", "id_number": ID, "phone": "13812345678", "email": ""}
    data[f"m{freshman.ids['本人身份证']}"] = upload()
    data.update(changes)
    return data


def field_error(html: str, field: str) -> str:
    block = html.split(f'for="id_{field}"', 1)[1].split('<div class="field', 1)[0]
    found = re.search(r'class="field-error" role="alert">([^<]+)<', block)
    return found.group(1) if found else ""


def test_a_bad_id_number_is_shown_beside_it_and_nothing_is_written(freshman):
    response = Client().post(
        "/bundles/freshman/apply/", form(freshman, id_number="110101199003071234")
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_number") == "身份证号码格式或校验位不正确"
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_a_missing_name_and_a_false_file_are_shown_and_nothing_is_written(freshman):
    response = Client().post("/bundles/freshman/apply/", form(freshman, name=""))
    assert response.status_code == 400 and field_error(response.content.decode(), "name")
    fake = {f"m{freshman.ids['户口迁移证']}": upload("迁移证.pdf", b"%PDF-1.4 <html>")}
    response = Client().post("/bundles/freshman/apply/", form(freshman, **fake))
    assert response.status_code == 400
    assert "“迁移证.pdf”的内容与扩展名不符" in response.content.decode()
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_one_form_submits_once_to_one_joint_case(hall, freshman):
    response = Client().post("/bundles/freshman/apply/", form(freshman))
    assert response.status_code == 302
    (case,) = Case.objects.all()
    assert case.is_joint and case.bundle == freshman.bundle and case.department == hall.jwc
    assert case.parts.count() == 2
    assert response["Location"].startswith(f"/progress/{case.number}/?c={case.query_code}")
    page = Client().get(response["Location"]).content.decode()
    assert case.number in page and case.query_code in page
