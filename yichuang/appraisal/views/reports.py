"""The monthly reports: listed, generated on demand by the hall office, downloaded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yichuang.core.db_routing import reads_may_lag
from yichuang.core.errors import DomainError
from yichuang.core.files import send_file

from .. import permissions, services
from ..forms import MonthForm
from ..models import MonthlyReport
from ..periods import parse_month
from .common import page, require

TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@reads_may_lag
@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    user = request.user
    require(permissions.can_view_figures(user))
    form = MonthForm(request.POST or None)
    if request.method == "POST":
        require(permissions.can_manage_appraisal(user))
        if form.is_valid():
            try:
                report, written = services.generate_monthly_report(
                    month=parse_month(form.cleaned_data["month"]),
                    by=user,
                    replace=form.cleaned_data["replace"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if written:
                    messages.success(request, _("%(m)s 月报已生成。") % {"m": report})
                else:
                    messages.info(
                        request, _("%(m)s 月报已存在；如需重新生成请勾选。") % {"m": report}
                    )
                return redirect("appraisal:reports")
    context = {
        "reports": MonthlyReport.objects.select_related("generated_by"),
        "form": form,
        "manages": permissions.can_manage_appraisal(user),
    }
    return page(request, "appraisal/reports.html", context, tab="reports")


@reads_may_lag
@login_required
def download(request, pk, kind):
    require(permissions.can_view_figures(request.user))
    if kind not in TYPES:
        raise Http404
    report = get_object_or_404(MonthlyReport, pk=pk)
    file = getattr(report, kind)
    if not file:
        raise Http404
    # Kept in the private storage; the download is an attachment and is audited.
    return send_file(
        request,
        file,
        filename=f"yuebao-{report.month:%Y-%m}.{kind}",
        content_type=TYPES[kind],
        action="monthly_report.download",
        target=report,
    )
