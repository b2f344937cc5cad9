from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from yichuang.catalog.excel import export_catalog, import_catalog
from yichuang.catalog.models import Service
from yichuang.catalog.services import set_service_active
from yichuang.core.errors import NotAllowed

from .factories import committed_data, dump_catalogue, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(cat):
    make_service(cat.hall)
    make_service(cat.hall, data=committed_data(cat.hall))
    aid = make_service(
        cat.hall,
        code="hardship",
        name="家庭经济困难认定",
        department=cat.hall.xsc,
        post=cat.aid_post,
        kind="committed",
        legal_days=20,
        committed_days=10,
        fees="=不收费",  # looks like a formula; must come back as text
    )
    set_service_active(aid, active=False, by=cat.hall.olga)
    return cat


def workbook(content: bytes):
    return load_workbook(BytesIO(content))


def save(wb) -> BytesIO:
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def find_row(ws, code: str) -> int:
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code:
            return row[0].row
    raise AssertionError(code)


def column(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def test_export_has_three_sheets_keyed_by_code(catalogue):
    wb = workbook(export_catalog(by=catalogue.hall.olga))
    assert wb.sheetnames == ["事项", "材料", "流程", "一件事", "一件事事项"]
    items = wb["事项"]
    assert [c.value for c in items[1]][:3] == ["事项编码", "事项名称", "分类"]
    assert items.max_row == 4
    materials = wb["材料"]
    assert [c.value for c in materials[2]][:4] == ["status-change", 1, "学籍异动申请表", "是"]
    assert items.cell(find_row(items, "hardship"), column(items, "收费标准")).data_type == "s"


def test_export_then_import_leaves_the_catalogue_equal(catalogue):
    before = dump_catalogue()
    result = import_catalog(BytesIO(export_catalog(by=catalogue.hall.olga)), by=catalogue.hall.olga)
    assert result.ok, result.errors
    assert sorted(result.unchanged) == ["hardship", "status-change", "transcript"]
    assert result.created == [] and result.updated == []
    assert dump_catalogue() == before


def test_import_creates_new_items_and_versions_changed_ones(catalogue):
    wb = workbook(export_catalog(by=catalogue.hall.olga))
    items, materials, steps = wb["事项"], wb["材料"], wb["流程"]
    items.cell(find_row(items, "status-change"), column(items, "承诺时限（工作日）"), 3)
    items.append(["enrolment", "在读证明", "", "jwc", "jwc-status", "即办件", 3, 0, "依据"])
    materials.append(["enrolment", 1, "学生证", "是", "", 1, 0, "纸质", ""])
    steps.append(["enrolment", 1, "窗口打印", ""])
    result = import_catalog(save(wb), by=catalogue.hall.olga)
    assert result.ok, result.errors
    assert result.created == ["enrolment"] and result.updated == ["status-change"]
    changed = Service.objects.get(code="status-change")
    assert changed.committed_days == 3 and changed.version == 2
    new = Service.objects.get(code="enrolment")
    assert new.version == 1 and new.fees == "不收费" and new.pinyin_initials == "zdzm"
    assert Service.objects.get(code="transcript").version == 1


def test_one_bad_row_among_good_ones_changes_nothing_and_is_reported(catalogue):
    before = dump_catalogue()
    wb = workbook(export_catalog(by=catalogue.hall.olga))
    items, materials = wb["事项"], wb["材料"]
    items.cell(find_row(items, "transcript"), column(items, "事项名称"), "成绩证明（新）")
    items.append(["enrolment", "在读证明", "", "jwc", "jwc-status", "即办件", 3, 0, "依据"])
    materials.append(["enrolment", 1, "学生证", "是", "", 1, 0, "纸质", ""])
    materials.append(["XYZ", 1, "学生证", "是", "", 1, 0, "纸质", ""])
    bad_row = materials.max_row
    result = import_catalog(save(wb), by=catalogue.hall.olga)
    assert result.errors == [f"材料 第 {bad_row} 行：事项编码 XYZ 不存在"]
    assert dump_catalogue() == before


def test_every_bad_row_is_reported_with_its_sheet_and_row(catalogue):
    wb = workbook(export_catalog(by=catalogue.hall.olga))
    items, materials = wb["事项"], wb["材料"]
    row = find_row(items, "status-change")
    items.cell(row, column(items, "承诺时限（工作日）"), 30)
    items.append(["new-one", "新事项", "", "nope", "jwc-status", "即办件", 1, 0, "依据"])
    items.append(["two", "新事项二", "", "jwc", "jwc-status", "马上办", 1, 0, "依据"])
    materials.append(["transcript", 9, "补充材料", "否", "", "一份", 0, "纸质", ""])
    materials.append(["status-change", 9, "补充材料", "否", "", 1, 0, "纸质", ""])
    n = materials.max_row
    errors = import_catalog(save(wb), by=catalogue.hall.olga).errors
    assert f"事项 第 {items.max_row - 1} 行：部门编码 nope 不存在" in errors
    assert any(e.startswith(f"事项 第 {items.max_row} 行：办件类型应为") for e in errors)
    assert f"材料 第 {n - 1} 行：原件份数应为整数，现为“一份”" in errors
    assert f"事项 第 {row} 行：承诺时限（30 个工作日）不能超过法定时限（10 个工作日）" in errors
    assert f"材料 第 {n} 行：非必需材料请写明适用情形（何种情况下需要提交）" in errors


def test_a_file_that_is_not_a_workbook_is_refused(catalogue):
    result = import_catalog(BytesIO(b"not a workbook"), by=catalogue.hall.olga)
    assert result.errors == ["无法读取文件，请上传 .xlsx 格式的 Excel 工作簿"]


def test_a_missing_sheet_is_refused(catalogue):
    wb = workbook(export_catalog(by=catalogue.hall.olga))
    del wb["流程"]
    assert import_catalog(save(wb), by=catalogue.hall.olga).errors == ["缺少工作表“流程”"]


def test_only_the_hall_office_exchanges_the_whole_catalogue(catalogue):
    content = export_catalog(by=catalogue.admin)
    for refused in (catalogue.hall.carol, catalogue.hall.alice, catalogue.xena):
        with pytest.raises(NotAllowed):
            export_catalog(by=refused)
        with pytest.raises(NotAllowed):
            import_catalog(BytesIO(content), by=refused)


def test_commands_export_and_import_the_same_format(catalogue, tmp_path, capsys):
    path = tmp_path / "catalogue.xlsx"
    call_command("export_catalog", str(path))
    before = dump_catalogue()
    call_command("import_catalog", str(path), "--by", "olga")
    assert dump_catalogue() == before
    wb = load_workbook(path)
    wb["材料"].append(["XYZ", 1, "学生证", "是", "", 1, 0, "纸质", ""])
    wb.save(path)
    with pytest.raises(CommandError, match="未导入任何内容"):
        call_command("import_catalog", str(path))
    assert "事项编码 XYZ 不存在" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), "--by", "carol")


