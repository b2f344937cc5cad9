import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()


@pytest.fixture
def sms():
    """The messages the logging SMS backend sent during the test."""
    from yichuang.core.notifications.channels.sms import LoggingSmsBackend

    LoggingSmsBackend.recent.clear()
    yield LoggingSmsBackend.recent
    LoggingSmsBackend.recent.clear()
