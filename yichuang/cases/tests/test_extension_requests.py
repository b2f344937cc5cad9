"""Extension requests (行政许可法 §42: more time only with the head's approval): the handler
asks, the head sees it in the inbox and extends or refuses it; either way the handler is told."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yichuang.cases import services
from yichuang.cases.models import ExtensionRequest
from yichuang.core import inbox
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.models import StaffNotice

from .factories import all_required, applicant, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(hall):
    service = make_service(hall)
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    return services.accept_case(case, by=hall.alice)


def test_handler_asks_head_approves_with_the_asked_days(case, hall, client_for):
    before = case.deadline
    services.request_extension(case, days=5, reason="需征求学院意见", by=hall.alice)
    asked = ExtensionRequest.objects.get(case=case)
    assert asked.decision == "" and asked.days == 5
    # The head is told in the notice centre, with the case's page to open.
    notice = StaffNotice.objects.get(recipient=hall.carol, kind="case.extension_requested")
    assert case.number in notice.subject and "需征求学院意见" in notice.text

    # The head's inbox lists the request with who asked and for how long.
    client = client_for(hall.carol)
    page = client.get("/staff/").content.decode()
    assert "延期申请" in page and case.number in page and "申请延长 5 个工作日" in page
    detail = client.get(f"/cases/{case.number}/").content.decode()
    assert "延期申请待批准" in detail and 'value="5"' in detail

    response = client.post(
        f"/cases/{case.number}/act/extend/", {"days": "5", "reason": "需征求学院意见"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    asked.refresh_from_db()
    assert asked.decision == "approved" and asked.decided_by == hall.carol
    assert case.extended_days == 5 and case.deadline > before
    assert StaffNotice.objects.filter(recipient=hall.alice, kind="case.extension_decided").exists()
    # Answered: no longer in the head's inbox.
    assert case.number not in client.get("/staff/").content.decode()


def test_head_refuses_and_the_deadline_stands(case, hall):
    before = case.deadline
    services.request_extension(case, days=3, reason="材料较多", by=hall.alice)
    services.refuse_extension(case, reason="请按期办结", by=hall.carol)
    case.refresh_from_db()
    asked = ExtensionRequest.objects.get(case=case)
    assert asked.decision == "refused" and asked.decision_note == "请按期办结"
    assert case.deadline == before and case.extended_days == 0
    told = StaffNotice.objects.get(recipient=hall.alice, kind="case.extension_decided")
    assert "请按期办结" in told.text
    # The ledger holds both steps; the applicant's timeline neither.
    assert list(case.events.values_list("action", flat=True))[-2:] == [
        "request_extension",
        "refuse_extension",
    ]
    assert not any(e["action"].endswith("extension") for e in case.public_events)
    # Refused, the handler may ask again.
    services.request_extension(case, days=2, reason="专家评审延后", by=hall.alice)
    assert ExtensionRequest.objects.filter(case=case, decision="").count() == 1


def test_one_open_request_at_a_time_and_no_refusal_without_one(case, hall):
    with pytest.raises(Conflict):
        services.refuse_extension(case, reason="无", by=hall.carol)
    services.request_extension(case, days=3, reason="材料较多", by=hall.alice)
    with pytest.raises(Conflict):
        services.request_extension(case, days=3, reason="再次申请", by=hall.alice)
    assert ExtensionRequest.objects.filter(case=case).count() == 1


def test_refusals_of_those_without_the_right(case, hall):
    # Another department's clerk may not ask; the handler may not decide; a reviewer neither.
    with pytest.raises(NotAllowed):
        services.request_extension(case, days=3, reason="x", by=hall.dave)
    services.request_extension(case, days=3, reason="材料较多", by=hall.alice)
    for other in (hall.alice, hall.bob, hall.dave, hall.rita):
        with pytest.raises(NotAllowed):
            services.refuse_extension(case, reason="不同意", by=other)
    assert ExtensionRequest.objects.get(case=case).decision == ""


def test_bad_input_changes_nothing(case, hall, client_for):
    with pytest.raises(Invalid):
        services.request_extension(case, days=0, reason="材料较多", by=hall.alice)
    with pytest.raises(Invalid):
        services.request_extension(case, days=3, reason="  ", by=hall.alice)
    client = client_for(hall.alice)
    response = client.post(
        f"/cases/{case.number}/act/request_extension/", {"days": "abc", "reason": "材料较多"}
    )
    assert response.status_code == 400
    assert "延期天数应为 1 至 60 个工作日" in response.content.decode()
    assert not ExtensionRequest.objects.exists()


def test_pages_offer_the_request_to_the_handler_and_the_decision_to_the_head(
    case, hall, client_for
):
    client = client_for(hall.alice)
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "/act/request_extension/" in page and "/act/extend/" not in page
    client.post(
        f"/cases/{case.number}/act/request_extension/", {"days": "4", "reason": "需现场核验"}
    )
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "/act/request_extension/" not in page and "延期申请待批准" in page
    head_page = client_for(hall.carol).get(f"/cases/{case.number}/").content.decode()
    assert "/act/extend/" in head_page and "/act/refuse_extension/" in head_page


def test_the_heads_inbox_reads_requests_without_a_query_per_row(
    case, hall, django_assert_max_num_queries
):
    """The 延期申请 rows name who asked and for how long from the inbox's own query: four
    requests cost what one does."""

    def asked(n):
        for _i in range(n):
            other = services.accept_case(
                services.create_case(
                    service=case.service,
                    channel="window",
                    applicant=applicant(),
                    materials=all_required(case.service),
                    by=hall.alice,
                ),
                by=hall.alice,
            )
            services.request_extension(other, days=4, reason="需现场核验", by=hall.alice)

    def requests_section():
        found = {s.source.name: s for s in inbox.sections(hall.carol)}
        return found["cases.extension_requests"]

    services.request_extension(case, days=5, reason="需征求学院意见", by=hall.alice)
    with CaptureQueriesContext(connection) as one:
        section = requests_section()
    assert [r.detail for r in section.rows] == ["王晓燕 申请延长 5 个工作日"]

    asked(3)
    with django_assert_max_num_queries(len(one.captured_queries)):
        section = requests_section()
    assert len(section.rows) == 4
    assert sorted(r.detail for r in section.rows) == ["王晓燕 申请延长 4 个工作日"] * 3 + [
        "王晓燕 申请延长 5 个工作日"
    ]
