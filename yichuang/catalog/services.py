"""The catalogue's verbs. Each checks permission, validates, writes in one transaction and
records an audit event.

Design: every saved change is a publication. `save_service` writes the live rows and, when
the published content differs from the current version, appends the next dated version in
the same transaction, so the live rows and the current snapshot never disagree.
`publish_service` re-issues an unchanged item, e.g. after its department moved office (the
sheet's location and phones fall back to the department's and are fixed at publication).

`by=None` means the operator of the machine (management commands, the demo seed).
"""

from dataclasses import replace

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.pinyin import search_keys, word_list
from yichuang.org.models import Hall
from yichuang.org.scoping import can_manage_department, managed_department_ids, works_in_hall

from .bundles import build_bundle_snapshot
from .models import Bundle, BundleService, BundleVersion, Material, Service, ServiceVersion, Step
from .snapshot import build_snapshot
from .validation import (
    SERVICE_FIELDS,
    BundleData,
    MaterialData,
    ServiceData,
    StepData,
    describe,
    find_bundle_problems,
    find_problems,
    normal_item_code,
)


def can_edit_catalogue(user) -> bool:
    """Whether the user may edit at least one department's items."""
    if user is None:
        return True
    ids = managed_department_ids(user)
    return ids is None or bool(ids)


def can_edit_service(user, service: Service) -> bool:
    return user is None or can_manage_department(user, service.department_id)


def can_exchange_catalogue(user) -> bool:
    """Whole-catalogue Excel import and export belong to the hall office."""
    return user is None or user.has_role("hall_office", "administrator")


def _check_can_edit(by, department_ids) -> None:
    if by is None:
        return
    for department_id in department_ids:
        if not can_manage_department(by, department_id):
            raise NotAllowed(_("只有本部门负责人或大厅管理办公室可以修改该部门的服务事项"))


def _raise_problems(problems, code: str = "invalid_service") -> None:
    raise Invalid(
        "；".join(describe(p) for p in problems),
        code=code,
        fields={
            (p.field if p.index is None else f"{p.where}s.{p.index}.{p.field}"): p.message
            for p in problems
        },
    )


def save_service(
    data: ServiceData, *, by, service: Service | None = None, note: str = ""
) -> Service:
    """Create an item (service=None) or change one, publishing a new version when what an
    applicant is told has changed."""
    department_ids = {data.department.pk if data.department else None}
    if service is not None:
        department_ids.add(service.department_id)
    _check_can_edit(by, department_ids)
    data = replace(
        data, keywords=word_list(data.keywords), item_code=normal_item_code(data.item_code)
    )
    problems = find_problems(data, existing=service)
    if problems:
        _raise_problems(problems)
    now = timezone.now()
    with transaction.atomic():
        if service is None:
            locked = Service(code=data.code, created_at=now)
            before = None
        else:
            locked = Service.objects.select_for_update().get(pk=service.pk)
            before = current_snapshot(locked)
        was_active = locked.is_active
        for name in SERVICE_FIELDS:
            if name != "code":
                value = getattr(data, name)
                setattr(locked, name, value.strip() if isinstance(value, str) else value)
        initials, full = search_keys(locked.name, locked.keywords)
        locked.pinyin_initials, locked.pinyin = initials[:400], full[:1200]
        locked.updated_at = now
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:
            raise Conflict(
                _("事项编码“%(code)s”已被使用") % {"code": data.code}, code="duplicate_code"
            ) from exc
        _write_materials(locked, data.materials)
        _write_steps(locked, data.steps)
        snapshot = build_snapshot(locked)
        version = None
        if snapshot != before:
            version = _publish(locked, snapshot, by=by, note=note, at=now)
            _republish_bundles_of(locked, by=by, at=now)
        audit.record(
            "service.created" if before is None else "service.updated",
            actor=by,
            target=locked,
            summary=str(locked),
            data={
                "version": version.number if version else None,
                "active": locked.is_active,
                "was_active": was_active if before is not None else None,
                "note": note,
            },
        )
    return locked


def _offered_in(halls) -> set[int]:
    """The halls an item (or a department) is present in: those it names, the default hall
    when it names none (org.scoping.present_in_hall)."""
    ids = {h.pk for h in halls}
    return ids or {Hall.objects.default_id()}


def can_set_service_halls(user) -> bool:
    """Who may say where an item is offered at all: a hall office (for its own halls) or the
    administrator (for every hall)."""
    return user is None or user.has_role("hall_office", "administrator")


