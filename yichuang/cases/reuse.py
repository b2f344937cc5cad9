"""Materials given once (减少重复填表, issue 16): when a known applicant applies again, their
earlier contact details and verified materials are offered, with their consent, for a person
to confirm.

- Verified: a material marked provided on an earlier case that a clerk accepted (accepted_at
  set: the clerk checked the papers; immediate cases completed on the spot included), and not
  returned afterwards (a return may be about the papers). Only original verifications are
  sources: a material reused in turn points to where it was checked (CaseMaterial.reused_from).
- Still valid: the new service's material sets the rule — `catalog.Material.valid_days` days
  from the day it was verified (the source case's acceptance), blank: it does not expire.
- The same material: the same `catalog.materials.material_key` of the names, across services.
- Known: at the window, by the ID number's keyed hash among the cases the clerk may see
  (`queries.find_by_id_number`, department-scoped); on the portal, by the phone proven by SMS
  in 我的 (every case of that phone: they are the applicant's own).
- Consent (PIPL): nothing is offered without an active `ReuseConsent` for the key the channel
  proves (ID hash at the window, phone hash online). It is asked once and recorded with time,
  channel and wording; withdrawn in 我的, after which nothing is offered again.
- Never silent: an offer is only a pre-ticked box; `create_case(reuse=[...])` applies exactly
  the sources posted, re-checked here against the offers of that moment, and its create event
  names them. Every offer shown at the window is a logged personal-data view."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yichuang.catalog.materials import material_key
from yichuang.core import audit
from yichuang.core.contacts import phone_hash as hash_phone
from yichuang.core.crypto import keyed_hash
from yichuang.core.errors import DomainError, Invalid, NotAllowed
from yichuang.core.masking import mask_id_number, mask_phone

from . import permissions
from .applicants import normalize_id_number
from .models import Case, CaseMaterial, Channel, ReuseConsent, Status
from .queries import find_by_id_number

# The wording the applicant agrees to; a change of wording is a new version.
CONSENT_VERSION = "2026-12"
CONSENT_TEXT = gettext_lazy(
    "同意后，您再次办事时，窗口工作人员或您本人可以看到您以前办件中已核验、仍在有效期内的申请材料"
    "和联系方式（姓名、电话、电子邮箱），经确认后沿用，不必重复提交。"
    "您可以随时在“我的”中撤回同意，撤回后不再提供。"
)
# An applicant's sources looked at, newest first: years of cases are more than anyone needs.
SOURCE_LIMIT = 200


@dataclass(frozen=True)
class Offer:
    """One material of the new service that an earlier verified copy can stand for."""

    material_id: int  # the new service's catalogue material
    name: str
    source_id: int  # the earlier CaseMaterial, verified there
    case_number: str
    verified_on: date
    valid_until: date | None  # None: does not expire


@dataclass
class Earlier:
    """What may be offered to a known applicant. Without consent only `needs_consent` is
    set: nothing of the earlier data is in it."""

    needs_consent: bool = False
    name: str = ""
    phone: str = ""
    email: str = ""
    offers: list[Offer] = field(default_factory=list)
    case_numbers: list[str] = field(default_factory=list)

    @property
    def offered_ids(self) -> set[int]:
        return {o.source_id for o in self.offers}


# --- consent ------------------------------------------------------------------------------


def active_consent(*, id_hash: str = "", phone_hash: str = "") -> ReuseConsent | None:
    """The applicant's consent in force for the key given (one of them)."""
    if not (id_hash or phone_hash):
        return None
    key = Q(id_hash=id_hash) if id_hash else Q(phone_hash=phone_hash)
    return ReuseConsent.objects.filter(key, withdrawn_at__isnull=True).first()


def give_consent(
    *, channel: str, id_number: str = "", phone: str = "", phone_hash: str = "", by=None
) -> ReuseConsent:
    """Record the applicant's consent: at the window by the clerk who asked them (the ID
    number typed from the card, the phone if given), online by the applicant signed in to 我的
    (the proven phone's hash). Asking twice records it once."""
    if channel == Channel.WINDOW:
        if by is None or not by.has_role(*permissions.INTAKE_ROLES):
            raise NotAllowed(_("只有窗口工作人员可以记录申请人的同意"))
        id_number = normalize_id_number(id_number)
        if not id_number:
            raise Invalid(_("请先填写申请人的身份证号"), code="invalid_id_number")
        id_hash, phone_hash = keyed_hash(id_number), hash_phone(phone)
        summary = mask_id_number(id_number)
    elif channel == Channel.ONLINE:
        if not phone_hash:
            raise NotAllowed(_("请先在“我的”中验证手机号"))
        id_hash, by, summary = "", None, phone_hash[:8]
    else:
        raise Invalid(_("渠道应为 window 或 online"), code="invalid_channel")
    with transaction.atomic():
        existing = active_consent(id_hash=id_hash, phone_hash=phone_hash)
        if existing is not None:
            return existing
        consent = ReuseConsent.objects.create(
            id_hash=id_hash,
            phone_hash=phone_hash,
            channel=channel,
            text_version=CONSENT_VERSION,
            given_by=by,
        )
        audit.record(
            "applicant.reuse_consent_given",
            actor=by,
            target=consent,
            summary=summary,
            data={"channel": channel, "text_version": CONSENT_VERSION},
        )
    return consent


def consents_of_phone(phone_hash: str):
    """The consents in force that a proven phone speaks for: those given online with it, and
    those given at the window by the ID numbers its cases were made under."""
    if not phone_hash:
        return ReuseConsent.objects.none()
    id_hashes = (
        Case.objects.filter(applicant_phone_hash=phone_hash)
        .exclude(applicant_id_hash="")
        .values("applicant_id_hash")
    )
    return ReuseConsent.objects.filter(
        Q(phone_hash=phone_hash) | Q(id_hash__in=id_hashes), withdrawn_at__isnull=True
    )


