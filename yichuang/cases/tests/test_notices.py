"""The notices the law requires: 不予许可决定书 (行政许可法 §38), 延期办理告知书 (§42), 中止/恢复办理
告知书 (§45) and the transfer notice; each numbered, printable, downloadable as a PDF by the
case's department only, and sent to the applicant by SMS."""

import re
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yichuang.cases import services
from yichuang.cases.models import Case, CaseEvent, Document, Outcome, Status
from yichuang.cases.texts import document_lines
from yichuang.core.errors import Invalid
from yichuang.core.models import AuditEvent
from yichuang.core.notifications.channels.sms import LoggingSmsBackend

from .factories import all_required, applicant, make_service

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
J = "application/json"
NUMBER = re.compile(r"^教务〔2026〕\d{4}号$")


def at(y, m, d, hh=10):
    return time_machine.travel(datetime(y, m, d, hh, 0, tzinfo=SH), tick=False)


@pytest.fixture
def sms():
    LoggingSmsBackend.recent.clear()
    yield LoggingSmsBackend.recent
    LoggingSmsBackend.recent.clear()


def accepted(hall):
    from yichuang.catalog.models import Service

    service = Service.objects.filter(code="zxzm").first() or make_service(hall)
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    services.accept_case(case, by=hall.alice)
    return case


def sent(case, kind):
    """The bodies of the notices of `kind` recorded as sent about `case`."""
    return [
        e.data.get("body", "")
        for e in AuditEvent.objects.filter(action="notification.sent", target_id=str(case.pk))
        if e.data.get("kind") == kind
    ]


def texts(case, doc):
    return "\n".join(document_lines(case, doc))