def test_import_page_shows_the_errors_and_writes_nothing(catalogue, client_for):
    before = dump_catalogue()
    wb = workbook(export_catalog(by=catalogue.hall.olga))
    wb["材料"].append(["XYZ", 1, "学生证", "是", "", 1, 0, "纸质", ""])
    upload = SimpleUploadedFile("list.xlsx", save(wb).getvalue())
    response = client_for(catalogue.hall.olga).post("/catalog/import/", {"file": upload})
    assert response.status_code == 400
    assert "事项编码 XYZ 不存在" in response.content.decode()
    assert dump_catalogue() == before
    good = SimpleUploadedFile("list.xlsx", export_catalog(by=catalogue.hall.olga))
    response = client_for(catalogue.hall.olga).post("/catalog/import/", {"file": good})
    assert response.status_code == 302


def test_import_page_refuses_a_department_head(catalogue, client_for):
    before = dump_catalogue()
    upload = SimpleUploadedFile("list.xlsx", export_catalog(by=catalogue.hall.olga))
    response = client_for(catalogue.hall.carol).post("/catalog/import/", {"file": upload})
    assert response.status_code == 403
    assert dump_catalogue() == before


@pytest.fixture
def with_bundle(cat):
    from .factories import make_bundle, make_bundle_services

    bh = make_bundle_services(cat)
    make_bundle(cat, bh)
    return cat


