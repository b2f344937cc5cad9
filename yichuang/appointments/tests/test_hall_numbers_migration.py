"""A database of one hall keeps its windows and queues when numbers become per hall (org 0007,
appointments 0006), and then takes a second hall's window 1 and queue A."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from yichuang.core.tests.test_numbering_migration import migrate_to_latest

BEFORE = [("org", "0006_window_and_post_hall"), ("appointments", "0005_servicegroup_hall")]
AFTER = [("org", "0007_window_number_per_hall"), ("appointments", "0006_group_prefix_per_hall")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_windows_and_queues_survive_and_a_second_hall_may_repeat_them():
    try:
        _migrate_and_check()
    finally:
        migrate_to_latest()


def _migrate_and_check():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Hall, Department = old.get_model("org", "Hall"), old.get_model("org", "Department")
    Window, Group = old.get_model("org", "Window"), old.get_model("appointments", "ServiceGroup")
    main = Hall.objects.get(is_default=True)
    jwc = Department.objects.create(code="jwc-m", name="教务处M", short_name="教务")
    for number in ("1", "2"):
        Window.objects.create(number=number, name=f"窗口{number}", department=jwc, hall=main)
    Group.objects.create(code="xj-m", name="学籍", prefix="A", department=jwc, hall=main)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Hall, Department = new.get_model("org", "Hall"), new.get_model("org", "Department")
    Window, Group = new.get_model("org", "Window"), new.get_model("appointments", "ServiceGroup")
    assert sorted(
        Window.objects.filter(hall__is_default=True).values_list("number", flat=True)
    ) == [
        "1",
        "2",
    ]
    assert Group.objects.get(code="xj-m").prefix == "A"
    jwc = Department.objects.get(code="jwc-m")
    east = Hall.objects.create(code="east-m", name="东校区M")
    Window.objects.create(number="1", name="东区1", department=jwc, hall=east)
    Group.objects.create(code="dq-m", name="东区学籍", prefix="A", department=jwc, hall=east)
    with pytest.raises(IntegrityError), transaction.atomic():
        Window.objects.create(number="1", name="又一个", department=jwc, hall=east)
    with pytest.raises(IntegrityError), transaction.atomic():
        Group.objects.create(code="dq-m2", name="又一个", prefix="A", department=jwc, hall=east)
