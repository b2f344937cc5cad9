"""The quick log: a phone rings, the clerk types name, phone and matter while the FAQ
suggests answers, then answers on the spot, routes to a post or refers to another unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from yichuang.core.errors import DomainError
from yichuang.core.pages import render_page
from yichuang.org.models import Post

from .. import services
from ..forms import LogForm
from ..phrases import FORBIDDEN, TEN_CHARACTERS, TEN_PHRASES
from ..suggest import MAX_QUERY, suggest


def answer_aids() -> dict:
    """What sits beside every answer box: the courteous phrases and the forbidden words."""
    return {"phrases": TEN_PHRASES, "characters": TEN_CHARACTERS, "forbidden": FORBIDDEN}


def transfer_posts():
    return Post.objects.select_related("department", "holder").order_by(
        "department__sort_order", "sort_order", "code"
    )


@login_required
def new(request):
    form = LogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry = services.log_inquiry(
                channel=data["channel"],
                matter=data["matter"],
                category=data["category"],
                asker={
                    "name": data["asker_name"],
                    "phone": data["asker_phone"],
                    "email": data["asker_email"],
                },
                service=data["service"],
                time_limit=data["time_limit"],
                note=data["note"],
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return _decide(request, inquiry, data)
    context = {"nav": "inquiries", "form": form, "posts": transfer_posts(), **answer_aids()}
    return render_page(request, "inquiries/new.html", context)


def _decide(request, inquiry, data):
    """The inquiry exists either way; a refused follow-up leaves it open with the clerk as
    its owner, and says so."""
    decision = data["decision"]
    logged = _("已登记，编号 %(n)s，查询码 %(c)s") % {"n": inquiry.number, "c": inquiry.query_code}
    try:
        if decision == "answer":
            services.answer_inquiry(inquiry, answer=data["answer"], by=request.user)
            messages.success(request, logged + _("；已当场答复"))
        elif decision == "transfer":
            handoff = services.transfer_inquiry(
                inquiry, post=data["post"], note=data["note"], by=request.user
            )
            messages.success(
                request,
                logged
                + _("；已转交%(post)s（%(who)s），对方接收前仍由您负责")
                % {"post": handoff.to_post.name, "who": handoff.to_staff.display_name},
            )
        elif decision == "refer":
            services.refer_inquiry(
                inquiry,
                unit=data["unit"],
                contact=data["contact"],
                note=data["answer"],
                by=request.user,
            )
            messages.success(request, logged + _("；已告知承办单位及联系方式"))
        else:
            messages.success(request, logged + _("；请于 %(d)s 前答复") % {"d": inquiry.due})
    except DomainError as exc:
        messages.error(request, logged + _("，但：%(m)s") % {"m": exc.message})
    if request.POST.get("next") == "new":
        return redirect("inquiries:new")
    return redirect("inquiries:detail", pk=inquiry.pk)


@login_required
def faq_suggest(request):
    """htmx: where what is typed should go (the matter, or the search box beside it): related
    services, every active FAQ entry (internal ones too) and the responsible posts with who
    covers them now, each with the words that matched."""
    q = (request.GET.get("q") or request.GET.get("matter") or "")[-MAX_QUERY:]
    found = suggest(q, public=False) if q.strip() else None
    return render_page(
        request,
        "inquiries/partials/_suggestions.html",
        {"found": found, "q": q, "staff": True},
        fragment="inquiries/partials/_suggestions.html",
    )
