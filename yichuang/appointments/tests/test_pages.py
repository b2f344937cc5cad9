"""The public pages (book, take a ticket, follow it), the clerk's console, the supervisors'
figures and the calls on the hall screen."""

import re
from datetime import date, time

import pytest
from django.test import Client

from yichuang.appointments import services
from yichuang.appointments.models import Appointment, ExtendedHours, Ticket, TicketStatus
from yichuang.cases.models import Case

from .factories import at, make_group, xjzm

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)


def test_the_portal_links_to_booking(hall):
    make_group(hall)
    html = Client().get("/").content.decode()
    assert 'href="/queue/book/"' in html


def test_booking_on_the_public_page_step_by_step(hall, sms, django_capture_on_commit_callbacks):
    service = xjzm(hall)
    make_group(hall, services=[service])
    with at(2026, 2, 27, 15):
        assert "学籍与成绩" in Client().get("/queue/book/").content.decode()
        days = Client().get("/queue/book/?group=xj").content.decode()
        assert "2月28日" in days and "3月7日" not in days  # a make-up Saturday; a plain one
        page = Client().get("/queue/book/?group=xj&day=2026-03-02").content.decode()
        assert 'value="10:00"' in page and "余 4 个" in page
        with django_capture_on_commit_callbacks(execute=True):
            r = Client().post(
                "/queue/book/?group=xj&day=2026-03-02",
                {"start": "10:00", "service": "xjzm", "name": "李小明", "phone": "13812345678"},
            )
    appointment = Appointment.objects.get()
    assert r.status_code == 302 and r["Location"] == (
        f"/queue/booking/{appointment.number}/?c={appointment.query_code}&new=1"
    )
    assert appointment.service == service and appointment.start == time(10)
    with at(2026, 2, 27, 15):
        shown = Client().get(r["Location"]).content.decode()
    assert "预约成功" in shown and appointment.query_code in shown and "<svg" in shown
    assert "李*明" in shown and "138****5678" in shown and "13812345678" not in shown


def test_a_full_slot_is_shown_and_refused_with_a_message(hall):
    make_group(hall, capacity=1)
    data = {"start": "10:00", "name": "李小明", "phone": "13812345678"}
    with at(2026, 2, 27, 15):
        Client().post("/queue/book/?group=xj&day=2026-03-02", data)
        page = Client().get("/queue/book/?group=xj&day=2026-03-02").content.decode()
        r = Client().post(
            "/queue/book/?group=xj&day=2026-03-02", {**data, "phone": "13900000000"}, follow=True
        )
    assert "已约满" in page
    assert "该时段已约满" in r.content.decode() and Appointment.objects.count() == 1


def test_a_refused_booking_keeps_the_slot_the_service_and_the_person(hall):
    """A mistyped phone re-renders the form with everything chosen and typed still there."""
    service = xjzm(hall)
    make_group(hall, services=[service])
    with at(2026, 2, 27, 15):
        r = Client().post(
            "/queue/book/?group=xj&day=2026-03-02",
            {"start": "10:00", "service": "xjzm", "name": "李小明", "phone": "1381234"},
        )
    html = r.content.decode()
    assert Appointment.objects.count() == 0
    assert re.search(r'<input type="radio" name="start" value="10:00"[^>]* checked', html)
    assert len(re.findall(r'name="start"[^>]* checked', html)) == 1
    assert re.search(r'<option value="xjzm" selected', html)
    assert 'value="李小明"' in html and 'value="1381234"' in html


def test_a_wrong_code_finds_no_booking_and_repeated_guesses_are_stopped(hall, settings):
    settings.LOOKUP_FAILURE_RATE = "3/10m"
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        a = services.book_appointment(
            group=group, day=MONDAY, start=time(10), name="李小明", phone="13812345678"
        )
        codes = [
            Client().get(f"/queue/booking/{a.number}/?c=WRONG{i}").status_code for i in range(4)
        ]
        right = Client().get(f"/queue/booking/{a.number}/?c={a.query_code}")
    assert codes == [404, 404, 404, 429] and right.status_code == 429


