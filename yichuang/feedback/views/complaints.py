"""Complaints and suggestions: the work list with lights, entry of those that come by phone,
letter, visit or the box, and one complaint with its steps and accountability."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases.models import Case
from yichuang.core import audit
from yichuang.core.actions import arrange
from yichuang.core.errors import DomainError, Invalid
from yichuang.core.flows import allowed_actions
from yichuang.core.masking import mask_name, mask_phone
from yichuang.core.notifications import mask_address
from yichuang.org.models import Department, Staff

from .. import permissions, services
from ..flows import COMPLAINT_FLOW, COMPLAINT_NEXT_STEPS
from ..forms import PhoneComplaintForm, VerifyComplaintForm
from ..models import AccountabilityKind, ComplaintKind, ComplaintStatus
from ..models.complaints import COMPLAINT_LABELS
from ..queries import complaint_list, light_counts
from .common import handles, page, require


@login_required
def complaints(request):
    require(handles(request.user))
    light = request.GET.get("light") or None
    status = request.GET.get("status") or ("" if light else "open")
    qs = complaint_list(
        request.user,
        light=light if light in ("red", "yellow", "green") else None,
        status=status if status in ComplaintStatus.values else None,
        kind=request.GET.get("kind") if request.GET.get("kind") in ComplaintKind.values else None,
        q=(request.GET.get("q") or "").strip() or None,
    )
    if status == "open":
        qs = qs.running()
    rows = list(qs.order_by("due", "received_at")[:300])
    for c in rows:
        c.masked_name, c.masked_phone = mask_name(c.name), mask_phone(c.phone)
    return page(
        request,
        "feedback/complaints.html",
        {
            "rows": rows,
            "counts": light_counts(complaint_list(request.user).running()),
            "status": status,
            "statuses": ComplaintStatus.choices,
            "kinds": ComplaintKind.choices,
        },
        tab="complaints",
    )


@login_required
def complaint_new(request):
    """Any staff member who takes a complaint by phone, letter or in person logs it here."""
    form = PhoneComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = None
        if data["case"]:
            case = Case.objects.filter(number=data["case"].strip()).first()
            if case is None:
                form.add_error("case", _("办件编号不存在"))
        if not form.errors:
            try:
                complaint = services.receive_complaint(
                    kind=data["kind"],
                    channel=data["channel"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    subject=data["subject"],
                    content=data["content"],
                    case=case,
                    by=request.user,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("已登记 %(n)s，查询码 %(c)s，答复期限 %(d)s")
                    % {"n": complaint.number, "c": complaint.query_code, "d": complaint.due},
                )
                if complaint_list(request.user).filter(pk=complaint.pk).exists():
                    return redirect("feedback:complaint_detail", number=complaint.number)
                return redirect("feedback:home")
    return page(request, "feedback/complaint_new.html", {"form": form}, tab="complaints")


def _complaint(user, number):
    return get_object_or_404(complaint_list(user), number=number)


@login_required
def complaint(request, number):
    c = _complaint(request.user, number)
    user = request.user
    may_reveal = permissions.can_handle_complaint(user, c)
    reveal = request.GET.get("reveal") == "1" and may_reveal
    if reveal:
        audit.record(
            "feedback.personal_data_viewed",
            actor=user,
            target=c,
            summary=c.number,
            data={"reason": "complaint"},
        )
    actions = allowed_actions(COMPLAINT_FLOW, c, user)
    may_hold = c.is_upheld and c.status in ("verified", "replied", "closed")
    return page(
        request,
        "feedback/complaint.html",
        {
            "c": c,
            "name": c.name if reveal else mask_name(c.name),
            "phone": c.phone if reveal else mask_phone(c.phone),
            "email": c.email if reveal else mask_address("email", c.email),
            "reveal": reveal,
            "may_reveal": may_reveal,
            "actions": arrange(
                actions,
                labels=COMPLAINT_LABELS,
                prefer=COMPLAINT_NEXT_STEPS.get(c.status, ()),
            ),
            "departments": Department.objects.all() if "assign" in actions else [],
            "staff": Staff.objects.filter(department_id=c.department_id, is_active=True)
            if c.department_id
            else [],
            "verify_form": VerifyComplaintForm(),
            "may_hold": may_hold,
            "kinds": AccountabilityKind.choices,
            "records": c.accountability_records.select_related("staff", "by"),
            "events": c.events.select_related("by", "covered_for"),
            "announce": permissions.can_review(user) and c.status in ("replied", "closed"),
        },
        tab="complaints",
    )


@login_required
@require_POST
def complaint_act(request, number, action):
    c = _complaint(request.user, number)
    p, by = request.POST, request.user
    try:
        if action == "assign":
            department = Department.objects.filter(code=p.get("department", "")).first()
            if department is None:
                raise Invalid(_("请选择承办部门"))
            staff = Staff.objects.filter(username=p.get("staff") or None).first()
            services.assign_complaint(
                c, department=department, staff=staff, note=p.get("note", ""), by=by
            )
        elif action == "verify":
            services.verify_complaint(
                c, outcome=p.get("outcome", ""), verification=p.get("verification", ""), by=by
            )
        elif action == "reply":
            services.reply_complaint(c, reply=p.get("reply", ""), by=by)
        elif action == "close":
            services.close_complaint(c, note=p.get("note", ""), by=by)
        elif action == "hold_accountable":
            staff = Staff.objects.filter(username=p.get("staff", "")).first()
            if staff is None:
                raise Invalid(_("请选择责任人"))
            services.hold_accountable(
                staff=staff, kind=p.get("kind", ""), reason=p.get("reason", ""), complaint=c, by=by
            )
        else:
            raise Invalid(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(a)s") % {"a": COMPLAINT_LABELS.get(action, action)})
    if not complaint_list(by).filter(pk=c.pk).exists():  # assigned out of sight
        return redirect("feedback:complaints")
    return redirect("feedback:complaint_detail", number=number)
