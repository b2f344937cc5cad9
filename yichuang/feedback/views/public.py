"""The public side (no login): the rating link of a notice or SMS, the rater's appeal, the
complaint and suggestion form and its status, published announcements, surveys."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases.models import Case
from yichuang.core.db_routing import reads_may_lag
from yichuang.core.errors import DomainError, NotFound, RateLimited
from yichuang.core.lookup import find_by_code
from yichuang.core.masking import mask_name
from yichuang.core.notifications.receipt import sms_receipt
from yichuang.core.ratelimits import guard_anonymous_create

from .. import indicators, services
from ..forms import ComplaintForm, LookupForm, RatingForm
from ..models import Announcement, Channel, Complaint, Rating, Survey, SurveyAccess
from ..throttle import guard_survey_submission

VIA = {"qr": Channel.QR, "sms": Channel.SMS}


def _case_for(request, number, code):
    """The case for its number and query code, through core's lookup guard."""
    return find_by_code(request, Case.objects.select_related("service"), code=code, number=number)


def _rate_lookup(request, number, exc=None):
    """The page asking for the query code: first visit (200), wrong (404), blocked (429)."""
    context = {"number": number, "error": exc is not None}
    if isinstance(exc, RateLimited):
        context["blocked"] = exc.message
    status = exc.status if exc is not None else 200
    return render(request, "feedback/rate_lookup.html", context, status=status)


@reads_may_lag  # its POST, the rating, reads and writes the primary (a POST is pinned)
def rate(request, number):
    """The QR code on a notice and the SMS link lead here, with the query code in `c`."""
    code = (request.POST.get("c") or request.GET.get("c") or "").strip().upper()
    if not code:
        return _rate_lookup(request, number)
    try:
        case = _case_for(request, number, code)
    except (NotFound, RateLimited) as exc:
        return _rate_lookup(request, number, exc)
    rating = Rating.objects.filter(case=case).first()
    via = request.POST.get("via") or request.GET.get("via") or ""
    channel = VIA.get(via, Channel.PORTAL)
    form = RatingForm(request.POST or None)
    chosen = request.POST.getlist("indicator")
    refused = None
    if rating is None and request.method == "POST" and form.is_valid():
        try:
            rating = services.rate_case(
                case,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
                channel=channel,
                query_code=code,
                indicators=chosen,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            refused = exc.status
        else:
            return render(
                request,
                "feedback/rate_done.html",
                {
                    "case": case,
                    "rating": rating,
                    "code": code,
                    "progress_url": settings.PUBLIC_PROGRESS_PATH.format(
                        number=case.number, code=code
                    ),
                },
                status=201,
            )
    context = {
        "case": case,
        "applicant": mask_name(case.applicant_name),
        "code": code,
        "via": via,
        "form": form,
        "offered": indicators.offered_for(channel),
        "chosen": chosen,
        "rated_indicators": indicators.labels_of(rating) if rating else [],
        "rating": rating,
        "appeal_pending": rating is not None and rating.appeals.filter(state="pending").exists(),
    }
    return render(
        request,
        "feedback/rate.html",
        context,
        status=refused or (409 if rating and request.method == "POST" else 200),
    )


@require_POST
def rate_appeal(request, number):
    code = (request.POST.get("c") or "").strip().upper()
    try:
        case = _case_for(request, number, code)
    except (NotFound, RateLimited) as exc:
        return _rate_lookup(request, number, exc)
    rating = Rating.objects.filter(case=case).first()
    if rating is None:
        return _rate_lookup(request, number, NotFound())
    try:
        services.appeal_rating(rating, reason=request.POST.get("reason", ""), query_code=code)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已提交撤销申请，大厅管理办公室复核后生效"))
    return redirect(reverse("feedback:rate", args=[number]) + f"?c={code}")


def complain(request):
    form = ComplaintForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return redirect("feedback:complaint")  # a robot: nothing saved, nothing said
        case, status = None, 200
        try:
            if data["case"]:
                # Naming a case needs its query code; a wrong pair says nothing more.
                case = _case_for(request, data["case"].strip(), data["query_code"])
            guard_anonymous_create(request, phone=data["phone"])
        except NotFound:
            form.add_error("case", _("办件编号或查询码不正确，请核对或留空"))
            status = 400
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        if not form.errors:
            try:
                complaint = services.receive_complaint(
                    kind=data["kind"],
                    channel="portal",
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    subject=data["subject"],
                    content=data["content"],
                    case=case,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                return _received(request, complaint)
    return render(request, "feedback/complain.html", {"form": form}, status=status)


def _received(request, complaint):
    """The confirmation: number, query code, the reply's due date, and what the SMS did."""
    query = urlencode({"number": complaint.number, "code": complaint.query_code})
    context = {
        "complaint": complaint,
        "progress_url": reverse("feedback:complaint_status") + "?" + query,
        "sms": sms_receipt(complaint, kind="feedback.complaint_received", phone=complaint.phone),
    }
    return render(request, "feedback/complain_done.html", context, status=201)


@reads_may_lag
def complaint_status(request):
    form = LookupForm(request.GET or None)
    complaint, status = None, 200
    if form.is_valid():
        try:
            complaint = find_by_code(
                request,
                Complaint.objects,
                code=form.cleaned_data["code"],
                number=form.cleaned_data["number"].strip().upper(),
            )
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        except NotFound:
            form.add_error(None, _("编号或查询码不正确，请核对短信或页面上的信息。"))
            status = 404
    return render(
        request,
        "feedback/complaint_status.html",
        {"form": form, "complaint": complaint, "name": complaint and mask_name(complaint.name)},
        status=status,
    )


def announcements(request):
    items = Announcement.objects.published()[:100]
    return render(request, "feedback/announcements.html", {"announcements": items})


def announcement(request, pk):
    item = get_object_or_404(Announcement.objects.published(), pk=pk)
    return render(request, "feedback/announcement.html", {"a": item})


def survey(request, token):
    """The public questionnaire: with the invitation token (`?i=`) of a survey by invitation,
    or with a phone number on an open one; one answer each."""
    survey = get_object_or_404(Survey, token=token)
    questions = list(survey.questions.prefetch_related("choices"))
    invitation = (request.POST.get("i") or request.GET.get("i") or "").strip()
    by_invitation = survey.access == SurveyAccess.INVITATION
    status = 200
    if request.method == "POST" and survey.is_open:
        answers = {str(q.pk): request.POST.getlist(f"q{q.pk}") for q in questions}
        try:
            guard_survey_submission(request)
            services.submit_survey(
                survey,
                answers=answers,
                phone=request.POST.get("phone", ""),
                invitation=invitation,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            return render(request, "feedback/survey_done.html", {"survey": survey}, status=201)
    for q in questions:  # a refused submission keeps what was answered
        q.chosen = request.POST.getlist(f"q{q.pk}")
    return render(
        request,
        "feedback/survey_public.html",
        {
            "survey": survey,
            "questions": questions,
            "levels": [5, 4, 3, 2, 1],
            "by_invitation": by_invitation,
            "invitation": invitation,
            "phone": request.POST.get("phone", ""),
        },
        status=status,
    )
