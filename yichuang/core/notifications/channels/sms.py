"""SMS behind a one-method interface, chosen by settings.SMS_BACKEND.

A deployment writes a subclass for its gateway (an operator's or a cloud SMS API) and
points SMS_BACKEND at it. The default only logs: the embedded demo and the tests send
nothing, yet every message is still in the audit record and in `LoggingSmsBackend.recent`.
"""

import logging
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from yichuang.core.masking import mask_phone

logger = logging.getLogger("yichuang.sms")

DEFAULT_BACKEND = "yichuang.core.notifications.channels.sms.LoggingSmsBackend"


class SmsBackend:
    def send(self, phone: str, text: str) -> None:
        """Deliver `text` to the mobile number `phone`; raise on failure."""
        raise NotImplementedError


@dataclass(frozen=True)
class SentSms:
    phone: str
    text: str


class LoggingSmsBackend(SmsBackend):
    # The last messages of this process, like django.core.mail.outbox; bounded so that a
    # long-running demo does not grow without end.
    recent: deque[SentSms] = deque(maxlen=200)

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)
        self.recent.append(SentSms(phone=phone, text=text))


@lru_cache(maxsize=4)
def _backend_class(path: str):
    return import_string(path)


def get_sms_backend() -> SmsBackend:
    return _backend_class(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


def send_sms(address: str, *, subject: str, text: str) -> None:
    prefix = f"【{settings.HALL_NAME}】" if getattr(settings, "HALL_NAME", "") else ""
    get_sms_backend().send(address, f"{prefix}{text}")
