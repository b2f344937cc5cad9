"""Keys: no working key in the code, a server that refuses demo or missing keys with DEBUG off,
independent SECRET_KEY and FIELD_ENCRYPTION_KEY, rotation, SM4, and a clean check --deploy."""

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from yichuang import localkeys
from yichuang.core import crypto

ROOT = Path(__file__).resolve().parents[3]
DEMO = "yichuang-insecure-demo-key-change-me-in-production"


def real_key() -> str:
    return secrets.token_urlsafe(48)


def run(args, tmp_path, **env):
    """A fresh interpreter with only the given keys: no .env.local of this checkout is read."""
    base = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests' modules for Playwright, never
        # by a deployment (check --deploy rightly refuses it).
        if k
        not in {
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEY",
            "FIELD_HASH_KEY",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
        and not k.startswith("SECURE_")
    }
    base.update(
        DJANGO_SETTINGS_MODULE="yichuang.settings",
        YICHUANG_LOCAL_KEYS=str(tmp_path / "absent.env"),
        ALLOWED_HOSTS="hall.example.edu.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    base.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_real_keys_and_debug_off(tmp_path):
    r = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DEBUG="false",
        SECRET_KEY=real_key(),
        FIELD_ENCRYPTION_KEY=real_key(),
    )
    assert r.returncode == 0, r.stderr + r.stdout
    assert "WARNING" not in r.stderr + r.stdout and "no issues" in r.stdout


@pytest.mark.parametrize("name", ["SECRET_KEY", "FIELD_ENCRYPTION_KEY"])
def test_the_server_refuses_to_start_on_a_demo_key_with_debug_off(tmp_path, name):
    keys = {"SECRET_KEY": real_key(), "FIELD_ENCRYPTION_KEY": real_key(), name: DEMO}
    # the WSGI application gunicorn loads, and manage.py check --deploy
    for args in (["-c", "import yichuang.wsgi"], ["manage.py", "check", "--deploy"]):
        r = run(args, tmp_path, DEBUG="false", **keys)
        assert r.returncode != 0
        assert f"{name} is a published demo key" in r.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "FIELD_ENCRYPTION_KEY"])
def test_the_server_refuses_to_start_on_a_missing_key_with_debug_off(tmp_path, name):
    keys = {"SECRET_KEY": real_key(), "FIELD_ENCRYPTION_KEY": real_key()}
    del keys[name]
    r = run(["-c", "import yichuang.wsgi"], tmp_path, DEBUG="false", **keys)
    assert r.returncode != 0 and f"{name} is not set" in r.stderr
    assert not (tmp_path / "absent.env").exists()  # nothing generated behind a deployment's back


def test_check_deploy_flags_a_demo_key_even_with_debug_on(tmp_path):
    r = run(
        ["manage.py", "check", "--deploy"],
        tmp_path,
        DEBUG="true",
        SECRET_KEY=real_key(),
        FIELD_ENCRYPTION_KEY=DEMO,
    )
    assert r.returncode != 0
    assert "core.E001" in r.stderr and "FIELD_ENCRYPTION_KEY is a published demo key" in r.stderr


def test_check_deploy_refuses_one_key_for_both(tmp_path):
    key = real_key()
    r = run(
        ["manage.py", "check", "--deploy"],
        tmp_path,
        DEBUG="false",
        SECRET_KEY=key,
        FIELD_ENCRYPTION_KEY=key,
    )
    assert r.returncode != 0 and "core.E002" in r.stderr


def test_make_run_keys_are_generated_once_private_independent_and_read_by_settings(tmp_path):
    path = tmp_path / "local.env"
    assert localkeys.generate(path)
    first = path.read_text()
    assert not localkeys.generate(path) and path.read_text() == first  # once
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    keys = localkeys.read(path)
    assert set(keys) == {"SECRET_KEY", "FIELD_ENCRYPTION_KEY"}
    assert keys["SECRET_KEY"] != keys["FIELD_ENCRYPTION_KEY"] and len(keys["SECRET_KEY"]) >= 50
    r = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s;"
            "print(s.SECRET_KEY, s.FIELD_ENCRYPTION_KEY)",
        ],
        tmp_path,
        DEBUG="false",
        YICHUANG_LOCAL_KEYS=str(path),
    )
    assert r.stdout.split() == [keys["SECRET_KEY"], keys["FIELD_ENCRYPTION_KEY"]], r.stderr


def test_no_working_key_stays_in_the_code():
    settings_py = (ROOT / "yichuang" / "settings.py").read_text()
    assert 'os.environ.get("SECRET_KEY",' not in settings_py
    assert 'FIELD_ENCRYPTION_KEY", SECRET_KEY' not in settings_py


def test_changing_secret_key_keeps_personal_data_readable(settings):
    token = crypto.encrypt("110101199003071234")
    settings.SECRET_KEY = real_key()
    assert crypto.decrypt(token) == "110101199003071234"


def test_old_keys_still_decrypt_and_the_new_key_encrypts(settings):
    old = crypto.encrypt("13812345678")
    settings.FIELD_ENCRYPTION_OLD_KEYS = [settings.FIELD_ENCRYPTION_KEY]
    settings.FIELD_ENCRYPTION_KEY = real_key()
    assert crypto.decrypt(old) == "13812345678" and not crypto.is_current(old)
    new = crypto.encrypt("13812345678")
    assert crypto.is_current(new)
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert crypto.decrypt(new) == "13812345678"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(old)


def test_the_lookup_hash_survives_adding_a_new_encryption_key(settings):
    before = crypto.keyed_hash("110101199003071234")
    settings.FIELD_ENCRYPTION_OLD_KEYS = [settings.FIELD_ENCRYPTION_KEY]
    settings.FIELD_ENCRYPTION_KEY = real_key()
    assert crypto.keyed_hash("110101199003071234") == before
    settings.FIELD_HASH_KEY = real_key()  # its own key when set
    assert crypto.keyed_hash("110101199003071234") != before


@pytest.mark.skipif(not crypto.sm4_available(), reason="OpenSSL without SM4")
def test_sm4_gcm_is_real_authenticated_and_reads_old_fernet_values(settings):
    fernet_value = crypto.encrypt("110101199003071234")
    settings.FIELD_ENCRYPTION_CIPHER = "sm4"
    token = crypto.encrypt("110101199003071234")
    assert token.startswith("sm4g1:") and "1101011990" not in token
    assert token != crypto.encrypt("110101199003071234")  # a fresh nonce each time
    assert crypto.decrypt(token) == "110101199003071234"
    assert crypto.decrypt(fernet_value) == "110101199003071234"
    assert crypto.is_current(token) and not crypto.is_current(fernet_value)
    # the tag authenticates: one flipped byte and the value no longer opens
    raw = bytearray(crypto.base64.urlsafe_b64decode(token[6:]))
    raw[14] ^= 1
    tampered = "sm4g1:" + crypto.base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)
    # and it is SM4: the same nonce and derived key through the SM4 primitive give the value
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    sealed = crypto.base64.urlsafe_b64decode(token[6:])
    dec = Cipher(
        algorithms.SM4(crypto._sm4_key(settings.FIELD_ENCRYPTION_KEY)),
        modes.GCM(sealed[:12], sealed[-16:]),
    ).decryptor()
    assert dec.update(sealed[12:-16]) + dec.finalize() == b"110101199003071234"
    settings.FIELD_ENCRYPTION_CIPHER = "fernet"
    assert crypto.decrypt(token) == "110101199003071234"  # switching back keeps SM4 values
