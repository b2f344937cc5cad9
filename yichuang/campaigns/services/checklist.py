"""Editing a draft campaign's standards checklist: sections (e.g. the 五化) and their scored
items. Only the hall office, only before launch."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Invalid

from ..models import Campaign, ChecklistItem, ChecklistSection
from .common import lock_campaign, require_editable, require_manager, required_text, score


def add_section(campaign: Campaign, *, title: str, by) -> ChecklistSection:
    require_manager(by)
    title = required_text(title, _("请填写标准名称"), limit=60)
    with transaction.atomic():
        require_editable(lock_campaign(campaign))
        last = campaign.sections.aggregate(m=Max("position"))["m"] or 0
        section = ChecklistSection.objects.create(campaign=campaign, title=title, position=last + 1)
        audit.record("checklist.section_added", actor=by, target=campaign, summary=title)
    return section


def update_section(section: ChecklistSection, *, title: str, position: int, by):
    require_manager(by)
    title = required_text(title, _("请填写标准名称"), limit=60)
    with transaction.atomic():
        require_editable(lock_campaign(section.campaign))
        section.title, section.position = title, max(int(position or 1), 1)
        section.save(update_fields=["title", "position"])
        audit.record("checklist.section_changed", actor=by, target=section.campaign, summary=title)
    return section


def delete_section(section: ChecklistSection, *, by) -> None:
    require_manager(by)
    with transaction.atomic():
        require_editable(lock_campaign(section.campaign))
        audit.record(
            "checklist.section_deleted", actor=by, target=section.campaign, summary=section.title
        )
        section.delete()


def _item_fields(title, guidance, max_score) -> dict:
    return {
        "title": required_text(title, _("请填写考评内容"), limit=200),
        "guidance": (guidance or "").strip(),
        "max_score": _max_score(max_score),
    }


def _max_score(value) -> Decimal:
    number = score(value, Decimal("100"), label=_("分值"))
    if number <= 0:
        raise Invalid(_("分值应大于 0"), code="invalid_score")
    return number


def add_item(
    section: ChecklistSection, *, title: str, max_score, guidance: str = "", by
) -> ChecklistItem:
    require_manager(by)
    fields = _item_fields(title, guidance, max_score)
    with transaction.atomic():
        require_editable(lock_campaign(section.campaign))
        last = section.items.aggregate(m=Max("position"))["m"] or 0
        item = ChecklistItem.objects.create(section=section, position=last + 1, **fields)
        audit.record(
            "checklist.item_added", actor=by, target=section.campaign, summary=fields["title"]
        )
    return item


def update_item(
    item: ChecklistItem, *, title: str, max_score, guidance: str = "", position: int = 1, by
) -> ChecklistItem:
    require_manager(by)
    fields = _item_fields(title, guidance, max_score)
    with transaction.atomic():
        require_editable(lock_campaign(item.section.campaign))
        for name, value in fields.items():
            setattr(item, name, value)
        item.position = max(int(position or 1), 1)
        item.save(update_fields=[*fields, "position"])
        audit.record(
            "checklist.item_changed", actor=by, target=item.section.campaign, summary=item.title
        )
    return item


def delete_item(item: ChecklistItem, *, by) -> None:
    require_manager(by)
    with transaction.atomic():
        require_editable(lock_campaign(item.section.campaign))
        audit.record(
            "checklist.item_deleted", actor=by, target=item.section.campaign, summary=item.title
        )
        item.delete()
