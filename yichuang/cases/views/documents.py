"""Printable documents of a case (print view and PDF), and the public progress page their QR
code leads to."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from yichuang.catalog.sheet import qr_svg

from ..models import Case, Document, Status
from ..pdf import render_document_pdf
from ..presenters import public_progress
from ..transitions import ACTION_LABELS


def progress_url(request, case: Case) -> str:
    return request.build_absolute_uri(
        reverse("cases:progress", args=[case.number]) + f"?c={case.query_code}"
    )


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
    pdf = render_document_pdf(case, doc, url=progress_url(request, case))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.number}.pdf"'
    return response


def progress(request, number):
    """Public: the applicant follows the case with its number and query code (no login)."""
    code = request.GET.get("c")
    view = public_progress(number, code)
    if view is None:
        context = {"number": number, "error": code is not None}
        return render(
            request, "cases/progress_lookup.html", context, status=404 if code is not None else 200
        )
    view["status_label"] = Status(view["status"]).label
    view["events"] = [
        {
            **e,
            "label": ACTION_LABELS.get(e["action"], e["action"]),
            "status_label": Status(e["status"]).label,
        }
        for e in view["events"]
    ]
    return render(request, "cases/progress.html", {"case": view, "name": view["applicant"]})