def dump_bundles() -> list:
    from yichuang.catalog.models import Bundle

    return [
        (
            b.code,
            b.name,
            b.lead.code,
            b.summary,
            b.is_active,
            b.version,
            [m.service.code for m in b.members.all()],
            [(v.number, v.snapshot) for v in b.versions.all()],
        )
        for b in Bundle.objects.order_by("code").prefetch_related("members__service", "versions")
    ]


def test_bundles_go_out_and_come_back_unchanged(with_bundle):
    olga = with_bundle.hall.olga
    wb = workbook(export_catalog(by=olga))
    assert [c.value for c in wb["一件事"][2]][:3] == ["freshman", "新生入学", "freshman-register"]
    assert [[c.value for c in row] for row in wb["一件事事项"].iter_rows(min_row=2)] == [
        ["freshman", 1, "freshman-register"],
        ["freshman", 2, "hukou-in"],
        ["freshman", 3, "dorm-checkin"],
    ]
    before = dump_bundles()
    result = import_catalog(save(wb), by=olga)
    assert result.ok, result.errors
    assert "freshman" in result.unchanged
    assert dump_bundles() == before


def test_an_imported_bundle_is_created_and_a_changed_one_versioned(with_bundle):
    from yichuang.catalog.models import Bundle

    olga = with_bundle.hall.olga
    wb = workbook(export_catalog(by=olga))
    bundles, members = wb["一件事"], wb["一件事事项"]
    bundles.cell(2, column(bundles, "一件事名称")).value = "新生报到"
    bundles.append(["arrival", "新生报到（两项）", "freshman-register", "", "是"])
    members.append(["arrival", 1, "freshman-register"])
    members.append(["arrival", 2, "dorm-checkin"])
    result = import_catalog(save(wb), by=olga)
    assert result.ok, result.errors
    assert "arrival" in result.created and "freshman" in result.updated
    assert Bundle.objects.get(code="freshman").version == 2
    assert [m.service.code for m in Bundle.objects.get(code="arrival").members.all()] == [
        "freshman-register",
        "dorm-checkin",
    ]


def test_a_wrong_bundle_row_is_named_and_nothing_is_written(with_bundle):
    olga = with_bundle.hall.olga
    wb = workbook(export_catalog(by=olga))
    wb["事项"].cell(2, 2).value = "改了名的事项"  # would be written, were the bundle right
    wb["一件事"].append(["solo", "只有一项", "dorm-checkin", "", "是"])
    wb["一件事事项"].append(["solo", 1, "dorm-checkin"])
    wb["一件事事项"].append(["ghost", 1, "no-such-item"])
    before, bundles_before = dump_catalogue(), dump_bundles()
    errors = import_catalog(save(wb), by=olga).errors
    assert errors == ["一件事事项 第 6 行：一件事编码 ghost 不在“一件事”工作表中"]
    wb["一件事事项"].delete_rows(6)
    errors = import_catalog(save(wb), by=olga).errors
    assert errors == ["一件事 第 3 行：一件事至少包含两个服务事项"]
    assert dump_catalogue() == before and dump_bundles() == bundles_before


def test_a_workbook_without_bundle_sheets_still_imports(catalogue):
    wb = workbook(export_catalog(by=catalogue.hall.olga))
    del wb["一件事"], wb["一件事事项"]
    assert import_catalog(save(wb), by=catalogue.hall.olga).ok
