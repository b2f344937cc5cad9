"""Personal data out of text that will be published (通报): phone numbers, ID numbers and
e-mail addresses found by pattern, and the names the caller knows, masked as on screens."""

import re

from yichuang.core.masking import mask_id_number, mask_name, mask_phone

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _mask_email(match: re.Match) -> str:
    local, _sep, domain = match.group(0).partition("@")
    return f"{local[:1]}***@{domain}"


def scrub_personal_data(text: str, *, names=()) -> str:
    """ID numbers first: an 18-digit number must not be read as a phone number inside it."""
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text or "")
    text = MOBILE.sub(lambda m: mask_phone(m.group(0)), text)
    text = EMAIL.sub(_mask_email, text)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len)[::-1]:
        text = text.replace(name, mask_name(name))
    return text
