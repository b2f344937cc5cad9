from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError, Invalid, NotFound
from yichuang.core.pages import render_page
from yichuang.org.models import Department

from . import services
from .forms import MaterialFormSet, ServiceForm, StepFormSet, data_from_forms, show_problems
from .models import Kind, Service
from .pages import sheet_context, with_version_links
from .queries import get_service, search_services, service_version, versions_of
from .sheet import build_sheet, public_sheet_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def service_list(request):
    user = request.user
    q = request.GET.get("q", "").strip()
    department = request.GET.get("department", "")
    kind = request.GET.get("kind", "")
    show_inactive = bool(request.GET.get("inactive")) and services.can_edit_catalogue(user)
    rows = search_services(
        q,
        department=department or None,
        kind=kind if kind in Kind.values else None,
        include_inactive=show_inactive,
    ).annotate(material_count=Count("materials"))
    context = {
        "nav": "catalog",
        "services": rows,
        "departments": Department.objects.all(),
        "q": q,
        "selected": department,
        "kind": kind,
        "kinds": Kind.choices,
        "show_inactive": show_inactive,
        "can_edit": services.can_edit_catalogue(user),
        "can_exchange": services.can_exchange_catalogue(user),
    }
    return render_page(
        request, "catalog/list.html", context, fragment="catalog/partials/_service_table.html"
    )


def _sheet_context(request, service, number=None) -> dict:
    try:
        version = service_version(service, number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    sheet = build_sheet(version, url=public_sheet_url(request, service.code))
    return sheet_context(request, service, version, sheet)


@login_required
def detail(request, code):
    service = get_object_or_404(Service.objects.select_related("department", "post"), code=code)
    context = _sheet_context(request, service)
    context.update(
        nav="catalog",
        versions=with_version_links(versions_of(service), "", service.code),
        can_edit=services.can_edit_service(request.user, service),
    )
    return render_page(request, "catalog/detail.html", context)


def _public_service(code):
    try:
        return get_service(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def sheet(request, code, number=None):
    """The public notification sheet (no login): the portal and the QR codes link here."""
    service = _public_service(code)
    return render_page(request, "catalog/sheet.html", _sheet_context(request, service, number))


def sheet_pdf(request, code, number=None):
    service = _public_service(code)
    return sheet_pdf_response(service.code, _sheet_context(request, service, number))


def sheet_pdf_response(code: str, context: dict) -> HttpResponse:
    """A notification sheet (a service's or a bundle's) as the PDF named after its version."""
    from .pdf import render_sheet_pdf  # reportlab loads with the first PDF

    response = HttpResponse(render_sheet_pdf(context["sheet"]), content_type="application/pdf")
    filename = f"{code}-v{context['version'].number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _edit_page(request, service: Service | None):
    user = request.user
    if service is None and not services.can_edit_catalogue(user):
        raise PermissionDenied(_("只有部门负责人或大厅管理办公室可以新增服务事项"))
    if service is not None and not services.can_edit_service(user, service):
        raise PermissionDenied(_("只有本部门负责人或大厅管理办公室可以修改该事项"))
    # The forms write the posted values onto their instance; keep `service` as it was.
    instance = Service.objects.get(pk=service.pk) if service else Service()
    status = 200
    if request.method == "POST":
        form = ServiceForm(request.POST, instance=instance, user=user)
        materials = MaterialFormSet(
            request.POST, request.FILES, instance=instance, prefix="materials"
        )
        steps = StepFormSet(request.POST, instance=instance, prefix="steps")
        if form.is_valid() & materials.is_valid() & steps.is_valid():
            data, material_forms, step_forms = data_from_forms(
                form, materials, steps, existing=service
            )
            try:
                saved = services.save_service(
                    data, by=user, service=service, note=form.cleaned_data["note"]
                )
            except Invalid as exc:
                show_problems(exc, form, material_forms, step_forms)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("已保存“%(name)s”，当前为第 %(n)d 版")
                    % {"name": saved.name, "n": saved.version},
                )
                return redirect("catalog:detail", code=saved.code)
        status = 400
        messages.error(request, _("请修改标出的错误后再保存"))
    else:
        form = ServiceForm(instance=instance, user=user)
        materials = MaterialFormSet(instance=instance, prefix="materials")
        steps = StepFormSet(instance=instance, prefix="steps")
    context = {
        "nav": "catalog",
        "service": service,
        "form": form,
        "materials": materials,
        "steps": steps,
    }
    return render_page(request, "catalog/edit.html", context, status=status)


@login_required
def create(request):
    return _edit_page(request, None)


@login_required
def edit(request, code):
    return _edit_page(request, get_object_or_404(Service, code=code))


def publish_entry(request, entry, publish, detail: str):
    """The publish button of a service's or a bundle's page: `publish` is its service verb."""
    try:
        version = publish(entry, by=request.user, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发布第 %(n)d 版") % {"n": version.number})
    return redirect(detail, code=entry.code)


def set_entry_active(request, entry, set_active, detail: str, done: tuple[str, str]):
    """The withdraw / bring back button; `done` is the message for (brought back, withdrawn)."""
    active = request.POST.get("active") == "1"
    try:
        set_active(entry, active=active, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done[0] if active else done[1])
    return redirect(detail, code=entry.code)


@login_required
@require_POST
def publish(request, code):
    service = get_object_or_404(Service, code=code)
    return publish_entry(request, service, services.publish_service, "catalog:detail")


@login_required
@require_POST
def set_active(request, code):
    service = get_object_or_404(Service, code=code)
    done = (_("事项已启用"), _("事项已停用，不再对外公布"))
    return set_entry_active(request, service, services.set_service_active, "catalog:detail", done)


@login_required
def export_xlsx(request):
    if not services.can_exchange_catalogue(request.user):
        raise PermissionDenied(_("只有大厅管理办公室可以导出整个事项清单"))
    from .excel import export_catalog  # openpyxl loads with the first workbook

    response = HttpResponse(export_catalog(by=request.user), content_type=XLSX)
    filename = _("事项清单-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def import_xlsx(request):
    if not services.can_exchange_catalogue(request.user):
        raise PermissionDenied(_("只有大厅管理办公室可以导入事项清单"))
    from .excel import ImportResult, import_catalog  # openpyxl loads with the first workbook

    result, status = None, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            result = ImportResult(errors=[_("请选择要导入的 Excel 文件")])
        else:
            result = import_catalog(upload, by=request.user)
        if result.ok:
            messages.success(
                request,
                _("导入完成：新增 %(c)d 项，更新并发布新版本 %(u)d 项，未变化 %(n)d 项")
                % {"c": len(result.created), "u": len(result.updated), "n": len(result.unchanged)},
            )
            return redirect("catalog:list")
        status = 400
    return render_page(
        request, "catalog/import.html", {"nav": "catalog", "result": result}, status=status
    )
