"""The catalogue as an Excel workbook (事项清单), out and back in.

Three sheets: 事项 (one row per item), 材料 and 流程 (rows keyed by 事项编码, ordered by 序号);
and for the bundles (一件事) two more: 一件事 (one row per bundle, naming its lead service) and
一件事事项 (its services, keyed by 一件事编码, ordered by 序号). The two bundle sheets are
optional on import, so a workbook from before bundles still imports.
An import is all or nothing: every row is checked first, each complaint names its sheet and
row ("材料 第 5 行：事项编码 XYZ 不存在"), and nothing is written unless every row is right.
Items in the workbook replace their materials and steps; items not in it are left alone.
Unchanged items keep their version; changed ones are published as a new version. A blank
收费标准 reads as 不收费, the common case.
"""

from dataclasses import dataclass, field
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from yichuang.core import audit
from yichuang.core.errors import DomainError, Invalid, NotAllowed
from yichuang.core.excel import put
from yichuang.org.models import Department, Post

from .models import Bundle, Kind, MaterialFormat, Service
from .services import can_exchange_catalogue, save_bundle, save_service
from .validation import (
    BundleData,
    MaterialData,
    ServiceData,
    StepData,
    find_bundle_problems,
    find_problems,
    normal_item_code,
)

# The headers are the file format that halls keep their lists in, so they stay Chinese
# whatever the interface language.
SERVICE_SHEET, MATERIAL_SHEET, STEP_SHEET = "事项", "材料", "流程"
SERVICE_COLUMNS = [
    ("事项编码", "code"),
    ("事项名称", "name"),
    ("分类", "category"),
    ("部门编码", "department"),
    ("责任岗位编码", "post"),
    ("办件类型", "kind"),
    ("法定时限（工作日）", "legal_days"),
    ("承诺时限（工作日）", "committed_days"),
    ("设定依据", "basis"),
    ("受理条件", "conditions"),
    ("收费标准", "fees"),
    ("收费依据", "fee_basis"),
    ("办理地点", "location"),
    ("办理时间", "hours"),
    ("咨询电话", "phones"),
    ("投诉电话", "complaint_phone"),
    ("可网上办理", "online"),
    ("启用", "is_active"),
    ("关键词（别名）", "keywords"),
    # 国家政务服务事项编码: a header of its own, since 事项编码 has always been the hall's key
    # in these workbooks; last, so the columns halls already keep do not move.
    ("国家事项编码", "item_code"),
]
VERSION_HEADER = "当前版本"  # written for the reader, ignored on import
ABSENT = object()  # the value of an optional column the file does not have
MATERIAL_COLUMNS = [
    ("事项编码", "service"),
    ("序号", "position"),
    ("材料名称", "name"),
    ("必需", "required"),
    ("适用情形", "condition"),
    ("原件份数", "originals"),
    ("复印件份数", "copies"),
    ("材料形式", "format"),
    ("备注", "notes"),
    ("有效期（天）", "valid_days"),
]
# Columns added after halls had kept their workbooks: a file without them still imports (an
# absent keywords column keeps the items' keywords; an absent validity is blank).
OPTIONAL_HEADERS = {"关键词（别名）", "有效期（天）", "国家事项编码"}
STEP_COLUMNS = [
    ("事项编码", "service"),
    ("序号", "position"),
    ("步骤", "title"),
    ("说明", "description"),
]
BUNDLE_SHEET, MEMBER_SHEET = "一件事", "一件事事项"
BUNDLE_COLUMNS = [
    ("一件事编码", "code"),
    ("一件事名称", "name"),
    ("牵头事项编码", "lead"),
    ("适用情形", "summary"),
    ("启用", "is_active"),
]
MEMBER_COLUMNS = [
    ("一件事编码", "bundle"),
    ("序号", "position"),
    ("事项编码", "service"),
]
YES, NO = "是", "否"
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×"}


class RowError(Exception):
    pass


# --- export -----------------------------------------------------------------------------


def _put(ws, row: int, values: list) -> None:
    for col, value in enumerate(values, start=1):
        put(ws, row, col, value)  # text that looks like a formula stays text


