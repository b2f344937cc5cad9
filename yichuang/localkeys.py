"""The local keys of a development install: generated once by `make run` into `.env.local`.

`python -m yichuang.localkeys` writes SECRET_KEY and FIELD_ENCRYPTION_KEY (two independent
random values) into the git-ignored `.env.local` at the project root, mode 600, unless the file
already exists; settings read it for any key the environment does not set. A deployment sets
its keys in the environment instead (see the README's configuration table).
"""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# YICHUANG_LOCAL_KEYS points elsewhere (tests use it to stand for a machine without the file).
LOCAL_KEYS_FILE = Path(os.environ.get("YICHUANG_LOCAL_KEYS") or ROOT / ".env.local")
GENERATED = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY")
# Keys this project once published (and Django's placeholder prefix): never accepted with DEBUG
# off, and reported by `manage.py check --deploy`.
DEMO_KEYS = frozenset({"yichuang-insecure-demo-key-change-me-in-production"})


def is_demo_key(value: str) -> bool:
    return value in DEMO_KEYS or value.startswith("django-insecure") or "change-me" in value


def read(path: Path = LOCAL_KEYS_FILE) -> dict[str, str]:
    """NAME=value lines; blank lines and # comments are skipped. A missing file is empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _sep, value = line.partition("=")
        values[name.strip()] = value.strip()
    return values


def generate(path: Path = LOCAL_KEYS_FILE) -> bool:
    """Write fresh keys once; False (and nothing written) when the file already exists."""
    lines = [
        "# Local keys of this install, generated once by `make run`. Keep this file private and",
        "# keep it: FIELD_ENCRYPTION_KEY decrypts the personal data in the database.",
    ]
    lines += [f"{name}={secrets.token_urlsafe(48)}" for name in GENERATED]
    if path.exists():
        return False
    # Written whole under a temporary name, then linked into place: a concurrent reader (the
    # autoreloader's two processes) never sees half a file, and a second writer loses the race.
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink()
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else LOCAL_KEYS_FILE
    if generate(target):
        print(f"Generated local keys in {target} (mode 600, git-ignored). Keep this file.")
