"""The notification sheet (一次性告知单) read from one published version, shared by the web
page and the PDF so that both always say the same thing."""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BundleVersion, Kind, MaterialFormat, ServiceVersion


@dataclass
class SheetMaterial:
    position: int
    name: str
    required: bool
    requirement: str  # 必需 / 视情形提交：…
    originals: int
    copies: int
    format: str
    notes: str
    sample: str


@dataclass
class Sheet:
    code: str
    name: str
    department: str
    post: str
    window: str
    kind: str
    kind_label: str
    legal_limit: str
    committed_limit: str
    basis: str
    conditions: str
    fees: str
    fee_basis: str
    location: str
    hours: str
    phones: str
    complaint_phone: str
    online: bool
    version: int
    published_on: str
    url: str
    materials: list[SheetMaterial] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    # A bundle's (一件事) services: {"name", "department", "limit", "lead"}; empty for a service.
    parts: list[dict] = field(default_factory=list)
    item_code: str = ""  # 国家事项编码 of the version, when the item has one
    region_code: str = ""  # the hall's 行政区划代码 (settings.HALL_REGION_CODE), when set

    @property
    def facts(self) -> list[list[tuple[str, str]]]:
        """The key facts as rows of (label, value) pairs: short facts two to a row, long
        ones alone, so that a sheet usually fits on one A4 page."""
        fees = self.fees + (f"（{_('依据')}：{self.fee_basis}）" if self.fee_basis else "")
        if self.parts:
            department, post, code = _("牵头部门"), _("牵头岗位"), _("一件事编码")
        else:
            department, post, code = _("实施部门"), _("责任岗位"), _("事项编码")
        national = [
            pair
            for pair in ((_("国家事项编码"), self.item_code), (_("行政区划代码"), self.region_code))
            if pair[1]
        ]
        return [
            [(department, self.department), (post, self.post)],
            [(_("办理窗口"), self.window or "—"), (code, self.code)],
            *([national] if national else []),
            [(_("办件类型"), self.kind_label), (_("网上办理"), self.online_text)],
            [(_("法定时限"), self.legal_limit), (_("承诺时限"), self.committed_limit)],
            [(_("办理地点"), self.location or "—")],
            [(_("办理时间"), self.hours or "—")],
            [(_("收费标准"), fees)],
            [(_("咨询电话"), self.phones or "—"), (_("投诉电话"), self.complaint_phone or "—")],
        ]

    @property
    def phone_labels(self) -> tuple[str, str]:
        """The labels of the facts that are telephone numbers (a page links them)."""
        return (_("咨询电话"), _("投诉电话"))

    @property
    def online_text(self) -> str:
        return _("可网上申报") if self.online else _("请到窗口办理")


def days_text(days: int) -> str:
    return _("%(n)d 个工作日") % {"n": days}


def _limits(s: dict) -> tuple[str, str]:
    legal = days_text(s["legal_days"]) if s["legal_days"] else _("当场办结")
    if s["kind"] == Kind.IMMEDIATE:
        return legal, _("即来即办，材料齐全当场办结")
    return legal, days_text(s["committed_days"])


def _sheet_material(position: int, m: dict, notes: str) -> SheetMaterial:
    return SheetMaterial(
        position=position,
        name=m["name"],
        required=m["required"],
        requirement=_("必需") if m["required"] else _("视情形提交：%(c)s") % {"c": m["condition"]},
        originals=m["originals"],
        copies=m["copies"],
        format=str(MaterialFormat(m["format"]).label),
        notes=notes,
        sample=m["sample"],
    )


