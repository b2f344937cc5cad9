"""The clerk's side of materials given once (issue 16 §3): typing the ID number asks for consent,
then offers the verified materials ticked for confirmation; what is posted is what is reused."""

import pytest

from yichuang.cases import reuse, services
from yichuang.cases.models import Case, CaseEvent
from yichuang.core.models import AuditEvent

from .factories import VALID_ID, all_required, applicant, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(hall):
    service = make_service(hall)
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    return services.accept_case(case, by=hall.alice)


@pytest.fixture
def second(hall):
    return make_service(
        hall, code="cjzm", name="成绩证明", materials=(("学生证", True), ("成绩单申请表", True))
    )


def lookup(client, service, **fields):
    return client.post(
        f"/cases/intake/{service.code}/earlier/",
        {"id_number": VALID_ID, "applicant_name": "", "phone": "", **fields},
        headers={"HX-Request": "true"},
    )


def test_the_id_number_brings_the_consent_question_then_the_ticked_offer(
    hall, first, second, client_for
):
    c = client_for(hall.alice)
    html = lookup(c, second).content.decode()
    assert "申请人已同意" in html and "已核验，可沿用" not in html
    assert first.number not in html  # nothing of the earlier case before consent
    response = c.post(
        f"/cases/intake/{second.code}/consent/",
        {"id_number": VALID_ID, "phone": ""},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    source = first.materials.get(name="学生证")
    assert "已核验，可沿用" in html and first.number in html
    assert f'name="reuse" value="{source.pk}"' in html and "checked" in html
    # The empty contact fields are filled in from the earlier case (out of band).
    assert 'id="id_phone"' in html and "13812345678" in html and 'hx-swap-oob="true"' in html
    assert AuditEvent.objects.filter(action="applicant.reuse_consent_given").count() == 1
    viewed = AuditEvent.objects.get(action="case.personal_data_viewed")
    assert viewed.actor == hall.alice and viewed.data["cases"] == [first.number]


def test_a_typed_phone_is_not_overwritten(hall, first, second, client_for):
    reuse.give_consent(channel="window", id_number=VALID_ID, by=hall.alice)
    html = lookup(client_for(hall.alice), second, phone="13900000000").content.decode()
    assert 'id="id_phone"' not in html and "已核验，可沿用" in html


def test_a_half_typed_number_shows_nothing(hall, first, second, client_for):
    reuse.give_consent(channel="window", id_number=VALID_ID, by=hall.alice)
    html = lookup(client_for(hall.alice), second, id_number=VALID_ID[:10]).content.decode()
    assert "已核验" not in html and "申请人已同意" not in html
    assert not AuditEvent.objects.filter(action="case.personal_data_viewed").exists()


def test_it_validates_ownership(hall, first, second, client_for):
    """dave (学生处) cannot look up from a 教务处 item, and finds nobody from his own."""
    from yichuang.org.models import Post

    reuse.give_consent(channel="window", id_number=VALID_ID, by=hall.alice)
    c = client_for(hall.dave)
    assert lookup(c, second).status_code == 404
    post = Post.objects.create(code="xsc-aid", name="资助岗", department=hall.xsc, holder=hall.dave)
    theirs = make_service(
        hall, code="zxdk", name="助学贷款", post=post, materials=(("学生证", True),)
    )
    html = lookup(c, theirs).content.decode()
    assert "已核验" not in html and "申请人已同意" not in html and first.number not in html
    assert not AuditEvent.objects.filter(action="case.personal_data_viewed").exists()
    assert c.get(f"/cases/intake/{theirs.code}/earlier/").status_code == 405


def intake(client, service, *, materials, reuse_ids):
    return client.post(
        f"/cases/intake/{service.code}/",
        {
            "applicant_name": "李小明",
            "id_number": VALID_ID,
            "phone": "13812345678",
            "materials": [str(m) for m in materials],
            "reuse": [str(r) for r in reuse_ids],
            "decision": "accept",
        },
    )


def test_the_confirmed_tick_is_reused_and_accepted(hall, first, second, client_for):
    reuse.give_consent(channel="window", id_number=VALID_ID, by=hall.alice)
    source = first.materials.get(name="学生证")
    form = second.materials.get(name="成绩单申请表")
    response = intake(client_for(hall.alice), second, materials=[form.pk], reuse_ids=[source.pk])
    assert response.status_code == 302
    case = Case.objects.get(service=second)
    assert case.status == "accepted"
    assert case.materials.get(name="学生证").reused_from == source
    assert CaseEvent.objects.get(case=case, action="create").data["reused"][0]["from_case"] == (
        first.number
    )
    html = client_for(hall.alice).get(f"/cases/{case.number}/").content.decode()
    assert f"沿用办件 {first.number} 已核验的材料" in html


def test_an_unticked_offer_leaves_the_material_missing(hall, first, second, client_for):
    reuse.give_consent(channel="window", id_number=VALID_ID, by=hall.alice)
    form = second.materials.get(name="成绩单申请表")
    intake(client_for(hall.alice), second, materials=[form.pk], reuse_ids=[])
    case = Case.objects.get(service=second)
    assert case.status == "submitted"  # 受理 refused: 学生证 is missing
    assert case.materials.get(name="学生证").provided is False
    assert case.materials.get(name="学生证").reused_from is None


def test_a_forged_source_is_refused_and_nothing_is_created(hall, first, second, client_for):
    other = make_service(hall, code="other", name="其他", materials=(("学生证", True),))
    stranger = services.create_case(
        service=other,
        channel="window",
        applicant=applicant(id_number="110101199003071241", name="张三"),
        materials=all_required(other),
        by=hall.alice,
    )
    services.accept_case(stranger, by=hall.alice)
    reuse.give_consent(channel="window", id_number=VALID_ID, by=hall.alice)
    theirs = stranger.materials.get(name="学生证")
    response = intake(client_for(hall.alice), second, materials=[], reuse_ids=[theirs.pk])
    assert response.status_code == 200 and "已不能沿用" in response.content.decode()
    assert not Case.objects.filter(service=second).exists()