def pdf_text(content: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return re.sub(r"\s+", "", out.stdout.decode())


# 不予许可 ---------------------------------------------------------------------------------


def test_a_refusing_review_needs_its_reason_and_changes_nothing(hall):
    case = accepted(hall)
    events = CaseEvent.objects.count()
    with pytest.raises(Invalid) as exc:
        services.review_case(case, decision="refuse", note="  ", by=hall.alice)
    assert exc.value.code == "reason_required"
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.review_decision == ""
    assert CaseEvent.objects.count() == events


def test_a_refusing_review_without_reason_is_400_over_the_api(hall, api_for):
    case = accepted(hall)
    r = api_for(hall.alice).post(
        f"/api/v1/cases/{case.number}/review", {"decision": "refuse"}, content_type=J
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "reason_required"
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_an_agreed_refusal_is_a_refusal_decision_with_reasons_and_remedies(
    hall, sms, django_capture_on_commit_callbacks
):
    """行政许可法 §38: the written refusal states its reasons, names the deciding department and
    the right to reconsideration (60 days) or a lawsuit (6 months); no 办结通知书 that only says
    "不予批准"."""
    case = accepted(hall)
    reason = "申请人不符合《学生管理规定》第十二条规定的条件"
    with django_capture_on_commit_callbacks(execute=True):
        services.review_case(case, decision="refuse", note=reason, by=hall.alice)
        services.check_case(case, agree=True, note="同意", by=hall.rita)
    assert case.status == Status.COMPLETED and case.outcome == Outcome.REFUSED
    assert not case.documents.filter(kind=Document.Kind.COMPLETION).exists()
    doc = case.documents.get(kind=Document.Kind.REFUSAL)
    assert NUMBER.match(doc.number) and doc.data["reason"] == reason
    words = texts(case, doc)
    for phrase in (
        reason,
        "教务处决定不予许可",
        "第三十八条",
        "六十日内向有管辖权的行政复议机关申请行政复议",
        "《中华人民共和国行政复议法》第二十条",
        "六个月内向有管辖权的人民法院提起行政诉讼",
        "《中华人民共和国行政诉讼法》第四十六条",
    ):
        assert phrase in words
    [body] = sent(case, "case.refused")
    assert "不予许可" in body and doc.number in body and f"/progress/{case.number}/" in body
    assert any("不予许可" in m.text and m.phone == "13812345678" for m in sms)
    assert not sent(case, "case.completed")
    assert case.public_events[-1]["note"].startswith("不予许可")


def test_remedies_come_from_the_hall_settings_and_stay_with_the_decision(hall, settings):
    settings.RECONSIDERATION_BODY = "北京市教育委员会"
    settings.LITIGATION_COURT = "北京市海淀区人民法院"
    settings.REFUSAL_REMEDY_NOTE = "对学校处理决定不服的，也可以向学校学生申诉处理委员会提出申诉。"
    case = accepted(hall)
    services.review_case(case, decision="refuse", note="不符合条件", by=hall.alice)
    services.check_case(case, agree=True, by=hall.rita)
    doc = case.documents.get(kind=Document.Kind.REFUSAL)
    settings.RECONSIDERATION_BODY = (
        "另一个机关"  # a later change does not rewrite a served decision
    )
    words = texts(case, doc)
    assert "向北京市教育委员会申请行政复议" in words and "向北京市海淀区人民法院提起" in words
    assert "学生申诉处理委员会" in words and "另一个机关" not in words


def test_an_approval_still_gets_the_completion_notice(hall):
    case = accepted(hall)
    services.review_case(case, decision="approve", by=hall.alice)
    services.check_case(case, agree=True, by=hall.rita)
    assert case.outcome == Outcome.APPROVED
    assert list(case.documents.values_list("kind", flat=True)) == ["acceptance", "completion"]


# 延期 ---------------------------------------------------------------------------------------


def test_extension_issues_a_numbered_notice_with_reason_days_and_new_deadline(
    hall, sms, django_capture_on_commit_callbacks
):
    with at(2026, 3, 2), django_capture_on_commit_callbacks(execute=True):
        case = accepted(hall)
        before = case.deadline
        services.extend_case(case, days=5, reason="需征求学院意见", by=hall.carol)
    assert case.deadline > before
    doc = case.documents.get(kind=Document.Kind.EXTENSION)
    assert NUMBER.match(doc.number)
    assert doc.data["previous_deadline"] == before.isoformat()
    assert doc.data["deadline"] == case.deadline.isoformat() and doc.data["days"] == 5
    words = texts(case, doc)
    assert "需征求学院意见" in words and "延长 5 个工作日" in words and "第四十二条" in words
    assert f"{case.deadline:%Y年%m月%d日}" in words and f"{before:%Y年%m月%d日}" in words
    [body] = sent(case, "case.extended")
    assert "需征求学院意见" in body and doc.number in body
    assert any(m.phone == "13812345678" and "延长 5" in m.text for m in sms)
    assert case.public_events[-1]["note"] == f"延长 5 个工作日，办结期限 {case.deadline}"


# 中止 / 恢复 --------------------------------------------------------------------------------


def test_suspension_and_resumption_each_issue_a_notice_and_tell_the_applicant(
    hall, sms, django_capture_on_commit_callbacks
):
    with at(2026, 3, 2), django_capture_on_commit_callbacks(execute=True):
        case = accepted(hall)
        before = case.deadline
        services.suspend_case(case, reason="需组织专家评审", by=hall.alice)
    suspension = case.documents.get(kind=Document.Kind.SUSPENSION)
    assert NUMBER.match(suspension.number)
    words = texts(case, suspension)
    assert "需组织专家评审" in words and "2026年03月02日 起中止办理" in words
    assert "第四十五条" in words and "不计入办理时限" in words
    with at(2026, 3, 5), django_capture_on_commit_callbacks(execute=True):
        services.resume_case(case, by=hall.alice)
    resumption = case.documents.get(kind=Document.Kind.RESUMPTION)
    assert NUMBER.match(resumption.number) and resumption.number != suspension.number
    assert resumption.data["suspended_working_days"] == 3
    assert resumption.data["deadline"] == case.deadline.isoformat() and case.deadline > before
    words = texts(case, resumption)
    assert "需组织专家评审" in words and "现自 2026年03月05日 起恢复办理" in words
    assert "中止期间 3 个工作日不计入办理时限" in words
    assert f"顺延至 {case.deadline:%Y年%m月%d日}" in words
    assert "需组织专家评审" in sent(case, "case.suspended")[0]
    assert case.deadline.strftime("%Y") in sent(case, "case.resumed")[0]
    assert resumption.number in sent(case, "case.resumed")[0]
    assert len([m for m in sms if "中止办理" in m.text or "恢复办理" in m.text]) == 2


# 转办 ---------------------------------------------------------------------------------------


def test_transfer_tells_the_applicant_the_department_and_post_never_a_name(
    hall, django_capture_on_commit_callbacks
):
    from yichuang.org.models import Post, Window

    window = Window.objects.create(number="3", name="学生资助", department=hall.xsc)
    aid = Post.objects.create(
        code="xsc-aid", name="资助岗", department=hall.xsc, window=window, holder=hall.dave
    )
    case = accepted(hall)
    with django_capture_on_commit_callbacks(execute=True):
        services.transfer_case(case, post=aid, reason="属于资助业务", by=hall.alice)
    [body] = sent(case, "case.transferred")
    assert "学生处 · 资助岗（3号窗口）" in body and case.deadline.strftime("%Y") in body
    assert hall.dave.full_name not in body and "dave" not in body
    note = case.public_events[-1]["note"]
    assert note == "现由学生处 · 资助岗（3号窗口）办理" and hall.dave.full_name not in note


# Print view and PDF -------------------------------------------------------------------------


def _case_with(hall, kind):
    case = accepted(hall)
    if kind == "refusal":
        services.review_case(case, decision="refuse", note="不符合申请条件", by=hall.alice)
        services.check_case(case, agree=True, by=hall.rita)
    elif kind == "extension":
        services.extend_case(case, days=3, reason="需征求学院意见", by=hall.carol)
    else:
        services.suspend_case(case, reason="需组织专家评审", by=hall.alice)
        if kind == "resumption":
            services.resume_case(case, by=hall.alice)
    return Case.objects.get(pk=case.pk)


PHRASES = {
    "refusal": ["不予许可决定书", "不符合申请条件", "申请行政复议", "提起行政诉讼", "第四十六条"],
    "extension": ["延期办理告知书", "需征求学院意见", "延长3个工作日", "延长后的办结期限"],
    "suspension": ["中止办理告知书", "需组织专家评审", "不计入办理时限"],
    "resumption": ["恢复办理告知书", "需组织专家评审", "办结期限顺延至"],
}


@pytest.mark.parametrize("kind", list(PHRASES))
def test_each_notice_prints_and_downloads_for_its_department(hall, client_for, kind):
    case = _case_with(hall, kind)
    doc = case.documents.get(kind=kind)
    c = client_for(hall.alice)
    page = c.get(f"/cases/{case.number}/documents/{doc.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert doc.get_kind_display() in html and doc.number in html and "<svg" in html
    pdf = c.get(f"/cases/{case.number}/documents/{doc.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    words = pdf_text(pdf.content)
    for phrase in [*PHRASES[kind], doc.number, case.number, "教务处"]:
        assert phrase in words, phrase


def test_it_validates_ownership(hall, client_for):
    """Another department's clerk finds none of the new notices, neither page nor PDF."""
    dave = client_for(hall.dave)
    for kind in PHRASES:
        case = _case_with(hall, kind)
        doc = case.documents.get(kind=kind)
        assert dave.get(f"/cases/{case.number}/documents/{doc.pk}/").status_code == 404
        assert dave.get(f"/cases/{case.number}/documents/{doc.pk}.pdf").status_code == 404


def test_notices_share_the_departments_one_series(hall):
    case = _case_with(hall, "resumption")
    numbers = list(case.documents.values_list("number", flat=True))
    assert [n[-5:-1] for n in numbers] == ["0001", "0002", "0003"]
    assert len(set(numbers)) == 3


def test_a_provisional_deadline_says_so_on_the_notice(hall):
    """A deadline counted before the year's holiday notice is told as provisional."""
    case = accepted(hall)
    services.extend_case(case, days=2, reason="需征求学院意见", by=hall.carol)
    doc = case.documents.get(kind=Document.Kind.EXTENSION)
    doc.data["provisional"] = True
    assert "暂定工作日历" in texts(case, doc)
    doc.data["provisional"] = False
    assert "暂定工作日历" not in texts(case, doc)


def test_the_page_refuses_a_refusal_without_reason_with_a_message(hall, client_for):
    case = accepted(hall)
    c = client_for(hall.alice)
    r = c.post(f"/cases/{case.number}/act/review/", {"decision": "refuse", "note": ""}, follow=True)
    assert "须写明理由" in r.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_the_public_progress_api_carries_the_applicants_notes(hall):
    from django.test import Client

    case = accepted(hall)
    services.extend_case(case, days=2, reason="需征求学院意见", by=hall.carol)
    body = Client().get(f"/api/v1/cases/{case.number}?query_code={case.query_code}").json()
    assert body["events"][-1]["action"] == "extend"
    assert body["events"][-1]["note"] == f"延长 2 个工作日，办结期限 {case.deadline}"
    assert "note" not in body["events"][0]  # steps without a note keep the shape of API.md
