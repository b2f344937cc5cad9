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

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.pinyin import search_keys, word_list
from yichuang.org.scoping import can_manage_department, managed_department_ids

from .models import Material, Service, ServiceVersion, Step
from .snapshot import build_snapshot
from .validation import SERVICE_FIELDS, MaterialData, ServiceData, StepData, describe, find_problems


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


def _raise_problems(problems) -> None:
    raise Invalid(
        "；".join(describe(p) for p in problems),
        code="invalid_service",
        fields={
            (p.field if p.where == "service" else f"{p.where}s.{p.index}.{p.field}"): p.message
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
    data = replace(data, keywords=word_list(data.keywords))
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


def publish_service(service: Service, *, by, note: str = "") -> ServiceVersion:
    """Publish the item's current content as a new dated version."""
    _check_can_edit(by, {service.department_id})
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        snapshot = build_snapshot(locked)
        if snapshot == current_snapshot(locked):
            raise Conflict(
                _("内容与当前版本（第 %(n)d 版）相同，无需发布新版本") % {"n": locked.version},
                code="unchanged",
            )
        version = _publish(locked, snapshot, by=by, note=note, at=timezone.now())
        audit.record(
            "service.published",
            actor=by,
            target=locked,
            summary=f"{locked} v{version.number}",
            data={"version": version.number, "note": note},
        )
    service.version = locked.version
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


def current_snapshot(service: Service) -> dict | None:
    if not service.version:
        return None
    return (
        ServiceVersion.objects.filter(service=service, number=service.version)
        .values_list("snapshot", flat=True)
        .first()
    )


def _publish(service: Service, snapshot: dict, *, by, note: str, at) -> ServiceVersion:
    version = ServiceVersion.objects.create(
        service=service,
        number=service.version + 1,
        published_at=at,
        published_by=by,
        note=note[:200],
        snapshot=snapshot,
    )
    service.version = version.number
    service.updated_at = at
    service.save(update_fields=["version", "updated_at"])
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
