"""The demo hall's bells are not empty: the replayed past ends with today's reminders sent, as
cron would, so a head and the hall office find red cases to chase on their first login."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from yichuang.core.escalation import send_reminders
from yichuang.core.models import StaffNotice
from yichuang.demo.history import seed_history

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 17, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_replayed_past_ends_with_today_s_reminders_sent():
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", "--password", "demo-pass-123", "--no-history", stdout=StringIO())
        seed_history(days=30, per_day=12)
        assert send_reminders() == []  # already sent, once
    office = StaffNotice.objects.filter(recipient__username="office1", kind="escalation.case.red")
    assert office.exists()
    heads = StaffNotice.objects.filter(
        recipient__role_grants__role="department_head", kind="escalation.case.red"
    )
    assert heads.exists()
    assert StaffNotice.objects.filter(kind="escalation.case.yellow").exists()
