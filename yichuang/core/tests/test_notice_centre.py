"""Every notice to a staff member also lands in their notice centre: personal (another person's
notice is not found), unread first, marked read by its recipient only, counted in the header's
bell. SMS and e-mail still go where an address exists; without one the record says so."""

import pytest
from django.test import Client
from django.urls import reverse

from yichuang.core.errors import NotAllowed
from yichuang.core.models import AuditEvent, StaffNotice
from yichuang.core.notifications import (
    Recipient,
    mark_notice_read,
    notices_for,
    notify,
    unread_count,
)
from yichuang.core.notifications.channels.sms import LoggingSmsBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms():
    LoggingSmsBackend.recent.clear()
    yield LoggingSmsBackend.recent
    LoggingSmsBackend.recent.clear()


def tell(staff, subject="有一条咨询转交给您", link="", **extra):
    notify(
        Recipient.of_staff(staff),
        subject=subject,
        body="{{ who }} 将咨询转交给您，请及时接收。",
        context={"who": "王晓燕"},
        about=staff,
        kind="test.staff",
        link=link,
        **extra,
    )


def test_a_staff_notice_lands_in_the_notice_centre(hall):
    tell(hall.carol, link="/cases/mine/")
    notice = StaffNotice.objects.get(recipient=hall.carol)
    assert notice.subject == "有一条咨询转交给您"
    assert notice.text == "王晓燕 将咨询转交给您，请及时接收。"
    assert (notice.kind, notice.link, notice.read_at) == ("test.staff", "/cases/mine/", None)
    assert notice.about == f"org.staff:{hall.carol.pk}"


def test_a_notice_to_an_applicant_has_no_notice_centre(hall):
    notify(Recipient(name="李小明", phone="13812345678"), subject="受理", body="已受理")
    assert not StaffNotice.objects.exists()


def test_a_rolled_back_step_leaves_no_notice(hall):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        tell(hall.carol)
        raise RuntimeError
    assert not StaffNotice.objects.exists()


def test_a_landline_only_staff_member_gets_no_address_and_the_notice_anyway(
    hall, sms, django_capture_on_commit_callbacks
):
    assert hall.olga.phone == "" and hall.olga.email == ""
    hall.olga.phone = "0731-8882 1000"  # an office landline: no SMS
    with django_capture_on_commit_callbacks(execute=True):
        tell(hall.olga)
    skipped = AuditEvent.objects.get(action="notification.skipped", data__kind="test.staff")
    assert skipped.data["reason"] == "no_address"
    assert not AuditEvent.objects.filter(action="notification.sent").exists()
    assert list(sms) == []
    assert StaffNotice.objects.filter(recipient=hall.olga).count() == 1


def test_a_staff_member_with_a_mobile_also_gets_the_sms(
    hall, sms, django_capture_on_commit_callbacks
):
    hall.carol.phone = "13900001111"
    with django_capture_on_commit_callbacks(execute=True):
        tell(hall.carol)
    sent = AuditEvent.objects.get(action="notification.sent", data__kind="test.staff")
    assert (sent.data["channel"], sent.data["to"]) == ("sms", "139****1111")
    assert sms[-1].phone == "13900001111" and "王晓燕 将咨询转交给您" in sms[-1].text
    assert StaffNotice.objects.filter(recipient=hall.carol).count() == 1


def test_notices_come_unread_first_then_newest(hall):
    for subject in ("一", "二", "三"):
        tell(hall.carol, subject=subject)
    first = StaffNotice.objects.get(subject="三")
    mark_notice_read(first, by=hall.carol)
    assert [n.subject for n in notices_for(hall.carol)] == ["二", "一", "三"]
    assert unread_count(hall.carol) == 2


def test_only_the_recipient_may_mark_a_notice_read(hall):
    tell(hall.carol)
    notice = StaffNotice.objects.get()
    with pytest.raises(NotAllowed):
        mark_notice_read(notice, by=hall.olga)
    assert StaffNotice.objects.get().read_at is None
    assert mark_notice_read(notice, by=hall.carol) is True
    assert mark_notice_read(notice, by=hall.carol) is False  # a second click changes nothing


