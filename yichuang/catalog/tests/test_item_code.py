"""The national item code (国家政务服务事项编码) of an item and the hall's region code: checked
when saved, shown on the notification sheet (page and PDF), the public item page and the API,
carried through the Excel workbook."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from yichuang.catalog.excel import export_catalog, import_catalog
from yichuang.catalog.models import Service
from yichuang.catalog.queries import service_version
from yichuang.catalog.snapshot import build_snapshot
from yichuang.core.errors import Invalid

from .factories import dump_catalogue, make_service, service_data
from .test_pages import form_data

pytestmark = pytest.mark.django_db

CODE = "11440100MB2C98123X4442117001"
REGION = "440106000000"


# ---- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    ["ABC", "A" * 41, "1144-0100", "1144 0100", "事项0001", "11440100MB2C98123X_01"],
)
def test_an_item_code_other_than_4_to_40_letters_and_digits_is_refused(cat, bad):
    with pytest.raises(Invalid) as exc:
        make_service(cat.hall, item_code=bad)
    assert "国家事项编码" in exc.value.message and "4–40" in exc.value.message
    assert "item_code" in exc.value.fields
    assert not Service.objects.exists()


def test_an_item_code_is_kept_in_capitals_without_spaces(cat):
    service = make_service(cat.hall, item_code=f"  {CODE.lower()} ")
    assert service.item_code == CODE


def test_an_item_code_is_optional(cat):
    assert make_service(cat.hall).item_code == ""


def test_setting_the_item_code_publishes_a_new_version_and_older_snapshots_stay_equal(cat):
    from yichuang.catalog.services import save_service
    from yichuang.catalog.validation import ServiceData

    service = make_service(cat.hall)
    # An item without a code snapshots as before the field existed: no new version on save.
    assert "item_code" not in build_snapshot(service)
    data = ServiceData.from_service(service)
    data.item_code = CODE
    service = save_service(data, by=cat.hall.olga, service=service)
    assert service.version == 2
    assert service_version(service, 2).snapshot["item_code"] == CODE
    assert "item_code" not in service_version(service, 1).snapshot


# ---- pages ----------------------------------------------------------------------------------


def test_the_head_sets_the_item_code_on_the_edit_page(cat, client_for):
    service = make_service(cat.hall)
    carol = client_for(cat.hall.carol)
    assert 'name="item_code"' in carol.get("/catalog/transcript/edit/").content.decode()
    response = carol.post("/catalog/transcript/edit/", form_data(service, cat.hall, item_code=CODE))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.item_code == CODE and service.version == 2


def test_a_bad_item_code_on_the_edit_page_is_explained_and_changes_nothing(cat, client_for):
    service = make_service(cat.hall)
    before = dump_catalogue()
    post = form_data(service, cat.hall, item_code="11-22")
    response = client_for(cat.hall.carol).post("/catalog/transcript/edit/", post)
    assert response.status_code == 400
    assert "国家事项编码“11-22”格式不正确" in response.content.decode()
    assert dump_catalogue() == before


def test_a_head_of_another_department_cannot_set_the_item_code(cat, client_for):
    service = make_service(cat.hall)
    post = form_data(service, cat.hall, item_code=CODE)
    assert client_for(cat.xena).post("/catalog/transcript/edit/", post).status_code == 403
    service.refresh_from_db()
    assert service.item_code == ""


def test_the_sheet_shows_the_item_code_and_the_region_code_when_set(cat, settings):
    make_service(cat.hall, item_code=CODE)
    settings.HALL_REGION_CODE = REGION
    html = Client().get("/catalog/transcript/sheet/").content.decode()
    assert f'<th scope="row">国家事项编码</th><td>{CODE}</td>' in html
    assert f'<th scope="row">行政区划代码</th><td>{REGION}</td>' in html
    portal = Client().get(reverse("portal:item", args=["transcript"])).content.decode()
    assert CODE in portal and REGION in portal


def test_the_sheet_leaves_out_the_codes_it_does_not_have(cat, settings):
    make_service(cat.hall)
    settings.HALL_REGION_CODE = ""
    html = Client().get("/catalog/transcript/sheet/").content.decode()
    assert "国家事项编码" not in html and "行政区划代码" not in html


def test_the_sheet_pdf_prints_the_item_code_and_the_region_code(cat, settings):
    make_service(cat.hall, item_code=CODE)
    settings.HALL_REGION_CODE = REGION
    response = Client().get("/catalog/transcript/sheet.pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert CODE in text.replace(" ", "").replace("\n", "") and REGION in text


# ---- API ------------------------------------------------------------------------------------


def test_the_services_api_gives_the_item_code(cat):
    make_service(cat.hall, item_code=CODE)
    listed = Client().get("/api/v1/services").json()["results"][0]
    assert listed["code"] == "transcript" and listed["item_code"] == CODE
    assert Client().get("/api/v1/services/transcript").json()["item_code"] == CODE


# ---- Excel ----------------------------------------------------------------------------------


def _workbook(content: bytes):
    return load_workbook(BytesIO(content))


def _save(wb) -> BytesIO:
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _code_cell(ws, code: str):
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code:
            return ws.cell(row[0].row, headers.index("国家事项编码") + 1)
    raise AssertionError(code)


def test_the_workbook_carries_the_item_code_there_and_back(cat):
    make_service(cat.hall, item_code=CODE)
    make_service(cat.hall, data=service_data(cat.hall, code="no-national", name="无编码事项"))
    before = dump_catalogue()
    content = export_catalog(by=cat.hall.olga)
    cell = _code_cell(_workbook(content)["事项"], "transcript")
    assert cell.value == CODE and cell.data_type == "s"
    result = import_catalog(BytesIO(content), by=cat.hall.olga)
    assert result.ok, result.errors
    assert sorted(result.unchanged) == ["no-national", "transcript"]
    assert dump_catalogue() == before


def test_an_item_code_changed_in_the_workbook_is_imported_as_a_new_version(cat):
    make_service(cat.hall)
    wb = _workbook(export_catalog(by=cat.hall.olga))
    _code_cell(wb["事项"], "transcript").value = "000173001000"
    result = import_catalog(_save(wb), by=cat.hall.olga)
    assert result.ok and result.updated == ["transcript"]
    assert Service.objects.get().item_code == "000173001000"


def test_a_bad_item_code_in_the_workbook_names_its_row_and_changes_nothing(cat):
    make_service(cat.hall)
    before = dump_catalogue()
    wb = _workbook(export_catalog(by=cat.hall.olga))
    cell = _code_cell(wb["事项"], "transcript")
    cell.value = "11-22"
    result = import_catalog(_save(wb), by=cat.hall.olga)
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"事项 第 {cell.row} 行：国家事项编码“11-22”格式不正确")
    assert dump_catalogue() == before


def test_an_item_code_typed_as_a_number_is_refused_rather_than_stripped_of_its_zeros(cat):
    make_service(cat.hall)
    before = dump_catalogue()
    wb = _workbook(export_catalog(by=cat.hall.olga))
    cell = _code_cell(wb["事项"], "transcript")
    cell.value = 173001000  # what Excel keeps of 000173001000 typed into a number cell
    result = import_catalog(_save(wb), by=cat.hall.olga)
    assert result.errors == [
        f"事项 第 {cell.row} 行：国家事项编码须为文本（数字单元格会丢失开头的 0），"
        "请将该列设为文本格式后重新填写"
    ]
    assert dump_catalogue() == before


def test_a_workbook_without_the_column_keeps_the_item_codes(cat):
    make_service(cat.hall, item_code=CODE)
    wb = _workbook(export_catalog(by=cat.hall.olga))
    ws = wb["事项"]
    ws.delete_cols([c.value for c in ws[1]].index("国家事项编码") + 1)
    result = import_catalog(_save(wb), by=cat.hall.olga)
    assert result.ok, result.errors
    assert Service.objects.get().item_code == CODE
