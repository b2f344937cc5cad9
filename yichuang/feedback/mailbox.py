"""Complaints by e-mail: each .eml file of a mailbox folder becomes one complaint, once.

The hall's mail client (or a fetchmail/getmail job) drops messages into a folder; the
`import_complaints_mailbox` command reads them with the standard library's email package.
A message is known by its Message-ID (or, without one, by a digest of its bytes), so running
the import again, or on an overlapping folder, registers nothing twice."""

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.utils.html import strip_tags

from yichuang.cases.models import Case
from yichuang.core.errors import Conflict, DomainError

from .models import ComplaintChannel, ComplaintKind
from .scrub import MOBILE

CASE_NUMBER = re.compile(r"(?<!\d)20\d{10}(?!\d)")


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    duplicates: int = 0
    failed: list = field(default_factory=list)


def read_message(raw: bytes) -> dict:
    """The complaint's fields from one message (raises nothing: empty fields stay empty)."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    sender = msg["From"]
    address = sender.addresses[0] if sender is not None and sender.addresses else None
    body_part = msg.get_body(preferencelist=("plain", "html"))
    body = ""
    if body_part is not None:
        body = body_part.get_content()
        if body_part.get_content_type() == "text/html":
            body = strip_tags(body)
    body = body.strip()
    subject = str(msg["Subject"] or "").strip()
    email = address.addr_spec if address else ""
    name = (address.display_name if address else "") or email.partition("@")[0]
    phone = MOBILE.search(body)
    case_number = CASE_NUMBER.search(f"{subject} {body}")
    message_id = str(msg["Message-ID"] or "").strip()
    return {
        "message_id": message_id or f"sha256:{hashlib.sha256(raw).hexdigest()}",
        "name": name,
        "email": email,
        "phone": phone.group(0) if phone else "",
        "subject": subject or body[:30] or "（无主题）",
        "content": body,
        "kind": ComplaintKind.SUGGESTION if "建议" in subject else ComplaintKind.COMPLAINT,
        "case_number": case_number.group(0) if case_number else "",
    }


def import_mailbox(directory) -> ImportResult:
    from .services import receive_complaint

    result = ImportResult()
    for path in sorted(Path(directory).glob("*.eml")):
        fields = read_message(path.read_bytes())
        number = fields.pop("case_number")
        case = Case.objects.filter(number=number).first() if number else None
        try:
            complaint = receive_complaint(channel=ComplaintChannel.EMAIL, case=case, **fields)
        except Conflict:
            result.duplicates += 1
        except DomainError as exc:
            result.failed.append((path.name, exc.message))
        else:
            result.created.append(complaint)
    return result
