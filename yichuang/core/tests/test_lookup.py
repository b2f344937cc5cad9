"""The one guard of public number + code lookups (core.lookup) and the anonymous-creation limit
(core.ratelimits): constant-time comparison, one shared counter per address, 429 past it."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from yichuang.core import lookup
from yichuang.core.errors import NotFound, RateLimited
from yichuang.core.lookup import codes_match, find_by_code
from yichuang.core.ratelimits import guard_anonymous_create
from yichuang.core.testing import public_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def thing():
    """Any row with a secret: a group whose name plays the code."""
    return Group.objects.create(name="AB12CD34")


def find(request, pk, code):
    return find_by_code(request, Group.objects, code=code, code_field="name", pk=pk)


def test_codes_match_trimmed_and_case_blind_and_never_when_empty():
    assert codes_match(" ab12cd34 ", "AB12CD34")
    assert not codes_match("AB12CD35", "AB12CD34")
    assert not codes_match("", "AB12CD34") and not codes_match(None, "AB12CD34")
    assert not codes_match("AB12CD34", None) and not codes_match("", "")
    assert not codes_match("键入的码", "AB12CD34")  # not ASCII: no TypeError, just no match


def test_the_right_code_finds_the_row(thing):
    assert find(public_request(), thing.pk, "ab12cd34") == thing


def test_a_wrong_number_and_a_wrong_code_are_the_same_not_found(thing):
    answers = []
    for pk, code in [(thing.pk + 1000, "AB12CD34"), (thing.pk, "WRONG000"), (thing.pk, "")]:
        with pytest.raises(NotFound) as refused:
            find(public_request(), pk, code)
        answers.append((refused.value.status, refused.value.code, refused.value.message))
    assert len(set(answers)) == 1


def test_the_code_is_compared_in_constant_time_even_for_an_unknown_number(thing, monkeypatch):
    compared = []
    real = lookup.secrets.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(lookup.secrets, "compare_digest", spy)
    with pytest.raises(NotFound):
        find(public_request(), thing.pk + 1000, "AB12CD34")
    find(public_request(), thing.pk, "AB12CD34")
    assert len(compared) == 2 and len(compared[0][1]) == len(compared[1][1])


def test_ten_failures_then_429_even_with_the_right_code_per_address(thing):
    for _ in range(10):
        with pytest.raises(NotFound):
            find(public_request(), thing.pk, "WRONG000")
    with pytest.raises(RateLimited) as refused:
        find(public_request(), thing.pk, "AB12CD34")
    assert refused.value.status == 429 and "稍后再试" in refused.value.message
    # another address is not slowed down
    assert find(public_request("198.51.100.9"), thing.pk, "AB12CD34") == thing


def test_honest_lookups_never_count(thing):
    for _ in range(30):
        assert find(public_request(), thing.pk, "AB12CD34") == thing


def test_an_honest_lookup_writes_nothing_to_the_counters_cache(thing, monkeypatch):
    """The page people reload most reads one cache key; it used to open a write transaction on
    the database cache at every reload (django-ratelimit reads by cache.add)."""
    from django.core.cache import cache

    writes: list[str] = []

    def spy(name, original):
        def write(*args, **kwargs):
            writes.append(name)
            return original(*args, **kwargs)

        return write

    for name in ("add", "set", "incr", "delete"):
        monkeypatch.setattr(cache, name, spy(name, getattr(cache, name)))
    for _ in range(3):
        assert find(public_request(), thing.pk, "AB12CD34") == thing
    assert writes == []
    # Once the address has failed, its counter is read (and blocks) as before.
    with pytest.raises(NotFound):
        find(public_request(), thing.pk, "WRONG000")
    assert "incr" in writes or "add" in writes


def test_the_counters_live_in_a_cache_every_worker_shares():
    """Without REDIS_URL the default cache is the database's table, not per-process memory
    (with two workers the limit was twice as high)."""
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in (
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )


def test_anonymous_creation_is_limited_per_address(settings):
    settings.ANONYMOUS_CREATE_RATE = "5/h"
    for i in range(5):
        guard_anonymous_create(public_request(), phone=f"1381234567{i}")
    with pytest.raises(RateLimited) as refused:
        guard_anonymous_create(public_request(), phone="13900000000")
    assert refused.value.status == 429 and "提交过于频繁" in refused.value.message
    guard_anonymous_create(public_request("198.51.100.9"), phone="13900000000")


def test_anonymous_creation_is_limited_per_phone_across_addresses(settings):
    settings.ANONYMOUS_CREATE_PHONE_RATE = "3/d"
    for i in range(3):
        guard_anonymous_create(public_request(f"198.51.100.{i}"), phone="138 1234 5678")
    with pytest.raises(RateLimited):
        guard_anonymous_create(public_request("198.51.100.200"), phone="13812345678")
    guard_anonymous_create(public_request("198.51.100.201"), phone="13900000000")
