"""The monthly report: PDF and Excel that open and show Chinese, kept once per month."""

import io
import subprocess

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from yichuang.appraisal.models import MonthlyReport
from yichuang.appraisal.services import generate_monthly_report
from yichuang.core.errors import Invalid, NotAllowed
from yichuang.core.models import AuditEvent

from .scenario import at

pytestmark = pytest.mark.django_db
APRIL_3 = "2026-04-03 10:00 +0800"


@pytest.fixture
def report(hall, march):
    with time_machine.travel(APRIL_3, tick=False):
        report, written = generate_monthly_report(month=march.c1.accepted_at.date(), by=hall.olga)
    assert written
    return report


def test_the_pdf_opens_and_renders(report, tmp_path):
    data = report.pdf.read()
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # the Chinese font is embedded
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    # pdftoppm is poppler's: the page must render (the PNG is looked at by hand, see README)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    assert list(tmp_path.glob("page*.png"))


def test_the_pdf_draws_the_charts_with_chinese_labels(report, tmp_path):
    """The report's charts (pdf_charts.py): the departments' rates against their targets and
    the last twelve months, their titles and labels in the embedded font, so pdftotext reads
    them back; page 2 (the trend, the departments and their charts) renders to PNG, looked at
    by hand: Chinese titles, legend and department names, bars red below the dashed target."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report.pdf.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for title in (
        "近 12 个月受理、办结件数",
        "近 12 个月好评率",
        "各部门按期办结率",
        "各部门满意率",
    ):
        assert title in text, title
    # a target, the legend, and each department's on-time rate on its bar (one decimal; the
    # table prints two). The months' labels are turned, and pdftotext skips turned text.
    for label in ("目标 95%", "受理", "办结", "83.3%", "100.0%"):
        assert label in text, label
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    assert list(tmp_path.glob("p*.png"))


def test_the_trend_reads_each_month_as_the_report_reads_its_own(hall, march):
    """The trend's months are figures() of each month: March there is March in the summary,
    February the previous month's."""
    from datetime import date

    from yichuang.appraisal.reports.content import build_report

    with time_machine.travel(APRIL_3, tick=False):
        data = build_report(date(2026, 3, 1))
    months = dict(data.months)
    assert list(months)[0] == date(2025, 4, 1) and list(months)[-1] == date(2026, 3, 1)
    for attr in ("accepted", "completed", "good_rate"):
        assert getattr(months[date(2026, 3, 1)], attr) == getattr(data.total, attr), attr
        assert getattr(months[date(2026, 2, 1)], attr) == getattr(data.previous_total, attr)


def test_the_workbook_has_chinese_headers_and_the_figures(report):
    wb = load_workbook(io.BytesIO(report.xlsx.read()))
    assert wb.sheetnames == ["汇总", "各部门", "各部门（上期）", "说明", "台账链头"]
    summary = {row[0]: row[1:] for row in wb["汇总"].iter_rows(values_only=True) if row}
    assert summary["受理"][0] == 8 and summary["办结"][0] == 7
    assert summary["按期办结率"][0] == pytest.approx(6 / 7)
    departments = list(wb["各部门"].iter_rows(values_only=True))
    assert departments[0][:4] == ("部门", "受理", "办结", "按期办结")
    assert [r[0] for r in departments[1:]] == ["教务处", "学生处"]


def test_a_report_is_kept_and_listed_once_per_month(hall, report):
    assert report.month.isoformat() == "2026-03-01" and not report.is_partial
    with time_machine.travel(APRIL_3, tick=False):
        again, written = generate_monthly_report(month=report.month)
    assert again.pk == report.pk and not written
    assert again.pdf.name == report.pdf.name
    assert AuditEvent.objects.filter(action="appraisal.monthly_report").count() == 1


def test_the_office_may_regenerate_and_the_old_files_go(hall, report):
    old = report.pdf.name
    with time_machine.travel(APRIL_3, tick=False):
        again, written = generate_monthly_report(month=report.month, by=hall.olga, replace=True)
    assert written and again.pk == report.pk and again.pdf.name != old
    assert not report.pdf.storage.exists(old)


def test_the_command_is_idempotent(hall, march):
    out = io.StringIO()
    with time_machine.travel(APRIL_3, tick=False):
        call_command("generate_monthly_report", stdout=out)  # last month: March
        call_command("generate_monthly_report", "--month", "2026-03", stdout=out)
    assert MonthlyReport.objects.count() == 1
    assert "已存在" in out.getvalue()


def test_a_month_not_over_is_marked_partial_and_the_future_refused(hall):
    with at(3, 9):
        report, _written = generate_monthly_report(month=report_month(3))
        with pytest.raises(Invalid):
            generate_monthly_report(month=report_month(4))
    assert report.is_partial and report.period_end.day == 9


def test_only_the_office_generates(hall):
    with at(4, 3), pytest.raises(NotAllowed):
        generate_monthly_report(month=report_month(3), by=hall.carol)


def report_month(m):
    from datetime import date

    return date(2026, m, 1)
