"""The snapshot: the whole item as published, stored in `ServiceVersion.snapshot`.

Schema 1 (plain JSON values, so two snapshots compare with `==`):

    {"schema": 1, "code", "item_code"? (国家事项编码, when set), "name", "category",
     "department": {"code", "name"}, "post": {"code", "name"},
     "window": {"number", "name"} | null,
     "kind": "immediate" | "committed", "legal_days", "committed_days",
     "basis", "conditions", "fees", "fee_basis",
     "location", "hours", "phones", "complaint_phone", "online",
     "materials": [{"id", "position", "name", "required", "condition", "originals",
                    "copies", "format", "notes", "valid_days"?, "sample"}],
     "steps": [{"position", "title", "description"}]}

Where and when to go and whom to call fall back to the window's and the department's
details when the item leaves them blank; the fallback is resolved here, at publication, so a
printed sheet keeps saying what was true on its date.
"""

from .models import Service

SCHEMA = 1


def build_snapshot(service: Service) -> dict:
    department = service.department
    post = service.post
    window = post.window
    return {
        "schema": SCHEMA,
        "code": service.code,
        # Only when set, like a material's validity: earlier snapshots stay equal.
        **({"item_code": service.item_code} if service.item_code else {}),
        "name": service.name,
        "category": service.category,
        "department": {"code": department.code, "name": department.name},
        "post": {"code": post.code, "name": post.name},
        "window": {"number": window.number, "name": window.name} if window else None,
        "kind": service.kind,
        "legal_days": service.legal_days,
        "committed_days": service.committed_days,
        "basis": service.basis,
        "conditions": service.conditions,
        "fees": service.fees,
        "fee_basis": service.fee_basis,
        "location": service.location or (window.location if window else "") or department.location,
        "hours": service.hours or department.hours,
        "phones": service.phones or department.phone,
        "complaint_phone": service.complaint_phone or department.complaint_phone,
        "online": service.online,
        "materials": [
            {
                "id": m.pk,
                "position": m.position,
                "name": m.name,
                "required": m.required,
                "condition": m.condition,
                "originals": m.originals,
                "copies": m.copies,
                "format": m.format,
                "notes": m.notes,
                # Only when set: the snapshots published before it existed stay equal.
                **({"valid_days": m.valid_days} if m.valid_days is not None else {}),
                "sample": m.sample.name if m.sample else "",
            }
            for m in service.materials.order_by("position", "id")
        ],
        "steps": [
            {"position": s.position, "title": s.title, "description": s.description}
            for s in service.steps.order_by("position", "id")
        ],
    }
