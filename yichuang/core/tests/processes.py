"""What the tests that start another process of this site share (a worker, an ASGI server, the
single sign-on servers): a free port of a range the run names, and the environment that points
the child at this test run's database with this process's keys."""

import os
import socket
from pathlib import Path
from urllib.parse import quote

from django.conf import settings


def free_port(variable: str, default: str) -> int:
    """The first free port of the range in `variable` ("first-last"), else of `default`."""
    first, _sep, last = os.environ.get(variable, default).partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {variable}")


def database_url(db: dict) -> str:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


def child_environment(folder: Path, **extra: str) -> dict[str, str]:
    """This test run's database and keys (whatever .env.local holds), files under `folder`."""
    from django.db import connection

    return {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
        "FIELD_ENCRYPTION_OLD_KEYS": ",".join(settings.FIELD_ENCRYPTION_OLD_KEYS),
        "FIELD_HASH_KEY": settings.FIELD_HASH_KEY,
        "FIELD_ENCRYPTION_CIPHER": settings.FIELD_ENCRYPTION_CIPHER,
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private-media"),
        "TIME_ZONE": settings.TIME_ZONE,
        "DEBUG": "true",
        **extra,
    }
