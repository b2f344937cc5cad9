"""Monthly reports are kept in the private storage and leave only through the audited view."""

import pytest
import time_machine
from django.test import Client

from yichuang.appraisal.models import MonthlyReport
from yichuang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def april(march):
    with time_machine.travel("2026-04-03 10:00 +0800", tick=False):
        yield march


def test_a_report_is_private_and_its_download_audited(hall, april, client_for, settings):
    client_for(hall.olga).post("/appraisal/reports/", {"month": "2026-03"})
    report = MonthlyReport.objects.get()
    assert (settings.PRIVATE_MEDIA_ROOT / report.pdf.name).is_file()
    assert Client().get(f"/media/{report.pdf.name}").status_code == 404
    r = client_for(hall.carol).get(f"/appraisal/reports/{report.pk}.xlsx")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")
    assert r["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="monthly_report.download")
    assert event.actor == hall.carol and event.target_id == str(report.pk)
    assert client_for(hall.alice).get(f"/appraisal/reports/{report.pk}.xlsx").status_code == 403