def _sheet(wb, title, headers, rows, widths) -> None:
    ws = wb.create_sheet(title)
    _put(ws, 1, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F5")
    for number, values in enumerate(rows, start=2):
        _put(ws, number, values)
    for index, width in enumerate(widths):
        ws.column_dimensions[ws.cell(row=1, column=index + 1).column_letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"


def export_catalog(*, by) -> bytes:
    """The whole catalogue, inactive items included, as .xlsx bytes."""
    if not can_exchange_catalogue(by):
        raise NotAllowed(_("只有大厅管理办公室可以导出整个事项清单"))
    items = list(
        Service.objects.select_related("department", "post").prefetch_related("materials", "steps")
    )
    kinds = dict(Kind.choices)
    formats = {value: str(label) for value, label in MaterialFormat.choices}
    service_rows, material_rows, step_rows = [], [], []
    for s in items:
        values = {
            "department": s.department.code,
            "post": s.post.code,
            "kind": str(kinds[s.kind]),
            "online": YES if s.online else NO,
            "is_active": YES if s.is_active else NO,
        }
        service_rows.append(
            [values.get(attr, getattr(s, attr)) for _h, attr in SERVICE_COLUMNS] + [s.version]
        )
        for m in s.materials.all():
            material_rows.append(
                [
                    s.code,
                    m.position,
                    m.name,
                    YES if m.required else NO,
                    m.condition,
                    m.originals,
                    m.copies,
                    formats[m.format],
                    m.notes,
                    m.valid_days,
                ]
            )
        for st in s.steps.all():
            step_rows.append([s.code, st.position, st.title, st.description])
    wb = Workbook()
    wb.remove(wb.active)
    widths = [22, 24, 10, 10, 16, 8, 10, 10, 40, 30, 14, 20, 24, 20, 16, 14, 8, 6, 20, 30, 8]
    headers = [h for h, _a in SERVICE_COLUMNS] + [VERSION_HEADER]
    _sheet(wb, SERVICE_SHEET, headers, service_rows, widths)
    _sheet(
        wb,
        MATERIAL_SHEET,
        [h for h, _a in MATERIAL_COLUMNS],
        material_rows,
        [22, 6, 30, 6, 24, 8, 8, 10, 30, 10],
    )
    _sheet(wb, STEP_SHEET, [h for h, _a in STEP_COLUMNS], step_rows, [22, 6, 16, 50])
    bundles = list(Bundle.objects.select_related("lead").prefetch_related("members__service"))
    _sheet(
        wb,
        BUNDLE_SHEET,
        [h for h, _a in BUNDLE_COLUMNS] + [VERSION_HEADER],
        [
            [b.code, b.name, b.lead.code, b.summary, YES if b.is_active else NO, b.version]
            for b in bundles
        ],
        [22, 20, 22, 50, 6, 8],
    )
    _sheet(
        wb,
        MEMBER_SHEET,
        [h for h, _a in MEMBER_COLUMNS],
        [[b.code, m.position, m.service.code] for b in bundles for m in b.members.all()],
        [22, 6, 22],
    )
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- import -----------------------------------------------------------------------------


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value) -> str:
    if value is None or value is ABSENT:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _count(value, label: str, *, default: int | None = None) -> int:
    text = _text(value)
    if text == "" and default is not None:
        return default
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not number.is_integer():
        raise RowError(_("%(label)s应为整数，现为“%(v)s”") % {"label": label, "v": text})
    return int(number)


def _flag(value, label: str, *, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text == "":
        return default
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise RowError(_("%(label)s应填“是”或“否”，现为“%(v)s”") % {"label": label, "v": text})


def _choice(value, choices, label: str) -> str:
    text = _text(value)
    for stored, shown in choices:
        if text in (stored, str(shown)):
            return stored
    allowed = "、".join(str(shown) for _s, shown in choices)
    raise RowError(
        _("%(label)s应为%(allowed)s之一，现为“%(v)s”")
        % {"label": label, "allowed": allowed, "v": text}
    )


def _read_sheet(wb, title, columns, errors, *, optional=False) -> list[tuple[int, dict]]:
    """The sheet's non-blank rows as (row number, {attribute: cell value})."""
    if optional and title not in wb.sheetnames:
        return []
    if title not in wb.sheetnames:
        errors.append(_("缺少工作表“%(t)s”") % {"t": title})
        return []
    rows = wb[title].iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    missing = [h for h, _a in columns if h not in header and h not in OPTIONAL_HEADERS]
    if missing:
        errors.append(_("%(t)s 工作表缺少列：%(cols)s") % {"t": title, "cols": "、".join(missing)})
        return []
    index = {attr: header.index(h) for h, attr in columns if h in header}
    result = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(_text(v) == "" for v in values):
            continue
        values = list(values) + [None] * len(header)
        row: dict = {attr: ABSENT for _h, attr in columns}
        row.update({attr: values[i] for attr, i in index.items()})
        result.append((number, row))
    return result


@dataclass
class _Parsed:
    row: int
    data: ServiceData
    material_rows: list[int]
    step_rows: list[int]
    # A file from before the keywords column keeps each item's keywords.
    keeps_keywords: bool = False
    # ... and one from before the national code's column keeps each item's code.
    keeps_item_code: bool = False


def _parse(wb, errors: list[str]) -> list[_Parsed]:
    service_rows = _read_sheet(wb, SERVICE_SHEET, SERVICE_COLUMNS, errors)
    material_rows = _read_sheet(wb, MATERIAL_SHEET, MATERIAL_COLUMNS, errors)
    step_rows = _read_sheet(wb, STEP_SHEET, STEP_COLUMNS, errors)
    if errors:
        return []
    departments = {d.code: d for d in Department.objects.all()}
    posts = {p.code: p for p in Post.objects.all()}
    labels = {attr: h for h, attr in SERVICE_COLUMNS}
    parsed: dict[str, _Parsed] = {}

    def where(sheet, number):
        return _("%(sheet)s 第 %(n)d 行：") % {"sheet": sheet, "n": number}

    for number, v in service_rows:
        try:
            code = _text(v["code"])
            if not code:
                raise RowError(_("事项编码不能为空"))
            if code in parsed:
                raise RowError(
                    _("事项编码 %(c)s 与第 %(n)d 行重复") % {"c": code, "n": parsed[code].row}
                )
            department = departments.get(_text(v["department"]))
            if department is None:
                raise RowError(_("部门编码 %(c)s 不存在") % {"c": _text(v["department"])})
            post = posts.get(_text(v["post"]))
            if post is None:
                raise RowError(_("岗位编码 %(c)s 不存在") % {"c": _text(v["post"])})
            data = ServiceData(
                code=code,
                name=_text(v["name"]),
                department=department,
                post=post,
                kind=_choice(v["kind"], Kind.choices, labels["kind"]),
                legal_days=_count(v["legal_days"], labels["legal_days"]),
                committed_days=_count(v["committed_days"], labels["committed_days"], default=0),
                online=_flag(v["online"], labels["online"], default=False),
                is_active=_flag(v["is_active"], labels["is_active"], default=True),
                fees=_text(v["fees"]) or "不收费",
                category=_text(v["category"]),
                keywords="" if v["keywords"] is ABSENT else _text(v["keywords"]),
                item_code=_item_code(v["item_code"], labels["item_code"]),
                basis=_text(v["basis"]),
                conditions=_text(v["conditions"]),
                fee_basis=_text(v["fee_basis"]),
                location=_text(v["location"]),
                hours=_text(v["hours"]),
                phones=_text(v["phones"]),
                complaint_phone=_text(v["complaint_phone"]),
            )
        except RowError as exc:
            errors.append(where(SERVICE_SHEET, number) + str(exc))
            continue
        parsed[code] = _Parsed(
            number,
            data,
            [],
            [],
            keeps_keywords=v["keywords"] is ABSENT,
            keeps_item_code=v["item_code"] is ABSENT,
        )

    codes_in_sheet = {_text(v["code"]) for _n, v in service_rows}
    for sheet, rows, build in (
        (MATERIAL_SHEET, material_rows, _material),
        (STEP_SHEET, step_rows, _step),
    ):
        ordered = []
        for number, v in rows:
            code = _text(v["service"])
            try:
                if code not in codes_in_sheet:
                    raise RowError(_("事项编码 %(c)s 不存在") % {"c": code or "（空）"})
                position = _count(v["position"], _("序号"), default=0)
                item = build(v)
            except RowError as exc:
                errors.append(where(sheet, number) + str(exc))
                continue
            ordered.append((position, number, code, item))
        for _pos, number, code, item in sorted(ordered, key=lambda t: (t[2], t[0], t[1])):
            if code not in parsed:
                continue  # its item's row already has a complaint
            target = parsed[code]
            if isinstance(item, MaterialData):
                target.data.materials.append(item)
                target.material_rows.append(number)
            else:
                target.data.steps.append(item)
                target.step_rows.append(number)
    return list(parsed.values())


def _item_code(value, label: str) -> str:
    # A code typed into a number cell has lost its leading zeros (000173001000 → 173001000)
    # or become 1.73E+11: refuse it rather than store a wrong code.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise RowError(
            _("%(label)s须为文本（数字单元格会丢失开头的 0），请将该列设为文本格式后重新填写")
            % {"label": label}
        )
    return normal_item_code(_text(value))


def _material(v) -> MaterialData:
    labels = {attr: h for h, attr in MATERIAL_COLUMNS}
    return MaterialData(
        name=_text(v["name"]),
        required=_flag(v["required"], labels["required"], default=True),
        condition=_text(v["condition"]),
        originals=_count(v["originals"], labels["originals"], default=0),
        copies=_count(v["copies"], labels["copies"], default=0),
        format=_choice(
            v["format"] or MaterialFormat.PAPER, MaterialFormat.choices, labels["format"]
        ),
        notes=_text(v["notes"]),
        valid_days=(
            _count(v["valid_days"], labels["valid_days"]) if _text(v["valid_days"]) else None
        ),
    )


def _step(v) -> StepData:
    return StepData(title=_text(v["title"]), description=_text(v["description"]))


def import_catalog(file, *, by) -> ImportResult:
    """Check every row of the workbook, then create or update its items in one transaction.
    Returns the complaints (and writes nothing) when any row is wrong."""
    if not can_exchange_catalogue(by):
        raise NotAllowed(_("只有大厅管理办公室可以导入事项清单"))
    result = ImportResult()
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        result.errors.append(_("无法读取文件，请上传 .xlsx 格式的 Excel 工作簿"))
        return result
    try:
        items = _parse(wb, result.errors)
        bundles = _parse_bundles(wb, result.errors, {p.data.code for p in items})
    finally:
        wb.close()
    existing = {s.code: s for s in Service.objects.filter(code__in=[p.data.code for p in items])}
    for item in items:
        if item.keeps_keywords and item.data.code in existing:
            item.data.keywords = existing[item.data.code].keywords
        if item.keeps_item_code and item.data.code in existing:
            item.data.item_code = existing[item.data.code].item_code
    for item in items:
        for problem in find_problems(item.data, existing=existing.get(item.data.code)):
            if problem.index is None:  # about the service itself
                sheet, number = SERVICE_SHEET, item.row
            elif problem.where == "material":
                sheet, number = MATERIAL_SHEET, item.material_rows[problem.index]
            else:
                sheet, number = STEP_SHEET, item.step_rows[problem.index]
            result.errors.append(
                _("%(sheet)s 第 %(n)d 行：%(msg)s")
                % {"sheet": sheet, "n": number, "msg": problem.message}
            )
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for item in items:
                service = existing.get(item.data.code)
                before = service.version if service else None
                try:
                    saved = save_service(item.data, by=by, service=service, note=_("Excel 导入"))
                except DomainError as exc:
                    result.errors.append(
                        _("%(sheet)s 第 %(n)d 行：%(msg)s")
                        % {"sheet": SERVICE_SHEET, "n": item.row, "msg": exc.message}
                    )
                    raise
                if before is None:
                    result.created.append(saved.code)
                elif saved.version != before:
                    result.updated.append(saved.code)
                else:
                    result.unchanged.append(saved.code)
            _save_bundles(bundles, result, by=by)
            audit.record(
                "catalog.imported",
                actor=by,
                summary=_("导入事项清单：新增 %(c)d，更新 %(u)d")
                % {"c": len(result.created), "u": len(result.updated)},
                data={"created": result.created, "updated": result.updated},
            )
    except DomainError:
        result.created, result.updated, result.unchanged = [], [], []
    return result


# --- bundles ------------------------------------------------------------------------------


@dataclass
class _ParsedBundle:
    row: int
    code: str
    name: str
    lead: str
    summary: str
    is_active: bool
    services: list[str] = field(default_factory=list)


def _parse_bundles(wb, errors: list[str], codes_in_sheet: set[str]) -> list[_ParsedBundle]:
    """The bundle sheets' rows, checked for what can be checked before any item is saved:
    every service code must be in the catalogue or in this workbook."""
    bundle_rows = _read_sheet(wb, BUNDLE_SHEET, BUNDLE_COLUMNS, errors, optional=True)
    member_rows = _read_sheet(wb, MEMBER_SHEET, MEMBER_COLUMNS, errors, optional=True)
    known = codes_in_sheet | set(Service.objects.values_list("code", flat=True))
    labels = {attr: h for h, attr in BUNDLE_COLUMNS}
    parsed: dict[str, _ParsedBundle] = {}

    def complain(sheet, number, message):
        errors.append(_("%(sheet)s 第 %(n)d 行：") % {"sheet": sheet, "n": number} + message)

    for number, v in bundle_rows:
        try:
            code, lead = _text(v["code"]), _text(v["lead"])
            if not code:
                raise RowError(_("一件事编码不能为空"))
            if code in parsed:
                raise RowError(
                    _("一件事编码 %(c)s 与第 %(n)d 行重复") % {"c": code, "n": parsed[code].row}
                )
            if lead not in known:
                raise RowError(_("事项编码 %(c)s 不存在") % {"c": lead or "（空）"})
            active = _flag(v["is_active"], labels["is_active"], default=True)
        except RowError as exc:
            complain(BUNDLE_SHEET, number, str(exc))
            continue
        parsed[code] = _ParsedBundle(
            number, code, _text(v["name"]), lead, _text(v["summary"]), active
        )
    ordered = []
    for number, v in member_rows:
        bundle, service = _text(v["bundle"]), _text(v["service"])
        try:
            if bundle not in parsed:
                raise RowError(
                    _("一件事编码 %(c)s 不在“一件事”工作表中") % {"c": bundle or "（空）"}
                )
            if service not in known:
                raise RowError(_("事项编码 %(c)s 不存在") % {"c": service or "（空）"})
            position = _count(v["position"], _("序号"), default=0)
        except RowError as exc:
            complain(MEMBER_SHEET, number, str(exc))
            continue
        ordered.append((bundle, position, number, service))
    for bundle, _pos, _n, service in sorted(ordered):
        parsed[bundle].services.append(service)
    return list(parsed.values())


def _save_bundles(bundles: list[_ParsedBundle], result: ImportResult, *, by) -> None:
    """Inside the import's transaction, after its items are saved (a bundle may name an item
    the same workbook creates); a wrong bundle rolls the whole import back."""
    services = {s.code: s for s in Service.objects.select_related("department")}
    existing = {b.code: b for b in Bundle.objects.filter(code__in=[b.code for b in bundles])}
    for item in bundles:
        data = BundleData(
            code=item.code,
            name=item.name,
            lead=services[item.lead],
            services=[services[code] for code in item.services],
            summary=item.summary,
            is_active=item.is_active,
        )
        bundle = existing.get(item.code)
        problems = find_bundle_problems(data, existing=bundle)
        for problem in problems:
            result.errors.append(
                _("%(sheet)s 第 %(n)d 行：%(msg)s")
                % {"sheet": BUNDLE_SHEET, "n": item.row, "msg": problem.message}
            )
        if problems:
            raise Invalid(result.errors[-1])
        before = bundle.version if bundle else None
        saved = save_bundle(data, by=by, bundle=bundle, note=_("Excel 导入"))
        if before is None:
            result.created.append(saved.code)
        elif saved.version != before:
            result.updated.append(saved.code)
        else:
            result.unchanged.append(saved.code)
