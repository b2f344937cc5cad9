"""The hall office's synonym list for routing free questions (丢了、遗失 → 补办), with a box
to try a question against the list as it stands."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError
from yichuang.core.pages import render_page

from .. import permissions
from .. import synonyms as synonym_services
from ..forms import SynonymForm
from ..models import Synonym


def _keeper(request):
    if not permissions.can_keep_synonyms(request.user):
        raise PermissionDenied
    return request.user


@login_required
def manage(request):
    _keeper(request)
    return render_page(
        request,
        "inquiries/synonyms.html",
        {"nav": "inquiries", "synonyms": list(Synonym.objects.select_related("updated_by"))},
    )


@login_required
def edit(request, pk=None):
    by = _keeper(request)
    synonym = get_object_or_404(Synonym, pk=pk) if pk else None
    form = SynonymForm(request.POST or None, instance=synonym)
    if request.method == "POST" and form.is_valid():
        try:
            synonym_services.save_synonym(by=by, synonym=synonym, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("同义词已保存，新的咨询即按此引导"))
            return redirect("inquiries:synonyms")
    return render_page(
        request,
        "inquiries/synonym_form.html",
        {"nav": "inquiries", "form": form, "synonym": synonym},
    )


@login_required
@require_POST
def delete(request, pk):
    by = _keeper(request)
    synonym = get_object_or_404(Synonym, pk=pk)
    try:
        synonym_services.delete_synonym(synonym, by=by)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("同义词已删除"))
    return redirect("inquiries:synonyms")
