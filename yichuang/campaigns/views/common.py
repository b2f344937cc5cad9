"""What every campaign page shares: run a service and turn its refusal into a message."""

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from yichuang.core.errors import DomainError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attempt(request, fn, *args, success: str = "", **kwargs):
    """Call a service; its refusal becomes an error message. Returns the result, or None
    when refused."""
    try:
        result = fn(*args, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True


def parse_date(value) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def download(content: bytes, filename: str, content_type: str, *, inline=False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = content_disposition_header(not inline, filename)
    if disposition:  # None only for an inline answer without a file name
        response["Content-Disposition"] = disposition
    return response
