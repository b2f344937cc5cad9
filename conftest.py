import pytest
from django.test import Client

from yichuang.org.testing import make_hall  # noqa: I001


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request, django_db_modify_db_settings_parallel_suffix, tmp_path_factory
):
    """Tests marked `worker` (or `server`) start a real worker (or ASGI server) process against
    the test database: on SQLite that database must be a file the other process can open
    (pytest-django's default is in memory, kept for runs without such tests)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    wanted = any(
        item.get_closest_marker("worker") or item.get_closest_marker("server")
        for item in request.session.items
    )
    if wanted and database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("db") / "test.sqlite3"
        )


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _hall_language():
    """Each test starts in the hall's language. A test client request in English leaves English
    active in the thread (LocaleMiddleware activates per request and never resets), which
    would turn the next test's documents and exports English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clean_cache(request):
    """Rate-limit counters live in the cache (a database table unless REDIS_URL is set): every
    test that uses the database starts with none, whatever the tests before it counted."""
    if "_django_db_helper" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from django.core.cache import cache

        request.getfixturevalue("_django_db_helper")
        cache.clear()


@pytest.fixture
def hall(db):
    return make_hall()


@pytest.fixture
def client_for(db):
    """A logged-in web client for a persona."""

    def make(staff):
        c = Client()
        c.force_login(staff)
        return c

    return make


@pytest.fixture
def api_for(db):
    """An API client that sends a persona's bearer token."""
    from yichuang.core.models import ApiToken

    def make(staff):
        return Client(headers={"Authorization": f"Bearer {ApiToken.issue(staff)}"})

    return make


def pytest_collection_modifyitems(config, items):
    """Under CI (`.ci/run` sets YICHUANG_REQUIRE_BROWSER) a browser test may not skip for want
    of chromium: the run fails instead, so a missing install step cannot hide behind a skip."""
    import os
    import shutil

    if os.environ.get("YICHUANG_REQUIRE_BROWSER") and not (
        shutil.which("chromium") or os.path.exists("/usr/bin/chromium")
    ):
        raise pytest.UsageError(
            "chromium is required for the browser tests (apt-get install chromium)"
        )
