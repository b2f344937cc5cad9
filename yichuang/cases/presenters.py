"""The two faces of a case: what staff see, and what the applicant sees with the query code."""

from yichuang.core.masking import mask_id_number, mask_name, mask_phone

from .models import Case


def _light(case: Case):
    return getattr(case, "light", None)


def public_view(case: Case) -> dict:
    return {
        "number": case.number,
        "service": case.service.name,
        "status": case.status,
        "deadline": case.deadline,
        "light": _light(case),
        "applicant": mask_name(case.applicant_name),
        "missing_materials": [
            {"id": m.material_id, "name": m.name}
            for m in case.materials.all()
            if m.required and not m.provided
        ],
        "events": [{"at": e.at, "action": e.action, "status": e.status} for e in case.events.all()],
    }


def staff_view(case: Case, *, reveal: bool) -> dict:
    materials = list(case.materials.all())
    return {
        "number": case.number,
        "service": case.service.code,
        "service_name": case.service.name,
        "service_version": case.service_version,
        "status": case.status,
        "channel": case.channel,
        "applicant": {
            "name": case.applicant_name if reveal else mask_name(case.applicant_name),
            "id_number": case.applicant_id_number
            if reveal
            else mask_id_number(case.applicant_id_number),
            "phone": case.applicant_phone if reveal else mask_phone(case.applicant_phone),
        },
        "materials": [
            {"id": m.material_id, "name": m.name, "required": m.required, "provided": m.provided}
            for m in materials
        ],
        "missing_materials": [
            {"id": m.material_id, "name": m.name}
            for m in materials
            if m.required and not m.provided
        ],
        "department": case.department.code,
        "post": case.post.code,
        "assignee": case.assignee.username if case.assignee_id else None,
        "received_at": case.received_at,
        "accepted_at": case.accepted_at,
        "deadline": case.deadline,
        "deadline_provisional": case.deadline_provisional,
        "light": _light(case),
        "outcome": case.outcome or None,
        "joint": [
            {"department": p.department.code, "part": p.part, "done": p.done_at is not None}
            for p in case.participants.select_related("department")
        ],
        "documents": [
            {"kind": d.kind, "number": d.number, "issued_at": d.issued_at}
            for d in case.documents.all()
        ],
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "status": e.status,
                "by": e.by.username if e.by_id else None,
                "covered_for": e.covered_for.username if e.covered_for_id else None,
                "note": e.note,
            }
            for e in case.events.select_related("by", "covered_for")
        ],
    }
