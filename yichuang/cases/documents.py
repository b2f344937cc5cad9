"""Written, dated, numbered documents of a case (行政许可法 §32): issued inside the caller's
transaction, rendered on demand from what was stored."""

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
