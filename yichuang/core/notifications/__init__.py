"""Notices to people outside the request: applicants, askers, staff.

One call, `notify(recipient, subject=..., body=...)`, from inside a service function. Nothing
is sent until the caller's transaction commits (a refused or rolled-back step tells nobody),
and then the sending runs as a task (Django's Tasks API) so that a slow SMS gateway never
holds up a clerk. Each delivery attempt is written to the audit record, addressed to the
object the notice is about, so staff and tests can see what was sent to whom.

Cases, inquiries and feedback all use this module; it knows nothing of them.
"""

from .addresses import Recipient, mask_address
from .dispatch import CHANNELS, deliveries_about, notify

__all__ = ["CHANNELS", "Recipient", "deliveries_about", "mask_address", "notify"]
