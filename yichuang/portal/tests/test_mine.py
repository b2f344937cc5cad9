"""我的 by phone and SMS code (issue 15): a code is sent (only its hash kept), refused when
wrong, expired or tried too often, and sending is limited per phone and per address; a
verified phone sees its cases, tickets, bookings, inquiries and complaints — and nobody
else's — for thirty minutes, with the phone never in clear in the session."""

import importlib
import re
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.apps import apps
from django.test import Client

from yichuang.appointments import services as appointments
from yichuang.appointments.tests.factories import SH, make_group
from yichuang.cases.models import Case
from yichuang.core.contacts import phone_hash
from yichuang.core.models import AuditEvent
from yichuang.feedback.services.complaints import receive_complaint
from yichuang.feedback.tests.factories import submitted_case
from yichuang.inquiries import services as inquiries
from yichuang.portal.models import PhoneCode
from yichuang.portal.phone_sign_in import SESSION_KEY

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
OTHER = "13900001111"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=SH)  # a Monday


@pytest.fixture
def sms():
    from yichuang.core.notifications.channels.sms import LoggingSmsBackend

    LoggingSmsBackend.recent.clear()
    yield LoggingSmsBackend.recent
    LoggingSmsBackend.recent.clear()


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def send(django_capture_on_commit_callbacks, sms):
    """POST the phone to /my/code/ and return (response, the code the SMS carried)."""

    def post(client, phone=PHONE):
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post("/my/code/", {"phone": phone})
        sent = [m for m in sms if m.phone == phone]
        code = re.search(r"验证码为 (\d{6})", sent[-1].text).group(1) if sent else None
        return r, code

    return post


def verify(client, code, phone=PHONE):
    return client.post("/my/verify/", {"phone": phone, "code": code})


def signed_in(send, phone=PHONE, client=None):
    client = client or Client()
    _r, code = send(client, phone)
    assert verify(client, code, phone).status_code == 302
    return client


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_code_goes_by_sms_and_only_its_hash_is_kept(hall, clock, send, sms):
    client = Client()
    r, code = send(client)
    page = r.content.decode()
    # (sent after the test's transaction: the page reads the delivery as still on its way)
    assert r.status_code == 200 and "验证码短信正在发送至 138****5678" in page
    assert 'name="phone" value="13812345678"' in page  # carried to the next step
    assert re.fullmatch(r"\d{6}", code) and "10 分钟内有效" in sms[-1].text
    row = PhoneCode.objects.get()
    assert row.phone_hash == phone_hash(PHONE) and code not in row.code_hash
    assert row.expires_at == NOW + timedelta(minutes=10)
    sent = AuditEvent.objects.get(action="portal.phone_code_sent")
    assert sent.summary == "138****5678" and PHONE not in str(sent.data)
    delivery = AuditEvent.objects.get(action="notification.sent", data__kind="portal.phone_code")
    assert code not in delivery.data["body"] and "****" in delivery.data["body"]
    assert delivery.data["to"] == "138****5678"


def test_a_number_that_is_not_a_mobile_gets_a_field_error(hall, clock, send, sms):
    r, _code = send(Client(), "0571-87206101")
    assert r.status_code == 400 and "请填写 11 位手机号码" in r.content.decode()
    assert 'class="field-error"' in r.content.decode()
    assert not PhoneCode.objects.exists() and not sms


def test_a_wrong_code_is_refused_and_costs_a_try(hall, clock, send):
    client = Client()
    _r, code = send(client)
    r = verify(client, wrong(code))
    assert r.status_code == 400 and "验证码不正确，还可以再试 4 次" in r.content.decode()
    assert SESSION_KEY not in client.session
    failed = AuditEvent.objects.get(action="portal.phone_code_failed")
    assert failed.outcome == "refused" and failed.data["reason"] == "wrong_code"
    assert failed.summary == "138****5678"
    assert verify(client, code).status_code == 302  # the right one still opens it
    assert AuditEvent.objects.filter(action="portal.phone_code_verified").count() == 1


def test_a_code_expires_after_ten_minutes(hall, clock, send):
    client = Client()
    _r, code = send(client)
    clock.shift(timedelta(minutes=10, seconds=1))
    r = verify(client, code)
    assert r.status_code == 400 and "验证码已失效，请重新获取" in r.content.decode()
    assert AuditEvent.objects.get(action="portal.phone_code_failed").data["reason"] == (
        "code_expired"
    )


