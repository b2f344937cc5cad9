import pytest

# Rate-limit counters: the root conftest's _clean_cache starts each database test with none.


@pytest.fixture
def sms():
    """The messages the logging SMS backend sent during the test."""
    from yichuang.core.notifications.channels.sms import LoggingSmsBackend

    LoggingSmsBackend.recent.clear()
    yield LoggingSmsBackend.recent
    LoggingSmsBackend.recent.clear()
