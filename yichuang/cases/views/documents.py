"""Printable documents of a case (print view and PDF) with a QR code to the public progress
page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yichuang.core.qr import qr_svg

from .. import intake_sources
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
    """The print view. `?print=1` (after an acceptance) opens the print dialog at once; the
    intake's sources carried in the query lead back to where the clerk came from."""
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
            "autoprint": request.GET.get("print") == "1",
            "back": intake_sources.back_links(request.GET, by=request.user),
            "source_query": intake_sources.query(request.GET),
        },
    )


def print_acceptance(case, parameters):
    """After an acceptance: its notice's print view, printing at once, with the intake's
    sources carried on (the case page if, against the rule, there is no notice)."""
    notice = (
        case.documents.filter(kind=Document.Kind.ACCEPTANCE).order_by("-issued_at", "-pk").first()
    )
    if notice is None:
        return redirect(
            reverse("cases:detail", args=[case.number]) + intake_sources.query(parameters)
        )
    url = reverse("cases:document", args=[case.number, notice.pk])
    return redirect(url + intake_sources.query(parameters, print="1"))


@login_required
def document_pdf(request, number, doc_id):
    case, doc = _document(request, number, doc_id)
    from ..pdf import render_document_pdf  # reportlab loads with the first PDF

    pdf = render_document_pdf(case, doc, url=progress_url(request, case))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.number}.pdf"'
    return response
