"""E-mail through Django's mail framework (EMAIL_BACKEND, DEFAULT_FROM_EMAIL)."""

from django.conf import settings
from django.core.mail import send_mail


def send_email(address: str, *, subject: str, text: str) -> None:
    prefix = f"【{settings.HALL_NAME}】" if getattr(settings, "HALL_NAME", "") else ""
    send_mail(f"{prefix}{subject}", text, settings.DEFAULT_FROM_EMAIL, [address])
