"""Delivery channels: each a function `send(address, *, subject, text)` that raises on
failure. Add one here to reach people another way (WeChat). The notice centre is not one of
them: it needs no address and every staff notice lands there (core/staff_notices.py)."""

from .email import send_email
from .sms import send_sms

CHANNELS = {"sms": send_sms, "email": send_email}

__all__ = ["CHANNELS", "send_email", "send_sms"]
