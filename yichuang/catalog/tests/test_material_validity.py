"""A material's validity for reuse (有效期（天）, issue 16 §3): set in the edit form and in the
Excel workbook, blank meaning it does not expire; a workbook from before the column still
imports."""

import pytest
from openpyxl import load_workbook

from yichuang.catalog.excel import export_catalog, import_catalog
from yichuang.catalog.models import Material

from .factories import make_service
from .test_excel import column, find_row, save, workbook
from .test_pages import form_data

pytestmark = pytest.mark.django_db


def test_the_edit_form_sets_and_clears_a_validity(cat, client_for):
    service = make_service(cat.hall)
    first = service.materials.first()
    post = form_data(service, cat.hall)
    post["materials-0-valid_days"] = "90"
    assert client_for(cat.hall.carol).post("/catalog/transcript/edit/", post).status_code == 302
    first.refresh_from_db()
    assert first.valid_days == 90
    post = form_data(service, cat.hall)  # the edit of the version now current
    post["materials-0-valid_days"] = "0"
    response = client_for(cat.hall.carol).post("/catalog/transcript/edit/", post)
    assert response.status_code == 400 and "长期有效的请留空" in response.content.decode()
    post["materials-0-valid_days"] = ""
    assert client_for(cat.hall.carol).post("/catalog/transcript/edit/", post).status_code == 302
    first.refresh_from_db()
    assert first.valid_days is None


def test_excel_carries_the_validity_and_an_old_workbook_still_imports(cat):
    service = make_service(cat.hall)
    wb = workbook(export_catalog(by=cat.hall.olga))
    ws = wb["材料"]
    row = find_row(ws, service.code)
    ws.cell(row=row, column=column(ws, "有效期（天）"), value=30)
    result = import_catalog(save(wb), by=cat.hall.olga)
    assert result.ok, result.errors
    assert Material.objects.get(service=service, position=1).valid_days == 30

    old = load_workbook(save(workbook(export_catalog(by=cat.hall.olga))))
    old["材料"].delete_cols(column(old["材料"], "有效期（天）"))
    result = import_catalog(save(old), by=cat.hall.olga)
    assert result.ok, result.errors
    # Without the column the validity is blank again (the workbook describes the item).
    assert Material.objects.get(service=service, position=1).valid_days is None
