"""The one transition table of a unit's self-assessment: which action may run from which
status, and where it leads (seed 004: 自评 → 申报验收 → 验收)."""

from .models import UnitStatus

U = UnitStatus

TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((U.PENDING,), U.SUBMITTED),
    "apply": ((U.SUBMITTED,), U.APPLIED),
    "return": ((U.SUBMITTED, U.APPLIED), U.PENDING),
    "sign_off": ((U.APPLIED,), U.SIGNED_OFF),
}

ACTION_LABELS = {
    "save": "保存自评",
    "upload": "上传佐证材料",
    "submit": "提交自评",
    "apply": "申请验收",
    "return": "退回重新自评",
    "score": "验收评分",
    "open_rectification": "提出整改",
    "report_rectification": "报送整改情况",
    "close_rectification": "整改销号",
    "sign_off": "验收签字",
    "extend": "延期自评",
}


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]
