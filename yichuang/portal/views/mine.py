"""我的: by phone and SMS code, everything of that phone in one list; or, as before, each
lookup by number and query code."""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases import reuse
from yichuang.core.errors import DomainError
from yichuang.core.masking import mask_phone
from yichuang.core.notifications.receipt import sms_receipt

from .. import phone_sign_in
from ..forms import PhoneCodeForm, PhoneForm
from ..mine import my_items


def mine(request):
    marker, expired = phone_sign_in.session_state(request)
    if marker is None:
        if expired:
            messages.info(request, _("为保护您的信息，查看时间已到，请重新验证手机号"))
        return _phone_step(request, PhoneForm())
    context = {
        "pnav": "mine",
        "phone": marker["phone"],
        "until": datetime.fromtimestamp(marker["until"], tz=timezone.get_current_timezone()),
        "sections": my_items(marker["hash"]),
        "consent": reuse.consents_of_phone(marker["hash"]).first(),
    }
    return render(request, "portal/mine_list.html", context)


def _phone_step(request, form, status=200):
    return render(request, "portal/mine.html", {"pnav": "mine", "form": form}, status=status)


def _code_step(request, form, *, phone: str, sms=None, status=200):
    context = {
        "pnav": "mine",
        "step": "code",
        "form": form,
        "phone": phone,
        "masked": mask_phone(phone),
        "sms": sms,
        "minutes": settings.PHONE_CODE_MINUTES,
    }
    return render(request, "portal/mine.html", context, status=status)


@require_POST
def send_code(request):
    form = PhoneForm(request.POST)
    if not form.is_valid():
        return _phone_step(request, form, status=400)
    try:
        row = phone_sign_in.send_code(request, phone=form.cleaned_data["phone"])
    except DomainError as exc:
        form.add_error("phone", exc.message)
        return _phone_step(request, form, status=exc.status)
    phone = phone_sign_in.mobile(form.cleaned_data["phone"])
    sms = sms_receipt(row, kind=phone_sign_in.KIND, phone=phone)
    return _code_step(request, PhoneCodeForm(initial={"phone": phone}), phone=phone, sms=sms)


@require_POST
def verify(request):
    form = PhoneCodeForm(request.POST)
    phone = request.POST.get("phone", "")
    if not form.is_valid():
        return _code_step(request, form, phone=phone, status=400)
    try:
        digest = phone_sign_in.verify_code(
            request, phone=form.cleaned_data["phone"], code=form.cleaned_data["code"]
        )
    except DomainError as exc:
        form.add_error("code", exc.message)
        return _code_step(request, form, phone=phone, status=exc.status)
    phone_sign_in.sign_in(request, digest=digest, phone=phone_sign_in.mobile(phone))
    return redirect("portal:mine")


@require_POST
def sign_out(request):
    phone_sign_in.sign_out(request)
    messages.success(request, _("已退出，本机不再显示您的办事记录"))
    return redirect("portal:mine")


@require_POST
def withdraw_reuse(request):
    """Withdraw the consent to reuse (PIPL): asked to confirm on the page, recorded in the
    audit; nothing earlier is offered to this phone, or at the window, afterwards."""
    marker, _expired = phone_sign_in.session_state(request)
    if marker is None:
        return redirect("portal:mine")
    reuse.withdraw_consent(phone_hash=marker["hash"])
    messages.success(request, _("已撤回同意：今后办事时不再调用您以前的材料和联系方式"))
    return redirect("portal:mine")
