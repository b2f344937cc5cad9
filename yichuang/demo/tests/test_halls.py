"""The demo runs two campuses side by side: each hall with its own windows, queues and hall
office, and one supervising office that sees both."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from yichuang.appointments.models import ServiceGroup
from yichuang.catalog.models import Service
from yichuang.core.models import AuditEvent
from yichuang.org.models import Hall, Staff, Window

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_two_campuses_with_their_own_windows_and_queues():
    call_command("seed_demo", "--password", "demo-pass-123", "--no-history", stdout=StringIO())
    main, east = Hall.objects.default(), Hall.objects.get(code="east")
    main_windows = set(Window.objects.filter(hall=main).values_list("number", flat=True))
    east_windows = set(Window.objects.filter(hall=east).values_list("number", flat=True))
    assert main_windows and east_windows and not main_windows & east_windows
    main_queues = set(ServiceGroup.objects.filter(hall=main).values_list("prefix", flat=True))
    east_queues = set(ServiceGroup.objects.filter(hall=east).values_list("prefix", flat=True))
    # Each campus has its own A queue (教务), as real campuses do.
    assert main_queues and east_queues and "A" in main_queues & east_queues
    assert Service.objects.filter(halls=main).filter(halls=east).exists()
    assert AuditEvent.objects.filter(action="service.halls_changed").exists()
    office1, office2 = Staff.objects.get(username="office1"), Staff.objects.get(username="office2")
    supervisor = Staff.objects.get(username="supervisor1")
    assert set(Window.objects.visible_to(office1)) == set(Window.objects.filter(hall=main))
    assert set(Window.objects.visible_to(office2)) == set(Window.objects.filter(hall=east))
    assert Window.objects.visible_to(supervisor).count() == Window.objects.count()
    # Each campus's screen shows its own windows; the public list names both halls.
    c = Client()
    assert "东区教务服务" in c.get("/screen/east/").content.decode()
    assert "东区教务服务" not in c.get("/screen/").content.decode()
    assert [h["code"] for h in c.get("/api/v1/halls").json()["results"]] == ["main", "east"]
    assert c.get("/api/v1/services?hall=east").json()["count"] > 0


def test_the_demo_seeds_a_database_emptied_by_hand():
    """`manage.py flush` leaves no default hall: seed_demo makes it again (reading it would
    not)."""
    Hall.objects.all().delete()
    call_command("seed_demo", "--password", "demo-pass-123", "--no-history", stdout=StringIO())
    assert Hall.objects.default().code == "main"
    assert Window.objects.filter(hall=Hall.objects.default(), number="1").exists()
