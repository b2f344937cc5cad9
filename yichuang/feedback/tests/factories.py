"""Cases to rate, complain about and visit, made through the cases app's own services."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from yichuang.cases import services as case_services
from yichuang.cases.tests.factories import all_required, applicant, make_service

SH = ZoneInfo("Asia/Shanghai")

__all__ = ["SH", "at", "completed_case", "immediate_service", "make_service", "submitted_case"]


def at(y, m, d, hh=10, mm=0):
    return time_machine.travel(datetime(y, m, d, hh, mm, tzinfo=SH), tick=False)


def immediate_service(hall, code="zxzm", name="在读证明", post=None):
    from yichuang.catalog.models import Service

    existing = Service.objects.filter(code=code).first()
    return existing or make_service(
        hall, code=code, name=name, kind="immediate", committed_days=0, post=post
    )


def submitted_case(hall, service=None, by=None, **extra):
    service = service or immediate_service(hall)
    return case_services.create_case(
        service=service,
        channel="window",
        applicant=applicant(**extra),
        materials=all_required(service),
        by=by or hall.alice,
    )


def completed_case(hall, service=None, by=None, **extra):
    """An immediate case completed at the window by alice (the tablet's current case)."""
    case = submitted_case(hall, service, by=by, **extra)
    case_services.complete_case(case, by=by or hall.alice)
    return case
