"""Readable numbers and secret codes, for every app.

- `next_value(key)` is the one counter: a series is a key (see core.models.Sequence for the
  keys in use); each app formats its own numbers from it (cases/numbering.py, …).
- `new_code(length)` is the one generator of the codes a member of the public types back
  (query codes, ticket codes, ballot codes): one alphabet without look-alikes.
"""

import secrets

from django.db import connection

from .models import Sequence

# No 0/O, 1/I/L: a code is read aloud on the phone, copied from paper, typed at a kiosk.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def next_value(key: str) -> int:
    """The next value of the series `key`: 1, 2, 3, … never repeated.

    Must run inside the caller's transaction: the upsert holds the row lock until commit, so
    concurrent callers queue on it and never share a value, and a rolled-back transaction
    gives its value back. One statement, because intake is the hall's busiest write
    (PostgreSQL and SQLite ≥ 3.35 both speak INSERT … ON CONFLICT … RETURNING)."""
    table = connection.ops.quote_name(Sequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "last") VALUES (%s, 1) '
            f'ON CONFLICT ("key") DO UPDATE SET "last" = {table}."last" + 1 RETURNING "last"',
            [key],
        )
        return cursor.fetchone()[0]


def new_code(length: int = 8) -> str:
    """A random code of `length` characters from CODE_ALPHABET (≈4.95 bits each)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
