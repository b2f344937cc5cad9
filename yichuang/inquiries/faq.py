"""业务解答一口清: the FAQ's one verb, kept by department heads and the hall office."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Invalid, NotAllowed
from yichuang.core.pinyin import pinyin_keys

from . import permissions
from .askers import ANSWER_MAX, required_text
from .models import FaqEntry

FIELDS = ("department", "service", "question", "answer", "keywords", "is_public", "is_active")


def normalize_keywords(value: str) -> str:
    words = [w for w in re.split(r"[\s,，、;；]+", value or "") if w]
    return " ".join(dict.fromkeys(words))[:200]


def search_keys(question: str, keywords: str) -> tuple[str, str]:
    """Pinyin initials and full pinyin of the question and of each keyword, space-separated,
    so "zxzm" finds 在读证明 whether it is in the question or only a keyword."""
    parts = [question, *keywords.split()]
    keys = [pinyin_keys(p) for p in parts if p]
    return " ".join(k[0] for k in keys)[:400], " ".join(k[1] for k in keys)


def save_faq_entry(
    *,
    by,
    entry: FaqEntry | None = None,
    department=None,
    service=None,
    question: str,
    answer: str,
    keywords: str = "",
    is_public: bool = True,
    is_active: bool = True,
) -> FaqEntry:
    """Create (entry=None) or change an entry. The department's head or the hall office may;
    an entry moved to another department needs the right over both."""
    if service is not None and department is None:
        department = service.department
    targets = {department.pk if department is not None else None}
    if entry is not None:
        # The stored department, not the instance's: a bound form may have changed it.
        targets.add(FaqEntry.objects.values_list("department_id", flat=True).get(pk=entry.pk))
    if any(not permissions.can_keep_faq(by, d) for d in targets):
        raise NotAllowed(_("只有本部门负责人或大厅管理办公室可以维护该部门的常见问题"))
    question = required_text(question, _("请填写问题"), code="invalid_question", limit=200)
    answer = required_text(answer, _("请填写标准答复"), code="invalid_answer", limit=ANSWER_MAX)
    if service is not None and service.department_id != department.pk:
        raise Invalid(_("相关事项不属于所选部门"), code="invalid_service")
    keywords = normalize_keywords(keywords)
    initials, full = search_keys(question, keywords)
    values = {
        "department": department,
        "service": service,
        "question": question,
        "answer": answer,
        "keywords": keywords,
        "is_public": bool(is_public),
        "is_active": bool(is_active),
        "pinyin_initials": initials,
        "pinyin": full,
        "updated_by": by,
        "updated_at": timezone.now(),
    }
    with transaction.atomic():
        if entry is None:
            entry = FaqEntry.objects.create(**values)
            action = "faq.created"
        else:
            FaqEntry.objects.filter(pk=entry.pk).update(**values)
            for name, value in values.items():
                setattr(entry, name, value)
            action = "faq.changed"
        audit.record(action, actor=by, target=entry, summary=question[:100])
    return entry
