"""The one transition table: which action may run from which status, and where it leads.
`None` as target means the status stays as it is."""

from django.utils.translation import gettext_lazy as _

from .models import Status

S = Status

TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "accept": ((S.SUBMITTED,), S.ACCEPTED),
    "request_supplement": ((S.SUBMITTED,), S.SUPPLEMENT),
    "supplement": ((S.SUPPLEMENT,), S.SUBMITTED),
    "reject": ((S.SUBMITTED, S.SUPPLEMENT), S.REJECTED),
    "return": ((S.SUBMITTED, S.SUPPLEMENT, S.ACCEPTED, S.SUSPENDED), S.RETURNED),
    "complete": ((S.SUBMITTED,), S.COMPLETED),
    "review": ((S.ACCEPTED,), S.CHECKING),
    "check": ((S.CHECKING,), None),  # completed when the checker agrees, accepted when not
    "suspend": ((S.ACCEPTED,), S.SUSPENDED),
    "resume": ((S.SUSPENDED,), S.ACCEPTED),
    "extend": ((S.ACCEPTED, S.SUSPENDED, S.CHECKING), None),
    "transfer": ((S.SUBMITTED, S.SUPPLEMENT, S.ACCEPTED, S.SUSPENDED), None),
    "complete_part": ((S.ACCEPTED, S.SUSPENDED, S.CHECKING), None),
}

ACTION_LABELS = {
    "create": _("收件"),
    "accept": _("受理"),
    "request_supplement": _("一次性告知补件"),
    "supplement": _("补齐材料"),
    "reject": _("不予受理"),
    "return": _("退件"),
    "complete": _("即办办结"),
    "review": _("审核（一审）"),
    "check": _("复核（一核）"),
    "suspend": _("挂起"),
    "resume": _("恢复办理"),
    "extend": _("延期"),
    "transfer": _("转办"),
    "complete_part": _("联办部门完成"),
    "view_personal_data": _("查看个人信息"),
    "recompute_deadline": _("期限按放假通知重新计算"),
}


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]
