"""The one transition table of inquiries: which action may run from which status, and where
it leads. `None` as target means the status stays as it is."""

from django.utils.translation import gettext_lazy as _

from .models import Status

S = Status
OPEN_ = (S.OPEN, S.ROUTED)

TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "transfer": ((S.OPEN,), S.ROUTED),
    "acknowledge": ((S.ROUTED,), S.OPEN),
    "decline": ((S.ROUTED,), S.OPEN),
    "withdraw": ((S.ROUTED,), S.OPEN),
    "answer": (OPEN_, S.ANSWERED),
    "refer": (OPEN_, S.REFERRED),
    "close": (OPEN_, S.CLOSED),
    "set_limit": (OPEN_, None),
    "rate": ((S.ANSWERED, S.REFERRED), None),
}

ACTION_LABELS = {
    "create": _("登记"),
    "transfer": _("转交"),
    "acknowledge": _("接收"),
    "decline": _("退回"),
    "withdraw": _("撤回转交"),
    "answer": _("答复"),
    "refer": _("告知承办单位"),
    "close": _("关闭"),
    "set_limit": _("调整答复时限"),
    "rate": _("咨询人评价"),
}


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]
