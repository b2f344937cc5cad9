"""Materials given once (issue 16 §3): a known applicant's verified, still valid materials are
offered again with their consent, confirmed by a tick, recorded in the ledger."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from yichuang.cases import reuse, services
from yichuang.cases.models import CaseEvent, CaseMaterial, ReuseConsent
from yichuang.catalog.materials import material_key
from yichuang.core.contacts import phone_hash
from yichuang.core.errors import Invalid, NotAllowed
from yichuang.core.models import AuditEvent

from .factories import VALID_ID, all_required, applicant, make_service

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


@pytest.fixture
def first(hall):
    """李小明's accepted 在读证明 (学生证 and 申请表 checked by alice)."""
    service = make_service(hall)
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(email="li@example.edu.cn"),
        materials=all_required(service),
        by=hall.alice,
    )
    return services.accept_case(case, by=hall.alice)


@pytest.fixture
def second(hall):
    """Another 教务处 item asking for the same student card (written with a space)."""
    return make_service(
        hall,
        code="cjzm",
        name="成绩证明",
        materials=(("学生 证", True), ("成绩单申请表", True)),
    )


def consent_at_window(hall):
    return reuse.give_consent(channel="window", id_number=VALID_ID, phone=PHONE, by=hall.alice)


def test_the_material_key_ignores_brackets_spaces_and_width():
    assert (
        material_key("学生证（原件）")
        == material_key("学生证 原件")
        == material_key("学生证(原件)")
    )
    assert material_key("ＩＤ Card") == material_key("id card")
    assert material_key("学生证") != material_key("学生证复印件")


def test_a_second_application_offers_the_verified_material_with_its_case_and_date(
    hall, first, second
):
    consent_at_window(hall)
    earlier = reuse.earlier_at_window(second, id_number=VALID_ID, by=hall.alice)
    assert not earlier.needs_consent
    assert (earlier.name, earlier.phone, earlier.email) == ("李小明", PHONE, "li@example.edu.cn")
    [offer] = earlier.offers
    assert offer.name == "学生 证" and offer.case_number == first.number
    assert offer.verified_on == timezone.localdate(first.accepted_at)
    assert offer.valid_until is None  # blank validity: does not expire
    assert offer.source_id == first.materials.get(name="学生证").pk


def test_without_consent_nothing_is_offered_but_the_question(hall, first, second):
    earlier = reuse.earlier_at_window(second, id_number=VALID_ID, by=hall.alice)
    assert earlier.needs_consent and earlier.offers == [] and earlier.phone == ""
    assert not AuditEvent.objects.filter(action="case.personal_data_viewed").exists()


def test_an_unaccepted_case_verified_nothing(hall, second):
    service = make_service(hall)
    services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    consent_at_window(hall)
    assert reuse.earlier_at_window(second, id_number=VALID_ID, by=hall.alice).offers == []


def test_an_expired_material_is_not_offered(hall, first, second):
    second.materials.filter(name="学生 证").update(valid_days=30)
    consent_at_window(hall)
    verified = timezone.localdate(first.accepted_at)
    [offer] = reuse.earlier_at_window(second, id_number=VALID_ID, by=hall.alice).offers
    assert offer.valid_until == verified + timedelta(days=30)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert reuse.earlier_at_window(second, id_number=VALID_ID, by=hall.alice).offers == []


def test_another_departments_clerk_gets_nothing_and_the_view_is_logged(hall, first, second):
    from yichuang.org.models import Post

    consent_at_window(hall)
    xsc_post = Post.objects.create(
        code="xsc-aid", name="资助岗", department=hall.xsc, holder=hall.dave
    )
    theirs = make_service(hall, code="zxdk", name="助学贷款", post=xsc_post)
    assert reuse.earlier_at_window(theirs, id_number=VALID_ID, by=hall.dave) is None
    # Nor can alice look from an item of a department she does not take applications for.
    assert reuse.earlier_at_window(theirs, id_number=VALID_ID, by=hall.alice) is None
    assert not AuditEvent.objects.filter(action="case.personal_data_viewed").exists()
    reuse.earlier_at_window(second, id_number=VALID_ID, by=hall.alice)
    logged = AuditEvent.objects.get(action="case.personal_data_viewed")
    assert logged.actor == hall.alice and logged.data["reason"] == "reuse"
    assert logged.data["cases"] == [first.number] and "1233" in logged.summary
    assert VALID_ID not in logged.summary  # masked


