"""The audit record nobody can rewrite (等保 2.0 安全审计), its security events, and the audit
administrator's page (三员分立)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client
from openpyxl import load_workbook

from yichuang.core import audit
from yichuang.core.append_only import append_only_tables
from yichuang.core.models import AuditEvent
from yichuang.org.testing import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

LEDGERS = {
    "core_auditevent",
    "cases_caseevent",
    "inquiries_inquiryevent",
    "feedback_complaintevent",
    "feedback_followupevent",
    "appointments_queueevent",
    "campaigns_campaignunitevent",
}


def _refused(sql, params=()):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _triggers_on(table):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        return [row[0] for row in cursor.fetchall()]


def test_every_ledger_table_is_append_only_in_the_database():
    assert LEDGERS <= set(append_only_tables())
    for table in LEDGERS:
        assert _triggers_on(table), f"{table} has no append-only trigger"


def test_plain_sql_cannot_change_or_delete_an_audit_event(hall):
    event = audit.record("test.thing", actor=hall.alice, summary="原始记录")
    _refused("UPDATE core_auditevent SET summary = 'changed' WHERE id = %s", [event.pk])
    _refused("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "原始记录"


def test_a_staff_member_with_a_record_cannot_be_deleted_and_the_record_keeps_their_name(hall):
    event = audit.record("test.thing", actor=hall.dave)
    assert event.actor_name == "陈思远 (dave)"
    with pytest.raises(ProtectedError):
        hall.dave.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_id == hall.dave.pk


def test_log_in_log_out_and_failed_log_in_are_recorded(hall):
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": "wrong-one"})
    failed = AuditEvent.objects.get(action="security.login_failed")
    assert failed.data["username"] == "alice" and failed.outcome == "refused"
    assert "wrong-one" not in str(failed.data) + failed.summary
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert AuditEvent.objects.filter(action="security.login", actor=hall.alice).count() == 1
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action="security.logout", actor=hall.alice).count() == 1


def test_a_lockout_is_recorded(hall, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(3):
        client.post("/accounts/login/", {"username": "bob", "password": "nope-nope"})
    assert AuditEvent.objects.filter(action="security.locked_out", summary="bob").exists()


def test_a_failed_token_request_is_recorded(hall):
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "carol", "password": "guess"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert AuditEvent.objects.filter(action="security.login_failed", summary="carol").exists()


def test_a_refused_request_is_recorded(hall, client_for):
    auditor = make_staff("auditor", None, "audit_administrator")
    assert client_for(hall.dave).get("/staff/audit/").status_code == 403
    refused = AuditEvent.objects.get(action="security.refused")
    assert refused.actor == hall.dave and refused.data["path"] == "/staff/audit/"
    assert auditor.pk  # the auditor exists but was not the one refused


@pytest.mark.parametrize("persona", ["alice", "carol", "olga", "rita", "admin", "security"])
def test_only_the_audit_administrator_reviews_the_record(hall, client_for, persona):
    people = {
        "admin": lambda: make_staff("root", None, "administrator"),
        "security": lambda: make_staff("sec", None, "security_administrator"),
    }
    staff = people[persona]() if persona in people else getattr(hall, persona)
    client = client_for(staff)
    assert client.get("/staff/audit/").status_code == 403
    assert client.get("/staff/audit/export.xlsx").status_code == 403


def test_the_audit_administrator_reads_filters_and_exports_the_record(hall, client_for):
    auditor = make_staff("auditor", None, "audit_administrator", full_name="审计员")
    audit.record("security.login", actor=hall.alice, summary="alice")
    audit.record("post.people_set", actor=hall.carol, summary='=HYPERLINK("http://x","y")')
    client = client_for(auditor)
    page = client.get("/staff/audit/", {"action": "security."})
    assert page.status_code == 200
    html = page.content.decode()
    assert "security.login" in html and "post.people_set" not in html
    export = client.get("/staff/audit/export.xlsx")
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(__import__("io").BytesIO(export.content)).active
    cells = [row[3] for row in sheet.iter_rows(min_row=2)]
    hyperlink = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert hyperlink and all(c.data_type != "f" for c in hyperlink)  # text, never a formula
    # Reading and exporting are themselves recorded.
    assert AuditEvent.objects.filter(action="audit.viewed", actor=auditor).exists()
    assert AuditEvent.objects.filter(action="audit.exported", actor=auditor).exists()


def test_token_issue_and_revocation_are_recorded(hall):
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "carol", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    issued = AuditEvent.objects.get(action="security.token_issued")
    assert issued.actor == hall.carol and issued.data["address"]
    hall.carol.set_password("another-long-pass-2026")
    hall.carol.save()
    changed = AuditEvent.objects.get(action="security.password_changed", actor=hall.carol)
    assert changed.data["tokens_revoked"] == 1
