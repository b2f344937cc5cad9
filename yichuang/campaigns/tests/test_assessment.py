from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yichuang.campaigns import evidence, services
from yichuang.campaigns.models import Evidence, UnitStatus
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.testing_files import docx_bytes, pdf_bytes, xlsx_bytes

from .factories import at, fill, items, make_campaign, unit_of

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


@pytest.fixture
def unit(hall):
    return unit_of(make_campaign(hall), hall.jwc)


def test_head_saves_half_way_and_comes_back(hall, unit):
    first, second = items(unit.campaign)
    services.save_self_assessment(
        unit, entries={first.pk: {"score": "9.5", "note": "有记录"}}, by=hall.carol
    )
    services.save_self_assessment(
        unit, entries={second.pk: {"score": "", "note": "待补"}}, by=hall.carol
    )
    scores = dict(unit.assessments.values_list("item_id", "self_score"))
    assert scores == {first.pk: Decimal("9.5"), second.pk: None}


def test_a_clerk_cannot_score(hall, unit):
    with pytest.raises(NotAllowed):
        fill(unit, hall.alice)
    with pytest.raises(NotAllowed):
        fill(unit, hall.olga)  # the hall office inspects, it does not assess itself
    assert not unit.assessments.exists()


def test_head_of_another_department_cannot_score(hall, unit):
    from .factories import head_of_xsc

    with pytest.raises(NotAllowed):
        fill(unit, head_of_xsc(hall))


@pytest.mark.parametrize("bad", ["11", "-1", "abc", "9.25"])
def test_scores_stay_between_zero_and_the_item_maximum(hall, unit, bad):
    item = items(unit.campaign)[0]
    with pytest.raises(Invalid):
        services.save_self_assessment(unit, entries={item.pk: {"score": bad}}, by=hall.carol)
    assert not unit.assessments.exists()


def test_submission_needs_every_item_scored(hall, unit):
    item = items(unit.campaign)[0]
    services.save_self_assessment(unit, entries={item.pk: {"score": "9"}}, by=hall.carol)
    with at(2025, 12, 1), pytest.raises(Conflict, match="还有 1 项未自评"):
        services.submit_self_assessment(unit, by=hall.carol)


def test_submission_on_the_due_date_is_on_time(hall, unit):
    fill(unit, hall.carol)
    with at(2025, 12, 20, 23):
        services.submit_self_assessment(unit, by=hall.carol)
    assert unit.status == UnitStatus.SUBMITTED and not unit.submitted_late


def test_late_submission_is_refused_with_the_date(hall, unit):
    fill(unit, hall.carol)
    with at(2025, 12, 21), pytest.raises(Conflict, match="2025-12-20") as refused:
        services.submit_self_assessment(unit, by=hall.carol)
    assert refused.value.code == "past_due" and "大厅管理办公室" in refused.value.message
    unit.refresh_from_db()
    assert unit.status == UnitStatus.PENDING


def test_extension_by_the_hall_office_lets_it_in_flagged_late(hall, unit):
    fill(unit, hall.carol)
    with at(2025, 12, 21):
        with pytest.raises(NotAllowed):
            services.extend_assessment_due(
                unit, until=date(2025, 12, 24), reason="处长出差", by=hall.carol
            )
        services.extend_assessment_due(
            unit, until=date(2025, 12, 24), reason="处长出差", by=hall.olga
        )
    with at(2025, 12, 24):
        services.submit_self_assessment(unit, by=hall.carol)
    assert unit.status == UnitStatus.SUBMITTED and unit.submitted_late
    with at(2025, 12, 25), pytest.raises(Conflict):
        services.submit_self_assessment(unit, by=hall.carol)  # and only once


def test_applying_for_inspection_needs_the_pass_score(hall, unit):
    fill(unit, hall.carol, scores=(7, 7))  # 14 < 15
    with at(2025, 12, 1):
        services.submit_self_assessment(unit, by=hall.carol)
        with pytest.raises(Conflict, match="未达到达标分 15"):
            services.apply_for_inspection(unit, by=hall.carol)
    assert unit.status == UnitStatus.SUBMITTED


