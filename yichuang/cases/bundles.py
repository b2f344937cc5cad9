"""一件事一次办: one application for a bundle becomes one joint case (联办).

The bundle's lead service is the case's service, so its department leads: one case
number, one query code, one acceptance notice; every other service becomes a part for its
department (`joint_parts`). The applicant gives each document once: the case's materials
are the bundle's union (catalog.bundles.union_materials), the lead's own first, so the
lead's clerk checks one list and `accept` waits for every required one whatever service
asks for it. The bundle and its version are kept on the case, like a service's version.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from yichuang.catalog.models import Bundle, Service
from yichuang.catalog.queries import bundle_version, get_bundle
from yichuang.core.errors import Invalid

from .intake import create_case
from .models import Case, CaseMaterial, Channel


def bundle_parts(bundle: Bundle, snapshot: dict) -> tuple[Service, list[Service]]:
    """The lead service and the others, in the bundle's order, as they are now (active)."""
    codes = [s["code"] for s in snapshot["services"]]
    found = Service.objects.select_related("department").in_bulk(codes, field_name="code")
    services = [found.get(code) for code in codes]
    inactive = [
        s["name"]
        for s, f in zip(snapshot["services"], services, strict=True)
        if not (f and f.is_active)
    ]
    if inactive:
        raise Invalid(
            _("一件事中的事项已停用：%(names)s") % {"names": "、".join(inactive)},
            code="service_inactive",
        )
    return services[0], services[1:]  # type: ignore[return-value]


def submit_bundle(
    bundle: Bundle,
    *,
    applicant: dict,
    materials: list[int],
    channel: str,
    by=None,
    uploads: dict[int, list] | None = None,
) -> Case:
    """Apply for a bundle: one joint case led by the lead service's department, with a part
    for each other service. `materials` are ids of the bundle's materials (its published
    union) that were brought; online, `uploads` maps those ids to files and is checked
    before anything is kept. Permission and applicant checks are create_case's (the lead's
    intake staff, or online); nothing is written if any check fails."""
    from .attachments import check_uploads, files_removed_on_failure, store_uploads

    bundle = get_bundle(bundle.code)  # active, with every service active
    version = bundle_version(bundle)
    snapshot = version.snapshot
    lead, others = bundle_parts(bundle, snapshot)
    union = snapshot["materials"]
    known = {m["id"] for m in union}
    provided = set(materials or [])
    if uploads is not None:
        check_uploads(uploads, known)
        provided |= {material_id for material_id, files in uploads.items() if files}
    if provided - known:
        raise Invalid(
            _("材料编号不属于该一件事：%(ids)s")
            % {"ids": ", ".join(map(str, sorted(provided - known)))},
            code="invalid_materials",
        )
    if channel == Channel.ONLINE and not snapshot["online"]:
        raise Invalid(_("该一件事暂不支持网上申报，请到窗口办理"), code="not_online")
    lead_ids = set(lead.materials.values_list("pk", flat=True))
    with files_removed_on_failure() as written, transaction.atomic():
        case = create_case(
            service=lead,
            channel=channel,
            applicant=applicant,
            materials=sorted(provided & lead_ids),
            by=by,
            joint_parts=[(s.department, s) for s in others],
            note=_("一件事：%(name)s") % {"name": bundle.name},
        )
        # The documents only the other services ask for, after the lead's own.
        start = case.materials.count()
        extra = [m for m in union if m["id"] not in lead_ids]
        CaseMaterial.objects.bulk_create(
            [
                CaseMaterial(
                    case=case,
                    material_id=m["id"],
                    name=m["name"],
                    required=m["required"],
                    provided=m["id"] in provided,
                    position=start + i,
                )
                for i, m in enumerate(extra)
            ]
        )
        case.bundle, case.bundle_version = bundle, version.number
        case.save(update_fields=["bundle", "bundle_version"])
        if uploads:
            store_uploads(case, uploads, written)
    case.missing_at_intake = [
        {"id": m["id"], "name": m["name"]}
        for m in union
        if m["required"] and m["id"] not in provided
    ]
    return case
