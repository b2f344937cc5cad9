"""The one helper that decides between a fragment and a full page, and turns domain errors
into messages."""

from django.contrib import messages
from django.shortcuts import render

from .errors import DomainError


def render_page(
    request, template: str, context: dict, *, fragment: str | None = None, status: int = 200
):
    """htmx requests get the fragment, others the full page."""
    if fragment and getattr(request, "htmx", False):
        return render(request, fragment, context, status=status)
    return render(request, template, context, status=status)


def report_error(request, exc: DomainError) -> None:
    messages.error(request, exc.message)
