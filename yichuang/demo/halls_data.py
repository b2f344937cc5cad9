"""The demo's second campus: 东校区服务大厅 with three windows of 教务处, 学生处 and 财务处
(present in both halls), their posts and people, its own queues (A, C and F, the main hall's
prefixes for the same departments) and hall office (office2), and the university's supervising
office (supervisor1). The services of those departments are offered in both halls."""

from yichuang.appointments.groups import add_slot_rule, create_service_group
from yichuang.catalog.models import Service
from yichuang.catalog.services import set_service_halls
from yichuang.org import services as org
from yichuang.org.models import Department, Hall

from . import org_data


def seed_halls(passwords: dict[str, str], *, by=None) -> None:
    main = Hall.objects.default()
    org.update_hall(main, by=by, **org_data.MAIN_HALL)
    halls = {"main": main}
    for i, (code, name, address, hours, phone, lat, lon) in enumerate(org_data.HALLS, start=2):
        halls[code] = org.create_hall(
            code=code,
            name=name,
            address=address,
            hours=hours,
            phone=phone,
            latitude=lat,
            longitude=lon,
            sort_order=i,
            by=by,
        )
    depts = {d.code: d for d in Department.objects.all()}
    present = {dept for _n, _name, dept, _hall in org_data.HALL_WINDOWS}
    for code in present:
        depts[code].halls.set([main, *(halls[h] for h in {w[3] for w in org_data.HALL_WINDOWS})])
    windows = {
        number: org.create_window(
            number=number,
            name=name,
            department=depts[dept],
            hall=halls[hall],
            sort_order=100 + i,
            location=f"{halls[hall].address} {number} 号窗口",
            by=by,
        )
        for i, (number, name, dept, hall) in enumerate(org_data.HALL_WINDOWS, start=1)
    }
    staff = {}
    for username, full_name, dept, roles, title, phone, in_halls in org_data.HALL_STAFF:
        staff[username] = org.create_staff(
            username=username,
            password=passwords[username],
            full_name=full_name,
            department=depts[dept] if dept else None,
            roles=roles,
            title=title,
            phone=phone,
            office=halls[in_halls[0]].address if in_halls else "行政楼三楼",
            halls=[halls[h] for h in in_halls],
            by=by,
        )
    create_posts(
        org_data.HALL_POSTS, depts=depts, windows=windows, staff=staff, sort_from=101, by=by
    )
    for i, (prefix, window_number, name, dept_codes) in enumerate(org_data.HALL_GROUPS, start=1):
        window = windows[window_number]
        services = list(
            Service.objects.filter(is_active=True, department__code__in=dept_codes).order_by(
                "code"
            )[:6]
        )
        for service in services:
            offered = {*service.halls.all(), main, window.hall}
            set_service_halls(service, halls=sorted(offered, key=lambda h: h.pk), by=by)
        group = create_service_group(
            code=f"{window.hall.code}{window_number.lower()}",
            name=name,
            prefix=prefix,
            department=window.department,
            services=services,
            windows=[window],
            sort_order=100 + i,
            by=by,
        )
        add_slot_rule(group, periods="08:30-12:00 14:30-17:00", slot_minutes=30, capacity=3, by=by)


def create_posts(rows, *, depts, windows, staff, sort_from: int, by) -> None:
    """The demo's posts (rows of org_data.POSTS or HALL_POSTS), each with its holder, backups
    and the plan's duties, through org's service."""
    for i, (code, name, dept, at_window, holder, backups) in enumerate(rows, start=sort_from):
        org.create_post(
            code=code,
            name=name,
            department=depts[dept],
            window=windows[at_window],
            holder=staff[holder],
            backups=[staff[b] for b in backups],
            duties=f"{name}：{org_data.DUTIES}",
            procedure=org_data.PROCEDURE,
            commitment=org_data.COMMITMENT,
            sort_order=i,
            by=by,
        )
