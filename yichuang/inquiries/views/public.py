"""The public side (no login): the FAQ, online consultation and reading the answer."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError, NotFound, RateLimited
from yichuang.core.lookup import find_by_code
from yichuang.core.pages import render_page
from yichuang.core.ratelimits import guard_anonymous_create
from yichuang.org.models import Department

from .. import services
from ..forms import AskForm, LookupForm, RatingForm
from ..models import Inquiry, Satisfaction
from ..presenters import public_view
from ..queries import public_faq


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


def ask(request):
    form = AskForm(request.POST or None)
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
            return render(request, "inquiries/ask_done.html", {"inquiry": inquiry}, status=201)
    return render(request, "inquiries/ask.html", {"form": form}, status=status)


def _found(request, number, code):
    """The inquiry for a number and its query code (core's lookup guard), or None."""
    try:
        return find_by_code(
            request, Inquiry.objects, code=code, number=(number or "").strip().upper()
        )
    except NotFound:
        return None


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
    }
    return render(request, "inquiries/lookup.html", context, status=status)


@require_POST
def rate(request):
    try:
        inquiry = _found(request, request.POST.get("number"), request.POST.get("code"))
    except RateLimited as exc:
        messages.error(request, exc.message)
        return redirect("inquiries:lookup")
    form = RatingForm(request.POST)
    if inquiry is None:
        return redirect("inquiries:lookup")
    if not form.is_valid():
        messages.error(request, _("请选择评价等级"))
    else:
        try:
            services.rate_inquiry(inquiry, level=form.cleaned_data["level"], by=None)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("感谢您的评价！"))
    query = f"?number={inquiry.number}&code={inquiry.query_code}"
    return redirect(reverse("inquiries:lookup") + query)
