"""The public catalogue (API.md "Catalogue and calendar"), and its bundles (一件事), read the
same way (additive). Every endpoint needs no token."""

from datetime import datetime
from typing import Literal

from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from yichuang.core.api_support import PageNumber
from yichuang.org.halls import find_hall

from .queries import (
    bundle_version,
    bundles_for_listing,
    current_version,
    get_bundle,
    get_service,
    search_services,
)

router = Router(tags=["catalogue"])

KindName = Literal["immediate", "committed"]


class ServiceOut(Schema):
    code: str
    # Additive: the national 事项编码 (GB/T 39554.1-2020), "" when the item has none.
    item_code: str
    name: str
    department: str  # the department's code
    department_name: str
    kind: KindName
    legal_days: int
    committed_days: int
    online: bool

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.department.name


class MaterialOut(Schema):
    id: int
    name: str
    required: bool
    originals: int
    copies: int
    notes: str
    condition: str  # when a material that is not required must be brought
    format: Literal["paper", "electronic", "either"]


class StepOut(Schema):
    position: int
    title: str
    description: str


class ServiceDetailOut(Schema):
    code: str
    item_code: str
    name: str
    department: str
    department_name: str
    kind: KindName
    legal_days: int
    committed_days: int
    online: bool
    category: str
    post: str  # the responsible post's code
    post_name: str
    basis: str
    conditions: str
    materials: list[MaterialOut]
    steps: list[StepOut]
    fees: str
    fee_basis: str
    location: str
    hours: str
    phones: str
    complaint_phone: str
    version: int
    published_at: datetime
    sheet_url: str


@router.get("/services", response=list[ServiceOut], auth=None)
@paginate(PageNumber)
def list_services(
    request,
    q: str | None = None,
    department: str | None = None,
    kind: KindName | None = None,
    online: bool | None = None,
    hall: str | None = None,
):
    """Active service items. `q` matches the name, the code or the pinyin (initials such as
    `cjzm` for 成绩证明, or full pinyin); `department` is a department code; `hall` a hall's
    code (`GET /halls`): the items offered there (an unknown code is a 400 `unknown_hall`)."""
    return search_services(
        q or "", department=department, kind=kind, online=online, hall=find_hall(hall)
    )


@router.get("/services/{code}", response=ServiceDetailOut, auth=None)
def service_detail(request, code: str):
    """One active item as published in its current `version`: `materials` with the ids that
    `POST /cases` takes, and `steps` as `{position, title, description}` in order."""
    service = get_service(code)
    version = current_version(service)
    s = version.snapshot
    return {
        "code": s["code"],
        "item_code": s.get("item_code", ""),
        "name": s["name"],
        "department": s["department"]["code"],
        "department_name": s["department"]["name"],
        "kind": s["kind"],
        "legal_days": s["legal_days"],
        "committed_days": s["committed_days"],
        "online": s["online"],
        "category": s["category"],
        "post": s["post"]["code"],
        "post_name": s["post"]["name"],
        "basis": s["basis"],
        "conditions": s["conditions"],
        "materials": s["materials"],
        "steps": s["steps"],
        "fees": s["fees"],
        "fee_basis": s["fee_basis"],
        "location": s["location"],
        "hours": s["hours"],
        "phones": s["phones"],
        "complaint_phone": s["complaint_phone"],
        "version": version.number,
        "published_at": version.published_at,
        "sheet_url": request.build_absolute_uri(reverse("catalog:sheet", args=[service.code])),
    }


# --- bundles (一件事): read like services, public ------------------------------------------


class BundleOut(Schema):
    code: str
    name: str
    lead: str  # the lead service's code
    department: str  # the lead department's code
    department_name: str
    version: int

    @staticmethod
    def resolve_lead(obj) -> str:
        return obj.lead.code

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.lead.department.code

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.lead.department.name


class BundlePartOut(Schema):
    code: str
    name: str
    department: str
    department_name: str
    kind: KindName
    committed_days: int
    lead: bool


class BundleMaterialOut(MaterialOut):
    services: list[str]  # codes of the services that ask for it (one document for all)


class BundleDetailOut(Schema):
    code: str
    name: str
    summary: str
    lead: str
    department: str
    department_name: str
    kind: KindName
    legal_days: int
    committed_days: int
    online: bool
    services: list[BundlePartOut]
    materials: list[BundleMaterialOut]
    location: str
    hours: str
    phones: str
    version: int
    published_at: datetime
    sheet_url: str


@router.get("/bundles", response=list[BundleOut], auth=None)
@paginate(PageNumber)
def list_bundles(request):
    """Active bundles (一件事一次办): a life event applied for once and done as services of
    several departments, led by the department of `lead`."""
    return bundles_for_listing()


@router.get("/bundles/{code}", response=BundleDetailOut, auth=None)
def bundle_detail(request, code: str):
    """One active bundle as published in its current `version`: its services (the lead
    first) and its `materials`, each document once with the services that ask for it; the
    ids are those a joint case of the bundle records."""
    bundle = get_bundle(code)
    version = bundle_version(bundle)
    s = version.snapshot
    return {
        **{k: s[k] for k in ("code", "name", "summary", "lead", "kind", "legal_days")},
        **{k: s[k] for k in ("committed_days", "online", "location", "hours", "phones")},
        "department": s["department"]["code"],
        "department_name": s["department"]["name"],
        "services": [
            {
                "code": p["code"],
                "name": p["name"],
                "department": p["department"]["code"],
                "department_name": p["department"]["name"],
                "kind": p["kind"],
                "committed_days": p["committed_days"],
                "lead": p["lead"],
            }
            for p in s["services"]
        ],
        "materials": s["materials"],
        "version": version.number,
        "published_at": version.published_at,
        "sheet_url": request.build_absolute_uri(reverse("catalog:bundle_sheet", args=[code])),
    }
