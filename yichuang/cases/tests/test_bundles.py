"""一件事一次办: one submission of a bundle fans out to one joint case (联办) led by the lead
service's department, with the bundle's materials once each and one acceptance notice
that lists every part."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yichuang.cases import services as cases
from yichuang.cases.bundles import submit_bundle
from yichuang.cases.models import Attachment, Case, Document
from yichuang.cases.texts import document_lines
from yichuang.catalog.tests.factories import freshman_bundle
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.testing_files import pdf_bytes

from .factories import applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def freshman(hall):
    return freshman_bundle(hall)


def test_one_submission_is_one_joint_case_led_by_the_lead_department(hall, freshman):
    case = submit_bundle(
        freshman.bundle,
        applicant=applicant(),
        materials=list(freshman.ids.values()),
        channel="window",
        by=hall.alice,  # a clerk of 教务处, the lead department
    )
    assert Case.objects.count() == 1
    assert case.service == freshman.bh.register and case.department == hall.jwc
    assert case.is_joint and case.bundle == freshman.bundle and case.bundle_version == 1
    parts = case.parts.select_related("department")
    assert [p.department.name for p in parts] == ["学生处", "后勤保障处"]
    assert [m.name for m in case.materials.all()] == [
        "录取通知书",
        "本人身份证",
        "户口迁移证",
        "近期一寸免冠证件照",
    ]
    assert all(m.provided for m in case.materials.all())
    assert case.missing_at_intake == []


def test_acceptance_waits_for_every_services_documents_then_lists_every_part(hall, freshman):
    brought = [freshman.ids["录取通知书"], freshman.ids["本人身份证"]]
    case = submit_bundle(
        freshman.bundle, applicant=applicant(), materials=brought, channel="window", by=hall.alice
    )
    assert [m["name"] for m in case.missing_at_intake] == ["户口迁移证", "近期一寸免冠证件照"]
    with pytest.raises(Conflict, match="户口迁移证"):
        cases.accept_case(case, by=hall.alice)
    missing = [freshman.ids["户口迁移证"], freshman.ids["近期一寸免冠证件照"]]
    cases.request_supplement(case, missing=missing, note="", by=hall.alice)
    supplement = Document.objects.get(case=case, kind=Document.Kind.SUPPLEMENT)
    assert supplement.data["missing"] == ["户口迁移证", "近期一寸免冠证件照"]
    cases.supplement_case(case, materials=missing, by=hall.alice)
    cases.accept_case(case, by=hall.alice)
    notice = Document.objects.get(case=case, kind=Document.Kind.ACCEPTANCE)
    text = "\n".join(document_lines(case, notice))
    assert "“新生入学”（一件事一次办）为联办件，由教务处牵头" in text
    assert "1. 教务处：新生学籍注册（牵头）" in text
    assert "2. 学生处：新生集体户口迁入" in text
    assert "3. 后勤保障处：新生宿舍入住登记" in text
    assert Document.objects.filter(case=case, kind=Document.Kind.ACCEPTANCE).count() == 1


def test_only_the_lead_departments_clerks_take_it_at_the_window(hall, freshman):
    with pytest.raises(NotAllowed):
        submit_bundle(
            freshman.bundle, applicant=applicant(), materials=[], channel="window", by=hall.dave
        )
    assert not Case.objects.exists()


def test_a_material_of_no_service_in_the_bundle_is_refused(hall, freshman):
    with pytest.raises(Invalid) as refused:
        submit_bundle(
            freshman.bundle,
            applicant=applicant(),
            materials=[99999],
            channel="window",
            by=hall.alice,
        )
    assert refused.value.code == "invalid_materials"
    assert not Case.objects.exists()


def test_online_uploads_are_kept_with_the_one_case(freshman):
    upload = SimpleUploadedFile("身份证.pdf", pdf_bytes(), content_type="application/pdf")
    case = submit_bundle(
        freshman.bundle,
        applicant=applicant(),
        materials=[],
        channel="online",
        uploads={freshman.ids["本人身份证"]: [upload]},
    )
    assert case.channel == "online"
    assert [m.name for m in case.materials.filter(provided=True)] == ["本人身份证"]
    assert Attachment.objects.filter(case=case).count() == 1


def test_bad_applicant_details_online_write_nothing(freshman):
    upload = SimpleUploadedFile("身份证.pdf", pdf_bytes(), content_type="application/pdf")
    with pytest.raises(Invalid):
        submit_bundle(
            freshman.bundle,
            applicant=applicant(id_number="110101199003071234"),  # wrong check digit
            materials=[],
            channel="online",
            uploads={freshman.ids["本人身份证"]: [upload]},
        )
    assert not Case.objects.exists() and not Attachment.objects.exists()
