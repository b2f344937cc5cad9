"""Issue 16: an item's keywords (关键词/别名) — what people call it — are kept with it, found by
the catalogue's search (also by their pinyin initials), exchanged in Excel, and change no
published version (they are never printed on the sheet)."""

import pytest
from openpyxl import Workbook

from yichuang.catalog.excel import export_catalog, import_catalog
from yichuang.catalog.models import Service
from yichuang.catalog.queries import search_services
from yichuang.catalog.services import save_service
from yichuang.catalog.validation import ServiceData

from .factories import make_service
from .test_excel import column, find_row, save, workbook

pytestmark = pytest.mark.django_db


def with_keywords(service: Service, keywords: str, *, by) -> Service:
    data = ServiceData.from_service(service)
    data.keywords = keywords
    return save_service(data, by=by, service=service)


def test_keywords_are_kept_tidy_and_publish_no_new_version(cat):
    service = make_service(cat.hall)
    saved = with_keywords(service, "成绩单，成绩单 、 英文成绩", by=cat.hall.carol)
    assert saved.keywords == "成绩单 英文成绩"
    assert saved.version == 1
    assert saved.pinyin_initials.split() == ["cjzm", "cjd", "ywcj"]


def test_the_catalogue_search_finds_an_item_by_a_keyword_or_its_initials(cat):
    with_keywords(make_service(cat.hall), "成绩单", by=cat.hall.carol)
    assert [s.code for s in search_services("成绩单")] == ["transcript"]
    assert [s.code for s in search_services("cjd")] == ["transcript"]


def test_the_edit_form_offers_the_keywords_field(cat, client_for):
    service = make_service(cat.hall)
    page = client_for(cat.hall.carol).get(f"/catalog/{service.code}/edit/").content.decode()
    assert 'name="keywords"' in page


def test_excel_carries_keywords_and_an_older_file_without_them_keeps_them(cat):
    with_keywords(make_service(cat.hall), "成绩单", by=cat.hall.olga)
    wb = workbook(export_catalog(by=cat.hall.olga))
    items = wb["事项"]
    row = find_row(items, "transcript")
    assert items.cell(row, column(items, "关键词（别名）")).value == "成绩单"

    items.cell(row, column(items, "关键词（别名）"), "成绩单 分数证明")
    assert import_catalog(save(wb), by=cat.hall.olga).ok
    assert Service.objects.get(code="transcript").keywords == "成绩单 分数证明"

    older = Workbook()
    older.remove(older.active)
    for title in wb.sheetnames:
        source, target = wb[title], older.create_sheet(title)
        drop = column(source, "关键词（别名）") if title == "事项" else None
        for values in source.iter_rows(values_only=True):
            target.append([v for i, v in enumerate(values, start=1) if i != drop])
    result = import_catalog(save(older), by=cat.hall.olga)
    assert result.ok, result.errors
    assert Service.objects.get(code="transcript").keywords == "成绩单 分数证明"
