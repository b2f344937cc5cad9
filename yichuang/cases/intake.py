"""Intake: a case is created at the window, online, by post or by phone."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.contacts import phone_hash
from yichuang.core.crypto import keyed_hash
from yichuang.core.errors import Invalid, NotAllowed

from . import numbering, permissions, tally
from . import reuse as reuse_rules
from .applicants import normalize_id_number, normalize_name, normalize_phone
from .models import Case, CaseEvent, CaseMaterial, CasePart, Channel, Status
from .parts import joint_rows


def create_case(
    *,
    service,
    channel: str,
    applicant: dict,
    materials: list[int],
    by=None,
    joint_parts: list[tuple] | None = None,
    note: str = "",
    reuse: list[int] | None = None,
    verified_phone_hash: str = "",
) -> Case:
    """Create a case in `submitted` with the service's materials ticked as provided.
    `online` needs no staff (by=None); the other channels need intake staff of the service's
    department. `joint_parts` is [(department, service or None)] for a joint case (联办):
    the service's department leads, each co-department gets a part (cases/parts.py), which
    starts when the case is accepted. `reuse` is the earlier verified materials (CaseMaterial
    ids) the clerk or applicant confirmed by a tick (reuse.py): each counts as provided and is
    recorded as reused; online they are found by `verified_phone_hash`, the phone proven in 我的."""
    if channel not in Channel.values:
        raise Invalid(_("渠道应为 window、online、post 或 phone"), code="invalid_channel")
    if not service.is_active:
        raise Invalid(_("该服务事项已停用"), code="service_inactive")
    if channel == Channel.ONLINE:
        if not service.online:
            raise Invalid(_("该事项暂不支持网上申报，请到窗口办理"), code="not_online")
    elif by is None or not permissions.can_intake(by, service.department_id):
        raise NotAllowed(_("只有本部门窗口工作人员可以为该事项收件"))
    name = normalize_name(applicant.get("name", ""))
    id_number = normalize_id_number(applicant.get("id_number", ""))
    phone = normalize_phone(applicant.get("phone", ""))
    if channel == Channel.ONLINE and not phone:
        raise Invalid(_("网上申报请填写联系电话，以便通知办理进度"), code="invalid_phone")
    service_materials = list(service.materials.all())
    known = {m.pk for m in service_materials}
    provided = set(materials or [])
    if provided - known:
        raise Invalid(
            _("材料编号不属于该事项：%(ids)s")
            % {"ids": ", ".join(map(str, sorted(provided - known)))},
            code="invalid_materials",
        )
    reused = reuse_rules.confirmed(
        service,
        list(reuse or []),
        channel=channel,
        id_number=id_number,
        phone_hash=verified_phone_hash,
        by=by,
    )
    provided |= set(reused)
    joint_parts = list(joint_parts or [])
    # Checked before anything is written (the case is not saved yet).
    parts = joint_rows(
        Case(department_id=service.department_id, committed_days=service.committed_days),
        joint_parts,
    )
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            number=numbering.case_number(timezone.localdate(now)),
            query_code=numbering.query_code(),
            service=service,
            service_version=service.version,
            channel=channel,
            status=Status.SUBMITTED,
            applicant_name=name,
            applicant_id_number=id_number,
            applicant_id_hash=keyed_hash(id_number) if id_number else "",
            applicant_phone=phone,
            applicant_phone_hash=phone_hash(phone),
            applicant_email=(applicant.get("email") or "").strip(),
            department_id=service.department_id,
            post_id=service.post_id,
            intake_by=by,
            received_at=now,
            committed_days=service.committed_days,
            is_joint=bool(joint_parts),
            note=note,
            public_events=[{"at": now.isoformat(), "action": "create", "status": Status.SUBMITTED}],
        )
        tally.created(case)
        CaseMaterial.objects.bulk_create(
            [
                CaseMaterial(
                    case=case,
                    material_id=m.pk,
                    name=m.name,
                    required=m.required,
                    provided=m.pk in provided,
                    reused_from_id=reused[m.pk].source_id if m.pk in reused else None,
                    position=i,
                )
                for i, m in enumerate(service_materials)
            ]
        )
        for part in parts:
            part.case = case
        CasePart.objects.bulk_create(parts)
        CaseEvent.objects.create(
            case=case,
            at=now,
            action="create",
            from_status="",
            status=case.status,
            by=by,
            data={
                "channel": channel,
                "provided": sorted(provided),
                **({"joint": [p.department.code for p in parts]} if parts else {}),
                **({"reused": _reused_data(reused)} if reused else {}),
            },
        )
    # What the clerk must ask for, known without reading it back.
    case.missing_at_intake = [
        {"id": m.pk, "name": m.name}
        for m in service_materials
        if m.required and m.pk not in provided
    ]
    return case


def _reused_data(reused: dict) -> list[dict]:
    """The ledger's record of what was not brought again: which material, from which case's
    verified copy, verified when."""
    return [
        {
            "material": material_id,
            "source": offer.source_id,
            "from_case": offer.case_number,
            "verified_on": offer.verified_on.isoformat(),
        }
        for material_id, offer in sorted(reused.items())
    ]


def apply_online(
    *,
    service,
    applicant: dict,
    uploads: dict[int, list],
    joint_parts: list[tuple] | None = None,
    reuse: list[int] | None = None,
    verified_phone_hash: str = "",
) -> Case:
    """网上申报: the applicant's details and one upload (or more) per material brought; the
    case is created through create_case like any other, and nothing is kept if any part fails.
    `reuse` as in create_case, signed in to 我的 with `verified_phone_hash`."""
    from .attachments import check_uploads, files_removed_on_failure, store_uploads

    check_uploads(uploads, {m.pk for m in service.materials.all()})
    with files_removed_on_failure() as written, transaction.atomic():
        case = create_case(
            service=service,
            channel=Channel.ONLINE,
            applicant=applicant,
            materials=[m for m, files in uploads.items() if files],
            joint_parts=joint_parts,
            reuse=reuse,
            verified_phone_hash=verified_phone_hash,
        )
        store_uploads(case, uploads, written)
    return case
