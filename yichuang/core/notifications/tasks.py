"""The sending task. It takes plain data (never model instances) so any Tasks backend can
queue it; with the immediate backend it runs right after the commit. A channel that fails is
retried alone (core/retrying.py), the others are not sent twice."""

import logging

from django.apps import apps

from yichuang.core import audit, crypto
from yichuang.core.retrying import RetryWith, retrying_task

from .addresses import mask_address, redact_for_record
from .channels import CHANNELS

logger = logging.getLogger(__name__)


def _target(about: str):
    if not about:
        return None
    label, _sep, pk = about.rpartition(":")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model._default_manager.filter(pk=pk).first()


@retrying_task()
def deliver_notice(
    *,
    addresses: dict,
    subject: str,
    body: str,
    sms_text: str,
    about: str = "",
    kind: str = "",
    recorded_body: str | None = None,
    recorded_sms: str | None = None,
) -> dict:
    """Send on each channel in `addresses` ({channel: encrypted address}); one audit record
    per attempt, keeping `recorded_body`/`recorded_sms` (the texts with query codes and
    phones masked, from notify()). A failing channel does not stop the others; once all
    were tried, the failed ones are retried (RetryWith, with only their addresses)."""
    target = _target(about)
    results: dict[str, str] = {}
    errors: dict[str, str] = {}
    if recorded_body is None:  # queued before notify() passed masked texts
        recorded_body = redact_for_record(body, ())
    if recorded_sms is None:
        recorded_sms = redact_for_record(sms_text, ())
    if not addresses:
        audit.record(
            "notification.skipped",
            target=target,
            summary=subject,
            data={"kind": kind, "reason": "no_address", "body": recorded_body},
            outcome="skipped",
        )
        return results
    for channel, encrypted in addresses.items():
        address = crypto.decrypt(encrypted)
        text = sms_text if channel == "sms" else body
        try:
            CHANNELS[channel](address, subject=subject, text=text)
        except Exception as exc:  # a gateway error must be recorded, not lost
            logger.exception("notification via %s failed", channel)
            outcome, error = "failed", f"{type(exc).__name__}: {exc}"[:200]
        else:
            outcome, error = "ok", ""
        audit.record(
            "notification.sent" if outcome == "ok" else "notification.failed",
            target=target,
            summary=subject,
            data={
                "kind": kind,
                "channel": channel,
                "to": mask_address(channel, address),
                "body": recorded_sms if channel == "sms" else recorded_body,
                "error": error,
            },
            outcome=outcome,
        )
        results[channel] = outcome
        if error:
            errors[channel] = error
    failed = {c: a for c, a in addresses.items() if results.get(c) == "failed"}
    if failed:
        raise RetryWith(
            "; ".join(f"{c}: {errors[c]}" for c in failed),
            kwargs={
                "addresses": failed,
                "subject": subject,
                "body": body,
                "sms_text": sms_text,
                "about": about,
                "kind": kind,
                "recorded_body": recorded_body,
                "recorded_sms": recorded_sms,
            },
        )
    return results