def test_consent_is_recorded_once_with_channel_and_wording(hall):
    a = consent_at_window(hall)
    b = consent_at_window(hall)
    assert a == b and ReuseConsent.objects.count() == 1
    assert (a.channel, a.text_version, a.given_by) == ("window", reuse.CONSENT_VERSION, hall.alice)
    assert a.phone_hash == phone_hash(PHONE)
    assert AuditEvent.objects.filter(action="applicant.reuse_consent_given").count() == 1
    with pytest.raises(NotAllowed):
        reuse.give_consent(channel="window", id_number=VALID_ID, by=hall.olga)
    with pytest.raises(NotAllowed):
        reuse.give_consent(channel="online", phone_hash="")


def test_after_withdrawal_nothing_is_offered(hall, first, second):
    consent_at_window(hall)
    assert reuse.withdraw_consent(phone_hash=phone_hash(PHONE)) == 1
    assert reuse.earlier_at_window(second, id_number=VALID_ID, by=hall.alice).needs_consent
    consent = ReuseConsent.objects.get()
    assert consent.withdrawn_at is not None and consent.withdrawn_channel == "online"
    assert AuditEvent.objects.filter(action="applicant.reuse_consent_withdrawn").exists()


def test_a_window_consent_without_phone_is_withdrawn_by_the_phone_of_their_cases(
    hall, first, second
):
    reuse.give_consent(channel="window", id_number=VALID_ID, by=hall.alice)
    assert reuse.withdraw_consent(phone_hash=phone_hash(PHONE)) == 1
    assert reuse.active_consent(id_hash=first.applicant_id_hash) is None


def create_second(hall, service, *, reuse_ids, materials):
    return services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=materials,
        by=hall.alice,
        reuse=reuse_ids,
    )


def test_a_ticked_offer_is_reused_and_the_ledger_names_it(hall, first, second):
    consent_at_window(hall)
    [offer] = reuse.earlier_at_window(second, id_number=VALID_ID, by=hall.alice).offers
    form = second.materials.get(name="成绩单申请表")
    case = create_second(hall, second, reuse_ids=[offer.source_id], materials=[form.pk])
    assert case.missing_at_intake == []
    card = case.materials.get(name="学生 证")
    assert card.provided and card.reused_from_id == offer.source_id
    assert not case.materials.get(name="成绩单申请表").reused_from_id
    event = CaseEvent.objects.get(case=case, action="create")
    assert event.data["reused"] == [
        {
            "material": offer.material_id,
            "source": offer.source_id,
            "from_case": first.number,
            "verified_on": offer.verified_on.isoformat(),
        }
    ]
    services.accept_case(case, by=hall.alice)  # nothing missing


def test_an_unticked_offer_is_not_reused(hall, first, second):
    consent_at_window(hall)
    form = second.materials.get(name="成绩单申请表")
    case = create_second(hall, second, reuse_ids=[], materials=[form.pk])
    assert [m["name"] for m in case.missing_at_intake] == ["学生 证"]
    assert not CaseMaterial.objects.filter(case=case, reused_from__isnull=False).exists()
    assert "reused" not in CaseEvent.objects.get(case=case, action="create").data


def test_a_source_not_offered_is_refused(hall, first, second):
    [source] = [m.pk for m in first.materials.filter(name="学生证")]
    with pytest.raises(Invalid):  # no consent yet
        create_second(hall, second, reuse_ids=[source], materials=[])
    consent_at_window(hall)
    with pytest.raises(Invalid):  # not a material of an earlier case of this applicant
        create_second(hall, second, reuse_ids=[source + 999], materials=[])
    with pytest.raises(NotAllowed):  # dave cannot take 教务处 applications, let alone reuse
        services.create_case(
            service=second,
            channel="window",
            applicant=applicant(),
            materials=[],
            by=hall.dave,
            reuse=[source],
        )


def test_online_reuse_needs_the_proven_phone(hall, first, second):
    digest = phone_hash(PHONE)
    reuse.give_consent(channel="online", phone_hash=digest)
    [offer] = reuse.earlier_online(second, phone_hash=digest).offers
    with pytest.raises(Invalid):
        services.apply_online(
            service=second, applicant=applicant(), uploads={}, reuse=[offer.source_id]
        )
    case = services.apply_online(
        service=second,
        applicant=applicant(),
        uploads={},
        reuse=[offer.source_id],
        verified_phone_hash=digest,
    )
    assert case.materials.get(name="学生 证").reused_from_id == offer.source_id