def test_five_wrong_tries_use_the_code_up(hall, clock, send):
    client = Client()
    _r, code = send(client)
    for _ in range(4):
        assert verify(client, wrong(code)).status_code == 400
    r = verify(client, wrong(code))
    assert "验证码错误次数过多，请重新获取" in r.content.decode()
    r = verify(client, code)  # even the right code now
    assert r.status_code == 400 and "验证码错误次数过多" in r.content.decode()
    assert SESSION_KEY not in client.session


def test_a_code_opens_once_and_only_the_newest_counts(hall, clock, send):
    client = Client()
    _r, first = send(client)
    clock.shift(timedelta(seconds=61))
    _r, second = send(client)
    assert first != second or PhoneCode.objects.count() == 2
    if first != second:
        assert verify(client, first).status_code == 400  # replaced by the second
    assert verify(client, second).status_code == 302
    assert verify(Client(), second).status_code == 400  # used


def test_a_phone_gets_one_code_a_minute(hall, clock, send):
    client = Client()
    assert send(client)[0].status_code == 200
    r, _code = send(Client(REMOTE_ADDR="198.51.100.9"))
    assert r.status_code == 429 and "秒后再重新获取" in r.content.decode()
    clock.shift(timedelta(seconds=61))
    assert send(client)[0].status_code == 200


def test_sending_is_limited_per_phone_and_per_address(hall, clock, send, settings):
    settings.SMS_CODE_PHONE_RATE = "2/h"
    settings.SMS_CODE_ADDRESS_RATE = "3/h"
    for i in range(2):
        r, _code = send(Client(REMOTE_ADDR=f"198.51.100.{i + 1}"))
        assert r.status_code == 200
        clock.shift(timedelta(seconds=61))
    r, _code = send(Client(REMOTE_ADDR="198.51.100.3"))  # a new address, the same phone
    assert r.status_code == 429 and "获取验证码过于频繁" in r.content.decode()

    same = Client(REMOTE_ADDR="203.0.113.5")
    for phone in ("13700000001", "13700000002", "13700000003"):
        assert send(same, phone)[0].status_code == 200
    r, _code = send(same, "13700000004")  # a fourth phone from one address
    assert r.status_code == 429
    assert PhoneCode.objects.count() == 5


def test_wrong_codes_count_as_failed_lookups_of_the_address(hall, clock, send, settings):
    settings.LOOKUP_FAILURE_RATE = "3/10m"
    client = Client()
    _r, code = send(client)
    for _ in range(3):
        verify(client, wrong(code))
    r = verify(client, code)
    assert r.status_code == 429  # the one guard of every public lookup
    assert SESSION_KEY not in client.session


@pytest.fixture
def group(hall):
    return make_group(hall)


def make_things(hall, group, phone, *, day=date(2026, 3, 3)):
    """One case, booking, ticket, inquiry and complaint left with `phone`."""
    case = submitted_case(hall, phone=phone)
    with time_machine.travel(datetime(2026, 2, 27, 15, tzinfo=SH), tick=False):
        booking = appointments.book_appointment(
            group=group, day=day, start=time(10), name="李小明", phone=phone
        )
    ticket = appointments.issue_ticket(group=group, phone=phone)
    inquiry = inquiries.log_inquiry(
        channel="phone",
        asker={"name": "李小明", "phone": phone},
        matter="在读证明怎么开？",
        by=hall.alice,
    )
    complaint = receive_complaint(
        channel="portal",
        name="李小明",
        phone=phone,
        subject="排队太久",
        content="上午等了一小时",
    )
    return [case, booking, ticket, inquiry, complaint]


