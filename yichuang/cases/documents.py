"""Written, dated, numbered documents of a case (行政许可法 §32): issued inside the caller's
transaction, rendered on demand from what was stored."""

from django.db import connection
from django.utils import timezone

from . import numbering
from .models import Case, Document


def issue(case: Case, kind: str, *, by=None, data: dict | None = None) -> Document:
    now = timezone.now()
    payload = {
        "service": case.service.name,
        "applicant": case.applicant_name,
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "committed_days": case.committed_days + case.extended_days,
        "department": case.department.name,
    }
    if case.is_joint:
        payload.update(joint_payload(case))
    payload.update(data or {})
    return Document.objects.create(
        case=case,
        kind=kind,
        number=numbering.document_number(
            case.department.short_name, case.department_id, timezone.localdate(now).year
        ),
        issued_at=now,
        issued_by=by,
        data=payload,
    )


def joint_payload(case: Case) -> dict:
    """A joint case's documents name every part, the lead's first, so that the applicant's
    one notice says what each department will do (一件事一次办: one notice, every part)."""
    parts = [{"department": case.department.name, "part": case.service.name, "lead": True}]
    for p in case.parts.select_related("department"):
        parts.append({"department": p.department.name, "part": p.title, "lead": False})
    return {"parts": parts, "bundle": case.bundle.name if case.bundle else ""}


def listed(case_id: int) -> list[Document]:
    """A case's documents, oldest first, with what a list of them shows (kind, number, date).

    One hand-written statement: the applicant's progress page (the page the public reload
    most) lists them, and building the ORM's query cost five times its run."""
    sql = (
        "SELECT id, kind, number, issued_at"
        f" FROM {connection.ops.quote_name(Document._meta.db_table)}"
        " WHERE case_id = %s ORDER BY issued_at, id"
    )
    return list(Document.objects.raw(sql, [case_id]))
