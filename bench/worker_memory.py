"""A worker's memory at start: load settings, every URL pattern and the API's OpenAPI schema
(what gunicorn's workers do before the first request), then print the peak resident size and
which heavy libraries were imported on the way. Heavy libraries (pypinyin, reportlab, openpyxl,
segno) should load only when a request needs them (issue 18).

    PYTHONPATH=. .venv/bin/python bench/worker_memory.py
"""

import os
import resource
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.settings")

import django  # noqa: E402

django.setup()

from django.urls import get_resolver  # noqa: E402

from yichuang.api import api  # noqa: E402

patterns = get_resolver().url_patterns  # resolving them imports every view module
api.get_openapi_schema()

HEAVY = ("pypinyin", "reportlab", "openpyxl", "segno")
loaded = [name for name in HEAVY if name in sys.modules]
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"peak resident size {peak_mib:.0f} MiB; heavy libraries loaded at start: {loaded or 'none'}")
