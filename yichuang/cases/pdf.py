"""Case documents as A4 PDFs with the embedded Chinese font: title, document number, the
facts, room for the seal and the applicant's signature, and a QR code to the progress page."""

from io import BytesIO

from django.utils import timezone
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from yichuang.core.pdf import register_font
from yichuang.core.qr import qr_code

from .texts import document_lines, document_title


def _qr_image(url: str) -> Image:
    buffer = BytesIO()
    qr_code(url).save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    return Image(buffer, width=28 * mm, height=28 * mm)


def render_document_pdf(case, doc, *, url: str) -> bytes:
    font = register_font()
    base = ParagraphStyle("b", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    title = ParagraphStyle("t", parent=base, fontSize=18, leading=26, alignment=TA_CENTER)
    right = ParagraphStyle("r", parent=base, alignment=TA_RIGHT)
    small = ParagraphStyle("s", parent=base, fontSize=9, leading=13)
    buffer = BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=f"{document_title(doc.kind)} {doc.number}",
    )
    story = [
        Paragraph(case.department.name, title),
        Paragraph(document_title(doc.kind), title),
        Paragraph(doc.number, right),
        Spacer(1, 6 * mm),
    ]
    story += [Paragraph(line, base) for line in document_lines(case, doc)]
    issued = timezone.localtime(doc.issued_at)
    story += [
        Spacer(1, 10 * mm),
        Paragraph(f"（盖章）{case.department.name}", right),
        Paragraph(f"{issued:%Y年%m月%d日}", right),
        Spacer(1, 8 * mm),
        Paragraph("申请人签收：＿＿＿＿＿＿＿＿　　签收时间：＿＿＿＿年＿＿月＿＿日＿＿时", base),
        Spacer(1, 8 * mm),
    ]
    qr = Table(
        [
            [
                _qr_image(url),
                Paragraph(
                    f"扫码查询办理进度并评价<br/>办件编号：{case.number}<br/>查询码：{case.query_code}<br/>{url}",
                    small,
                ),
            ]
        ],
        colWidths=[32 * mm, None],
    )
    qr.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(qr)
    pdf.build(story)
    return buffer.getvalue()
