"""The two faces of a case: what staff see, and what the applicant sees with the query code."""

from yichuang.core.masking import mask_id_number, mask_name, mask_phone

from .models import Case


def _light(case: Case):
    return getattr(case, "light", None)


PUBLIC_FIELDS = (
    "pk",
    "number",
    "query_code",
    "status",
    "deadline",
    "yellow_on",
    "applicant_name",
    "service__name",
    "public_events",
    "is_joint",
)


def public_cases():
    """What the applicant's view reads, in one query (the timeline is kept on the case). The
    public find a case only through core.lookup.find_by_code with its query code."""
    return Case.objects.select_related("service").only(*PUBLIC_FIELDS)


def public_progress(case: Case) -> dict:
    """The applicant's view of a case found by number and query code (read from a row of
    `public_cases()`), and the materials only while something may be missing."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    from yichuang.workdays.clock import light

    from .models import CLOCK_RUNNING, CaseMaterial, Status

    pk, number, status, deadline = case.pk, case.number, case.status, case.deadline
    yellow_on, name, service, events = (
        case.yellow_on,
        case.applicant_name,
        case.service.name,
        case.public_events,
    )
    parts = []
    if case.is_joint:
        from .queries import parts_of

        # Each co-department's progress, never a staff member's name.
        parts = [
            {
                "department": p.department.name,
                "title": p.title,
                "status": p.status,
                "deadline": p.deadline,
                "light": p.light,
            }
            for p in parts_of(case)
        ]
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
        **({"parts": parts} if case.is_joint else {}),
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
    from .queries import parts_of

    materials = list(case.materials.all())
    parts = list(parts_of(case)) if case.is_joint else []
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
        "assignee": case.assignee.username if case.assignee else None,
        "received_at": case.received_at,
        "accepted_at": case.accepted_at,
        "deadline": case.deadline,
        "deadline_provisional": case.deadline_provisional,
        "light": _light(case),
        "outcome": case.outcome or None,
        "joint": [
            {"department": p.department.code, "part": p.title, "done": p.status == "done"}
            for p in parts
        ],
        "parts": [
            {
                "department": p.department.code,
                "service": p.service.code if p.service else None,
                "title": p.title,
                "status": p.status,
                "assignee": p.assignee.username if p.assignee else None,
                "deadline": p.deadline,
                "light": p.light,
                "note": p.note,
            }
            for p in parts
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
                "by": e.by.username if e.by else None,
                "covered_for": e.covered_for.username if e.covered_for else None,
                "note": e.note,
            }
            for e in case.events.select_related("by", "covered_for")
        ],
    }
