"""Surveys (问卷): written as plain lines, answered anonymously through a public link.

One question a line, its kind in brackets, options after bars:

    [单选] 您对大厅环境是否满意？ | 满意 | 一般 | 不满意
    [多选] 您从哪些渠道了解办事指南？ | 网站 | 公众号 | 窗口
    [评分] 工作人员的服务态度
    [填空] 您的其他意见和建议（选答）

A question ending in （选答） or (optional) may be left blank.

One answer per respondent: a survey by invitation takes one answer per invitation link
(`invite_to_survey` makes the links); an open survey takes one per phone number, of which only
a keyed hash is kept. The pages and the API also limit how often one address may submit.
"""

import re

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.contacts import normalize_phone
from yichuang.core.errors import Conflict, Invalid, NotAllowed, NotFound

from .. import permissions
from ..models import (
    QuestionKind,
    Survey,
    SurveyAccess,
    SurveyAnswer,
    SurveyChoice,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from .common import required_text

KIND_WORDS = {
    "单选": QuestionKind.SINGLE,
    "single": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "multiple": QuestionKind.MULTIPLE,
    "评分": QuestionKind.RATING,
    "rating": QuestionKind.RATING,
    "填空": QuestionKind.TEXT,
    "text": QuestionKind.TEXT,
}
LINE = re.compile(r"^\s*[\[【]\s*(?P<kind>[^\]】]+?)\s*[\]】]\s*(?P<rest>.+)$")
OPTIONAL = re.compile(r"\s*[（(]\s*(选答|optional)\s*[)）]\s*$", re.IGNORECASE)
TEXT_LIMIT = 1000


def parse_questions(text: str) -> list[dict]:
    questions = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        m = LINE.match(line)
        kind = KIND_WORDS.get(m.group("kind").strip().lower()) if m else None
        if m is None or kind is None:
            raise Invalid(
                _("第 %(n)d 行：请以 [单选]、[多选]、[评分] 或 [填空] 开头") % {"n": number},
                code="invalid_questions",
            )
        parts = [p.strip() for p in re.split(r"[|｜]", m.group("rest"))]
        title, options = parts[0], [p for p in parts[1:] if p]
        required = not OPTIONAL.search(title)
        if not title:
            raise Invalid(_("第 %(n)d 行：缺少题目") % {"n": number}, code="invalid_questions")
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(options) < 2:
            raise Invalid(
                _("第 %(n)d 行：选择题至少需要两个选项，用 | 分隔") % {"n": number},
                code="invalid_questions",
            )
        questions.append(
            {"text": title[:300], "kind": kind, "required": required, "options": options}
        )
    if not questions:
        raise Invalid(_("请至少写一道题"), code="invalid_questions")
    return questions


def create_survey(
    *,
    title: str,
    intro: str = "",
    questions: str,
    department=None,
    access: str = SurveyAccess.PHONE,
    by,
) -> Survey:
    if not permissions.can_keep_survey(by, department.pk if department else None):
        raise NotAllowed(_("您无权为该部门发布问卷"))
    if access not in SurveyAccess.values:
        raise Invalid(_("请选择答卷方式"), code="invalid_access")
    title = required_text(title, _("请填写问卷标题"), code="title_required", limit=200)
    parsed = parse_questions(questions)
    with transaction.atomic():
        survey = Survey.objects.create(
            title=title,
            intro=(intro or "").strip(),
            department=department,
            access=access,
            created_by=by,
        )
        for position, q in enumerate(parsed, start=1):
            question = SurveyQuestion.objects.create(
                survey=survey,
                position=position,
                text=q["text"],
                kind=q["kind"],
                required=q["required"],
            )
            SurveyChoice.objects.bulk_create(
                SurveyChoice(question=question, position=i, text=t[:200])
                for i, t in enumerate(q["options"], start=1)
            )
    return survey


def set_survey_open(survey: Survey, *, is_open: bool, by) -> Survey:
    if not permissions.can_keep_survey(by, survey.department_id):
        raise NotAllowed(_("您无权管理该问卷"))
    Survey.objects.filter(pk=survey.pk).update(is_open=is_open)
    survey.is_open = is_open
    return survey


INVITATION_LIMIT = 1000


def invite_to_survey(survey: Survey, *, count: int, by) -> list[SurveyInvitation]:
    """Links for `count` respondents of a survey by invitation (a visit sample, printed
    slips, SMS): each answers once."""
    if not permissions.can_keep_survey(by, survey.department_id):
        raise NotAllowed(_("您无权管理该问卷"))
    if survey.access != SurveyAccess.INVITATION:
        raise Conflict(_("该问卷为公开问卷，无需邀请链接"), code="not_by_invitation")
    if not isinstance(count, int) or not 1 <= count <= INVITATION_LIMIT:
        raise Invalid(_("邀请数量应为 1 至 %(n)d") % {"n": INVITATION_LIMIT}, code="invalid_count")
    with transaction.atomic():
        made = SurveyInvitation.objects.bulk_create(
            SurveyInvitation(survey=survey, created_by=by) for _i in range(count)
        )
        audit.record(
            "feedback.survey_invited",
            actor=by,
            target=survey,
            summary=_("生成问卷邀请链接 %(n)d 个") % {"n": count},
            data={"count": count},
        )
    return made


def respondent_key(survey: Survey, phone: str) -> str:
    """A keyed hash of the phone number, per survey: enough to refuse a second answer, not
    to tell who answered (nor to link answers across surveys)."""
    return salted_hmac(f"yichuang.feedback.survey:{survey.pk}", phone).hexdigest()


def _already() -> Conflict:
    return Conflict(_("您已提交过本问卷，每人只能提交一次，感谢参与"), code="already_answered")


def _values(raw) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, list | tuple):
        return [str(v).strip() for v in raw if str(v).strip()]
    return [str(raw).strip()] if str(raw).strip() else []


