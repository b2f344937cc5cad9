"""A unit's self-assessment page: scores and explanations per item, evidence uploads, the
submission and the application for inspection; the hall office's extension; downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError, Invalid
from yichuang.core.files import send_file
from yichuang.core.flows import allowed_actions
from yichuang.core.pages import render_page

from .. import services
from ..evidence import ALLOWED, MAX_MB
from ..flows import UNIT_FLOW
from ..forms import EvidenceForm, posted_entries
from ..models import CampaignUnit, ChecklistItem, Evidence
from ..queries import general_evidence, unit_sheet
from ..services.assessment import self_total
from ..services.inspection import inspection_total
from .common import parse_date


def unit_for(user, pk) -> CampaignUnit:
    return get_object_or_404(
        CampaignUnit.objects.visible_to(user).select_related("campaign", "department"), pk=pk
    )


def unit_context(request, unit: CampaignUnit) -> dict:
    """What the unit's two pages share; `actions` are the steps the user is offered, and each
    form is shown only when its step is among them."""
    return {
        "nav": "campaigns",
        "unit": unit,
        "campaign": unit.campaign,
        "sheet": unit_sheet(unit),
        "self_total": self_total(unit),
        "inspection_total": inspection_total(unit),
        "max_total": unit.campaign.max_total(),
        "actions": allowed_actions(UNIT_FLOW, unit, request.user),
        "past_due": timezone.localdate() > unit.effective_due,
        "today": timezone.localdate(),
    }


@login_required
def unit(request, pk):
    unit = unit_for(request.user, pk)
    context = unit_context(request, unit)
    context.update(
        general_evidence=general_evidence(unit),
        evidence_form=EvidenceForm(campaign=unit.campaign),
        accept=",".join(ALLOWED),
        max_mb=MAX_MB,
    )
    return render_page(request, "campaigns/unit.html", context)


@login_required
@require_POST
def act(request, pk, action):
    unit = unit_for(request.user, pk)
    by, p = request.user, request.POST
    try:
        if action == "save":
            items = ChecklistItem.objects.filter(section__campaign_id=unit.campaign_id)
            entries = posted_entries(
                p, items, score_prefix="score_", note_prefix="note_", note_key="note"
            )
            services.save_self_assessment(unit, entries=entries, by=by)
            if p.get("then") == "submit":
                services.submit_self_assessment(unit, by=by)
                messages.success(request, _("自评已提交"))
            else:
                messages.success(request, _("自评已保存"))
        elif action == "upload":
            form = EvidenceForm(p, request.FILES, campaign=unit.campaign)
            if not form.is_valid():
                raise Invalid(_("请选择要上传的文件"))
            evidence = services.upload_evidence(
                unit, upload=form.cleaned_data["file"], item=form.cleaned_data["item"], by=by
            )
            messages.success(request, _("已上传“%(n)s”") % {"n": evidence.name})
        elif action == "delete_evidence":
            evidence = get_object_or_404(Evidence, unit=unit, pk=p.get("evidence") or 0)
            services.delete_evidence(evidence, by=by)
            messages.success(request, _("已删除“%(n)s”") % {"n": evidence.name})
        elif action == "submit":
            services.submit_self_assessment(unit, by=by)
            messages.success(request, _("自评已提交"))
        elif action == "apply":
            services.apply_for_inspection(unit, by=by)
            messages.success(request, _("已申请验收，请等待验收小组安排现场验收"))
        elif action == "extend":
            services.extend_assessment_due(
                unit, until=parse_date(p.get("until")), reason=p.get("reason", ""), by=by
            )
            messages.success(request, _("已延期至 %(d)s") % {"d": unit.due_on})
        elif action == "return":
            services.return_self_assessment(unit, reason=p.get("reason", ""), by=by)
            messages.success(request, _("已退回重新自评"))
        else:
            raise Invalid(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    if action == "return":
        return redirect("campaigns:detail", pk=unit.campaign_id)
    return redirect("campaigns:unit", pk=unit.pk)


@login_required
def evidence_file(request, pk):
    """Evidence is served only to those who may see the unit, always as a download, and every
    access is written into the audit record."""
    evidence = get_object_or_404(
        Evidence.objects.filter(unit__in=CampaignUnit.objects.visible_to(request.user)), pk=pk
    )
    return send_file(
        request,
        evidence.file,
        filename=evidence.name,
        content_type=evidence.content_type,
        action="evidence.download",
        target=evidence,
        data={"unit": evidence.unit_id},
    )
