"""Small checks every campaign verb shares."""

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import text
from yichuang.core.errors import Conflict, Invalid, NotAllowed

from .. import permissions
from ..models import Campaign


def today():
    return timezone.localdate()


def required_text(value: str, message, *, limit: int) -> str:
    """core.text.required_text with the code campaigns have always answered."""
    return text.required_text(value, message, code="required", limit=limit)


def score(value, maximum: Decimal, *, label: str = "") -> Decimal:
    """A score between 0 and the item's maximum, to one decimal place."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, AttributeError, TypeError):
        raise Invalid(_("%(label)s分数应为数字") % {"label": label}, code="invalid_score") from None
    if not number.is_finite() or number < 0 or number > maximum:
        raise Invalid(
            _("%(label)s分数应在 0 至 %(max)s 之间") % {"label": label, "max": maximum},
            code="invalid_score",
        )
    if number != number.quantize(Decimal("0.1")):
        raise Invalid(_("分数最多保留一位小数"), code="invalid_score")
    return number.quantize(Decimal("0.1"))


def require_manager(by) -> None:
    if not permissions.can_manage_campaigns(by):
        raise NotAllowed(_("只有大厅管理办公室可以管理创建活动"))


def lock_campaign(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def require_editable(campaign: Campaign) -> None:
    if not campaign.is_editable:
        raise Conflict(_("活动已启动，参评单位和考评标准不能再修改"), code="campaign_not_editable")
