"""Failed background tasks (失败的后台任务): the hall office and the system administrator see
them and run them again (重新执行) through resend_failed_task, recorded in the audit record;
nobody else sees or resends them, and a failed task stays listed until resent."""

import pytest

from yichuang.core import crypto
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.failed_tasks import record_failure, resend_failed_task
from yichuang.core.models import AuditEvent, FailedTask, StaffNotice
from yichuang.org.testing import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(settings):
    return record_failure(
        task_path="yichuang.core.notifications.tasks.deliver_notice",
        args=[],
        kwargs={
            "addresses": {"sms": crypto.encrypt("13812345678")},
            "subject": "办结通知",
            "body": "您的办件已办结",
            "sms_text": "您的办件已办结",
            "kind": "case.completed",
        },
        attempts=6,
        error="sms: ConnectionError: gateway down",
    )


@pytest.fixture
def sent_sms():
    from yichuang.core.notifications.channels.sms import LoggingSmsBackend

    LoggingSmsBackend.recent.clear()
    yield LoggingSmsBackend.recent
    LoggingSmsBackend.recent.clear()


def test_the_hall_office_resends_a_failed_task_once_and_it_is_recorded(
    hall, failed, sent_sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resend_failed_task(failed, by=hall.olga)
    failed.refresh_from_db()
    assert failed.resent_by == hall.olga and failed.resent_at is not None
    assert [m.phone for m in sent_sms] == ["13812345678"]  # the task ran again
    resent = AuditEvent.objects.get(action="task.resent")
    assert resent.actor == hall.olga and resent.target_id == str(failed.pk)
    with pytest.raises(Conflict):
        resend_failed_task(failed, by=hall.olga)
    assert AuditEvent.objects.filter(action="task.resent").count() == 1


def test_the_administrator_may_resend_too(hall, failed, django_capture_on_commit_callbacks):
    admin = make_staff("admin", None, "administrator")
    with django_capture_on_commit_callbacks(execute=True):
        resend_failed_task(failed, by=admin)
    assert FailedTask.objects.get().resent_by == admin


@pytest.mark.parametrize("who", ["alice", "carol", "dave", "rita"])
def test_other_roles_may_not_resend(hall, failed, who):
    with pytest.raises(NotAllowed):
        resend_failed_task(failed, by=getattr(hall, who))
    assert FailedTask.objects.get().resent_at is None
    assert not AuditEvent.objects.filter(action="task.resent").exists()


def test_the_audit_administrator_may_not_resend(hall, failed):
    auditor = make_staff("auditor", None, "audit_administrator")
    with pytest.raises(NotAllowed):
        resend_failed_task(failed, by=auditor)


def test_a_task_that_no_longer_exists_is_refused_clearly(hall):
    gone = record_failure(
        task_path="yichuang.core.tasks.no_such_task", args=[], kwargs={}, attempts=1, error="x"
    )
    with pytest.raises(Invalid, match="已不存在"):
        resend_failed_task(gone, by=hall.olga)
    assert FailedTask.objects.get(pk=gone.pk).resent_at is None


def test_the_page_lists_failed_tasks_with_error_attempts_and_time(hall, failed, client_for):
    page = client_for(hall.olga).get("/staff/tasks/failed/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "deliver_notice" in text and "gateway down" in text and "重新执行" in text
    assert f"{failed.failed_at.astimezone():%Y-%m-%d}" in text
    assert "13812345678" not in text


def test_resend_from_the_page_leaves_the_list(hall, failed, client_for, sent_sms):
    client = client_for(hall.olga)
    response = client.post(f"/staff/tasks/failed/{failed.pk}/resend/", follow=True)
    assert response.status_code == 200
    assert "已重新执行任务 deliver_notice" in response.content.decode()
    assert "gateway down" not in client.get("/staff/tasks/failed/").content.decode()
    # a second click on a stale page: the resent task is simply not found any more
    assert client.post(f"/staff/tasks/failed/{failed.pk}/resend/").status_code == 404


def test_it_validates_ownership(hall, failed, client_for):
    """Window staff, heads, reviewers and the audit administrator neither see the list nor
    resend; nothing changes."""
    auditor = make_staff("auditor", None, "audit_administrator")
    for who in (hall.alice, hall.carol, hall.dave, hall.rita, auditor):
        client = client_for(who)
        assert client.get("/staff/tasks/failed/").status_code == 403
        assert client.post(f"/staff/tasks/failed/{failed.pk}/resend/").status_code == 403
    assert FailedTask.objects.get().resent_at is None


def test_the_menu_shows_the_page_to_the_hall_office_only(hall, client_for):
    assert "/staff/tasks/failed/" in client_for(hall.olga).get("/staff/").content.decode()
    assert "/staff/tasks/failed/" not in client_for(hall.alice).get("/staff/").content.decode()


def test_a_failed_task_rings_the_hall_offices_bell(hall, failed, client_for):
    notice = StaffNotice.objects.get(recipient=hall.olga)
    assert notice.kind == "task.failed" and "deliver_notice" in notice.text
    assert notice.link == "/staff/tasks/failed/"
    assert not StaffNotice.objects.filter(recipient__in=[hall.alice, hall.carol]).exists()
    assert "后台任务多次重试失败" in client_for(hall.olga).get("/staff/notices/").content.decode()