def set_service_halls(service: Service, *, halls, by) -> Service:
    """Offer `service` in `halls` (none: the default hall only). Each hall it enters or
    leaves must be one `by` runs (its hall office) or `by` the administrator; a hall must be
    one the item's department is present in. Where an item is offered is no part of its
    sheet: no new version."""
    halls = list(halls)
    if not can_set_service_halls(by):
        raise NotAllowed(_("只有大厅管理办公室或系统管理员可以设置事项的办理大厅"))
    with transaction.atomic():
        locked = Service.objects.select_for_update().select_related("department").get(pk=service.pk)
        before = list(locked.halls.all())
        changed = _offered_in(before) ^ _offered_in(halls)
        if by is not None:
            for hall in Hall.objects.filter(pk__in=changed).order_by("sort_order", "code"):
                if not works_in_hall(by, hall):
                    raise NotAllowed(_("只能设置本大厅的办理事项：%(hall)s") % {"hall": hall.name})
        present = _offered_in(locked.department.halls.all())
        missing = [h.name for h in halls if h.pk not in present]
        if missing:
            raise Invalid(
                _("%(dept)s不在%(halls)s，不能在那里办理该事项")
                % {"dept": locked.department.name, "halls": "、".join(missing)},
                code="department_not_in_hall",
            )
        if not changed and {h.pk for h in before} == {h.pk for h in halls}:
            return locked
        locked.halls.set(halls)
        audit.record(
            "service.halls_changed",
            actor=by,
            target=locked,
            summary=str(locked),
            data={
                "before": sorted(h.code for h in before),
                "after": sorted(h.code for h in halls),
            },
        )
    return locked


def publish_service(service: Service, *, by, note: str = "") -> ServiceVersion:
    """Publish the item's current content as a new dated version."""
    _check_can_edit(by, {service.department_id})
    return _publish_again(service, build_snapshot, by=by, note=note)


def _publish_again(entry, build, *, by, note: str):
    """Publish a service or bundle as it stands (`build` makes its snapshot), refused when
    nothing changed; a service's bundles follow it."""
    with transaction.atomic():
        locked = type(entry).objects.select_for_update().get(pk=entry.pk)
        snapshot = build(locked)
        if snapshot == current_snapshot(locked):
            raise Conflict(
                _("内容与当前版本（第 %(n)d 版）相同，无需发布新版本") % {"n": locked.version},
                code="unchanged",
            )
        version = _publish(locked, snapshot, by=by, note=note, at=timezone.now())
        if isinstance(locked, Service):
            _republish_bundles_of(locked, by=by, at=version.published_at)
        audit.record(
            f"{locked._meta.model_name}.published",
            actor=by,
            target=locked,
            summary=f"{locked} v{version.number}",
            data={"version": version.number, "note": note},
        )
    entry.version = locked.version
    return version


def set_service_active(service: Service, *, active: bool, by) -> Service:
    """Withdraw an item from the catalogue or bring it back. Items are never deleted: cases
    keep pointing at their versions."""
    _check_can_edit(by, {service.department_id})
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        if locked.is_active == active:
            return locked
        locked.is_active = active
        locked.updated_at = timezone.now()
        locked.save(update_fields=["is_active", "updated_at"])
        audit.record(
            "service.activated" if active else "service.deactivated",
            actor=by,
            target=locked,
            summary=str(locked),
        )
    service.is_active = active
    return locked


def _versions_of(entry) -> tuple:
    """The version model of a service or a bundle, and its field naming the owner."""
    return (BundleVersion, "bundle") if isinstance(entry, Bundle) else (ServiceVersion, "service")


def current_snapshot(entry: Service | Bundle) -> dict | None:
    if not entry.version:
        return None
    model, owner = _versions_of(entry)
    return (
        model.objects.filter(**{owner: entry, "number": entry.version})
        .values_list("snapshot", flat=True)
        .first()
    )


def _publish(entry, snapshot: dict, *, by, note: str, at):
    model, owner = _versions_of(entry)
    version = model.objects.create(
        **{owner: entry},
        number=entry.version + 1,
        published_at=at,
        published_by=by,
        note=note[:200],
        snapshot=snapshot,
    )
    entry.version = version.number
    entry.updated_at = at
    entry.save(update_fields=["version", "updated_at"])
    return version


def _write_materials(service: Service, items: list[MaterialData]) -> None:
    existing = {m.pk: m for m in service.materials.all()}
    by_name = {m.name: m for m in existing.values()}
    kept: set[int] = set()
    for position, item in enumerate(items, start=1):
        row = existing.get(item.id) if item.id else by_name.get(item.name.strip())
        if row is None or row.pk in kept:
            row = Material(service=service)
        row.position = position
        row.name = item.name.strip()
        row.required = item.required
        row.condition = "" if item.required else item.condition.strip()
        row.originals, row.copies = item.originals, item.copies
        row.format = item.format
        row.notes = item.notes.strip()
        row.valid_days = item.valid_days
        if item.sample is False:
            # The file stays in storage: older versions may still link to it.
            row.sample = ""
        elif item.sample is not None:
            row.sample = item.sample
        row.save()
        kept.add(row.pk)
    # Removed materials are deleted; cases keep the ids and names from their snapshot.
    service.materials.exclude(pk__in=kept).delete()


def _write_steps(service: Service, items: list[StepData]) -> None:
    service.steps.all().delete()
    Step.objects.bulk_create(
        [
            Step(
                service=service,
                position=position,
                title=item.title.strip(),
                description=item.description.strip(),
            )
            for position, item in enumerate(items, start=1)
        ]
    )


# --- bundles (一件事) -------------------------------------------------------------------
#
# Edited like services: `save_bundle` writes the rows and publishes the next version when the
# snapshot changed, in one transaction, with one audit event. Whoever manages the lead
# department may edit the bundle (the hall office: every bundle).


