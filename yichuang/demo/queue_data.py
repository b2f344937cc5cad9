"""The demo hall's queue: one service group per window with a ticket prefix, and appointment
rules on the hall's usual hours."""

from yichuang.appointments.groups import add_slot_rule, create_service_group
from yichuang.catalog.models import Service
from yichuang.org.models import Window

# prefix, window number, group name
GROUPS = [
    ("A", "1", "学籍与成绩"),
    ("B", "2", "考试与证书"),
    ("C", "3", "学生事务"),
    ("D", "4", "研究生事务"),
    ("E", "5", "人事服务"),
    ("F", "6", "财务服务"),
    ("G", "7", "后勤服务"),
]


def seed_queue(*, by=None) -> None:
    for i, (prefix, number, name) in enumerate(GROUPS, start=1):
        window = Window.objects.select_related("department").get(
            number=number, hall__is_default=True
        )
        services = list(Service.objects.filter(is_active=True, post__window=window))
        group = create_service_group(
            code=f"w{number}",
            name=name,
            prefix=prefix,
            department=window.department,
            services=services,
            windows=[window],
            sort_order=i,
            by=by,
        )
        add_slot_rule(group, periods="08:30-12:00 14:30-17:30", slot_minutes=30, capacity=4, by=by)