def test_it_validates_ownership(hall, group, clock, send):
    """A verified phone sees its own things, each with status, next step and its page, and
    not one of another phone's."""
    theirs = make_things(hall, group, OTHER)
    mine = make_things(hall, group, PHONE)
    client = signed_in(send)
    page = client.get("/my/").content.decode()
    for thing in mine:
        assert thing.number in page, thing
    for thing in theirs:
        assert thing.number not in page, thing
    case, booking, ticket, inquiry, complaint = mine
    assert f"/progress/{case.number}/?c={case.query_code}" in page
    assert f"/queue/booking/{booking.number}/?c={booking.query_code}" in page
    assert f"/queue/ticket/{ticket.pk}/?c={ticket.code}" in page
    assert f"number={inquiry.number}&amp;code={inquiry.query_code}" in page
    assert f"number={complaint.number}&amp;code={complaint.query_code}" in page
    assert "已提交" in page and "窗口审核中" in page  # the case's status and next step
    assert "请于 2026-03-03 10:00–10:30 到大厅" in page  # the booking's
    assert "前面还有 1 人" in page  # the ticket's, behind the other phone's walk-in
    assert "将于" in page and "前答复" in page  # the inquiry's and the complaint's
    assert "138****5678" in page and PHONE not in page and "李小明" not in page
    # Each link opens its public page.
    for url in re.findall(r'<li><a href="([^"]+)"', page):
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


def test_another_phone_sees_nothing_of_the_first(hall, group, clock, send):
    make_things(hall, group, PHONE)
    page = signed_in(send, "13600000000").get("/my/").content.decode()
    assert "没有找到与这个手机号关联的" in page
    assert "data-section" not in page


def test_the_list_is_read_in_a_fixed_number_of_queries(
    hall, group, clock, send, django_assert_max_num_queries
):
    for day in (3, 4, 5):
        make_things(hall, group, PHONE, day=date(2026, 3, day))
    client = signed_in(send)
    # session, five lists, and one count per waiting ticket of today
    with django_assert_max_num_queries(10):
        page = client.get("/my/").content.decode()
    assert page.count("<li><a href=") == 15


def test_the_session_keeps_a_hash_not_the_phone_and_ends_in_thirty_minutes(hall, clock, send):
    submitted_case(hall, phone=PHONE)
    client = signed_in(send)
    marker = client.session[SESSION_KEY]
    assert marker["hash"] == phone_hash(PHONE) and marker["phone"] == "138****5678"
    assert PHONE not in str(dict(client.session))
    clock.shift(timedelta(minutes=29))
    page = client.get("/my/").content.decode()
    assert Case.objects.get().number in page and "09:30 后自动退出" in page
    clock.shift(timedelta(minutes=1, seconds=1))
    page = client.get("/my/").content.decode()
    assert Case.objects.get().number not in page
    assert "查看时间已到，请重新验证手机号" in page and "获取验证码" in page
    assert SESSION_KEY not in client.session


def test_signing_out_forgets_the_phone(hall, clock, send):
    client = signed_in(send)
    r = client.post("/my/sign-out/", follow=True)
    assert "已退出" in r.content.decode() and "获取验证码" in r.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get("/my/sign-out/").status_code == 405  # only by the button


def test_the_number_and_code_lookups_stay_on_my_page(hall):
    page = Client().get("/my/").content.decode()
    assert "获取验证码" in page and "或凭编号和查询码查询" in page
    for url in (
        "/progress/",
        "/queue/booking/",
        "/inquiries/lookup/",
        "/feedback/complain/status/",
    ):
        assert f'href="{url}"' in page


def test_existing_rows_get_their_phone_hash(hall):
    """The data migrations hash the phones already kept, as new rows are hashed."""
    case = submitted_case(hall, phone=PHONE)
    inquiry = inquiries.log_inquiry(
        channel="phone", asker={"name": "李小明", "phone": OTHER}, matter="问", by=hall.alice
    )
    complaint = receive_complaint(
        channel="portal", name="李小明", phone=PHONE, subject="慢", content="慢"
    )
    Case.objects.filter(pk=case.pk).update(applicant_phone_hash="")
    type(inquiry).objects.filter(pk=inquiry.pk).update(asker_phone_hash="")
    type(complaint).objects.filter(pk=complaint.pk).update(phone_hash="")
    for module in (
        "yichuang.cases.migrations.0010_case_applicant_phone_hash",
        "yichuang.inquiries.migrations.0006_inquiry_asker_phone_hash",
        "yichuang.feedback.migrations.0010_complaint_phone_hash",
    ):
        importlib.import_module(module).fill_phone_hash(apps, None)
    case.refresh_from_db()
    inquiry.refresh_from_db()
    complaint.refresh_from_db()
    assert case.applicant_phone_hash == phone_hash(PHONE) == complaint.phone_hash
    assert inquiry.asker_phone_hash == phone_hash(OTHER)