def can_edit_bundle(user, bundle: Bundle) -> bool:
    return user is None or can_manage_department(user, bundle.lead.department_id)


def save_bundle(data: BundleData, *, by, bundle: Bundle | None = None, note: str = "") -> Bundle:
    """Create a bundle (bundle=None) or change one, publishing a new version when what an
    applicant is told has changed."""
    department_ids = {data.lead.department_id if data.lead else None}
    if bundle is not None:
        department_ids.add(bundle.lead.department_id)
    if by is not None and not all(can_manage_department(by, d) for d in department_ids):
        raise NotAllowed(_("只有牵头部门负责人或大厅管理办公室可以修改该一件事"))
    problems = find_bundle_problems(data, existing=bundle)
    if problems:
        _raise_problems(problems, code="invalid_bundle")
    members = [data.lead] + [s for s in data.services if s.pk != data.lead.pk]
    now = timezone.now()
    with transaction.atomic():
        if bundle is None:
            locked = Bundle(code=data.code, created_at=now)
            before = None
        else:
            locked = Bundle.objects.select_for_update().get(pk=bundle.pk)
            before = current_snapshot(locked)
        locked.name = data.name.strip()
        locked.summary = data.summary.strip()
        locked.lead = data.lead
        locked.is_active = data.is_active
        locked.pinyin_initials, locked.pinyin = search_keys(locked.name)
        locked.updated_at = now
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:
            raise Conflict(
                _("一件事编码“%(code)s”已被使用") % {"code": data.code}, code="duplicate_code"
            ) from exc
        locked.members.all().delete()
        BundleService.objects.bulk_create(
            [
                BundleService(bundle=locked, service=s, position=i)
                for i, s in enumerate(members, start=1)
            ]
        )
        snapshot = bundle_snapshot(locked)
        version = None
        if snapshot != before:
            version = _publish(locked, snapshot, by=by, note=note, at=now)
        audit.record(
            "bundle.created" if before is None else "bundle.updated",
            actor=by,
            target=locked,
            summary=str(locked),
            data={
                "version": version.number if version else None,
                "services": [s.code for s in members],
                "active": locked.is_active,
                "note": note,
            },
        )
    return locked


def publish_bundle(bundle: Bundle, *, by, note: str = "") -> BundleVersion:
    """Publish the bundle's current content as a new dated version (e.g. after the lead
    department moved office)."""
    if not can_edit_bundle(by, bundle):
        raise NotAllowed(_("只有牵头部门负责人或大厅管理办公室可以修改该一件事"))
    return _publish_again(bundle, bundle_snapshot, by=by, note=note)


def set_bundle_active(bundle: Bundle, *, active: bool, by) -> Bundle:
    """Withdraw a bundle from the portal or bring it back; never deleted (cases keep it)."""
    if not can_edit_bundle(by, bundle):
        raise NotAllowed(_("只有牵头部门负责人或大厅管理办公室可以修改该一件事"))
    with transaction.atomic():
        locked = Bundle.objects.select_for_update().get(pk=bundle.pk)
        if locked.is_active == active:
            return locked
        if active:
            problems = find_bundle_problems(BundleData.from_bundle(locked), existing=locked)
            if problems:
                _raise_problems(problems, code="invalid_bundle")
        locked.is_active = active
        locked.updated_at = timezone.now()
        locked.save(update_fields=["is_active", "updated_at"])
        audit.record(
            "bundle.activated" if active else "bundle.deactivated",
            actor=by,
            target=locked,
            summary=str(locked),
        )
    bundle.is_active = active
    return locked


def bundle_snapshot(bundle: Bundle) -> dict:
    """What the bundle would publish now, from its services' current versions."""
    members = list(
        bundle.members.select_related("service")
        .order_by("position", "id")
        .only("service__code", "service__version")
    )
    ordered = sorted(members, key=lambda m: (m.service_id != bundle.lead_id, m.position))
    versions = {
        v.service_id: v.snapshot
        for v in ServiceVersion.objects.filter(service__in=[m.service_id for m in members]).filter(
            number=models.F("service__version")
        )
    }
    return build_bundle_snapshot(
        bundle,
        [versions[m.service_id] for m in ordered],
        [m.service.version for m in ordered],
    )


def _republish_bundles_of(service: Service, *, by, at) -> None:
    """A service's new version is its bundles' new version too: a bundle's sheet never lists
    a material that its services no longer ask for. Called inside the service's transaction."""
    for bundle in Bundle.objects.select_for_update().filter(members__service=service):
        snapshot = bundle_snapshot(bundle)
        if snapshot == current_snapshot(bundle):
            continue
        version = _publish(
            bundle,
            snapshot,
            by=by,
            note=_("随“%(name)s”第 %(n)d 版更新") % {"name": service.name, "n": service.version},
            at=at,
        )
        audit.record(
            "bundle.published",
            actor=by,
            target=bundle,
            summary=f"{bundle} v{version.number}",
            data={"version": version.number, "service": service.code},
        )