def test_the_applicant_cancels_on_the_booking_page(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        a = services.book_appointment(
            group=group, day=MONDAY, start=time(10), name="李小明", phone="13812345678"
        )
        r = Client().post(
            f"/queue/booking/{a.number}/?c={a.query_code}", {"action": "cancel"}, follow=True
        )
    assert "预约已取消" in r.content.decode()
    assert Appointment.objects.get().status == "cancelled"


def test_a_walk_in_takes_a_ticket_and_follows_it(hall):
    make_group(hall)
    with at(2026, 3, 2, 9):
        Client().post("/queue/take/", {"group": "xj"})
        page = Client().get("/queue/take/").content.decode()
        assert "等候 1 人 · 约 5 分钟" in page and "老年人" in page
        r = Client().post("/queue/take/", {"group": "xj", "priority": ""})
        ticket = Ticket.objects.get(number="A002")
        assert r["Location"] == f"/queue/ticket/{ticket.pk}/?c={ticket.code}"
        shown = Client().get(r["Location"]).content.decode()
        assert "A002" in shown and "前面还有 <b>1</b> 人，预计等候约 <b>5</b> 分钟" in shown
        services.call_next(hall.window, by=hall.alice)
        services.call_next(hall.window, by=hall.alice)
        fragment = Client().get(r["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "请到 <b>1</b> 号窗口" in fragment and "<html" not in fragment
    assert Client().get(f"/queue/ticket/{ticket.pk}/?c=NOPE").status_code == 404


def test_a_booked_applicant_gets_a_ticket_with_the_code_at_the_ticket_page(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        a = services.book_appointment(
            group=group, day=MONDAY, start=time(10), name="李小明", phone="13812345678"
        )
    with at(2026, 3, 2, 9, 45):
        confirm = Client().get(f"/queue/checkin/?n={a.number}&c={a.query_code}")
        assert "我已到大厅，取号" in confirm.content.decode()
        assert not Ticket.objects.exists()  # looking does not take a ticket
        r = Client().post("/queue/checkin/", {"number": a.number, "code": a.query_code})
        wrong = Client().post("/queue/checkin/", {"number": a.number, "code": "NOPE"}, follow=True)
    ticket = Ticket.objects.get()
    assert r.status_code == 302 and r["Location"].startswith(f"/queue/ticket/{ticket.pk}/")
    assert ticket.priority_reason == "appointment"
    assert "预约号或查询码不正确" in wrong.content.decode()


def test_the_console_calls_with_the_keys_and_opens_the_intake_with_the_service(hall, client_for):
    service = xjzm(hall)
    group = make_group(hall, services=[service])
    alice = client_for(hall.alice)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
        page = alice.get("/queue/").content.decode()
        assert 'data-key="n"' in page and "等候 1 人" in page
        r = alice.post(f"/queue/window/{hall.window.pk}/next/", follow=True)
    ticket = Ticket.objects.get()
    html = r.content.decode()
    assert "已叫号 A001" in html
    assert f'href="/cases/intake/xjzm/?ticket={ticket.pk}" autofocus' in html


def test_the_intake_opened_from_a_ticket_links_the_case(hall, client_for):
    service = xjzm(hall)
    group = make_group(hall, services=[service])
    alice = client_for(hall.alice)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
        ticket = services.call_next(hall.window, by=hall.alice)
        url = f"/cases/intake/xjzm/?ticket={ticket.pk}"
        assert alice.get(url).status_code == 200
        materials = [str(m.pk) for m in service.materials.all() if m.required]
        alice.post(
            url,
            {"applicant_name": "李小明", "materials": materials, "decision": "complete"},
        )
        console = alice.get("/queue/").content.decode()
    case = Case.objects.get()
    ticket.refresh_from_db()
    assert ticket.case == case and case.number in console


def test_the_intake_loop_console_intake_accept_print_and_back_to_the_console(hall, client_for):
    """N calls the ticket; its intake link opens the ticket's service with the ticket; 受理并打印
    opens the acceptance notice to print; the notice leads back to the console, where N is
    ready for the next applicant."""
    from yichuang.cases.tests.factories import make_service

    service = make_service(hall, code="zxzm", name="在读证明")  # a committed item: accepted
    group = make_group(hall, services=[service])
    alice = client_for(hall.alice)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
        services.issue_ticket(group=group)
        console = alice.post(f"/queue/window/{hall.window.pk}/next/", follow=True).content.decode()
        ticket = Ticket.objects.get(number="A001")
        intake = f"/cases/intake/zxzm/?ticket={ticket.pk}"
        assert f'href="{intake}" autofocus' in console
        form = alice.get(intake).content.decode()
        assert "在读证明" in form and 'name="decision" value="accept"' in form
        assert 'href="/cases/intake/?ticket=' in form  # choosing another service keeps it
        materials = [str(m.pk) for m in service.materials.all() if m.required]
        r = alice.post(
            intake, {"applicant_name": "李小明", "materials": materials, "decision": "accept"}
        )
        case = Case.objects.get()
        notice = case.documents.get(kind="acceptance")
        assert r["Location"] == (
            f"/cases/{case.number}/documents/{notice.pk}/?ticket={ticket.pk}&print=1"
        )
        printed = alice.get(r["Location"]).content.decode()
        assert "受理通知书" in printed and notice.number in printed
        back = re.search(r'<a class="button" href="([^"]+)" autofocus>↩ ([^<]+)</a>', printed)
        assert back and back.groups() == (
            f"/queue/?window={hall.window.pk}",
            "返回叫号台，叫下一位",
        )
        console = alice.get(back.group(1)).content.decode()
        assert case.number in console
        assert re.search(r'<button class="primary" data-key="n"\s+autofocus>', console)
        r = alice.post(f"/queue/window/{hall.window.pk}/next/", follow=True)
        assert "已叫号 A002" in r.content.decode()
    ticket.refresh_from_db()
    assert ticket.case == case and ticket.status == TicketStatus.DONE


def test_the_way_back_to_the_console_is_only_for_who_may_call_there(hall, client_for):
    service = xjzm(hall)
    group = make_group(hall, services=[service])
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
        ticket = services.call_next(hall.window, by=hall.alice)
        url = f"/cases/intake/?ticket={ticket.pk}"
        picker = client_for(hall.alice).get(url).content.decode()
        assert "返回叫号台，叫下一位" in picker
        assert f'href="/cases/intake/xjzm/?ticket={ticket.pk}"' in picker
        assert f'<input type="hidden" name="ticket" value="{ticket.pk}">' in picker
        stranger = client_for(hall.dave).get(url).content.decode()
        assert "返回叫号台" not in stranger and "/queue/?window=" not in stranger
        nothing = client_for(hall.alice).get("/cases/intake/?ticket=999999").content.decode()
        assert "返回叫号台" not in nothing


def test_console_actions_report_refusals_as_messages(hall, client_for):
    make_group(hall)
    alice = client_for(hall.alice)
    with at(2026, 3, 2, 9):
        r = alice.post(f"/queue/window/{hall.window.pk}/skip/", follow=True)
        assert "本窗口当前没有已叫的号" in r.content.decode()
        r = alice.post(f"/queue/window/{hall.window.pk}/pause/", {"reason": "取档案"}, follow=True)
    assert "暂停叫号" in r.content.decode() and 'data-key="p"' in r.content.decode()


def test_the_waiting_list_refreshes_alone(hall, client_for):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group, priority_reason="elderly")
        html = (
            client_for(hall.alice).get(f"/queue/window/{hall.window.pk}/waiting/").content.decode()
        )
    assert "A001" in html and "老年人" in html and "<html" not in html


def test_figures_page_for_supervisors_only(hall, client_for):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
        services.call_next(hall.window, by=hall.alice)
    with at(2026, 3, 2, 9, 7):
        services.finish(hall.window, by=hall.alice)
        page = client_for(hall.carol).get("/queue/figures/?date_from=2026-03-02")
        refused = client_for(hall.alice).get("/queue/figures/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "学籍与成绩" in html and "7.0" in html
    assert refused.status_code == 403


def test_the_head_opens_extended_hours_on_the_page(hall, client_for):
    make_group(hall)
    with at(2026, 2, 27, 15):
        r = client_for(hall.carol).post(
            "/queue/hours/",
            {
                "group": "xj",
                "day": "2026-03-02",
                "periods": "17:30-19:00",
                "slot_minutes": 30,
                "capacity": 6,
            },
            follow=True,
        )
    assert "已开放延时服务" in r.content.decode()
    assert ExtendedHours.objects.get().capacity == 6
    assert client_for(hall.alice).get("/queue/hours/").status_code == 403


def test_refused_extended_hours_keep_the_group_and_what_was_typed(hall, client_for):
    make_group(hall)
    make_group(hall, code="ks", name="考试与证书", prefix="B")
    with at(2026, 2, 27, 15):
        r = client_for(hall.carol).post(
            "/queue/hours/",
            {
                "group": "xj",
                "day": "2026-03-02",
                "periods": "19:00-17:30",  # ends before it starts
                "slot_minutes": 20,
                "capacity": 6,
                "note": "期末考试周",
            },
        )
    html = r.content.decode()
    assert ExtendedHours.objects.count() == 0
    assert re.search(r'<option value="xj" selected', html)
    assert not re.search(r'<option value="ks" selected', html)
    assert 'value="19:00-17:30"' in html and 'value="20"' in html and 'value="期末考试周"' in html


def test_the_hall_screen_shows_the_calls_newest_first_and_waiting_per_group(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        for _ in range(3):
            services.issue_ticket(group=group)
        services.call_next(hall.window, by=hall.alice)
        services.call_next(hall.window, by=hall.alice)
        page = Client().get("/screen/").content.decode()
        fragment = (
            Client().get("/queue/screen/calls/", headers={"HX-Request": "true"}).content.decode()
        )
    assert 'class="with-queue"' in page and "screen-calls.js" in page
    assert page.index("A002") < page.index("A001")
    assert "请到 1 号窗口" in fragment and 'hx-trigger="push, every 3s"' in fragment
    assert 'data-speak="请 A 0 0 2 号到 1 号窗口办理"' in fragment
    assert "学籍与成绩" in fragment and "1 人" in fragment


def test_the_screen_reads_the_queue_in_a_fixed_number_of_queries(hall, django_assert_num_queries):
    from yichuang.appointments.queries import screen_data

    groups = [make_group(hall)] + [
        make_group(hall, code=f"g{p}", name=f"分组{p}", prefix=p, rule=False) for p in "BCD"
    ]
    with at(2026, 3, 2, 9):
        for group in groups:
            for _ in range(3):
                services.issue_ticket(group=group)
        for _ in range(4):
            services.call_next(hall.window, by=hall.alice)
        # the queue's position (its event stream's starting point), the calls, three for waiting
        with django_assert_num_queries(5):
            data = screen_data()
    assert len(data["groups"]) == 4 and len(data["calls"]) == 4


def test_it_validates_ownership(hall, client_for):
    """dave (学生处) has no console for 教务处's window and cannot press its keys."""
    group = make_group(hall)
    dave = client_for(hall.dave)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
        assert dave.get(f"/queue/?window={hall.window.pk}").status_code == 404
        assert dave.post(f"/queue/window/{hall.window.pk}/next/").status_code == 404
        assert dave.get(f"/queue/window/{hall.window.pk}/waiting/").status_code == 404
        assert "您没有可以叫号的窗口" in dave.get("/queue/").content.decode()
    assert Ticket.objects.get().status == TicketStatus.WAITING
