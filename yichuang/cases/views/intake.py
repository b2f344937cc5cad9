"""The window clerk's intake: choose the service, type the applicant, tick the materials,
see at once what is missing, then accept, ask for the supplement in one list, or complete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from yichuang.catalog.models import Service
from yichuang.catalog.queries import search_services
from yichuang.core.errors import DomainError
from yichuang.core.pages import render_page

from .. import intake_sources, services
from ..forms import IntakeForm
from ..parts import joint_options, parse_joint
from .documents import print_acceptance

JOINT_ROWS = 3


def _intake_services(user):
    qs = Service.objects.filter(is_active=True)
    if not user.has_role("hall_office", "administrator"):
        qs = qs.filter(department_id=user.department_id)
    return qs


@login_required
def intake(request):
    q = request.GET.get("q", "")
    results = list(search_services(q, queryset=_intake_services(request.user))[:12])
    return render_page(
        request,
        "cases/intake.html",
        {
            "nav": "intake",
            "q": q,
            "results": results,
            # A ticket called at the console stays with the intake whichever service is chosen.
            "sources": intake_sources.carried(request.GET),
            "source_query": intake_sources.query(request.GET),
            "back": intake_sources.back_links(request.GET, by=request.user),
        },
        fragment="cases/partials/_service_results.html",
    )


@login_required
def intake_form(request, code):
    service = get_object_or_404(
        _intake_services(request.user).prefetch_related("materials"), code=code
    )
    form = IntakeForm(request.POST or None, service=service)
    joint_posted = request.POST.getlist("joint") if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.create_case(
                service=service,
                channel="window",
                applicant={
                    "name": data["applicant_name"],
                    "id_number": data["id_number"],
                    "phone": data["phone"],
                },
                materials=[int(m) for m in data["materials"]],
                by=request.user,
                note=data["note"],
                joint_parts=parse_joint(joint_posted),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            for refusal in intake_sources.link_sources(request.GET, case=case, by=request.user):
                messages.warning(request, refusal)
            return _decide(request, case, data["decision"], data["note"])
    return render_page(
        request,
        "cases/intake_form.html",
        {
            "nav": "intake",
            "service": service,
            "form": form,
            # 联办: co-departments with an optional service each, one row per department.
            "joint_options": joint_options(service.department_id),
            "joint_rows": (joint_posted + [""] * JOINT_ROWS)[: max(JOINT_ROWS, len(joint_posted))],
            "source_query": intake_sources.query(request.GET),
            "back": intake_sources.back_links(request.GET, by=request.user),
        },
        fragment="cases/partials/_intake_form.html",
    )


def _decide(request, case, decision, note):
    """The clerk's choice after typing: the case exists either way; a refused step leaves it
    submitted with a message, never half-done. An acceptance opens its notice to print (the
    applicant leaves with it); the rest open the case. Both keep where the intake came from."""
    try:
        if decision == "accept":
            services.accept_case(case, by=request.user)
            messages.success(request, _("已受理，办结期限：%(d)s") % {"d": case.deadline})
            return print_acceptance(case, request.GET)
        elif decision == "supplement":
            missing = [m.material_id for m in case.materials.all() if m.required and not m.provided]
            services.request_supplement(case, missing=missing, note=note, by=request.user)
            messages.success(request, _("已一次性告知需补交的全部材料"))
        elif decision == "complete":
            services.complete_case(case, by=request.user)
            messages.success(request, _("即办件已办结"))
        else:
            messages.success(request, _("已收件，编号 %(n)s") % {"n": case.number})
    except DomainError as exc:
        messages.error(
            request, _("已收件（编号 %(n)s），但：%(m)s") % {"n": case.number, "m": exc.message}
        )
    return redirect(reverse("cases:detail", args=[case.number]) + intake_sources.query(request.GET))
