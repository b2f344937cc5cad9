"""The public side (no login): the FAQ, online consultation and reading the answer. The
asker's rating of the answer is the feedback app's (POST /inquiries/lookup/rate/)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from yichuang.catalog.models import Service
from yichuang.core import rating_indicators
from yichuang.core.db_routing import reads_may_lag
from yichuang.core.errors import DomainError, RateLimited
from yichuang.core.notifications.receipt import sms_receipt
from yichuang.core.pages import render_page
from yichuang.core.ratelimits import guard_anonymous_create
from yichuang.org.models import Department

from .. import services
from ..forms import AskForm, LookupForm
from ..models import Satisfaction
from ..presenters import public_view
from ..queries import find_by_code, public_faq
from ..suggest import public_context


def faq(request):
    q = request.GET.get("q", "")
    department = request.GET.get("department") or None
    entries = list(public_faq(q, department=department)[:200])
    return render_page(
        request,
        "inquiries/faq_public.html",
        {
            "entries": entries,
            "q": q,
            "department": department or "",
            "departments": Department.objects.all(),
        },
        fragment="inquiries/partials/_faq_public_list.html",
    )


def suggestions(request):
    """htmx, public: suggestions as the person types the consultation (网上咨询)."""
    context = public_context(request, request.GET.get("matter") or request.GET.get("q") or "")
    return render(request, "inquiries/partials/_suggestions.html", context)


def _about_service(code: str) -> dict:
    """An item page's 咨询 button names its item: the department and the matter's opening."""
    service = Service.objects.filter(code=code, is_active=True).first() if code else None
    if service is None:
        return {}
    return {"department": service.department_id, "matter": f"【{service.name}】"}


def ask(request):
    form = AskForm(request.POST or None, initial=_about_service(request.GET.get("service", "")))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return redirect("inquiries:ask")  # a robot: nothing saved, nothing said
        try:
            guard_anonymous_create(request, phone=data["phone"])
            inquiry = services.ask_online(
                asker={"name": data["name"], "phone": data["phone"], "email": data["email"]},
                matter=data["matter"],
                department=data["department"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status if exc.status == 429 else 200
        else:
            return _received(request, inquiry)
    return render(request, "inquiries/ask.html", {"form": form}, status=status)


def _received(request, inquiry):
    """The confirmation: number, query code, the answer's due date, and what the SMS did."""
    query = urlencode({"number": inquiry.number, "code": inquiry.query_code})
    context = {
        "inquiry": inquiry,
        "progress_url": reverse("inquiries:lookup") + "?" + query,
        "sms": sms_receipt(inquiry, kind="inquiry.received", phone=inquiry.asker_phone),
    }
    return render(request, "inquiries/ask_done.html", context, status=201)


def _found(request, number, code):
    """The inquiry for a number and its query code; failures count against the address."""
    return find_by_code(request, number, code)


@reads_may_lag  # the asker's reading of the answer: it reaches them by SMS, seconds later
def lookup(request):
    form = LookupForm(request.GET or None)
    inquiry, status = None, 200
    if form.is_valid():
        try:
            inquiry = _found(request, form.cleaned_data["number"], form.cleaned_data["code"])
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            if inquiry is None:
                form.add_error(None, _("咨询编号或查询码不正确，请核对短信或邮件中的信息。"))
                status = 404
    context = {
        "form": form,
        "view": public_view(inquiry) if inquiry else None,
        "inquiry": inquiry,
        "levels": Satisfaction.choices,
        "offered": rating_indicators.CURRENT[rating_indicators.ONLINE],
    }
    return render(request, "inquiries/lookup.html", context, status=status)