# --- the pages --------------------------------------------------------------------------------


def test_the_page_lists_my_notices_only(hall, client_for):
    tell(hall.carol, subject="给张卫国的通知")
    tell(hall.olga, subject="给李敏的通知")
    page = client_for(hall.carol).get(reverse("core:notices")).content.decode()
    assert "给张卫国的通知" in page and "给李敏的通知" not in page


def test_it_validates_ownership(hall, client_for):
    """Another person's notice is not found: neither read, nor opened, nor marked."""
    tell(hall.carol, link="/cases/mine/")
    notice = StaffNotice.objects.get()
    c = client_for(hall.olga)
    url = reverse("core:notice_read", args=[notice.pk])
    assert c.post(url).status_code == 404
    assert c.post(url, {"open": "1"}).status_code == 404
    c.post(reverse("core:notices_read_all"))
    assert StaffNotice.objects.get().read_at is None


def test_marking_read_is_a_post_with_csrf(hall):
    tell(hall.carol)
    notice = StaffNotice.objects.get()
    c = Client(enforce_csrf_checks=True)
    c.force_login(hall.carol)
    url = reverse("core:notice_read", args=[notice.pk])
    assert c.get(url).status_code == 405
    assert c.post(url).status_code == 403  # no CSRF token
    assert StaffNotice.objects.get().read_at is None


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(hall, client_for):
    tell(hall.carol, link="/cases/mine/")
    notice = StaffNotice.objects.get()
    response = client_for(hall.carol).post(
        reverse("core:notice_read", args=[notice.pk]), {"open": "1"}
    )
    assert response.status_code == 302 and response["Location"] == "/cases/mine/"
    assert StaffNotice.objects.get().read_at is not None


def test_a_link_elsewhere_is_not_followed(hall, client_for):
    tell(hall.carol, link="https://evil.example/")
    notice = StaffNotice.objects.get()
    response = client_for(hall.carol).post(
        reverse("core:notice_read", args=[notice.pk]), {"open": "1"}
    )
    assert response["Location"] == reverse("core:notices")


def test_read_all_marks_only_mine(hall, client_for):
    tell(hall.carol)
    tell(hall.carol)
    tell(hall.olga)
    client_for(hall.carol).post(reverse("core:notices_read_all"))
    assert unread_count(hall.carol) == 0 and unread_count(hall.olga) == 1


def test_the_header_counts_my_unread_notices(hall, client_for):
    c = client_for(hall.carol)
    page = c.get(reverse("org:workbench")).content.decode()
    assert 'class="bell"' in page and 'class="count"' not in page
    tell(hall.carol)
    tell(hall.carol)
    tell(hall.olga)
    page = c.get(reverse("org:workbench")).content.decode()
    assert 'class="bell has-unread"' in page and '<span class="count"' in page
    assert '<span class="count" title="未读通知">2</span>' in page
    c.post(
        reverse("core:notice_read", args=[StaffNotice.objects.filter(recipient=hall.carol)[0].pk])
    )
    assert (
        '<span class="count" title="未读通知">1</span>'
        in c.get(reverse("org:workbench")).content.decode()
    )


def test_the_list_takes_a_fixed_number_of_queries(hall, client_for, django_assert_max_num_queries):
    c = client_for(hall.carol)
    tell(hall.carol)
    with django_assert_max_num_queries(20) as few:
        c.get(reverse("core:notices"))
    for _ in range(10):
        tell(hall.carol, link="/cases/mine/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(reverse("core:notices")).status_code == 200


def test_the_page_reads_in_english(hall, client_for):
    from yichuang.tests.test_english import chinese_left, english

    tell(hall.carol, subject="有一条咨询转交给您", link="/cases/mine/")
    html = english(client_for(hall.carol)).get(reverse("core:notices")).content.decode()
    for phrase in ["My notices", "1 unread.", "Mark all as read", "Unread", "Mark as read", "View"]:
        assert phrase in html, phrase
    data = (
        "有一条咨询转交给您",
        "王晓燕 将咨询转交给您，请及时接收。",
        hall.carol.full_name,
        hall.jwc.name,
    )
    assert not chinese_left(html, *data)
