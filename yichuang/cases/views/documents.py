"""Printable documents of a case (print view and PDF) with a QR code to the public progress
page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from yichuang.core.qr import qr_svg

from ..models import Case, Document


def progress_url(request, case: Case) -> str:
    """The public progress page the QR code leads to (the portal's, by setting)."""
    path = settings.PUBLIC_PROGRESS_PATH.format(number=case.number, code=case.query_code)
    return request.build_absolute_uri(path)


def _document(request, number, doc_id):
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("service", "department"), number=number
    )
    return case, get_object_or_404(Document.objects.filter(case=case), pk=doc_id)


@login_required
def document(request, number, doc_id):
    case, doc = _document(request, number, doc_id)
    url = progress_url(request, case)
    return render(
        request,
        "cases/document.html",
        {
            "case": case,
            "doc": doc,
            "qr": qr_svg(url),
            "url": url,
            "materials": case.materials.all(),
        },
    )


@login_required
def document_pdf(request, number, doc_id):
    case, doc = _document(request, number, doc_id)
    from ..pdf import render_document_pdf  # reportlab loads with the first PDF

    pdf = render_document_pdf(case, doc, url=progress_url(request, case))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.number}.pdf"'
    return response
