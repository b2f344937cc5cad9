"""When to try again: one back-off schedule for everything that retries (tasks on the worker,
deliveries to the provincial platform and to webhooks), so the hall office reads one rule.

Exponential from RETRY_BASE_SECONDS, capped at RETRY_MAX_SECONDS, with up to 10% jitter so
that a hundred deliveries failing together do not all come back in the same second. After
RETRY_MAX_ATTEMPTS failed attempts a thing is given up on (dead-lettered) and shown to the
hall office, who can send it again.
"""

import random
from datetime import timedelta

from django.conf import settings


def max_attempts() -> int:
    return int(getattr(settings, "RETRY_MAX_ATTEMPTS", 6))


def delay_after(attempts: int, *, jitter: bool = True) -> timedelta:
    """The wait after `attempts` failed attempts (1 → base, 2 → 2 × base, 3 → 4 × base …)."""
    base = float(getattr(settings, "RETRY_BASE_SECONDS", 30))
    cap = float(getattr(settings, "RETRY_MAX_SECONDS", 3600))
    seconds = min(cap, base * 2 ** max(0, attempts - 1))
    if jitter:
        seconds += random.uniform(0, seconds / 10)
    return timedelta(seconds=seconds)


def is_exhausted(attempts: int) -> bool:
    """True when `attempts` failed attempts are all a thing gets."""
    return attempts >= max_attempts()