def submit_survey(
    survey: Survey, *, answers: dict, phone: str = "", invitation: str = ""
) -> SurveyResponse:
    """`answers` maps question ids (as strings) to a choice id, a list of choice ids, a level
    or a text. A survey by invitation needs the `invitation` token (used once); an open one a
    `phone` number (once per number, only its keyed hash kept)."""
    if not survey.is_open:
        raise Conflict(_("该问卷已结束"), code="survey_closed")
    key = ""
    if survey.access == SurveyAccess.INVITATION:
        if not (invitation or "").strip():
            raise NotFound(
                _("本问卷凭邀请链接填写，请使用您收到的链接"), code="invitation_required"
            )
    else:
        key = respondent_key(survey, normalize_phone(phone, required=True))
    rows = []
    for question in survey.questions.prefetch_related("choices"):
        values = _values(answers.get(str(question.pk)))
        if not values:
            if question.required:
                raise Invalid(_("请回答：%(q)s") % {"q": question.text}, code="answer_missing")
            continue
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            choices = {str(c.pk): c for c in question.choices.all()}
            if any(v not in choices for v in values) or (
                question.kind == QuestionKind.SINGLE and len(values) > 1
            ):
                raise Invalid(_("选项无效：%(q)s") % {"q": question.text}, code="invalid_choice")
            rows += [SurveyAnswer(question=question, choice=choices[v]) for v in set(values)]
        elif question.kind == QuestionKind.RATING:
            if values[0] not in ("1", "2", "3", "4", "5"):
                raise Invalid(
                    _("评分应为 1 至 5：%(q)s") % {"q": question.text}, code="invalid_level"
                )
            rows.append(SurveyAnswer(question=question, level=int(values[0])))
        else:
            rows.append(SurveyAnswer(question=question, text=values[0][:TEXT_LIMIT]))
    with transaction.atomic():
        bound = None
        if survey.access == SurveyAccess.INVITATION:
            bound = (
                SurveyInvitation.objects.select_for_update()
                .filter(survey=survey, token=invitation.strip())
                .first()
            )
            if bound is None:
                raise NotFound(_("邀请链接无效，请核对您收到的链接"), code="invitation_invalid")
            if bound.used_at is not None:
                raise _already()
        elif SurveyResponse.objects.filter(survey=survey, respondent_key=key).exists():
            raise _already()
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    survey=survey, invitation=bound, respondent_key=key
                )
        except IntegrityError as exc:  # the same phone at the same moment
            raise _already() from exc
        if bound is not None:
            bound.used_at = response.submitted_at
            bound.save(update_fields=["used_at"])
        for row in rows:
            row.response = response
        SurveyAnswer.objects.bulk_create(rows)
    return response
