from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from yichuang.campaigns import services
from yichuang.campaigns.reports.excel import summary_workbook
from yichuang.campaigns.reports.pdf import render_summary_pdf
from yichuang.campaigns.reports.summary import campaign_summary
from yichuang.core.models import AuditEvent

from .factories import applied_unit, at, items, make_campaign, make_election, nominated, with_voters

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(hall):
    """教务处 inspected and signed off with one closed rectification; 学生处 never started;
    a star election counted."""
    campaign = make_campaign(hall)
    unit = applied_unit(hall, campaign)
    first, second = items(campaign)
    with at(2025, 12, 5):
        services.score_inspection(
            unit,
            entries={first.pk: {"score": "10"}, second.pk: {"score": "7", "comment": "办结率 97%"}},
            by=hall.olga,
        )
        r = services.open_rectification(
            unit, description="补齐一次性告知单", due_on=date(2025, 12, 12), by=hall.olga
        )
        services.report_rectification(r, report="已补齐 29 项", by=hall.carol)
        services.close_rectification(r, note="复查合格", by=hall.olga)
        services.sign_off(unit, conclusion="达到标准化服务窗口要求", by=hall.olga)
    election, alice, _d = nominated(hall, election=make_election(hall, campaign=campaign))
    with_voters(hall, election)
    with at(2025, 7, 6):
        services.cast_ballot(election, choices=[alice.pk], by=hall.carol)
    with at(2025, 7, 11):
        services.close_election(election, by=hall.olga)
    return campaign


def test_summary_adds_up_in_the_database(hall, campaign):
    s = campaign_summary(campaign)
    jwc, xsc = s.units
    assert (jwc.self_total, jwc.inspection_total, jwc.result) == (17, 17, "合格")
    assert (jwc.rectifications, jwc.rectifications_closed) == (1, 1)
    assert (xsc.self_total, xsc.result, xsc.status_label) == (None, "—", "自评中")
    assert [title for _pk, title, _m in s.sections] == ["窗口建设标准化", "服务质量标准化"]
    assert (s.submitted, s.signed_off, s.passed) == (1, 1, 1)
    ((_e, candidates),) = s.elections
    assert [(c.staff.username, c.votes, c.elected) for c in candidates] == [
        ("alice", 1, True),
        ("dave", 0, False),
    ]


def test_summary_pdf(hall, campaign):
    pdf = render_summary_pdf(campaign_summary(campaign))
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf  # the Chinese font is embedded


def test_summary_workbook_has_the_rows(hall, campaign):
    wb = load_workbook(BytesIO(summary_workbook(campaign_summary(campaign))))
    assert wb.sheetnames[:3] == ["汇总", "逐项评分", "整改事项"]
    rows = list(wb["汇总"].iter_rows(values_only=True))
    assert rows[1][:5] == ("教务处", "已验收", 17, 17, "合格")
    assert rows[2][:2] == ("学生处", "自评中")
    scores = list(wb["逐项评分"].iter_rows(values_only=True))
    assert len(scores) == 3 and scores[2][6:8] == (7, "办结率 97%")
    rect = list(wb["整改事项"].iter_rows(values_only=True))
    assert (rect[1][0], rect[1][1], rect[1][3]) == ("教务处", "补齐一次性告知单", "已销号")
    assert len(wb.sheetnames) == 4  # and the election's count


def test_downloads_for_the_inspection_team_only(hall, campaign, client_for):
    pdf = client_for(hall.olga).get(f"/campaigns/{campaign.pk}/summary.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    xlsx = client_for(hall.rita).get(f"/campaigns/{campaign.pk}/summary.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    for outsider in (hall.alice, hall.carol, hall.dave):
        assert client_for(outsider).get(f"/campaigns/{campaign.pk}/summary.pdf").status_code == 403
    assert AuditEvent.objects.filter(action="campaign.summary_pdf").count() == 1
