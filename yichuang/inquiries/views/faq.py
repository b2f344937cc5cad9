"""Keeping the FAQ (业务解答一口清): department heads their department's, the hall office all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from yichuang.core.errors import DomainError
from yichuang.core.pages import render_page
from yichuang.org.scoping import managed_department_ids

from .. import faq as faq_services
from ..forms import FaqForm
from ..models import FaqEntry
from ..queries import search_faq


def _kept_by(user):
    managed = managed_department_ids(user)
    if managed is None:
        return FaqEntry.objects.all()
    if not managed:
        raise PermissionDenied
    return FaqEntry.objects.filter(department__in=managed)


@login_required
def manage(request):
    q = request.GET.get("q", "")
    qs = search_faq(q, queryset=_kept_by(request.user), include_inactive=True)
    return render_page(
        request,
        "inquiries/faq_manage.html",
        {"nav": "inquiries", "entries": list(qs[:300]), "q": q},
    )


@login_required
def edit(request, pk=None):
    entry = get_object_or_404(_kept_by(request.user), pk=pk) if pk else None
    if entry is None:
        _kept_by(request.user)  # refuses staff who keep no department's FAQ
    form = FaqForm(request.POST or None, instance=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            faq_services.save_faq_entry(by=request.user, entry=entry, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("常见问题已保存"))
            return redirect("inquiries:faq_manage")
    return render_page(
        request, "inquiries/faq_form.html", {"nav": "inquiries", "form": form, "entry": entry}
    )
