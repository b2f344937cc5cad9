"""我的 without an account: an applicant proves a mobile number with an SMS code, and for a
while sees everything tied to it (mine.py lists it).

- `send_code`: a six-digit code by SMS (through core.notifications, like every notice). Sending
  is limited per client address and per phone (core.ratelimits), and a phone gets at most one
  code a minute. Only the code's keyed hash is kept, beside the phone's.
- `verify_code`: the phone's newest code, if unused, unexpired and not tried too often. A wrong
  code costs one of its tries and counts as a failed public lookup of the address (core.lookup),
  so guessing is slowed across codes and phones as it is across query codes.
- `sign_in` / `session_state` / `sign_out`: the session marker. It holds the phone's keyed
  hash (never the number; the masked number for the page) and ends PHONE_SESSION_MINUTES after
  the code was verified, however busy the page.

Every code sent, verified or refused is in the audit record, with the phone masked."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit, lookup
from yichuang.core.clients import client_address
from yichuang.core.contacts import phone_hash
from yichuang.core.crypto import keyed_hash
from yichuang.core.errors import Invalid, RateLimited
from yichuang.core.masking import mask_phone
from yichuang.core.notifications import Recipient, notify
from yichuang.core.notifications.addresses import MOBILE
from yichuang.core.ratelimits import guard_code_sending

from .models import PhoneCode

CODE_DIGITS = 6
RESEND_SECONDS = 60
SESSION_KEY = "portal_phone"
KIND = "portal.phone_code"


def mobile(value) -> str:
    """The number as typed, without spaces, if it is a mainland mobile (SMS reaches no other)."""
    phone = "".join(str(value or "").split())
    if not MOBILE.fullmatch(phone):
        raise Invalid(_("请填写 11 位手机号码"), code="invalid_phone", fields={"phone": "format"})
    return phone


def _code_hash(digest: str, code: str) -> str:
    # Keyed, and bound to the phone: a leaked table gives neither codes nor numbers.
    return keyed_hash(f"{digest}:{code}")


def _record(action: str, request, phone: str, row, *, outcome: str = "ok", **data) -> None:
    masked = mask_phone(phone)
    audit.record(
        action,
        target=row,
        summary=masked,
        data={"phone": masked, "address": client_address(request), **data},
        outcome=outcome,
    )


def send_code(request, *, phone: str) -> PhoneCode:
    """Send a new code to `phone` (it replaces any earlier one). Invalid for a number that is
    not a mobile; RateLimited within a minute of the last code, or past the rates."""
    phone = mobile(phone)
    digest = phone_hash(phone)
    now = timezone.now()
    last = (
        PhoneCode.objects.filter(phone_hash=digest)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None and (wait := RESEND_SECONDS - int((now - last).total_seconds())) > 0:
        raise RateLimited(
            _("验证码已发送，请 %(s)d 秒后再重新获取") % {"s": wait}, code="resend_too_soon"
        )
    guard_code_sending(request, phone=phone)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    minutes = settings.PHONE_CODE_MINUTES
    with transaction.atomic():
        PhoneCode.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
        row = PhoneCode.objects.create(
            phone_hash=digest,
            code_hash=_code_hash(digest, code),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
        # The audit record of the delivery masks the code (notify() hides context["code"]).
        notify(
            Recipient(phone=phone),
            subject=_("验证码"),
            body=_(
                "您的验证码为 {{ code }}，{{ minutes }} 分钟内有效，用于查看您在大厅办理的事项。"
                "请勿告诉他人；如非本人操作，请忽略本短信。"
            ),
            context={"code": code, "minutes": minutes},
            channels=("sms",),
            about=row,
            kind=KIND,
        )
        _record("portal.phone_code_sent", request, phone, row)
    return row


def _try(row: PhoneCode | None, digest: str, given: str, now: datetime) -> Invalid | None:
    """None if `given` opens `row`; else the refusal, after spending one of the row's tries
    on a wrong code."""
    limit = settings.PHONE_CODE_ATTEMPTS
    if row is None or row.used_at is not None or row.expires_at <= now:
        return Invalid(
            _("验证码已失效，请重新获取"), code="code_expired", fields={"code": "expired"}
        )
    if row.attempts >= limit:
        return Invalid(
            _("验证码错误次数过多，请重新获取"),
            code="attempts_exhausted",
            fields={"code": "used_up"},
        )
    if given and secrets.compare_digest(row.code_hash, _code_hash(digest, given)):
        return None
    row.attempts += 1
    row.save(update_fields=["attempts"])
    left = limit - row.attempts
    if left <= 0:
        return Invalid(
            _("验证码错误次数过多，请重新获取"),
            code="attempts_exhausted",
            fields={"code": "used_up"},
        )
    return Invalid(
        _("验证码不正确，还可以再试 %(n)d 次") % {"n": left},
        code="wrong_code",
        fields={"code": "wrong"},
    )


def verify_code(request, *, phone: str, code: str) -> str:
    """The phone's keyed hash, once `code` is its newest code, unused, unexpired and within
    its tries; the code is then used up. Otherwise Invalid (wrong, expired, tries used up), or
    RateLimited while the address has failed too many public lookups."""
    lookup.check_not_blocked(request)
    phone = mobile(phone)
    digest = phone_hash(phone)
    given = "".join(str(code or "").split())
    now = timezone.now()
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone_hash=digest)
            .order_by("-created_at", "-id")
            .first()
        )
        refusal = _try(row, digest, given, now)
        if refusal is None:
            assert row is not None  # _try refuses a missing code
            row.used_at = now
            row.save(update_fields=["used_at"])
            _record("portal.phone_code_verified", request, phone, row)
            return digest
        _record(
            "portal.phone_code_failed", request, phone, row, outcome="refused", reason=refusal.code
        )
    lookup.count_failure(request)
    raise refusal


def sign_in(request, *, digest: str, phone: str) -> None:
    """Mark the session as this phone's until PHONE_SESSION_MINUTES from now."""
    until = timezone.now() + timedelta(minutes=settings.PHONE_SESSION_MINUTES)
    request.session.cycle_key()  # a new session id for the proven phone (no fixation)
    request.session[SESSION_KEY] = {
        "hash": digest,
        "phone": mask_phone(phone),
        "until": until.timestamp(),
    }


def session_state(request) -> tuple[dict | None, bool]:
    """(the marker, False) while signed in; (None, True) once it has run out (it is then
    removed); (None, False) for a session never signed in."""
    marker = request.session.get(SESSION_KEY)
    if not marker:
        return None, False
    if timezone.now().timestamp() >= float(marker.get("until", 0)):
        del request.session[SESSION_KEY]
        return None, True
    return marker, False


def sign_out(request) -> None:
    request.session.pop(SESSION_KEY, None)
