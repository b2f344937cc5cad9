"""The campaign's summary report, as PDF and as Excel."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from yichuang.core import audit

from .. import permissions
from ..reports.summary import campaign_summary
from .campaigns import campaign_for
from .common import XLSX, download


def _summary(request, pk, kind):
    campaign = campaign_for(request.user, pk)
    if not permissions.can_see_summary(request.user, campaign):
        raise PermissionDenied(_("活动总结含各单位得分，仅验收小组和大厅管理办公室可以下载"))
    audit.record(f"campaign.summary_{kind}", actor=request.user, target=campaign)
    return campaign, campaign_summary(campaign)


@login_required
def summary_pdf(request, pk):
    from ..reports.pdf import render_summary_pdf  # reportlab loads with the first PDF

    campaign, summary = _summary(request, pk, "pdf")
    return download(
        render_summary_pdf(summary),
        f"campaign-{campaign.pk}-summary.pdf",
        "application/pdf",
        inline=True,
    )


@login_required
def summary_xlsx(request, pk):
    from ..reports.excel import summary_workbook  # openpyxl loads with the first workbook

    campaign, summary = _summary(request, pk, "xlsx")
    return download(summary_workbook(summary), f"campaign-{campaign.pk}-summary.xlsx", XLSX)
