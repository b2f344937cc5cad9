"""The applicant's side of materials given once (issue 16 §3): signed in to 我的, the online form
asks once for consent, then offers their verified materials ticked to confirm; 我的 withdraws."""

import time

import pytest
from django.test import Client

from yichuang.cases import services
from yichuang.cases.models import Case, ReuseConsent
from yichuang.cases.tests.factories import all_required, applicant, make_service
from yichuang.core.contacts import phone_hash
from yichuang.core.models import AuditEvent
from yichuang.portal.phone_sign_in import SESSION_KEY

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


@pytest.fixture
def first(hall):
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
    return make_service(
        hall, code="cjzm", name="成绩证明", materials=(("学生证", True), ("成绩单申请表", True))
    )


def signed_in(phone=PHONE) -> Client:
    """A browser whose phone was proven by an SMS code (phone_sign_in.sign_in's marker)."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = {
        "hash": phone_hash(phone),
        "phone": "138****5678",
        "until": time.time() + 600,
    }
    session.save()
    return client


def apply(client, service, *, reuse_ids):
    return client.post(
        f"/services/{service.code}/apply/",
        {
            "name": "李小明",
            "id_number": "110101199003071233",
            "phone": PHONE,
            "email": "",
            "reuse": [str(r) for r in reuse_ids],
        },
    )


def test_consent_is_asked_once_then_the_form_is_filled_and_the_material_offered(
    hall, first, second
):
    c = signed_in()
    html = c.get(f"/services/{second.code}/apply/").content.decode()
    assert "同意沿用" in html and "已核验，可沿用" not in html and "li@example.edu.cn" not in html
    response = c.post(f"/services/{second.code}/apply/consent/")
    assert response.status_code == 302
    consent = ReuseConsent.objects.get()
    assert consent.channel == "online" and consent.phone_hash == phone_hash(PHONE)
    html = c.get(f"/services/{second.code}/apply/").content.decode()
    source = first.materials.get(name="学生证")
    assert "已核验，可沿用" in html and first.number in html
    assert f'name="reuse" value="{source.pk}" checked' in html
    assert 'value="li@example.edu.cn"' in html and 'value="李小明"' in html
    assert "data-reuse-consent" not in html  # not asked again
    assert AuditEvent.objects.filter(action="applicant.earlier_data_shown").exists()

    response = apply(c, second, reuse_ids=[source.pk])
    assert response.status_code == 302
    case = Case.objects.get(service=second)
    assert case.materials.get(name="学生证").reused_from == source
    assert case.materials.get(name="成绩单申请表").reused_from is None


def test_unticked_nothing_is_reused(hall, first, second):
    c = signed_in()
    c.post(f"/services/{second.code}/apply/consent/")
    apply(c, second, reuse_ids=[])
    case = Case.objects.get(service=second)
    assert not case.materials.filter(reused_from__isnull=False).exists()
    assert not case.materials.get(name="学生证").provided


def test_not_signed_in_nothing_is_offered_and_a_posted_source_is_refused(hall, first, second):
    c = Client()
    html = c.get(f"/services/{second.code}/apply/").content.decode()
    assert "已核验，可沿用" not in html and "同意沿用" not in html and "验证手机号后" in html
    ReuseConsent.objects.create(phone_hash=phone_hash(PHONE), channel="online", text_version="x")
    response = apply(c, second, reuse_ids=[first.materials.get(name="学生证").pk])
    assert response.status_code == 200 and "已不能沿用" in response.content.decode()
    assert not Case.objects.filter(service=second).exists()


def test_another_phone_sees_nothing_of_them(hall, first, second):
    c = signed_in("13900001111")
    c.post(f"/services/{second.code}/apply/consent/")
    html = c.get(f"/services/{second.code}/apply/").content.decode()
    assert "已核验，可沿用" not in html and first.number not in html


def test_withdrawn_in_mine_nothing_is_offered(hall, first, second):
    c = signed_in()
    c.post(f"/services/{second.code}/apply/consent/")
    html = c.get("/my/").content.decode()
    assert "撤回同意" in html and "data-confirm" in html
    response = c.post("/my/reuse/withdraw/")
    assert response.status_code == 302
    assert ReuseConsent.objects.get().withdrawn_at is not None
    assert AuditEvent.objects.filter(action="applicant.reuse_consent_withdrawn").exists()
    html = c.get("/my/").content.decode()
    assert "已撤回同意" in html  # the message
    assert "reuse_withdraw" not in html and "/my/reuse/withdraw/" not in html
    assert "data-reuse" not in html
    html = c.get(f"/services/{second.code}/apply/").content.decode()
    assert "已核验，可沿用" not in html and "同意沿用" in html  # asked again, nothing shown


def test_withdrawing_needs_the_proven_phone(hall, first):
    from yichuang.cases import reuse

    reuse.give_consent(channel="window", id_number="110101199003071233", by=hall.alice)
    assert Client().post("/my/reuse/withdraw/").status_code == 302
    assert ReuseConsent.objects.get().withdrawn_at is None
    signed_in().post("/my/reuse/withdraw/")
    # The window consent (no phone typed) is withdrawn through the phone of their cases.
    assert ReuseConsent.objects.get().withdrawn_at is not None
