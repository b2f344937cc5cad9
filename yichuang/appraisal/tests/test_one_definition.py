"""One number under one name: 满意率, 好评率, 主动评价好评率, 差评整改率 and 按时整改率 as the
feedback API, `GET /api/v1/stats`, the dashboard and a campaign's candidate card publish them
for the same data (the March scenario) — one definition each (feedback.queries →
appraisal.queries.Figures), read by everyone. The feedback API used to publish replied/opened
and the appraisal closed/opened under the one name 差评整改率."""

import io
import subprocess
from datetime import date

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from yichuang.appraisal.formatting import fmt
from yichuang.appraisal.queries import definition
from yichuang.appraisal.services import generate_monthly_report
from yichuang.campaigns import services as campaigns
from yichuang.feedback import services as feedback
from yichuang.feedback.models import FollowUp

pytestmark = pytest.mark.django_db
MARCH = "from=2026-03-01&to=2026-03-31"
RATING_FIGURES = ("satisfaction_rate", "good_rate", "active_good_rate")
FOLLOW_UP_FIGURES = ("rectification_rate", "on_time_rectification_rate")


@pytest.fixture
def april(march):
    with time_machine.travel("2026-04-03 10:00 +0800", tick=False):
        yield march


def published(api, client, department=""):
    feedback = api.get(
        f"/api/v1/feedback/figures?date_from=2026-03-01&date_to=2026-03-31{department}"
    ).json()
    stats = api.get(f"/api/v1/stats?{MARCH}{department}").json()
    page = client.get(f"/appraisal/?{MARCH}{department}")
    return feedback, stats, page


def answer_without_closing(follow_up, hall):
    """Verified, rectified and answered after its rectification deadline, not closed yet."""
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        feedback.verify_follow_up(follow_up, finding="substantiated", note="属实", by=hall.carol)
        feedback.rectify_follow_up(follow_up, measures="窗口培训", by=hall.carol)
        feedback.reply_follow_up(follow_up, reply="已整改", by=hall.carol)
    assert follow_up.rectified_on_time is False


@pytest.mark.parametrize(
    "who, department", [("olga", ""), ("olga", "&department=jwc"), ("carol", "")]
)
def test_the_feedback_api_the_stats_and_the_dashboard_publish_one_number(
    hall, april, api_for, client_for, who, department
):
    answer_without_closing(FollowUp.objects.get(case=april.c5), hall)
    person = getattr(hall, who)
    feedback, stats, page = published(api_for(person), client_for(person), department)
    for attr in RATING_FIGURES:
        assert feedback["ratings"][attr] == stats[attr], attr
    for attr in FOLLOW_UP_FIGURES:
        assert feedback["follow_ups"][attr] == stats[attr], attr
    # C2's follow-up answered in time and closed, C5's answered late and not closed: both are
    # rectified (replied/opened and closed/opened used to differ here), one on time.
    assert stats["rectification_rate"] == 1.0
    assert stats["on_time_rectification_rate"] == 1 / 2
    assert stats["good_rate"] != stats["satisfaction_rate"]  # 好评 is 5–4, 满意 5–3
    cards = {c["attr"]: c for c in page.context["cards"]}
    for attr in (*RATING_FIGURES, *FOLLOW_UP_FIGURES, "unrated_rate", "on_time_rate"):
        assert cards[attr]["now"] == fmt(stats[attr], "rate"), attr
    html = page.content.decode()
    for attr in ("good_rate", "rectification_rate", "on_time_rectification_rate"):
        assert definition(attr) in html  # each figure shown with its definition


def test_the_candidate_card_shows_the_dashboards_staff_figures(hall, april, client_for):
    election = campaigns.create_election(
        title="服务之星",
        criteria="文明服务",
        nomination_opens=date(2026, 4, 1),
        nomination_closes=date(2026, 4, 30),
        voting_opens=date(2026, 5, 5),
        voting_closes=date(2026, 5, 10),
        seats=1,
        max_choices=1,
        departments=[hall.jwc],
        figures_since=date(2026, 3, 1),
        by=hall.olga,
    )
    campaigns.nominate(election, staff=hall.alice, deeds="微笑服务", by=hall.carol)
    card = client_for(hall.carol).get(f"/campaigns/elections/{election.pk}/").content.decode()
    page = client_for(hall.olga).get("/appraisal/?from=2026-03-01&to=2026-04-03&post=jwc-status")
    alice = next(line["f"] for line in page.context["lines"] if line["label"] == "王晓燕")
    assert alice.rating_count and alice.completed
    satisfaction = card.split('class="satisfaction-rate">')[1].split("<")[0]
    on_time = card.split('class="on-time-rate">')[1].split("<")[0]
    assert satisfaction == fmt(alice.satisfaction_rate, "rate")
    assert on_time == fmt(alice.on_time_rate, "rate")


GBT = ("good_rate", "active_good_rate", "unrated_rate", "rectification_rate")
LABELS = {"good_rate": "好评率", "active_good_rate": "主动评价好评率", "unrated_rate": "未评率"}
LABELS |= {"rectification_rate": "差评整改率", "on_time_rectification_rate": "按时整改率"}


def test_the_public_page_shows_the_same_march_with_the_definitions(hall, april, api_for):
    stats = api_for(hall.olga).get(f"/api/v1/stats?{MARCH}").json()
    page = Client().get("/appraisal/public/")
    march = next(r for r in page.context["rows"] if r["month"] == date(2026, 3, 1))
    for attr in (*GBT, "on_time_rectification_rate", "satisfaction_rate", "on_time_rate"):
        assert march[attr] == stats[attr], attr
    html = page.content.decode()
    for attr, label in LABELS.items():
        assert f"<dt>{label}</dt><dd>{definition(attr)}</dd>" in html


def test_the_monthly_report_prints_the_figures_with_their_definitions(
    hall, april, api_for, tmp_path
):
    stats = api_for(hall.olga).get(f"/api/v1/stats?{MARCH}").json()
    report, _written = generate_monthly_report(month=date(2026, 3, 1), by=hall.olga)
    wb = load_workbook(io.BytesIO(report.xlsx.read()))
    summary = {row[0]: row[1:] for row in wb["汇总"].iter_rows(values_only=True) if row}
    for attr, label in LABELS.items():
        now, _before, _target, defined = summary[label]
        assert now == stats[attr] and defined == definition(attr), attr
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report.pdf.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = "".join(text.split())
    for attr, label in LABELS.items():
        assert label in text and fmt(stats[attr], "rate") in text
        assert "".join(definition(attr).split()) in flat, attr
