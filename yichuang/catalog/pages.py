"""What the sheet pages show of one published version — the sheet, its QR code and the
addresses of the pages around it — for a service or a bundle, shared by the catalogue's
pages and the portal's."""

from django.http import Http404
from django.urls import reverse

from yichuang.core.errors import NotFound
from yichuang.core.qr import qr_svg

from .models import Bundle
from .queries import bundle_version
from .sheet import build_bundle_sheet, closing_notes

PREFIX = "bundle_"  # the bundle pages' URL names are the service pages' with this prefix


def entry_links(prefix: str, code: str, number: int | None = None) -> dict:
    """The addresses of a service's (prefix "") or a bundle's (prefix "bundle_") pages, so
    that one detail page and one sheet page serve both."""

    def url(name, *args):
        return reverse(f"catalog:{prefix}{name}", args=[code, *args])

    return {
        "list": reverse(f"catalog:{prefix}list"),
        "detail": url("detail"),
        "edit": url("edit"),
        "publish": url("publish"),
        "active": url("set_active"),
        "public": url("sheet"),
        "pdf": url("sheet_pdf") if number is None else url("version_sheet_pdf", number),
        "current_pdf": url("sheet_pdf"),
    }


def sheet_context(request, entry, version, sheet, *, prefix: str = "") -> dict:
    """What the staff detail page and the public sheet page show of one published version."""
    is_current = version.number == entry.version
    return {
        "service": entry,
        "version": version,
        "sheet": sheet,
        "notes": closing_notes(sheet),
        "qr": qr_svg(sheet.url),
        "is_current": is_current,
        "links": entry_links(prefix, entry.code, None if is_current else version.number),
    }


def with_version_links(versions, prefix: str, code: str) -> list:
    for v in versions:
        v.url = reverse(f"catalog:{prefix}version_sheet", args=[code, v.number])
    return list(versions)


def public_bundle_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("catalog:bundle_sheet", args=[code]))


def bundle_sheet_context(request, bundle: Bundle, number: int | None = None) -> dict:
    try:
        version = bundle_version(bundle, number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    sheet = build_bundle_sheet(version, url=public_bundle_url(request, bundle.code))
    context = sheet_context(request, bundle, version, sheet, prefix=PREFIX)
    context["is_bundle"] = True
    if sheet.online:
        context["apply_url"] = reverse("portal:bundle_apply", args=[bundle.code])
    return context
