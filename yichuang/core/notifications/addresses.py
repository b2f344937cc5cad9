"""Who a notice goes to, and how an address is shown where the full one is not needed."""

import re
from dataclasses import dataclass

from yichuang.core.masking import mask_phone

# SMS reaches mainland mobile numbers only; an office landline gets e-mail or nothing.
MOBILE = re.compile(r"^1[3-9]\d{9}$")
MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@dataclass(frozen=True)
class Recipient:
    """Plain contact strings: applicants and askers have no account. A staff member also
    carries their id, so the notice lands in their notice centre too."""

    name: str = ""
    phone: str = ""
    email: str = ""
    staff_id: int | None = None

    @classmethod
    def of_staff(cls, staff) -> "Recipient":
        return cls(
            name=staff.display_name,
            phone=staff.phone or "",
            email=staff.email or "",
            staff_id=staff.pk,
        )

    def address_for(self, channel: str) -> str:
        if channel == "sms":
            phone = "".join(self.phone.split())
            return phone if MOBILE.fullmatch(phone) else ""
        if channel == "email":
            return self.email.strip()
        return ""


def mask_email(value: str) -> str:
    """l***@example.edu.cn: enough to recognize, not enough to write to."""
    local, sep, domain = (value or "").partition("@")
    if not sep:
        return mask_phone(value)
    return f"{local[:1]}***@{domain}"


def mask_address(channel: str, value: str) -> str:
    return mask_email(value) if channel == "email" else mask_phone(value)


def redact_for_record(text: str, codes) -> str:
    """`text` as the audit record may keep it: each query code replaced by ****, each mainland
    mobile number masked (138****5678). The message sent is not changed."""
    for code in sorted(codes, key=len, reverse=True):
        text = text.replace(code, "****")
    return MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)
