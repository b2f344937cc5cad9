"""The hall office's checklist editor: sections (e.g. the 五化) and their scored items,
editable while the campaign is a draft."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.pages import render_page

from .. import services
from ..forms import ItemForm, SectionForm
from ..models import ChecklistItem, ChecklistSection
from .campaigns import campaign_for, require_manager
from .common import attempt


@login_required
def editor(request, pk):
    require_manager(request.user)
    campaign = campaign_for(request.user, pk)
    sections = list(ChecklistSection.objects.filter(campaign=campaign).prefetch_related("items"))
    return render_page(
        request,
        "campaigns/checklist.html",
        {
            "nav": "campaigns",
            "campaign": campaign,
            "sections": sections,
            "max_total": campaign.max_total(),
            "section_form": SectionForm(),
            "item_form": ItemForm(),
        },
    )


@login_required
@require_POST
def act(request, pk, action, target=None):
    """add_section; update_section / delete_section / add_item with a section id as target;
    update_item / delete_item with an item id."""
    require_manager(request.user)
    campaign = campaign_for(request.user, pk)
    by, p = request.user, request.POST
    if action in ("update_section", "delete_section", "add_item"):
        section = get_object_or_404(ChecklistSection, campaign=campaign, pk=target)
    if action in ("update_item", "delete_item"):
        item = get_object_or_404(ChecklistItem, section__campaign=campaign, pk=target)
    if action == "add_section":
        attempt(
            request,
            services.add_section,
            campaign,
            title=p.get("title", ""),
            by=by,
            success=_("已添加"),
        )
    elif action == "update_section":
        attempt(
            request,
            services.update_section,
            section,
            title=p.get("title", ""),
            position=_int(p.get("position")),
            by=by,
            success=_("已保存"),
        )
    elif action == "delete_section":
        attempt(request, services.delete_section, section, by=by, success=_("已删除"))
    elif action in ("add_item", "update_item"):
        form = ItemForm(p)
        if not form.is_valid():
            attempt(request, _invalid, form)
        elif action == "add_item":
            attempt(request, services.add_item, section, by=by, success=_("已添加"), **_item(form))
        else:
            attempt(
                request,
                services.update_item,
                item,
                position=form.cleaned_data["position"] or item.position,
                by=by,
                success=_("已保存"),
                **_item(form),
            )
    elif action == "delete_item":
        attempt(request, services.delete_item, item, by=by, success=_("已删除"))
    return redirect("campaigns:checklist", pk=campaign.pk)


def _item(form) -> dict:
    d = form.cleaned_data
    return {"title": d["title"], "guidance": d["guidance"], "max_score": d["max_score"]}


def _invalid(form):
    from yichuang.core.errors import Invalid

    first = next(iter(form.errors.values()))[0]
    raise Invalid(first)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1
