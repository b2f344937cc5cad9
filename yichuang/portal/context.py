"""What the portal's frame needs on every page: the links of the public navigation (every
public part of the product), the phone tab that is current, and the hall's name without the
product's mark (the frame shows the mark once, beside it)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yichuang.core.context import hall_title

from . import frame

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

# The phone's tab bar: which tab a public address belongs to (longest prefix wins). The
# lookups by number and query code are the applicant's own things, so they sit under 我的.
TABS = [
    ("/services/", "guide"),
    ("/progress/", "progress"),
    ("/my/", "mine"),
    ("/queue/booking/", "mine"),
    ("/inquiries/lookup/", "mine"),
    ("/feedback/complain/status/", "mine"),
]


def current_tab(path: str) -> str:
    if path == "/":
        return "home"
    if path.startswith("/catalog/") and "/sheet" in path:
        return "guide"  # the printed sheet's QR code: an item page like /services/<code>/
    matches = [(len(prefix), tab) for prefix, tab in TABS if path.startswith(prefix)]
    return max(matches)[1] if matches else ""


def _link_urls() -> list[str]:
    """LINKS' addresses, reversed once per address prefix and URL configuration (every
    template rendered with a request runs this processor, staff pages included)."""
    return frame.kept(
        frame.variant("links"), lambda: [reverse(name) for _key, name, _label, _hint in LINKS]
    )


def portal_links(request):
    path = request.path
    return {
        "PORTAL_LINKS": [
            {
                "key": key,
                "url": url,
                "label": label,
                "hint": hint,
                "current": path.startswith(url),
            }
            for (key, _name, label, hint), url in zip(LINKS, _link_urls(), strict=True)
        ],
        "PORTAL_TAB": current_tab(path),
        "PORTAL_HALL": hall_title(settings.HALL_NAME),
    }
