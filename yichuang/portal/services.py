"""The portal's few verbs: the hall office keeps the notices."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Invalid, NotAllowed

from .models import Notice


def _check(by):
    if by is not None and not by.has_role("hall_office", "administrator"):
        raise NotAllowed(_("只有大厅管理办公室可以发布通知公告"))


def publish_notice(*, title: str, body: str, pinned: bool = False, expires_at=None, by) -> Notice:
    _check(by)
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise Invalid(_("请填写通知标题和正文"), code="invalid_notice")
    if expires_at is not None and expires_at <= timezone.now():
        raise Invalid(_("截止时间必须晚于现在"), code="invalid_notice")
    with transaction.atomic():
        notice = Notice.objects.create(
            title=title[:120], body=body, pinned=pinned, expires_at=expires_at, by=by
        )
        audit.record("notice.published", actor=by, target=notice, summary=notice.title)
    return notice


def withdraw_notice(notice: Notice, *, by) -> Notice:
    _check(by)
    with transaction.atomic():
        updated = Notice.objects.filter(pk=notice.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        if updated:
            audit.record("notice.withdrawn", actor=by, target=notice, summary=notice.title)
    notice.refresh_from_db()
    return notice
