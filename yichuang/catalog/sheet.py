"""The notification sheet (一次性告知单) read from one published version, shared by the web
page and the PDF so that both always say the same thing."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Kind, MaterialFormat, ServiceVersion


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

    @property
    def facts(self) -> list[list[tuple[str, str]]]:
        """The key facts as rows of (label, value) pairs: short facts two to a row, long
        ones alone, so that a sheet usually fits on one A4 page."""
        fees = self.fees + (f"（{_('依据')}：{self.fee_basis}）" if self.fee_basis else "")
        return [
            [(_("实施部门"), self.department), (_("责任岗位"), self.post)],
            [(_("办理窗口"), self.window or "—"), (_("事项编码"), self.code)],
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


def build_sheet(version: ServiceVersion, *, url: str) -> Sheet:
    s = version.snapshot
    window = s.get("window")
    immediate = s["kind"] == Kind.IMMEDIATE
    return Sheet(
        code=s["code"],
        name=s["name"],
        department=s["department"]["name"],
        post=s["post"]["name"],
        window=_("%(number)s号窗口（%(name)s）") % window if window else "",
        kind=s["kind"],
        kind_label=str(Kind(s["kind"]).label),
        legal_limit=days_text(s["legal_days"]) if s["legal_days"] else _("当场办结"),
        committed_limit=_("即来即办，材料齐全当场办结")
        if immediate
        else days_text(s["committed_days"]),
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
            SheetMaterial(
                position=i,
                name=m["name"],
                required=m["required"],
                requirement=_("必需")
                if m["required"]
                else _("视情形提交：%(c)s") % {"c": m["condition"]},
                originals=m["originals"],
                copies=m["copies"],
                format=str(MaterialFormat(m["format"]).label),
                notes=m["notes"],
                sample=m["sample"],
            )
            for i, m in enumerate(s["materials"], start=1)
        ],
        steps=s["steps"],
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
