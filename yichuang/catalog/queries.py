"""Read side of the catalogue. The catalogue is public, so reading is not scoped; editing is
(`Service.objects.editable_by(user)`)."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from yichuang.core.errors import NotFound

from .models import Bundle, BundleService, BundleVersion, Service, ServiceVersion


def services_for_listing(queryset=None):
    """Items with what a list row shows, loaded in one query."""
    queryset = queryset if queryset is not None else Service.objects.all()
    return queryset.select_related("department", "post", "post__window")


def search_services(
    q: str = "",
    *,
    department: str | None = None,
    kind: str | None = None,
    online: bool | None = None,
    include_inactive: bool = False,
    queryset=None,
    hall=None,
):
    """Items whose name, code, category, keywords or pinyin (initials such as "cjzm" or "cj" for 成绩证明, or the
    full pinyin) contain `q`, optionally of one department (by code), kind or online."""
    qs = services_for_listing(queryset)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    q = (q or "").strip()
    if q:
        lowered = q.lower().replace(" ", "")
        match = (
            Q(name__icontains=q)
            | Q(code__icontains=q)
            | Q(category__icontains=q)
            | Q(keywords__icontains=q)
        )
        if lowered.isascii() and lowered:
            match |= Q(pinyin_initials__contains=lowered) | Q(pinyin__contains=lowered)
        qs = qs.filter(match)
    if department:
        qs = qs.filter(department__code=department)
    if kind:
        qs = qs.filter(kind=kind)
    if online is not None:
        qs = qs.filter(online=online)
    if hall is not None:
        qs = qs.in_hall(hall)
    return qs


def get_service(code: str, *, include_inactive: bool = False) -> Service:
    """The item with this code, or NotFound (inactive items are not found unless asked)."""
    qs = services_for_listing()
    if not include_inactive:
        qs = qs.filter(is_active=True)
    service = qs.filter(code=code).first()
    if service is None:
        raise NotFound(_("服务事项“%(code)s”不存在或已停用") % {"code": code})
    return service


def service_version(service: Service, number: int | None = None) -> ServiceVersion:
    """One published version of an item (its current one by default). Cases read the
    version they were accepted under with `service_version(service, case.service_version)`."""
    number = service.version if number is None else number
    version = (
        ServiceVersion.objects.select_related("published_by")
        .filter(service=service, number=number)
        .first()
    )
    if version is None:
        raise NotFound(_("服务事项“%(code)s”没有第 %(n)s 版") % {"code": service.code, "n": number})
    return version


def current_version(service: Service) -> ServiceVersion:
    return service_version(service, None)


def versions_of(service: Service | Bundle):
    """The item's (or bundle's) version history, newest first, without the snapshots."""
    model = BundleVersion if isinstance(service, Bundle) else ServiceVersion
    owner = "bundle" if isinstance(service, Bundle) else "service"
    return (
        model.objects.filter(**{owner: service})
        .select_related("published_by")
        .defer("snapshot")
        .order_by("-number")
    )


# --- bundles (一件事) -------------------------------------------------------------------


def bundles_for_listing(*, include_inactive: bool = False):
    """Bundles with their lead's department; a bundle one of whose services was withdrawn is
    not offered (it could not be applied for) unless inactive ones are asked for."""
    qs = Bundle.objects.select_related("lead__department")
    if not include_inactive:
        withdrawn = BundleService.objects.filter(bundle=OuterRef("pk"), service__is_active=False)
        qs = qs.filter(is_active=True).exclude(Exists(withdrawn))
    return qs


def bundles_with_services():
    """The bundles offered (`bundles_for_listing`), each with its services in order (the lead
    first) and their departments: two queries whatever their number."""
    return bundles_for_listing().prefetch_related(
        Prefetch(
            "members",
            queryset=BundleService.objects.select_related("service__department").order_by(
                "position", "id"
            ),
        )
    )


def get_bundle(code: str, *, include_inactive: bool = False) -> Bundle:
    """The bundle with this code, or NotFound (an inactive one unless asked)."""
    bundle = bundles_for_listing(include_inactive=include_inactive).filter(code=code).first()
    if bundle is None:
        raise NotFound(_("一件事“%(code)s”不存在或已停用") % {"code": code})
    return bundle


def bundle_version(bundle: Bundle, number: int | None = None) -> BundleVersion:
    """One published version of a bundle (its current one by default)."""
    number = bundle.version if number is None else number
    version = (
        BundleVersion.objects.select_related("published_by")
        .filter(bundle=bundle, number=number)
        .first()
    )
    if version is None:
        raise NotFound(_("一件事“%(code)s”没有第 %(n)s 版") % {"code": bundle.code, "n": number})
    return version
