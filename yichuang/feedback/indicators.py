"""Which indicator set (core/rating_indicators.py) a rater is offered, by the Rating's
channel, and the check of what they ticked."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from yichuang.core.errors import Invalid
from yichuang.core.rating_indicators import (
    CURRENT,
    MAX_CODE_LENGTH,
    ONLINE,
    ONSITE,
    SETS,
    IndicatorSet,
)

from .models import Channel

__all__ = ["CURRENT", "MAX_CODE_LENGTH", "SETS", "clean", "labels_of", "offered_for"]

# Where the rater is decides the scene: at the hall (the window's tablet, staff recording what
# the asker said at the counter or on the phone) or on their own device. The hall's default
# rating is nobody's choice and is offered nothing.
SCENE_OF_CHANNEL: dict[str, str] = {
    Channel.TABLET: ONSITE,
    Channel.STAFF: ONSITE,
    Channel.QR: ONLINE,
    Channel.SMS: ONLINE,
    Channel.PORTAL: ONLINE,
}


def offered_for(channel: str) -> IndicatorSet | None:
    """The set a rater on this channel is offered now (None: none is offered)."""
    scene = SCENE_OF_CHANNEL.get(channel)
    return CURRENT[scene] if scene else None


def clean(codes, *, channel: str) -> tuple[list[str], str]:
    """The codes a rater chose, checked against the set their channel offers: (codes in the
    set's order without repeats, the set's version label). An unknown code, or one of another
    set, is refused with the codes the set has, so nothing is written."""
    offered = offered_for(channel)
    if codes is None:
        codes = []
    if isinstance(codes, str) or not isinstance(codes, Iterable):
        raise Invalid(_("评价指标应为指标代码的列表"), code="invalid_indicators")
    chosen = []
    for code in codes:
        if not isinstance(code, str) or len(code) > MAX_CODE_LENGTH:
            raise Invalid(_("评价指标应为指标代码的列表"), code="invalid_indicators")
        chosen.append(code.strip())
    if offered is None:
        if chosen:
            raise Invalid(_("该评价渠道不提供评价指标"), code="invalid_indicators")
        return [], ""
    unknown = [c for c in chosen if c not in offered.codes]
    if unknown:
        raise Invalid(
            _("评价指标“%(bad)s”不属于本次提供的%(set)s（可选：%(codes)s）")
            % {
                "bad": "、".join(unknown),
                "set": offered.name,
                "codes": "、".join(f"{i.code} {i.label}" for i in offered.indicators),
            },
            code="invalid_indicators",
        )
    return [c for c in offered.codes if c in chosen], offered.version


def labels_of(rating) -> list[str]:
    """What a rating's indicators say, in the words of the set it was offered (a code of a set
    this code base no longer knows is shown as it is)."""
    known = SETS.get(rating.indicator_set)
    return [known.label(c) if known else c for c in rating.indicators or []]
