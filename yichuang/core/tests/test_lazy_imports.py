"""A worker loads its heavy libraries where a request uses them, not at start-up (issue 18):
the PDF and Excel writers, pinyin, QR codes, the full-text search, the lunar calendar data,
the upload parsers and the OpenID Connect client stay out of a worker that has read its
settings, every URL pattern and the API's schema. (python-cas, requests and lxml load at
start because django-cas-ng's models import them.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = (
    "pypinyin",
    "reportlab",
    "openpyxl",
    "segno",
    "jieba",
    "bm25s",
    "holidays",
    "pypdf",
    "PIL",
    "mozilla_django_oidc",
    "jwt",
)

STARTUP = f"""
import json, sys
import django
django.setup()
from django.urls import get_resolver
import yichuang.urls
from yichuang.api import api
get_resolver().url_patterns
api.get_openapi_schema()
print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))
"""


def test_a_worker_starts_without_the_heavy_libraries():
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", STARTUP],
        cwd=root,
        # This run's keys and database (a worker's set-up connects to neither).
        env={
            **os.environ,
            "PYTHONPATH": str(root),
            "DJANGO_SETTINGS_MODULE": "yichuang.settings",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
