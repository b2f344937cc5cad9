from datetime import timedelta

from yichuang.core import backoff


def test_each_failure_doubles_the_wait_up_to_the_cap(settings):
    settings.RETRY_BASE_SECONDS = 30
    settings.RETRY_MAX_SECONDS = 200
    waits = [backoff.delay_after(n, jitter=False) for n in (1, 2, 3, 4)]
    assert waits == [timedelta(seconds=s) for s in (30, 60, 120, 200)]


def test_jitter_adds_at_most_a_tenth(settings):
    settings.RETRY_BASE_SECONDS = 100
    for _ in range(50):
        assert timedelta(seconds=400) <= backoff.delay_after(3) <= timedelta(seconds=440)


def test_a_thing_is_given_up_on_after_the_configured_attempts(settings):
    settings.RETRY_MAX_ATTEMPTS = 3
    assert not backoff.is_exhausted(2)
    assert backoff.is_exhausted(3)
