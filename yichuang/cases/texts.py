"""The words of each document, shared by the print view and the PDF."""

from datetime import date

from django.conf import settings
from django.utils import timezone, translation

from .models import Document

TITLES = dict(Document.Kind.choices)


def document_title(kind: str) -> str:
    """The document's Chinese title, whatever language the pages are read in: a document is
    issued in Chinese, like its words below."""
    with translation.override("zh-hans"):
        return str(TITLES.get(kind, kind))


def _date(d) -> str:
    if not d:
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d)
    return f"{d:%Y年%m月%d日}"


def remedies() -> dict:
    """The hall's remedy settings, stored with a refusal when it is issued (a later change of
    settings must not rewrite a decision already served)."""
    return {
        "reconsideration_body": settings.RECONSIDERATION_BODY,
        "litigation_court": settings.LITIGATION_COURT,
        "remedy_note": settings.REFUSAL_REMEDY_NOTE,
    }


def remedy_lines(data: dict) -> list[str]:
    """行政许可法 §38 第二款: the right to reconsideration or a lawsuit, with the time limits."""
    body = data.get("reconsideration_body") or settings.RECONSIDERATION_BODY
    court = data.get("litigation_court") or settings.LITIGATION_COURT
    lines = [
        f"如不服本决定，可以自知道该决定之日起六十日内向{body}申请行政复议"
        "（《中华人民共和国行政复议法》第二十条）；"
        f"也可以自知道该决定之日起六个月内向{court}提起行政诉讼"
        "（《中华人民共和国行政诉讼法》第四十六条）。"
    ]
    if data.get("remedy_note"):
        lines.append(data["remedy_note"])
    return lines


def _provisional(data: dict) -> list[str]:
    if not data.get("provisional"):
        return []
    return ["上述期限按暂定工作日历计算；国务院放假通知公布后如有调整，将另行告知。"]


def joint_lines(data: dict) -> list[str]:
    """A joint case's parts on its notice, the lead first (empty for a single service)."""
    parts = data.get("parts") or []
    if not parts:
        return []
    lead = parts[0]["department"]
    what = f"“{data['bundle']}”（一件事一次办）" if data.get("bundle") else "本件"
    lines = [f"{what}为联办件，由{lead}牵头，各部门办理事项如下："]
    for i, p in enumerate(parts, start=1):
        lines.append(f"{i}. {p['department']}：{p['part']}" + ("（牵头）" if p["lead"] else ""))
    return lines


def document_lines(case, doc) -> list[str]:
    data = doc.data or {}
    received = timezone.localtime(case.received_at)
    head = f"{case.applicant_name}："
    about = f"你（单位）于 {received:%Y年%m月%d日} 提出的“{data.get('service', case.service.name)}”申请（办件编号 {case.number}），"
    if doc.kind == Document.Kind.ACCEPTANCE:
        return [
            head,
            about + "材料齐全、符合法定形式，本机关决定予以受理。",
            *joint_lines(data),
            f"承诺办理时限为 {data.get('committed_days', case.committed_days)} 个工作日，"
            f"将于 {_date(case.deadline)} 前办结（法定节假日不计算在内；依法需要听证、检验、鉴定和专家评审的，所需时间不计算在内）。",
            "办理进度可扫描下方二维码或凭办件编号和查询码在网上查询。",
        ]
    if doc.kind == Document.Kind.SUPPLEMENT:
        missing = data.get("missing", [])
        lines = [head, about + "经审查，申请材料不齐全，现一次性告知需要补正的全部材料："]
        lines += [f"{i}. {name}" for i, name in enumerate(missing, start=1)]
        if data.get("note"):
            lines.append(f"说明：{data['note']}")
        lines.append("请补齐上述材料后再次提交。补正期间不计入办理时限。")
        return lines
    if doc.kind == Document.Kind.REJECTION:
        return [
            head,
            about + "经审查，决定不予受理。",
            f"理由：{data.get('reason', '')}",
            "如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。",
        ]
    department = data.get("department", case.department.name)
    if doc.kind == Document.Kind.REFUSAL:
        return [
            head,
            about + f"经审查，{department}决定不予许可。",
            f"不予许可的理由：{data.get('reason', '')}",
            "根据《中华人民共和国行政许可法》第三十八条第二款，现告知你（单位）享有依法申请行政复议"
            "或者提起行政诉讼的权利：",
            *remedy_lines(data),
        ]
    if doc.kind == Document.Kind.EXTENSION:
        return [
            head,
            about + f"因{data.get('reason', '')}，不能在原定期限内办结。",
            "根据《中华人民共和国行政许可法》第四十二条，经本部门负责人批准，办理期限延长 "
            f"{data.get('days', '')} 个工作日。",
            f"原办结期限：{_date(data.get('previous_deadline'))}；"
            f"延长后的办结期限：{_date(data.get('deadline'))}（法定节假日不计算在内）。",
            *_provisional(data),
            "办理进度可扫描下方二维码或凭办件编号和查询码在网上查询。",
        ]
    if doc.kind == Document.Kind.SUSPENSION:
        return [
            head,
            about
            + f"因{data.get('reason', '')}，自 {_date(data.get('suspended_on'))} 起中止办理。",
            "根据《中华人民共和国行政许可法》第四十五条，依法需要听证、招标、拍卖、检验、检测、检疫、鉴定"
            "和专家评审的，所需时间不计算在办理期限内。中止期间不计入办理时限；恢复办理时，"
            "本机关将书面告知新的办结期限。",
            "办理进度可扫描下方二维码或凭办件编号和查询码在网上查询。",
        ]
    if doc.kind == Document.Kind.RESUMPTION:
        return [
            head,
            about + f"因{data.get('reason', '')}，自 {_date(data.get('suspended_on'))} 起中止办理；"
            f"中止事由已消除，现自 {_date(data.get('resumed_on'))} 起恢复办理。",
            f"中止期间 {data.get('suspended_working_days', 0)} 个工作日不计入办理时限"
            "（《中华人民共和国行政许可法》第四十五条），"
            f"办结期限顺延至 {_date(data.get('deadline'))}（法定节假日不计算在内）。",
            *_provisional(data),
            "办理进度可扫描下方二维码或凭办件编号和查询码在网上查询。",
        ]
    if doc.kind == Document.Kind.RETURN:
        return [head, about + "现予退件，申请材料一并退还。", f"理由：{data.get('reason', '')}"]
    outcome = "准予办理" if case.outcome != "refused" else "不予批准"
    return [
        head,
        about + f"已办理完毕，办理结果：{outcome}。",
        f"办结时间：{_date(timezone.localtime(case.completed_at)) if case.completed_at else ''}。",
        "欢迎扫描下方二维码对本次服务进行评价。",
    ]
