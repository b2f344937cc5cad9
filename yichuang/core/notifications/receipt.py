"""What a confirmation page may truthfully say about the SMS of a notice just sent: read
from the delivery records (notification.sent / .failed), never assumed from the form."""

from yichuang.core.masking import mask_phone

from .dispatch import deliveries_about


def sms_receipt(about, *, kind: str, phone: str, later: bool = False) -> dict:
    """{"state": …, "to": the masked number} for the confirmation component:

    none    no mobile number was given, so no SMS
    later   nothing is sent now (`later=True`); the next steps will be (e.g. acceptance)
    sent    the SMS of notice `kind` about `about` went out
    failed  the gateway refused it
    queued  not attempted yet (a worker backend sends after the page is shown)"""
    if not phone:
        return {"state": "none", "to": ""}
    to = mask_phone(phone)
    if later:
        return {"state": "later", "to": to}
    outcomes = set(
        deliveries_about(about)
        .filter(data__kind=kind, data__channel="sms")
        .values_list("outcome", flat=True)
    )
    if "ok" in outcomes:
        state = "sent"
    elif outcomes:
        state = "failed"
    else:
        state = "queued"
    return {"state": state, "to": to}