def withdraw_consent(*, phone_hash: str) -> int:
    """我的: withdraw every consent of the proven phone (`consents_of_phone`). Returns how
    many; nothing is offered to that phone, or at the window for those ID numbers, after."""
    if not phone_hash:
        raise NotAllowed(_("请先在“我的”中验证手机号"))
    now = timezone.now()
    with transaction.atomic():
        rows = list(consents_of_phone(phone_hash).select_for_update().order_by("pk"))
        for consent in rows:
            consent.withdrawn_at, consent.withdrawn_channel = now, Channel.ONLINE
            consent.save(update_fields=["withdrawn_at", "withdrawn_channel"])
            audit.record(
                "applicant.reuse_consent_withdrawn",
                target=consent,
                summary=phone_hash[:8],
                data={"channel": Channel.ONLINE, "given_channel": consent.channel},
            )
    return len(rows)


# --- what is offered ----------------------------------------------------------------------


def _offers(service, sources, today: date) -> list[Offer]:
    verified = (
        CaseMaterial.objects.filter(
            case__in=sources.filter(accepted_at__isnull=False).exclude(status=Status.RETURNED),
            provided=True,
            reused_from__isnull=True,
        )
        .select_related("case")
        .only("pk", "name", "case__number", "case__accepted_at")
        .order_by("-case__accepted_at", "-pk")[:SOURCE_LIMIT]
    )
    newest: dict[str, CaseMaterial] = {}
    for row in verified:
        newest.setdefault(material_key(row.name), row)
    offers = []
    for material in service.materials.all():
        source = newest.get(material_key(material.name))
        if source is None:
            continue
        verified_on = timezone.localdate(source.case.accepted_at)
        until = verified_on + timedelta(days=material.valid_days) if material.valid_days else None
        if until is not None and until < today:
            continue
        offers.append(
            Offer(
                material_id=material.pk,
                name=material.name,
                source_id=source.pk,
                case_number=source.case.number,
                verified_on=verified_on,
                valid_until=until,
            )
        )
    return offers


def _earlier(service, sources, *, consented: bool) -> Earlier | None:
    newest = sources.order_by("-received_at", "-id").first()
    if newest is None:
        return None
    if not consented:
        return Earlier(needs_consent=True)
    offers = _offers(service, sources, timezone.localdate())
    return Earlier(
        name=newest.applicant_name,
        phone=newest.applicant_phone,
        email=newest.applicant_email,
        offers=offers,
        case_numbers=sorted({o.case_number for o in offers} | {newest.number}),
    )


def _window_sources(service, id_number: str, by):
    try:
        id_number = normalize_id_number(id_number)
    except DomainError:
        return None, ""
    if not id_number or by is None or not permissions.can_intake(by, service.department_id):
        return None, ""
    return find_by_id_number(by, id_number), id_number


def earlier_at_window(service, *, id_number: str, by) -> Earlier | None:
    """What the clerk may offer an applicant of `service` whose ID number they typed: None
    when the clerk's departments know nobody of that number (or the number is not one); the
    consent question alone without consent; else the contact details and offers — a view of
    personal data, recorded in the audit."""
    sources, id_number = _window_sources(service, id_number, by)
    if sources is None:
        return None
    consented = active_consent(id_hash=keyed_hash(id_number)) is not None
    earlier = _earlier(service, sources, consented=consented)
    if earlier is not None and not earlier.needs_consent:
        audit.record(
            "case.personal_data_viewed",
            actor=by,
            target=sources.order_by("-received_at", "-id").first(),
            summary=mask_id_number(id_number),
            data={
                "reason": "reuse",
                "service": service.code,
                "cases": earlier.case_numbers,
                "offers": sorted(earlier.offered_ids),
            },
        )
    return earlier


def earlier_online(service, *, phone_hash: str) -> Earlier | None:
    """What the portal may offer the applicant signed in to 我的 with the phone of
    `phone_hash` (their own cases, any department): as `earlier_at_window`."""
    if not phone_hash:
        return None
    sources = Case.objects.filter(applicant_phone_hash=phone_hash)
    consented = active_consent(phone_hash=phone_hash) is not None
    earlier = _earlier(service, sources, consented=consented)
    if earlier is not None and not earlier.needs_consent:
        audit.record(
            "applicant.earlier_data_shown",
            summary=mask_phone(earlier.phone),
            data={"service": service.code, "cases": earlier.case_numbers, "channel": "online"},
        )
    return earlier


def confirmed(
    service, reuse: list[int], *, channel: str, id_number: str, phone_hash: str, by
) -> dict[int, Offer]:
    """The offers the person ticked, by the new service's material id: each source must be
    one offered right now to this applicant through this channel (consent in force, in the
    clerk's scope, still valid), else nothing is applied and the form says so."""
    if not reuse:
        return {}
    if channel == Channel.ONLINE:
        sources = Case.objects.filter(applicant_phone_hash=phone_hash) if phone_hash else None
        consent = active_consent(phone_hash=phone_hash)
    else:
        sources, id_number = _window_sources(service, id_number, by)
        consent = active_consent(id_hash=keyed_hash(id_number)) if id_number else None
    offers = _offers(service, sources, timezone.localdate()) if sources is not None else []
    by_source = {o.source_id: o for o in offers}
    if consent is None or any(source not in by_source for source in reuse):
        raise Invalid(
            _("勾选沿用的材料已不能沿用（未获同意、已过有效期或不属于该申请人），请重新确认"),
            code="invalid_reuse",
            fields={"reuse": "not_offered"},
        )
    return {by_source[s].material_id: by_source[s] for s in reuse}
