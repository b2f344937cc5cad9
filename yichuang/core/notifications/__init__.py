"""Notices to people outside the request: applicants, askers, staff.

One call, `notify(recipient, subject=..., body=...)`, from inside a service function. Nothing
is sent until the caller's transaction commits (a refused or rolled-back step tells nobody),
and then the sending runs as a task (Django's Tasks API) so that a slow SMS gateway never
holds up a clerk. Each delivery attempt is written to the audit record, addressed to the
object the notice is about, so staff and tests can see what was sent to whom.

A notice to a staff member also lands in their notice centre (core/staff_notices.py), read in the app.

Cases, inquiries and feedback all use this module; it knows nothing of them.
"""

from yichuang.core.staff_notices import mark_all_read, mark_notice_read, notices_for, unread_count

from .addresses import Recipient, mask_address
from .dispatch import CHANNELS, deliveries_about, notify

__all__ = [
    "CHANNELS",
    "Recipient",
    "deliveries_about",
    "mark_all_read",
    "mark_notice_read",
    "mask_address",
    "notices_for",
    "notify",
    "unread_count",
]