def test_a_submitted_self_assessment_cannot_be_changed(hall, unit):
    fill(unit, hall.carol)
    with at(2025, 12, 1):
        services.submit_self_assessment(unit, by=hall.carol)
    with pytest.raises(Conflict, match="已提交"):
        fill(unit, hall.carol, scores=(10, 10))
    with pytest.raises(Conflict):
        services.upload_evidence(unit, upload=SimpleUploadedFile("a.pdf", PDF), by=hall.carol)


def test_returned_self_assessment_can_be_redone(hall, unit):
    fill(unit, hall.carol)
    with at(2025, 12, 1):
        services.submit_self_assessment(unit, by=hall.carol)
        with pytest.raises(NotAllowed):
            services.return_self_assessment(unit, reason="说明不具体", by=hall.carol)
        services.return_self_assessment(unit, reason="说明不具体", by=hall.olga)
        assert unit.status == UnitStatus.PENDING
        fill(unit, hall.carol, scores=(10, 9))
        services.submit_self_assessment(unit, by=hall.carol)
    returned = unit.events.get(action="return")
    assert (returned.from_status, returned.status) == (UnitStatus.SUBMITTED, UnitStatus.PENDING)
    assert returned.note == "说明不具体" and returned.by == hall.olga


def test_evidence_upload_keeps_the_name_and_a_random_path(hall, unit):
    item = items(unit.campaign)[0]
    e = services.upload_evidence(
        unit, upload=SimpleUploadedFile("会议记录.pdf", PDF), item=item, by=hall.carol
    )
    assert e.name == "会议记录.pdf" and e.item == item and e.size == len(PDF)
    assert e.content_type == "application/pdf"
    assert "会议记录" not in e.file.name and e.file.name.endswith(".pdf")
    services.delete_evidence(e, by=hall.carol)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "name, content, code, words",
    [
        ("setup.exe", b"MZ\x90\x00", "file_type", "类型不能上传"),
        ("page.html", b"<html>", "file_type", "PDF、Word、Excel"),
        ("fake.pdf", b"<script>alert(1)</script>", "file_mismatch", "内容与扩展名"),
        ("empty.pdf", b"", "file_empty", "空文件"),
    ],
)
def test_evidence_refusals_name_the_file_and_say_why(hall, unit, name, content, code, words):
    with pytest.raises(Invalid) as refused:
        services.upload_evidence(unit, upload=SimpleUploadedFile(name, content), by=hall.carol)
    assert refused.value.code == code
    assert name in refused.value.message and words in refused.value.message
    assert not Evidence.objects.exists()


def test_evidence_over_the_size_limit_is_refused(hall, unit, monkeypatch):
    monkeypatch.setattr(evidence, "MAX_MB", 1)
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (1024 * 1024 + 1))
    with pytest.raises(Invalid, match="超过 1 MB 的上限") as refused:
        services.upload_evidence(unit, upload=big, by=hall.carol)
    assert "scan.pdf" in refused.value.message


def test_clerk_cannot_upload_evidence(hall, unit):
    with pytest.raises(NotAllowed):
        services.upload_evidence(unit, upload=SimpleUploadedFile("a.pdf", PDF), by=hall.alice)


@pytest.mark.parametrize(
    "name, content",
    [
        ("方案.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>"),
        ("照片.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00<html><script>alert(1)</script>"),
        ("自评表.docx", b"PK\x03\x04<html><script>alert(1)</script></html>"),
        ("自评表.xlsx", b"PK\x03\x04<html><script>alert(1)</script></html>"),
    ],
)
def test_evidence_whose_first_bytes_lie_is_refused(hall, unit, name, content):
    with pytest.raises(Invalid) as refused:
        services.upload_evidence(unit, upload=SimpleUploadedFile(name, content), by=hall.carol)
    assert refused.value.code == "file_mismatch" and name in refused.value.message
    assert not Evidence.objects.exists()


def test_real_office_documents_are_accepted_as_evidence(hall, unit):
    for name, content in [("自评表.xlsx", xlsx_bytes()), ("总结.docx", docx_bytes())]:
        services.upload_evidence(unit, upload=SimpleUploadedFile(name, content), by=hall.carol)
    assert Evidence.objects.count() == 2
