"""The bundle pages: staff list, detail and edit (with refusals), and the public sheet as a
page and a PDF, which share the services' templates and sheet machinery."""

import shutil
import subprocess

import pytest
from django.test import Client

from yichuang.catalog.models import Bundle
from yichuang.catalog.services import set_bundle_active

from .factories import make_bundle, make_bundle_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def bh(cat):
    return make_bundle_services(cat)


def post_data(bh, **changes) -> dict:
    data = {
        "code": "freshman",
        "name": "新生入学",
        "summary": "本科新生报到",
        "lead": bh.register.pk,
        "services": [bh.hukou.pk, bh.dorm.pk],
        "note": "",
    }
    data.update(changes)
    return data


def test_the_lead_departments_head_creates_a_bundle(cat, bh, client_for):
    response = client_for(cat.hall.carol).post("/catalog/bundles/new/", post_data(bh))
    assert response.status_code == 302 and response["Location"] == "/catalog/bundles/freshman/"
    bundle = Bundle.objects.get(code="freshman")
    assert bundle.version == 1 and bundle.lead == bh.register
    page = client_for(cat.hall.carol).get("/catalog/bundles/freshman/").content.decode()
    assert "新生入学" in page and "牵头部门" in page and "新生集体户口迁入" in page
    assert "/catalog/bundles/freshman/edit/" in page


def test_bad_input_is_shown_by_its_field_and_nothing_is_written(cat, bh, client_for):
    olga = client_for(cat.hall.olga)
    response = olga.post(
        "/catalog/bundles/new/",
        post_data(bh, lead=bh.hukou.pk, services=[bh.register.pk, bh.dorm.pk]),
    )
    assert response.status_code == 400
    assert "请选承诺时限最长的事项牵头" in response.content.decode()
    response = olga.post("/catalog/bundles/new/", post_data(bh, code="Bad!", services=[]))
    assert response.status_code == 400
    assert not Bundle.objects.exists()


def test_a_head_of_another_department_may_not_edit_it(cat, bh, client_for):
    make_bundle(cat, bh)
    xena = client_for(cat.xena)
    assert xena.get("/catalog/bundles/freshman/edit/").status_code == 403
    assert xena.post("/catalog/bundles/freshman/edit/", post_data(bh, name="x")).status_code == 403
    xena.post("/catalog/bundles/freshman/active/", {"active": "0"})
    assert Bundle.objects.get(code="freshman").is_active
    assert "/edit/" not in xena.get("/catalog/bundles/freshman/").content.decode()
    # Xena may lead only with her own department's services.
    form = xena.get("/catalog/bundles/new/").content.decode()
    assert (
        f'<option value="{bh.hukou.pk}"' in form and f'<option value="{bh.register.pk}"' not in form
    )


def test_the_list_shows_bundles_with_their_lead_department(cat, bh, client_for):
    make_bundle(cat, bh)
    page = client_for(cat.hall.alice).get("/catalog/bundles/").content.decode()
    assert "新生入学" in page and "教务处" in page


def test_the_public_sheet_lists_every_part_and_each_material_once(cat, bh):
    make_bundle(cat, bh)
    page = Client().get("/catalog/bundles/freshman/sheet/").content.decode()
    for part in ("新生学籍注册", "新生集体户口迁入", "新生宿舍入住登记", "后勤保障处"):
        assert part in page
    assert page.count("本人身份证</span>") == 1  # the checklist names it once
    assert "一份通用：新生学籍注册、新生集体户口迁入" in page
    assert "/bundles/freshman/apply/" in page


def test_a_withdrawn_bundle_has_no_public_sheet(cat, bh):
    bundle = make_bundle(cat, bh)
    set_bundle_active(bundle, active=False, by=cat.hall.olga)
    assert Client().get("/catalog/bundles/freshman/sheet/").status_code == 404
    assert Client().get("/catalog/bundles/freshman/sheet.pdf").status_code == 404


def test_the_sheet_pdf_prints_the_parts_in_chinese(cat, bh, tmp_path):
    make_bundle(cat, bh)
    response = Client().get("/catalog/bundles/freshman/sheet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"FontFile2" in response.content  # the Chinese font is embedded
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in ("新生入学", "包含事项", "新生集体户口迁入", "后勤保障处", "本人身份证"):
        assert words in text
