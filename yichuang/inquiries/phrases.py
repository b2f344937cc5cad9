"""The standard courteous phrases (文明用语) of seed 002, verbatim, insertable with one
click; and the brush-offs seed 001 forbids, which the answer box warns about."""

from django.utils.translation import gettext_lazy as _

# 十句文明服务用语 (seed 002, 一(3)). The ×× are for the clerk to fill in.
TEN_PHRASES = [
    _("对不起，领导不在，您有什么事需要办理吗？"),
    _("请稍等，我马上向领导请示。"),
    _("对不起，这项工作不由我们负责，我带您去××处(室、科)办理。"),
    _("对不起，这件事情请××同志给您办理。"),
    _("对不起，这是我们的疏忽，给您添麻烦啦。"),
    _("请多提宝贵意见，以便我们改进工作。"),
    _("工作当中如有不妥的地方，请多多谅解。"),
    _("有话请讲，没关系。"),
    _("不用客气，这是我们应该做的。"),
    _("有消息马上通知您。"),
]

# 十字文明用语 (seed 002, 一(2)).
TEN_CHARACTERS = [_("您好"), _("请"), _("谢谢"), _("对不起"), _("再见")]

# 严禁用“不知道、不清楚、不归我管”等生硬语言搪塞敷衍 (seed 001, 首问负责制 4).
FORBIDDEN = [_("不知道"), _("不清楚"), _("不归我管")]
