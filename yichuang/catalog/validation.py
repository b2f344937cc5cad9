"""What an item must satisfy before it is published, as plain data and a list of problems.

The pages, the Excel import and the admin all fill a `ServiceData`; `find_problems` says
what is wrong with it, each problem pointing at the item, one material or one step, so the
Excel import can name the row and the form the field.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from yichuang.core.uploads import extension_of, real_content_type

from .models import SAMPLE_EXTENSIONS, Bundle, Kind, Material, MaterialFormat, Service, Step

CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Codes that would shadow the catalogue's own pages under /catalog/<code>/.
RESERVED_CODES = {"new", "import", "export", "export-xlsx", "bundles"}
# 国家政务服务事项编码 (GB/T 39554.1-2020): a basic code (e.g. 000173001000) or an
# implementation code, which puts the implementing body's 18-character unified social credit
# code (GB 32100: digits and capitals) before it (11440100MB2C98123X4442117001…); provinces add
# business-item suffixes. So: capitals and digits only, 4–40 characters; the catalogue does not
# second-guess a province's segment lengths.
ITEM_CODE_PATTERN = re.compile(r"^[0-9A-Z]{4,40}$")
# 行政区划代码 to the village level: 6 (GB/T 2260) + 3 (township) + 3 (village) digits.
REGION_CODE_PATTERN = re.compile(r"^[0-9]{12}$")
MAX_DAYS = 365
MAX_COUNT = 99
MAX_VALID_DAYS = 3650  # ten years: beyond that, leave it blank (does not expire)


@dataclass
class MaterialData:
    name: str
    required: bool = True
    condition: str = ""
    originals: int = 1
    copies: int = 0
    format: str = MaterialFormat.PAPER
    notes: str = ""
    valid_days: int | None = None  # None: a verified copy never expires
    id: int | None = None  # the row to keep; without it a row of the same name is kept
    sample: Any = None  # None keeps the sample, False removes it, a File replaces it


@dataclass
class StepData:
    title: str
    description: str = ""


@dataclass
class ServiceData:
    code: str
    name: str
    department: Any  # org.Department
    post: Any  # org.Post
    kind: str
    legal_days: int
    committed_days: int = 0
    item_code: str = ""
    basis: str = ""
    conditions: str = ""
    fees: str = "不收费"
    fee_basis: str = ""
    location: str = ""
    hours: str = ""
    phones: str = ""
    complaint_phone: str = ""
    online: bool = False
    category: str = ""
    keywords: str = ""
    is_active: bool = True
    materials: list[MaterialData] = field(default_factory=list)
    steps: list[StepData] = field(default_factory=list)

    @classmethod
    def from_service(cls, service: Service) -> "ServiceData":
        """The item as it stands, to be changed and saved again."""
        return cls(
            **{name: getattr(service, name) for name in SERVICE_FIELDS},
            materials=[
                MaterialData(
                    id=m.pk,
                    name=m.name,
                    required=m.required,
                    condition=m.condition,
                    originals=m.originals,
                    copies=m.copies,
                    format=m.format,
                    notes=m.notes,
                    valid_days=m.valid_days,
                )
                for m in service.materials.order_by("position", "id")
            ],
            steps=[
                StepData(title=s.title, description=s.description)
                for s in service.steps.order_by("position", "id")
            ],
        )


# The item's own fields, in the order of the form and the Excel sheet.
SERVICE_FIELDS = [
    "code",
    "item_code",
    "name",
    "department",
    "post",
    "kind",
    "legal_days",
    "committed_days",
    "basis",
    "conditions",
    "fees",
    "fee_basis",
    "location",
    "hours",
    "phones",
    "complaint_phone",
    "online",
    "category",
    "keywords",
    "is_active",
]
TEXT_FIELDS = [
    "name",
    "basis",
    "conditions",
    "fees",
    "fee_basis",
    "location",
    "hours",
    "phones",
    "complaint_phone",
    "category",
    "keywords",
]


@dataclass
class Problem:
    where: str  # "service", "material" or "step"
    index: int | None  # position in data.materials / data.steps
    field: str
    message: str


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _too_long(model, name: str, value: str) -> str | None:
    limit = model._meta.get_field(name).max_length
    if limit and len(value) > limit:
        return _("%(label)s不能超过 %(n)d 个字") % {"label": _label(model, name), "n": limit}
    return None


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def find_problems(data: ServiceData, *, existing: Service | None = None) -> list[Problem]:
    """Everything wrong with `data`, as problems; an empty list means it may be published."""
    problems: list[Problem] = []

    def item(field_name, message):
        problems.append(Problem("service", None, field_name, message))

    _check_code(data.code, existing, item)
    if data.item_code and not ITEM_CODE_PATTERN.match(data.item_code):
        item(
            "item_code",
            _(
                "国家事项编码“%(code)s”格式不正确：只能由大写字母和数字组成，长度 4–40 位"
                "（如 11440100MB2C98123X4442117001）"
            )
            % {"code": data.item_code},
        )
    if not data.name.strip():
        item("name", _("请填写事项名称"))
    for name in TEXT_FIELDS:
        if (message := _too_long(Service, name, getattr(data, name) or "")) is not None:
            item(name, message)
    if data.department is None:
        item("department", _("请选择实施部门"))
    if data.post is None:
        item("post", _("请选择责任岗位"))
    elif data.department is not None and data.post.department_id != data.department.pk:
        item(
            "post",
            _("责任岗位“%(post)s”不属于实施部门“%(department)s”")
            % {"post": data.post.name, "department": data.department.name},
        )
    _check_days(data, item)
    if not data.basis.strip():
        item("basis", _("请填写设定依据"))
    if not data.fees.strip():
        item("fees", _("请填写收费标准（不收费请填写“不收费”）"))
    problems += _material_problems(data.materials, existing)
    problems += _step_problems(data.steps)
    return problems


def _check_code(code, existing, item, model=Service) -> None:
    label = _("一件事编码") if model is Bundle else _("事项编码")
    if existing is not None:
        if code != existing.code:
            item("code", _("%(label)s发布后不能修改") % {"label": label})
        return
    if not code:
        item("code", _("请填写%(label)s") % {"label": label})
    elif len(code) > 40 or not CODE_PATTERN.match(code):
        item(
            "code",
            _("%(label)s只能由小写字母、数字和连字符组成，不超过 40 个字符") % {"label": label},
        )
    elif code in RESERVED_CODES:
        item("code", _("%(label)s“%(code)s”为系统保留，请换一个") % {"label": label, "code": code})
    elif model.objects.filter(code=code).exists():
        item("code", _("%(label)s“%(code)s”已被使用") % {"label": label, "code": code})


def _check_days(data: ServiceData, item) -> None:
    if data.kind not in Kind.values:
        item("kind", _("办件类型应为即办件或承诺件"))
    if not _is_count(data.legal_days) or not 0 <= data.legal_days <= MAX_DAYS:
        item("legal_days", _("法定时限应为 0 至 %(max)d 个工作日") % {"max": MAX_DAYS})
        return
    if not _is_count(data.committed_days) or data.committed_days < 0:
        item("committed_days", _("承诺时限应为不小于 0 的整数（工作日）"))
        return
    if data.kind == Kind.IMMEDIATE and data.committed_days != 0:
        item("committed_days", _("即办件当场办结，承诺时限应为 0"))
    if data.kind == Kind.COMMITTED and data.committed_days < 1:
        item("committed_days", _("承诺件的承诺时限至少为 1 个工作日"))
    if data.committed_days > data.legal_days:
        item(
            "committed_days",
            _("承诺时限（%(c)d 个工作日）不能超过法定时限（%(l)d 个工作日）")
            % {"c": data.committed_days, "l": data.legal_days},
        )


def _material_problems(materials: list[MaterialData], existing: Service | None) -> list[Problem]:
    problems: list[Problem] = []
    if not materials:
        problems.append(Problem("service", None, "materials", _("至少需要一项申请材料")))
    own_ids = set(existing.materials.values_list("pk", flat=True)) if existing else set()
    seen: set[str] = set()
    for index, m in enumerate(materials):

        def bad(field_name, message, index=index):
            problems.append(Problem("material", index, field_name, message))

        name = m.name.strip()
        if not name:
            bad("name", _("请填写材料名称"))
        elif name in seen:
            bad("name", _("材料“%(name)s”重复") % {"name": name})
        seen.add(name)
        if m.id is not None and m.id not in own_ids:
            bad("id", _("材料编号 %(id)s 不属于该事项") % {"id": m.id})
        for name_ in ("name", "condition", "notes"):
            if (message := _too_long(Material, name_, getattr(m, name_) or "")) is not None:
                bad(name_, message)
        counts_ok = True
        for name_ in ("originals", "copies"):
            value = getattr(m, name_)
            if not _is_count(value) or not 0 <= value <= MAX_COUNT:
                counts_ok = False
                bad(
                    name_,
                    _("%(label)s应为 0 至 %(max)d 的整数")
                    % {"label": _label(Material, name_), "max": MAX_COUNT},
                )
        if m.format not in MaterialFormat.values:
            bad("format", _("材料形式应为纸质、电子或纸质或电子"))
        elif counts_ok and m.format == MaterialFormat.PAPER and m.originals + m.copies == 0:
            bad("copies", _("纸质材料的原件和复印件份数不能都为 0"))
        if m.valid_days is not None and (
            not _is_count(m.valid_days) or not 1 <= m.valid_days <= MAX_VALID_DAYS
        ):
            bad(
                "valid_days",
                _("有效期应为 1 至 %(max)d 天，长期有效的请留空") % {"max": MAX_VALID_DAYS},
            )
        if not m.required and not m.condition.strip():
            bad("condition", _("非必需材料请写明适用情形（何种情况下需要提交）"))
        if m.sample and hasattr(m.sample, "read") and not _is_real_sample(m.sample):
            bad(
                "sample",
                _("样表“%(name)s”不是有效的 PDF、Word、Excel 文件或图片，请重新导出后上传")
                % {"name": m.sample.name},
            )
    return problems


def _is_real_sample(upload) -> bool:
    """Samples are public downloads: the file must parse as the kind its extension names (a
    page behind `%PDF` is refused), see core.uploads."""
    ext = extension_of(upload.name)
    return ext in SAMPLE_EXTENSIONS and real_content_type(upload, ext) is not None


def _step_problems(steps: list[StepData]) -> list[Problem]:
    problems: list[Problem] = []
    for index, s in enumerate(steps):
        if not s.title.strip():
            problems.append(Problem("step", index, "title", _("请填写步骤名称")))
        for name in ("title", "description"):
            if (message := _too_long(Step, name, getattr(s, name) or "")) is not None:
                problems.append(Problem("step", index, name, message))
    return problems


def describe(problem: Problem) -> str:
    """A problem as one line, naming the material or step it is about."""
    if problem.index is None:  # about the service itself
        return problem.message
    if problem.where == "material":
        return _("第 %(n)d 项材料：%(msg)s") % {"n": problem.index + 1, "msg": problem.message}
    return _("第 %(n)d 步：%(msg)s") % {"n": problem.index + 1, "msg": problem.message}


@dataclass
class BundleData:
    """A bundle as the pages and the Excel import fill it: `services` in order, the lead
    among them (it is put first when published)."""

    code: str
    name: str
    lead: Any  # catalog.Service
    services: list = field(default_factory=list)  # [catalog.Service]
    summary: str = ""
    is_active: bool = True

    @classmethod
    def from_bundle(cls, bundle: Bundle) -> "BundleData":
        return cls(
            code=bundle.code,
            name=bundle.name,
            lead=bundle.lead,
            services=[m.service for m in bundle.members.select_related("service")],
            summary=bundle.summary,
            is_active=bundle.is_active,
        )


def find_bundle_problems(data: BundleData, *, existing: Bundle | None = None) -> list[Problem]:
    """Everything wrong with a bundle; each problem is about the bundle itself."""
    problems: list[Problem] = []

    def item(field_name, message):
        problems.append(Problem("bundle", None, field_name, message))

    _check_code(data.code, existing, item, model=Bundle)
    if not data.name.strip():
        item("name", _("请填写一件事名称"))
    for name in ("name",):
        if (message := _too_long(Bundle, name, getattr(data, name) or "")) is not None:
            item(name, message)
    services = list(data.services)
    if data.lead is not None and data.lead not in services:
        services.insert(0, data.lead)
    if len(services) < 2:
        item("services", _("一件事至少包含两个服务事项"))
    if data.lead is None:
        item("lead", _("请选择牵头事项"))
    inactive = [s.name for s in services if not s.is_active]
    if inactive:
        item("services", _("事项已停用：%(names)s") % {"names": "、".join(inactive)})
    # A joint case gives each department one part (and the lead department the case itself).
    seen: dict[int, str] = {}
    for s in services:
        if s.department_id in seen:
            item(
                "services",
                _("“%(a)s”与“%(b)s”属于同一部门；一件事中每个部门只办理一个事项")
                % {"a": seen[s.department_id], "b": s.name},
            )
        seen.setdefault(s.department_id, s.name)
    if data.lead is not None:
        # The lead completes the joint case only when every part is done.
        longer = [s.name for s in services if s.committed_days > data.lead.committed_days]
        if longer:
            item(
                "lead",
                _("牵头事项的承诺时限（%(n)d 个工作日）短于：%(names)s；请选承诺时限最长的事项牵头")
                % {"n": data.lead.committed_days, "names": "、".join(longer)},
            )
    return problems


def is_region_code(value: str) -> bool:
    return bool(REGION_CODE_PATTERN.match(value))


def normal_item_code(value) -> str:
    """As halls type or paste it: surrounding spaces dropped, letters in capitals (a credit
    code's letters are capitals)."""
    return str(value or "").strip().upper()
