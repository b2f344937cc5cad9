"""What the Django admin's editable pages share: they save through the domain's service
functions (which check the role, validate and record the step), and a refusal shows the
service's message instead of Django's own "saved" message — nothing was saved."""

from contextlib import contextmanager

from django.contrib import messages

from .errors import DomainError

_REFUSED = "_yichuang_admin_refused"


class SavedThroughServices:
    """A ModelAdmin mixin: call the service inside `with self.refusals(request):`."""

    @contextmanager
    def refusals(self, request):
        try:
            yield
        except DomainError as exc:
            messages.error(request, exc.message)
            setattr(request, _REFUSED, True)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, _REFUSED, False) and level == messages.SUCCESS:
            return
        super().message_user(request, message, level, *args, **kwargs)  # type: ignore[misc]
