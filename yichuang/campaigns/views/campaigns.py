"""The campaigns home (my tasks, campaigns, elections), a campaign's page with its phases
timeline and units, and the hall office's forms to create, copy, edit, launch and close."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError
from yichuang.core.pages import render_page

from .. import permissions, services
from ..forms import CampaignForm, CopyForm
from ..models import Campaign
from ..queries import campaign_list, election_list, my_tasks, unit_rows
from .common import attempt


def campaign_for(user, pk) -> Campaign:
    return get_object_or_404(
        Campaign.objects.visible_to(user).prefetch_related("phases", "inspectors"), pk=pk
    )


def require_manager(user):
    if not permissions.can_manage_campaigns(user):
        raise PermissionDenied(_("只有大厅管理办公室可以管理创建活动"))


@login_required
def home(request):
    user = request.user
    return render_page(
        request,
        "campaigns/home.html",
        {
            "nav": "campaigns",
            "tasks": my_tasks(user),
            "campaigns": campaign_list(user),
            "elections": election_list(user),
            "can_manage": permissions.can_manage_campaigns(user),
            "today": timezone.localdate(),
        },
    )


def _sources(user):
    return Campaign.objects.visible_to(user).order_by("-is_template", "-assessment_due")


@login_required
def new(request):
    require_manager(request.user)
    form = CampaignForm(request.POST if "create" in request.POST else None)
    copy_form = CopyForm(
        request.POST if "copy" in request.POST else None, sources=_sources(request.user)
    )
    if request.method == "POST" and "create" in request.POST and form.is_valid():
        d = form.cleaned_data
        campaign = attempt(
            request,
            services.create_campaign,
            title=d["title"],
            term=d["term"],
            goal=d["goal"],
            phases=form.phases(),
            assessment_due=d["assessment_due"],
            pass_score=d["pass_score"],
            departments=list(d["departments"]),
            inspectors=list(d["inspectors"]),
            checklist=d.get("checklist") or None,
            by=request.user,
            success=_("活动已创建（筹备中），请核对考评标准后启动"),
        )
        if campaign:
            return redirect("campaigns:detail", pk=campaign.pk)
    if request.method == "POST" and "copy" in request.POST and copy_form.is_valid():
        d = copy_form.cleaned_data
        campaign = attempt(
            request,
            services.copy_campaign,
            d["source"],
            title=d["title"],
            term=d["term"],
            starts_on=d["starts_on"],
            is_template=d["is_template"],
            by=request.user,
            success=_("已复制为新活动（筹备中），请核对日期和参评单位"),
        )
        if campaign:
            return redirect("campaigns:detail", pk=campaign.pk)
    return render_page(
        request,
        "campaigns/campaign_form.html",
        {"nav": "campaigns", "form": form, "copy_form": copy_form, "creating": True},
    )


@login_required
def edit(request, pk):
    require_manager(request.user)
    campaign = campaign_for(request.user, pk)
    form = CampaignForm(
        request.POST or None, initial=CampaignForm.initial_for(campaign), creating=False
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = attempt(
            request,
            services.update_campaign,
            campaign,
            title=d["title"],
            term=d["term"],
            goal=d["goal"],
            phases=form.phases(),
            assessment_due=d["assessment_due"],
            pass_score=d["pass_score"],
            departments=list(d["departments"]),
            inspectors=list(d["inspectors"]),
            by=request.user,
            success=_("已保存"),
        )
        if done:
            return redirect("campaigns:detail", pk=campaign.pk)
    return render_page(
        request,
        "campaigns/campaign_form.html",
        {"nav": "campaigns", "form": form, "campaign": campaign, "creating": False},
    )


@login_required
def detail(request, pk):
    user = request.user
    campaign = campaign_for(user, pk)
    today = timezone.localdate()
    return render_page(
        request,
        "campaigns/detail.html",
        {
            "nav": "campaigns",
            "campaign": campaign,
            "timeline": campaign.timeline(today),
            "current": campaign.current_phase(today),
            "units": unit_rows(campaign, user),
            "max_total": campaign.max_total(),
            "can_manage": permissions.can_manage_campaigns(user),
            "is_inspector": permissions.is_inspector(user, campaign),
            "can_see_summary": permissions.can_see_summary(user, campaign),
            "elections": campaign.elections.all(),
            "today": today,
        },
    )


@login_required
@require_POST
def act(request, pk, action):
    campaign = campaign_for(request.user, pk)
    by = request.user
    try:
        if action == "launch":
            services.launch_campaign(campaign, by=by)
            messages.success(request, _("活动已启动，已通知各参评单位负责人"))
        elif action == "close":
            services.close_campaign(campaign, summary=request.POST.get("summary", ""), by=by)
            messages.success(request, _("活动已总结"))
        else:
            messages.error(request, _("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:detail", pk=campaign.pk)
