"""网上申报 and the applicant's progress page: number + query code, uploads checked before
anything is kept, documents to download, supplement upload, the rating link."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases import reuse
from yichuang.cases import services as cases
from yichuang.cases.attachments import listed as listed_attachments
from yichuang.cases.documents import listed as listed_documents
from yichuang.cases.models import EVENT_LABELS, Case, Document, PartStatus
from yichuang.cases.parts import joint_options, parse_joint
from yichuang.cases.presenters import public_cases, public_progress
from yichuang.catalog.queries import get_service
from yichuang.core.db_routing import reads_may_lag
from yichuang.core.errors import DomainError, NotFound, RateLimited
from yichuang.core.lookup import find_by_code
from yichuang.core.notifications.receipt import sms_receipt
from yichuang.core.ratelimits import guard_anonymous_create

from .. import phone_sign_in
from ..forms import ApplicantForm, LookupForm

# Kept for callers of core.ratelimits.guard_lookup: every public lookup shares one counter.
LOOKUP = "portal-lookup"


def _uploads(request, service) -> dict[int, list]:
    return {m.pk: request.FILES.getlist(f"m{m.pk}") for m in service.materials.all()}


def apply(request, code):
    try:
        service = get_service(code)
    except NotFound:
        return render(request, "portal/not_found.html", {}, status=404)
    if not service.online:
        return render(request, "portal/not_online.html", {"service": service}, status=409)
    joint_posted = request.POST.getlist("joint") if request.method == "POST" else []
    # Signed in to 我的: the proven phone's earlier data, with consent (cases/reuse.py).
    marker, _expired = phone_sign_in.session_state(request)
    digest = marker["hash"] if marker else ""
    earlier = reuse.earlier_online(service, phone_hash=digest) if digest else None
    initial = {}
    if earlier is not None and not earlier.needs_consent:
        initial = {"name": earlier.name, "phone": earlier.phone, "email": earlier.email}
    form = ApplicantForm(request.POST or None, initial=initial)
    ticked = _ticked(request) if request.method == "POST" else None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            guard_anonymous_create(request, phone=data["phone"])
            case = cases.apply_online(
                service=service,
                applicant={
                    "name": data["name"],
                    "id_number": data["id_number"],
                    "phone": data["phone"],
                    "email": data["email"],
                },
                uploads=_uploads(request, service),
                joint_parts=parse_joint(joint_posted, online_only=True),
                reuse=sorted(ticked or ()),
                verified_phone_hash=digest,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status if exc.status == 429 else 200
        else:
            request.session["applied"] = case.number
            return redirect(progress_path(case.number, case.query_code) + "&new=1")
    return render(
        request,
        "portal/apply.html",
        {
            "service": service,
            "form": form,
            "materials": service.materials.all(),
            # 联办: the other departments' online services, for the applicant to add.
            "joint_options": joint_options(service.department_id, online_only=True),
            "joint_chosen": set(joint_posted),
            "pnav": "guide",
            "signed_in": bool(digest),
            "earlier": earlier,
            "reuse_ticked": None if ticked is None else {str(t) for t in ticked},
            "offered": {o.material_id for o in earlier.offers} if earlier else set(),
            "consent_text": reuse.CONSENT_TEXT,
        },
        status=status,
    )


def _ticked(request) -> set[int]:
    # A value that is not a number offers nothing; create_case refuses any it was not offered.
    return {int(v) for v in request.POST.getlist("reuse") if v.isdigit()}


@require_POST
def reuse_consent(request, code):
    """The applicant signed in to 我的 agrees, on the online form, to their earlier data being
    offered; back to the form, which now offers it."""
    marker, _expired = phone_sign_in.session_state(request)
    try:
        reuse.give_consent(channel="online", phone_hash=marker["hash"] if marker else "")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录您的同意，可在“我的”中随时撤回"))
    return redirect("portal:apply", code=code)


def progress_path(number, code):
    return reverse("portal:progress", args=[number]) + f"?c={code}"


def lookup(request):
    form = LookupForm(request.GET or None)
    if form.is_valid():
        return redirect(
            progress_path(form.cleaned_data["number"].strip(), form.cleaned_data["code"].strip())
        )
    return render(request, "portal/lookup.html", {"form": form, "pnav": "progress"})


def _lookup_page(request, number, error, status):
    form = LookupForm(initial={"number": number})
    context = {"form": form, "pnav": "progress", "error": error}
    return render(request, "portal/lookup.html", context, status=status)


def _public_case(request, number, code):
    return find_by_code(request, public_cases(), code=code, number=number)


@reads_may_lag
def progress(request, number):
    code = (request.GET.get("c") or "").strip().upper()
    if not code:  # asks for the code; not a guess
        return _lookup_page(request, number, None, 200)
    try:
        case = _public_case(request, number, code)
    except RateLimited as exc:
        return _lookup_page(request, number, exc.message, 429)
    except NotFound:
        error = _("办件编号或查询码不正确，请核对受理通知书或短信中的信息。")
        return _lookup_page(request, number, error, 404)
    view = public_progress(case)
    new = request.GET.get("new") == "1"
    if request.method == "POST" and case.status == "supplement":
        try:
            cases.supplement_online(
                case,
                uploads={
                    m.material_id: request.FILES.getlist(f"m{m.material_id}")
                    for m in case.materials.all()
                },
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("材料已提交，窗口审核后将通知您。"))
        return redirect(progress_path(number, code))
    from yichuang.cases.models import Status

    view["status_label"] = Status(view["status"]).label
    view["events"] = [
        {**e, "label": EVENT_LABELS.get(e["action"], e["action"])} for e in view["events"]
    ]
    for part in view.get("parts", []):
        part["status_label"] = PartStatus(part["status"]).label
    return render(
        request,
        "portal/progress.html",
        {
            "case": view,
            "code": code,
            "new": new,
            # Nothing is sent on submission; acceptance or the supplement list will be.
            "sms": sms_receipt(case, kind="", phone=case.applicant_phone, later=True)
            if new
            else None,
            "documents": listed_documents(case.pk),
            "rate_url": _rate_url(number, code) if view["status"] == "completed" else None,
            "uploads": listed_attachments(case),
            "pnav": "progress",
            # The page's own address (/progress/<number>/): its documents and uploads are
            # under it, so their links need no reversing per row.
            "here": request.path,
        },
    )


@reads_may_lag
def document_pdf(request, number, doc_id):
    code = (request.GET.get("c") or "").strip().upper()
    try:
        found = _public_case(request, number, code)
    except RateLimited as exc:
        return _lookup_page(request, number, exc.message, 429)
    except NotFound:
        return render(request, "portal/not_found.html", {}, status=404)
    case = Case.objects.select_related("service", "department").get(pk=found.pk)
    doc = Document.objects.filter(case=case, pk=doc_id).first()
    if doc is None:
        return render(request, "portal/not_found.html", {}, status=404)
    url = request.build_absolute_uri(progress_path(number, code))
    from yichuang.cases.pdf import render_document_pdf  # reportlab loads with the first PDF

    response = HttpResponse(render_document_pdf(case, doc, url=url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}-{doc.kind}.pdf"'
    return response


def _rate_url(number, code):
    return reverse("feedback:rate", args=[number]) + f"?c={code}"
