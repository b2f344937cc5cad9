"""The two faces of a case: what staff see, and what the applicant sees with the query code."""

from yichuang.core.masking import mask_id_number, mask_name, mask_phone

from .models import Case


def _light(case: Case):
    return getattr(case, "light", None)


def public_progress(number: str, query_code: str | None) -> dict | None:
    """The applicant's view, read from one row (the timeline is kept on the case) and the
    materials only while something may be missing; None when number and code do not match."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    from .deadlines import light
    from .models import CLOCK_RUNNING, CaseMaterial, Status

    rows = Case.objects.filter(number=number).values_list(
        "pk",
        "query_code",
        "status",
        "deadline",
        "yellow_on",
        "applicant_name",
        "service__name",
        "public_events",
    )[:1]
    if not rows or not query_code or query_code.strip().upper() != rows[0][1]:
        return None
    pk, _code, status, deadline, yellow_on, name, service, events = rows[0]
    missing = []
    if status in (Status.SUBMITTED, Status.SUPPLEMENT):
        missing = [
            {"id": i, "name": n}
            for i, n in CaseMaterial.objects.filter(case_id=pk, required=True, provided=False)
            .order_by("position")
            .values_list("material_id", "name")
        ]
    return {
        "number": number,
        "service": service,
        "status": status,
        "deadline": deadline,
        "light": light(status in CLOCK_RUNNING, deadline, yellow_on, timezone.localdate()),
        "applicant": mask_name(name),
        "missing_materials": missing,
        # A step may carry a note for the applicant (the new deadline, who handles it now).
        "events": [
            {
                "at": parse_datetime(e["at"]),
                "action": e["action"],
                "status": e["status"],
                **({"note": e["note"]} if e.get("note") else {}),
            }
            for e in events
        ],
    }


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
