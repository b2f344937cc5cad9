"""The staff pages of bundles (一件事) and their public notification sheet. They share the
service pages' templates and sheet machinery (views.sheet_context, sheet.Sheet, pdf)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError, Invalid, NotFound
from yichuang.core.pages import render_page

from . import services
from .forms import BundleForm
from .models import Bundle
from .pages import PREFIX, bundle_sheet_context, with_version_links
from .queries import bundles_for_listing, get_bundle, versions_of
from .validation import BundleData
from .views import publish_entry, set_entry_active, sheet_pdf_response


@login_required
def bundle_list(request):
    show_inactive = services.can_edit_catalogue(request.user)
    rows = bundles_for_listing(include_inactive=show_inactive).annotate(
        service_count=Count("members")
    )
    context = {
        "nav": "catalog",
        "bundles": rows,
        "can_edit": services.can_edit_catalogue(request.user),
    }
    return render_page(request, "catalog/bundle_list.html", context)


@login_required
def bundle_detail(request, code):
    bundle = get_object_or_404(Bundle.objects.select_related("lead__department"), code=code)
    context = bundle_sheet_context(request, bundle)
    context.update(
        nav="catalog",
        versions=with_version_links(versions_of(bundle), PREFIX, bundle.code),
        can_edit=services.can_edit_bundle(request.user, bundle),
    )
    return render_page(request, "catalog/detail.html", context)


def _public_bundle(code):
    try:
        return get_bundle(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def bundle_sheet(request, code, number=None):
    """The public sheet of a bundle (no login): the portal and its QR code link here."""
    context = bundle_sheet_context(request, _public_bundle(code), number)
    return render_page(request, "catalog/sheet.html", context)


def bundle_sheet_pdf(request, code, number=None):
    bundle = _public_bundle(code)
    return sheet_pdf_response(bundle.code, bundle_sheet_context(request, bundle, number))


def _edit_page(request, bundle: Bundle | None):
    user = request.user
    if bundle is None and not services.can_edit_catalogue(user):
        raise PermissionDenied(_("只有部门负责人或大厅管理办公室可以新增一件事"))
    if bundle is not None and not services.can_edit_bundle(user, bundle):
        raise PermissionDenied(_("只有牵头部门负责人或大厅管理办公室可以修改该一件事"))
    form = BundleForm(request.POST or None, user=user, bundle=bundle)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            cd = form.cleaned_data
            data = BundleData(
                code=bundle.code if bundle else cd["code"],
                name=cd["name"],
                lead=cd["lead"],
                services=list(cd["services"]),
                summary=cd["summary"],
                is_active=bundle.is_active if bundle else True,
            )
            try:
                saved = services.save_bundle(data, by=user, bundle=bundle, note=cd["note"])
            except Invalid as exc:
                for field, message in exc.fields.items():
                    form.add_error(field if field in form.fields else None, message)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("已保存“%(name)s”，当前为第 %(n)d 版")
                    % {"name": saved.name, "n": saved.version},
                )
                return redirect("catalog:bundle_detail", code=saved.code)
        status = 400
        messages.error(request, _("请修改标出的错误后再保存"))
    context = {"nav": "catalog", "bundle": bundle, "form": form}
    return render_page(request, "catalog/bundle_edit.html", context, status=status)


@login_required
def bundle_create(request):
    return _edit_page(request, None)


@login_required
def bundle_edit(request, code):
    return _edit_page(request, get_object_or_404(Bundle, code=code))


@login_required
@require_POST
def bundle_publish(request, code):
    bundle = get_object_or_404(Bundle, code=code)
    return publish_entry(request, bundle, services.publish_bundle, "catalog:bundle_detail")


@login_required
@require_POST
def bundle_set_active(request, code):
    bundle = get_object_or_404(Bundle, code=code)
    done = (_("一件事已启用"), _("一件事已停用，不再对外公布"))
    return set_entry_active(
        request, bundle, services.set_bundle_active, "catalog:bundle_detail", done
    )