def build_sheet(version: ServiceVersion, *, url: str) -> Sheet:
    s = version.snapshot
    window = s.get("window")
    legal_limit, committed_limit = _limits(s)
    return Sheet(
        code=s["code"],
        item_code=s.get("item_code", ""),
        region_code=settings.HALL_REGION_CODE,
        name=s["name"],
        department=s["department"]["name"],
        post=s["post"]["name"],
        window=_("%(number)s号窗口（%(name)s）") % window if window else "",
        kind=s["kind"],
        kind_label=str(Kind(s["kind"]).label),
        legal_limit=legal_limit,
        committed_limit=committed_limit,
        basis=s["basis"],
        conditions=s["conditions"],
        fees=s["fees"],
        fee_basis=s["fee_basis"],
        location=s["location"],
        hours=s["hours"],
        phones=s["phones"],
        complaint_phone=s["complaint_phone"],
        online=s["online"],
        version=version.number,
        published_on=timezone.localdate(version.published_at).isoformat(),
        url=url,
        materials=[
            _sheet_material(i, m, m["notes"]) for i, m in enumerate(s["materials"], start=1)
        ],
        steps=s["steps"],
    )


def build_bundle_sheet(version: BundleVersion, *, url: str) -> Sheet:
    """A bundle's sheet: the lead's where and when, every service with its department and
    time limit, and the materials once each, saying which services share one."""
    s = version.snapshot
    window = s.get("window")
    legal_limit, committed_limit = _limits(s)
    names = {p["code"]: p["name"] for p in s["services"]}
    fees = list(dict.fromkeys(p["fees"] for p in s["services"]))

    def notes(m: dict) -> str:
        if len(m["services"]) < 2:
            return m["notes"]
        shared = _("一份通用：%(names)s") % {"names": "、".join(names[c] for c in m["services"])}
        return "；".join(filter(None, [m["notes"], shared]))

    return Sheet(
        code=s["code"],
        region_code=settings.HALL_REGION_CODE,
        name=s["name"],
        department=s["department"]["name"],
        post=s["post"]["name"],
        window=_("%(number)s号窗口（%(name)s）") % window if window else "",
        kind=s["kind"],
        kind_label=_("一件事一次办"),
        legal_limit=legal_limit,
        committed_limit=committed_limit,
        basis="\n".join(f"{p['name']}：{p['basis']}" for p in s["services"]),
        conditions=s["summary"],
        fees=fees[0]
        if len(fees) == 1
        else "；".join(f"{p['name']}：{p['fees']}" for p in s["services"]),
        fee_basis="",
        location=s["location"],
        hours=s["hours"],
        phones=s["phones"],
        complaint_phone=s["complaint_phone"],
        online=s["online"],
        version=version.number,
        published_on=timezone.localdate(version.published_at).isoformat(),
        url=url,
        materials=[_sheet_material(m["position"], m, notes(m)) for m in s["materials"]],
        steps=[
            {
                "position": 1,
                "title": _("一次申请"),
                "description": _("填写一张申请表，按本清单一次提交全部材料"),
            },
            {
                "position": 2,
                "title": _("牵头部门受理"),
                "description": _("出具一份受理通知书，列明各部门办理的事项"),
            },
            {
                "position": 3,
                "title": _("各部门并联办理"),
                "description": _("材料在部门间共享，不再重复提交"),
            },
            {
                "position": 4,
                "title": _("牵头部门统一办结"),
                "description": _("各部门办完后由牵头部门办结并通知您"),
            },
        ],
        parts=[
            {
                "name": p["name"],
                "department": p["department"]["name"],
                "limit": _limits(p)[1],
                "lead": p["lead"],
            }
            for p in s["services"]
        ],
    )


def public_sheet_url(request, code: str) -> str:
    """The absolute address of the item's public sheet, for the QR code."""
    return request.build_absolute_uri(reverse("catalog:sheet", args=[code]))


# Printed on every sheet: the promise that makes the list one-time (一次性告知).
def closing_notes(sheet: Sheet) -> list[str]:
    return [
        _("本告知单所列材料为办理本事项所需的全部材料，窗口不得要求提交清单以外的材料。"),
        _(
            "材料不齐全或不符合要求的，窗口当场或者在 5 日内一次性告知需要补正的全部内容；"
            "逾期不告知的，自收到材料之日起即为受理。"
        ),
        _("时限按工作日计算，不含法定节假日；受理当日不计入。"),
        _("第 %(n)d 版，%(date)s 发布。") % {"n": sheet.version, "date": sheet.published_on},
    ]
