"""The rating indicators (评价指标) offered after the level, optional, 0..n of them.

GB/T 39735-2020 (政务服务评价工作指南) and the national 好差评 platform ask two things besides
the level: which aspects of the service the rating is about. A service at the hall (现场, the
window's tablet, or staff recording what the rater said) is judged on 整体满意度, 服务效率,
服务水平 and 服务态度; an online one (网上, the portal, a QR code or SMS link on the phone) on
办事效率, 办事指南精确度, 办事便捷度 and 平台操作性.

Sets are versioned and never edited once used: a rating stores the codes it got and the version
label of the set it was offered (Rating.indicators, Rating.indicator_set), so a future revision
of the standard adds a new set under a new label, points CURRENT at it, and old ratings keep
their meaning. The codes are short ASCII words, stable across languages; the provincial push
maps them to the platform's own codes.

The sets live in core because both rating pages offer them: feedback's (cases, the tablet) and
inquiries' (an answer's rating), and inquiries sits below feedback. Which channel is which scene,
and checking a rater's choice, stay with the Rating in feedback/indicators.py.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

ONSITE, ONLINE = "onsite", "online"
MAX_CODE_LENGTH = 40


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class IndicatorSet:
    version: str  # stored in Rating.indicator_set; never reused for another list
    scene: str  # ONSITE or ONLINE
    name: str | Promise
    indicators: tuple[Indicator, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    def label(self, code: str) -> str:
        return next((str(i.label) for i in self.indicators if i.code == code), code)


ONSITE_2020 = IndicatorSet(
    version="GB/T39735-2020#onsite-1",
    scene=ONSITE,
    name=gettext_lazy("现场服务评价指标"),
    indicators=(
        Indicator("overall", gettext_lazy("整体满意度")),
        Indicator("efficiency", gettext_lazy("服务效率")),
        Indicator("competence", gettext_lazy("服务水平")),
        Indicator("attitude", gettext_lazy("服务态度")),
    ),
)
ONLINE_2020 = IndicatorSet(
    version="GB/T39735-2020#online-1",
    scene=ONLINE,
    name=gettext_lazy("网上服务评价指标"),
    indicators=(
        Indicator("efficiency", gettext_lazy("办事效率")),
        Indicator("guide_accuracy", gettext_lazy("办事指南精确度")),
        Indicator("convenience", gettext_lazy("办事便捷度")),
        Indicator("usability", gettext_lazy("平台操作性")),
    ),
)

# Every set ever offered, by version label: old ratings are read with these.
SETS: dict[str, IndicatorSet] = {s.version: s for s in (ONSITE_2020, ONLINE_2020)}
# The sets offered now, by scene.
CURRENT: dict[str, IndicatorSet] = {ONSITE: ONSITE_2020, ONLINE: ONLINE_2020}
