"""The monthly report prints each ledger chain's head as the month ended: stamped and filed,
it anchors the record outside the database, and `verify_ledger --heads-before` finds the same
heads. The case ledger export carries each case's last step hash and the chain head."""

import io
import subprocess
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from yichuang.appraisal.services import generate_monthly_report
from yichuang.cases.models import CaseEvent
from yichuang.core import audit, ledger
from yichuang.core.models import LedgerHead

pytestmark = pytest.mark.django_db


@pytest.fixture
def april(march):
    with time_machine.travel("2026-04-03 10:00 +0800", tick=False):
        # Written after March: not part of March's heads.
        audit.record("test.april")
        yield march


def test_the_march_report_prints_the_heads_of_march_end(hall, april, tmp_path):
    march_end = CaseEvent.objects.filter(at__lt="2026-03-31T16:00:00Z").order_by("-seq").first()
    audit_end = ledger.heads(before=ledger_moment("2026-04-01 00:00"))
    report, _written = generate_monthly_report(month=date(2026, 3, 1), by=hall.olga)

    wb = load_workbook(io.BytesIO(report.xlsx.read()))
    rows = [r for r in wb["台账链头"].iter_rows(values_only=True) if r and r[0]]
    printed = {r[0]: (r[1], r[2]) for r in rows[2:]}
    assert printed["办件流转记录"] == (march_end.seq, march_end.hash)
    for anchor in audit_end:
        if anchor.length:
            assert printed[ledger.chain_title(anchor.chain)] == (anchor.length, anchor.head)
    # April's audit row is not in March's head.
    assert printed["审计记录"][0] < LedgerHead.objects.get(chain="core.auditevent").length
    assert 'verify_ledger --heads-before "2026-04-01 00:00"' in rows[0][0]

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report.pdf.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "台账链头" in text and march_end.hash in text

    out = io.StringIO()
    call_command("verify_ledger", "--heads-before", "2026-04-01 00:00", stdout=out)
    assert f"cases.caseevent  {march_end.seq}  {march_end.hash}" in out.getvalue()


def ledger_moment(text):
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime.fromisoformat(text))


def test_the_case_ledger_export_carries_each_last_hash_and_the_head(hall, march, client_for):
    response = client_for(hall.olga).get("/cases/ledger.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb["办件台账"].iter_rows(values_only=True))
    header = rows[0]
    seq_at, hash_at = header.index("末条记录序号"), header.index("末条记录哈希")
    number_at = header.index("办件编号")
    for row in rows[1:]:
        last = CaseEvent.objects.filter(case__number=row[number_at]).order_by("-seq").first()
        assert (row[seq_at], row[hash_at]) == (last.seq, last.hash)
    head = LedgerHead.objects.get(chain="cases.caseevent")
    sheet = list(wb["链头"].iter_rows(values_only=True))
    assert sheet[1][:3] == ("办件流转记录", head.length, head.head)
