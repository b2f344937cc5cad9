"""The dashboard, the appraisal pages, the reports and the public figures."""

import io
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from yichuang.appraisal import services
from yichuang.appraisal.models import MonthlyReport, PanelScore
from yichuang.org.testing import make_staff

from .test_scoring import DEFAULTS

pytestmark = pytest.mark.django_db
MARCH = "/appraisal/?from=2026-03-01&to=2026-03-31"


@pytest.fixture
def april(march):
    with time_machine.travel("2026-04-03 10:00 +0800", tick=False):
        yield march


def test_the_hall_office_sees_every_department_with_charts(
    hall, april, client_for, django_assert_max_num_queries
):
    with django_assert_max_num_queries(60):
        r = client_for(hall.olga).get(MARCH)
    html = r.content.decode()
    assert r.status_code == 200
    assert "教务处" in html and "学生处" in html
    assert html.count("<svg") == 4 and "85.71%" in html  # the hall's on-time rate
    assert 'href="?from=2026-03-01&amp;to=2026-03-31&amp;department=jwc"' in html
    assert "<script" not in html.split("<main")[1].split("</main>")[0]


def test_the_query_count_does_not_grow_with_the_data(hall, april, client_for):
    client = client_for(hall.olga)
    client.get(MARCH)  # warm the calendar

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    busy, quiet = count(MARCH), count("/appraisal/?from=2026-01-01&to=2026-01-31")
    assert busy == quiet
    assert count(MARCH + "&department=jwc&by=staff") == busy


def test_drill_down_to_posts_windows_and_staff(hall, april, client_for):
    client = client_for(hall.olga)
    posts = client.get(MARCH + "&department=jwc").content.decode()
    assert "学籍管理岗" in posts and "post=jwc-status" in posts
    staff = client.get(MARCH + "&post=jwc-status").content.decode()
    assert "王晓燕" in staff and "刘洋" in staff  # alice's cases, bob's cover event
    windows = client.get(MARCH + f"&window={hall.window.pk}&by=staff").content.decode()
    assert "王晓燕" in windows


def test_it_validates_ownership(hall, april, client_for):
    """Heads see their own department only; clerks are refused; evaluators go to the panel."""
    head = client_for(hall.carol)
    own = head.get(MARCH).content.decode()
    assert "学籍管理岗" in own and "学生处" not in own
    assert head.get(MARCH + "&department=xsc").status_code == 403
    assert head.get(MARCH + "&post=xsc-affairs").status_code == 403
    assert client_for(hall.alice).get(MARCH).status_code == 403
    assert client_for(hall.dave).get("/appraisal/figures.xlsx").status_code == 403
    assert client_for(hall.alice).get("/appraisal/reports/").status_code == 403
    eve = make_staff("eve", None, "evaluator")
    assert client_for(eve).get(MARCH).url == "/appraisal/appraisals/"
    assert Client().get(MARCH).status_code == 302  # to the login page


def test_a_bad_date_is_said_and_this_month_shown(hall, april, client_for):
    r = client_for(hall.olga).get("/appraisal/?from=2026-02-30")
    assert r.status_code == 200 and "日期格式" in r.content.decode()


def test_the_table_exports_to_excel(hall, april, client_for):
    r = client_for(hall.olga).get("/appraisal/figures.xlsx?from=2026-03-01&to=2026-03-31")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:3] == ("对象", "受理", "办结")
    assert [r[0] for r in rows[2:]] == ["教务处", "学生处", "合计"]
    assert rows[-1][2] == 7


@pytest.mark.parametrize(
    "drill",
    ["", "&by=department", "&department=jwc", "&department=jwc&by=staff", "&post=jwc-status"],
)
def test_the_table_exports_for_every_role_that_sees_figures(hall, april, client_for, drill):
    """A row without a name (（未指定）: figures of nobody's department, window or post) is
    written as text like every other label; it used to answer 500 for every role."""
    for who in (hall.olga, hall.rita, hall.carol):
        r = client_for(who).get("/appraisal/figures.xlsx?from=2026-03-01&to=2026-03-31" + drill)
        assert r.status_code == 200, who
        rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        assert rows[-1][0] == "合计"


def test_public_figures_need_no_login(hall, april):
    html = Client().get("/appraisal/public/").content.decode()
    assert "服务数据公开" in html and html.count("<svg") == 2
    assert "85.71%" in html and "60.00%" in html  # March: on time 6/7, satisfied 3/5
    assert "教务处" not in html  # hall level only


def test_scheme_page_saves_through_the_service(hall, client_for):
    client = client_for(hall.olga)
    r = client.post("/appraisal/scheme/", {"name": "年度方案", **DEFAULTS})
    assert r.status_code == 302 and services.current_scheme().name == "年度方案"
    r = client.post("/appraisal/scheme/", {"name": "错", **DEFAULTS, "panel_points": "5"})
    assert "之和应为 100" in r.content.decode()
    assert client_for(hall.carol).get("/appraisal/scheme/").status_code == 403


def test_an_appraisal_from_opening_to_ranking(hall, april, client_for):
    office = client_for(hall.olga)
    office.post("/appraisal/scheme/", {"name": "年度方案", **DEFAULTS})
    r = office.post(
        "/appraisal/appraisals/",
        {"name": "三月考评", "date_from": "2026-03-01", "date_to": "2026-03-31"},
    )
    url = r.url
    eve = make_staff("eve", None, "evaluator")
    panel = client_for(eve)
    assert panel.get(url).url == url + "panel/"
    panel.post(url + "panel/", {"score-jwc": "90", "comment-jwc": "热情", "score-xsc": ""})
    assert PanelScore.objects.get().score == 90
    office.post(url, {"action": "bonus", "department": "jwc", "points": "3", "reason": "文明窗口"})
    html = office.get(url).content.decode()
    assert "每一分的来源" in html and "文明窗口" in html and "2 位评议员" not in html
    assert "仅本部门可见" in client_for(hall.carol).get(url).content.decode()  # xsc's breakdown
    office.post(url, {"action": "close"})
    assert "结果已固定" in office.get(url).content.decode()
    assert client_for(hall.carol).post(url, {"action": "close"}).status_code == 403


def test_reports_are_generated_listed_and_downloaded(hall, april, client_for):
    office = client_for(hall.olga)
    office.post("/appraisal/reports/", {"month": "2026-03"})
    report = MonthlyReport.objects.get()
    assert report.month == date(2026, 3, 1)
    listing = client_for(hall.carol).get("/appraisal/reports/").content.decode()
    assert "2026-03" in listing and "生成月报" not in listing  # heads read, the office makes
    pdf = client_for(hall.carol).get(f"/appraisal/reports/{report.pk}.pdf")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert (
        client_for(hall.carol).post("/appraisal/reports/", {"month": "2026-02"}).status_code == 403
    )
    assert office.get(f"/appraisal/reports/{report.pk}.doc").status_code == 404
