"""Personal data under a changed or rotated key: no 500 on pages or API, and the rotation command
re-encrypts every value while ID-number search keeps working."""

import logging
import secrets

import pytest
from django.core.management import call_command

from yichuang.cases import services
from yichuang.cases.models import Case
from yichuang.cases.queries import find_by_id_number
from yichuang.core import crypto, fields
from yichuang.core.fields import UNREADABLE_TEXT

from .factories import VALID_ID, all_required, applicant, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(hall):
    service = make_service(hall)
    c = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    services.accept_case(c, by=hall.alice)
    return c


def raw(model, pk, column):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cur.fetchone()[0]


def test_a_value_no_key_opens_shows_as_unavailable_not_500(
    hall, case, client_for, api_for, settings, caplog, monkeypatch
):
    monkeypatch.setattr(fields, "_reported", set())
    settings.FIELD_ENCRYPTION_KEY = secrets.token_urlsafe(48)  # as if the key had changed
    alice = client_for(hall.alice)
    unreadable = str(UNREADABLE_TEXT)
    with caplog.at_level(logging.ERROR, logger="yichuang.core.fields"):
        page = alice.get(f"/cases/{case.number}/")
        assert page.status_code == 200 and unreadable in page.content.decode()
        ledger = alice.get("/cases/ledger/")
        assert ledger.status_code == 200
        assert alice.get("/cases/ledger.xlsx").status_code == 200
        api = api_for(hall.alice).get(f"/api/v1/cases/{case.number}")
        assert api.status_code == 200 and unreadable in str(api.json())
        alice.get(f"/cases/{case.number}/")
    logged = [r for r in caplog.records if "cannot be decrypted" in r.getMessage()]
    assert sorted(r.getMessage().split()[0] for r in logged) == [  # once per field, not per read
        "cases.Case.applicant_id_number",
        "cases.Case.applicant_phone",
    ]


def test_saving_a_row_that_cannot_be_decrypted_keeps_its_ciphertext(case, settings):
    stored = raw(Case, case.pk, "applicant_phone")
    settings.FIELD_ENCRYPTION_KEY = secrets.token_urlsafe(48)
    loaded = Case.objects.get(pk=case.pk)
    loaded.save()
    assert raw(Case, case.pk, "applicant_phone") == stored


def test_rotation_reencrypts_every_field_keeps_search_and_is_idempotent(hall, case, settings):
    before = raw(Case, case.pk, "applicant_id_number")
    old_key = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = secrets.token_urlsafe(48)
    settings.FIELD_ENCRYPTION_OLD_KEYS = [old_key]
    call_command("rotate_encryption_key", batch_size=1, stdout=(out := _Out()))
    assert "cases.Case.applicant_id_number: 1 values, 1 re-encrypted" in out.text
    after = raw(Case, case.pk, "applicant_id_number")
    assert after != before and crypto.is_current(after)
    assert crypto.is_current(raw(Case, case.pk, "applicant_phone"))
    assert list(find_by_id_number(hall.alice, VALID_ID)) == [case]
    # the old key can go once FIELD_HASH_KEY holds it: data and search stay as they were
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    settings.FIELD_HASH_KEY = old_key
    loaded = Case.objects.get(pk=case.pk)
    assert loaded.applicant_id_number == VALID_ID and loaded.applicant_phone == "13812345678"
    assert list(find_by_id_number(hall.alice, VALID_ID)) == [case]
    call_command("rotate_encryption_key", stdout=(again := _Out()))
    assert "cases.Case.applicant_id_number: 1 values, 0 re-encrypted, 0 hashes" in again.text
    assert raw(Case, case.pk, "applicant_id_number") == after


def test_a_hash_key_change_is_rehashed_by_the_same_command(hall, case, settings):
    settings.FIELD_HASH_KEY = secrets.token_urlsafe(48)
    assert list(find_by_id_number(hall.alice, VALID_ID)) == []
    call_command("rotate_encryption_key", stdout=(out := _Out()))
    assert "cases.Case.applicant_id_number: 1 values, 0 re-encrypted, 1 hashes recomputed" in (
        out.text
    )
    assert list(find_by_id_number(hall.alice, VALID_ID)) == [case]


@pytest.mark.skipif(not crypto.sm4_available(), reason="OpenSSL without SM4")
def test_switching_to_sm4_rewrites_values_in_sm4_and_they_still_read(case, settings):
    settings.FIELD_ENCRYPTION_CIPHER = "sm4"
    assert Case.objects.get(pk=case.pk).applicant_phone == "13812345678"  # Fernet still reads
    call_command("rotate_encryption_key", stdout=_Out())
    assert raw(Case, case.pk, "applicant_phone").startswith("sm4g1:")
    assert Case.objects.get(pk=case.pk).applicant_phone == "13812345678"


def test_every_encrypted_field_is_found_with_its_hash_column():
    from yichuang.core.fields import encrypted_fields

    found = {f"{m._meta.label}.{f.name}": f.hash_field for m, f in encrypted_fields()}
    assert found["cases.Case.applicant_id_number"] == "applicant_id_hash"
    assert "phone_hash" in found.values()  # the appointments' phone limit
    assert "cases.Case.applicant_phone" in found


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass
