"""一件事一次办 on the portal: the list of bundles, each bundle's page (what to bring, once,
and which departments do what) and its one online form, which submits once and gives one
number and query code."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from yichuang.cases.bundles import submit_bundle
from yichuang.catalog.pages import bundle_sheet_context
from yichuang.catalog.queries import bundles_with_services, get_bundle
from yichuang.core.errors import DomainError, Invalid, NotFound
from yichuang.core.ratelimits import guard_anonymous_create

from ..forms import ApplicantForm
from .apply import progress_path

# Which applicant field a refusal of create_case is about, to show it beside that field.
FIELD_OF = {"invalid_name": "name", "invalid_id_number": "id_number", "invalid_phone": "phone"}


def _bundle_or_404(request, code):
    try:
        return get_bundle(code)
    except NotFound:
        return None


def index(request):
    """Every bundle offered, with what it is for and the services it joins."""
    return render(
        request, "portal/bundles.html", {"bundles": bundles_with_services(), "pnav": "guide"}
    )


def bundle(request, code):
    found = _bundle_or_404(request, code)
    if found is None:
        return render(request, "portal/not_found.html", {"pnav": "guide"}, status=404)
    context = bundle_sheet_context(request, found)
    context["pnav"] = "guide"
    return render(request, "portal/bundle.html", context)


def bundle_apply(request, code):
    found = _bundle_or_404(request, code)
    if found is None:
        return render(request, "portal/not_found.html", {"pnav": "guide"}, status=404)
    context = bundle_sheet_context(request, found)
    sheet = context["sheet"]
    if not sheet.online:
        messages.info(
            request, _("该一件事暂不支持网上申报，请携带告知单所列材料到牵头部门窗口办理。")
        )
        return redirect("portal:bundle", code=found.code)
    materials = context["version"].snapshot["materials"]
    form = ApplicantForm(request.POST or None)
    upload_errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            uploads = {m["id"]: request.FILES.getlist(f"m{m['id']}") for m in materials}
            try:
                guard_anonymous_create(request, phone=data["phone"])
                case = submit_bundle(
                    found,
                    applicant={k: data[k] for k in ("name", "id_number", "phone", "email")},
                    materials=[],
                    channel="online",
                    uploads=uploads,
                )
            except Invalid as exc:
                if exc.code in FIELD_OF:
                    form.add_error(FIELD_OF[exc.code], exc.message)
                elif exc.code == "invalid_upload":
                    upload_errors = list(exc.fields.get("files", [exc.message]))
                else:
                    form.add_error(None, exc.message)
            except DomainError as exc:
                messages.error(request, exc.message)
                status = exc.status if exc.status == 429 else 400
            else:
                request.session["applied"] = case.number
                return redirect(progress_path(case.number, case.query_code) + "&new=1")
    context.update(
        form=form,
        materials=materials,
        upload_errors=upload_errors,
        bundle=found,
        back=reverse("portal:bundle", args=[found.code]),
        pnav="guide",
    )
    return render(request, "portal/bundle_apply.html", context, status=status)
