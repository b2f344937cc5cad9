"""The links of the public navigation: every public part of the product."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

LINKS = [
    # key, url name, label, hint
    ("book", "appointments:book", _("预约取号"), _("预约时段，到厅扫码取号")),
    ("ask", "inquiries:ask", _("网上咨询"), _("留言咨询，凭编号查看答复")),
    ("faq", "inquiries:faq", _("常见问题"), _("业务解答一口清")),
    ("complaint", "feedback:complaint", _("投诉建议"), _("我们将限时处理并答复")),
    ("announcements", "feedback:announcements", _("结果通报"), _("投诉处理与整改结果")),
    ("stars", "campaigns:latest_stars", _("服务之星"), _("微笑服务之星评选结果")),
    ("figures", "appraisal:public", _("服务数据"), _("按期办结率与满意率")),
]


def portal_links(request):
    return {
        "PORTAL_LINKS": [
            {"key": key, "url": reverse(name), "label": label, "hint": hint}
            for key, name, label, hint in LINKS
        ]
    }
