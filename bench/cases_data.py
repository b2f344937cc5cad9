"""Bulk data for benchmarks: N cases spread over the past two years, most completed, some
running. Written with bulk_create because it is test data for a benchmark, not a state
change of a live hall (the app itself always goes through the service functions)."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from yichuang.cases import numbering
from yichuang.cases.models import Case, CaseEvent, CaseMaterial, Status
from yichuang.catalog.models import Service
from yichuang.core.crypto import keyed_hash
from yichuang.workdays.queries import hall_calendar

BATCH = 2000


def generate_cases(n: int, *, days: int = 730, seed: int = 7) -> list[tuple[str, str]]:
    """Create n cases; return (number, query_code) of a sample for lookups."""
    rng = random.Random(seed)
    cal = hall_calendar()
    services = list(
        Service.objects.filter(is_active=True).select_related("post").prefetch_related("materials")
    )
    today = timezone.localdate()
    enc_id, enc_phone = "430104199801011234", "13800000000"  # encrypted by the field on save
    id_hash = keyed_hash("430104199801011234")
    sample = []
    made = 0
    while made < n:
        size = min(BATCH, n - made)
        rows = []
        for i in range(size):
            service = rng.choice(services)
            k = made + i
            received_day = today - timedelta(days=int(days * (1 - k / n)))
            received = timezone.make_aware(
                datetime.combine(received_day, time(9, 0)) + timedelta(minutes=rng.randrange(480))
            )
            running = (today - received_day).days < 20 and rng.random() < 0.6
            deadline = cal.add_working_days(received_day, max(service.committed_days, 0))
            status = Status.ACCEPTED if running else Status.COMPLETED
            completed = (
                None
                if running
                else received + timedelta(days=rng.randrange(0, max(service.committed_days, 1) + 2))
            )
            rows.append(
                Case(
                    number=f"B{received_day:%Y%m%d}{k:07d}",
                    query_code=numbering.query_code(),
                    service=service,
                    service_version=service.version,
                    channel="window",
                    status=status,
                    applicant_name="测试申请人",
                    applicant_id_number=enc_id,
                    applicant_id_hash=id_hash,
                    applicant_phone=enc_phone,
                    department_id=service.department_id,
                    post_id=service.post_id,
                    assignee_id=service.post.holder_id,
                    received_at=received,
                    accepted_at=received,
                    clock_start=received_day,
                    deadline=deadline,
                    yellow_on=cal.add_working_days(
                        received_day, max(service.committed_days - 1, 0)
                    ),
                    committed_days=service.committed_days,
                    completed_at=completed,
                    outcome="approved" if completed else "",
                    public_events=[
                        {"at": received.isoformat(), "action": "create", "status": "submitted"},
                        {"at": received.isoformat(), "action": "accept", "status": "accepted"},
                    ],
                )
            )
        with transaction.atomic():
            Case.objects.bulk_create(rows, batch_size=1000)
            created = Case.objects.filter(number__in=[r.number for r in rows]).values_list(
                "pk", "number", "query_code", "service_id"
            )
            mats, events = [], []
            materials = {s.pk: list(s.materials.all()) for s in services}
            for pk, number, code, service_id in created:
                for pos, m in enumerate(materials[service_id]):
                    mats.append(
                        CaseMaterial(
                            case_id=pk,
                            material_id=m.pk,
                            name=m.name,
                            required=m.required,
                            provided=True,
                            position=pos,
                        )
                    )
                events.append(CaseEvent(case_id=pk, action="create", status="submitted"))
                events.append(
                    CaseEvent(
                        case_id=pk, action="accept", from_status="submitted", status="accepted"
                    )
                )
                if rng.random() < 0.002:
                    sample.append((number, code))
            CaseMaterial.objects.bulk_create(mats, batch_size=2000)
            CaseEvent.objects.bulk_create(events, batch_size=2000)
        made += size
    return sample
