"""The hall office's synonym list for routing free questions (丢了、遗失 → 补办): its verbs.
Each checks permission, validates, writes in one transaction and records an audit event; the
suggestion index sees the change by its fingerprint (suggest_index.py)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Invalid, NotAllowed
from yichuang.core.pinyin import word_list

from . import permissions
from .models import Synonym

LIMIT = 200


def _words(value: str, message: str, code: str) -> str:
    words = word_list(value)
    if not words:
        raise Invalid(message, code=code)
    if len(words) > LIMIT:
        raise Invalid(_("内容过长（最多 %(n)d 字）") % {"n": LIMIT}, code="too_long")
    return words


def _check(by) -> None:
    if not permissions.can_keep_synonyms(by):
        raise NotAllowed(_("只有大厅管理办公室可以维护同义词"))


def save_synonym(
    *,
    by,
    synonym: Synonym | None = None,
    phrases: str,
    terms: str,
    is_active: bool = True,
) -> Synonym:
    """Create (synonym=None) or change one line of the list."""
    _check(by)
    phrases = _words(phrases, _("请填写群众的说法"), "invalid_phrases")
    terms = _words(terms, _("请填写按哪些词查找"), "invalid_terms")
    if set(phrases.split()) == set(terms.split()):
        raise Invalid(_("说法与查找词相同，无需设置同义词"), code="same_words")
    values = {
        "phrases": phrases,
        "terms": terms,
        "is_active": bool(is_active),
        "updated_by": by,
        "updated_at": timezone.now(),
    }
    with transaction.atomic():
        if synonym is None:
            synonym = Synonym.objects.create(**values)
            action = "synonym.created"
        else:
            Synonym.objects.filter(pk=synonym.pk).update(**values)
            for name, value in values.items():
                setattr(synonym, name, value)
            action = "synonym.changed"
        audit.record(action, actor=by, target=synonym, summary=str(synonym)[:100])
    return synonym


def delete_synonym(synonym: Synonym, *, by) -> None:
    _check(by)
    with transaction.atomic():
        summary = str(synonym)[:100]
        audit.record(
            "synonym.deleted",
            actor=by,
            target=synonym,
            summary=summary,
            data={"phrases": synonym.phrases, "terms": synonym.terms},
        )
        Synonym.objects.filter(pk=synonym.pk).delete()
