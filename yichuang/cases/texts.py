"""The words of each document, shared by the print view and the PDF."""

from django.utils import timezone

from .models import Document

TITLES = dict(Document.Kind.choices)


def document_title(kind: str) -> str:
    return TITLES.get(kind, kind)


def _date(d) -> str:
    return f"{d:%Y年%m月%d日}" if d else ""


def document_lines(case, doc) -> list[str]:
    data = doc.data or {}
    received = timezone.localtime(case.received_at)
    head = f"{case.applicant_name}："
    about = f"你（单位）于 {received:%Y年%m月%d日} 提出的“{data.get('service', case.service.name)}”申请（办件编号 {case.number}），"
    if doc.kind == Document.Kind.ACCEPTANCE:
        return [
            head,
            about + "材料齐全、符合法定形式，本机关决定予以受理。",
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
    if doc.kind == Document.Kind.RETURN:
        return [head, about + "现予退件，申请材料一并退还。", f"理由：{data.get('reason', '')}"]
    outcome = "准予办理" if case.outcome != "refused" else "不予批准"
    return [
        head,
        about + f"已办理完毕，办理结果：{outcome}。",
        f"办结时间：{_date(timezone.localtime(case.completed_at)) if case.completed_at else ''}。",
        "欢迎扫描下方二维码对本次服务进行评价。",
    ]
