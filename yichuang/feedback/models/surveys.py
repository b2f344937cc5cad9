import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..permissions import handling_department_ids


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    RATING = "rating", _("评分")
    TEXT = "text", _("填空")


def _survey_token() -> str:
    return secrets.token_urlsafe(9)


class SurveyAccess(models.TextChoices):
    """Who may answer, once each: the holder of an invitation link (a sample of applicants,
    a printed slip, an SMS), or anyone through the open link with a phone number (one answer
    per number; only a keyed hash of it is kept)."""

    PHONE = "phone", _("公开链接，每个手机号一份")
    INVITATION = "invitation", _("凭邀请链接，每个链接一份")


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A department's surveys to its head, the hall's to the hall office."""
        ids = handling_department_ids(user)
        if ids is None:
            return self
        return self.filter(department_id__in=ids)


class Survey(models.Model):
    """A questionnaire (问卷) answered anonymously through its public link."""

    title = models.CharField(_("标题"), max_length=200)
    intro = models.TextField(_("说明"), blank=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
        help_text=_("留空为全大厅问卷"),
    )
    token = models.CharField(max_length=20, unique=True, default=_survey_token)
    access = models.CharField(
        _("答卷方式"), max_length=12, choices=SurveyAccess.choices, default=SurveyAccess.PHONE
    )
    is_open = models.BooleanField(_("开放答卷"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")

    def __str__(self):
        return self.title


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    text = models.CharField(_("题目"), max_length=300)
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("必答"), default=True)

    # Set by the public survey page on a refused submission, so the form shows what was
    # answered (no column).
    chosen: list[str]

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = _("题目")
        verbose_name_plural = _("题目")

    def __str__(self):
        return self.text


class SurveyChoice(models.Model):
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(_("选项"), max_length=200)

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self):
        return self.text


def _invitation_token() -> str:
    return secrets.token_urlsafe(12)


class SurveyInvitation(models.Model):
    """One respondent's link to a survey by invitation: answers once. Nothing about the
    person is kept here (the links are printed or sent by whoever drew the sample)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=24, unique=True, default=_invitation_token)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    used_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("问卷邀请")
        verbose_name_plural = _("问卷邀请")


class SurveyResponse(models.Model):
    """One filled-in questionnaire. Anonymous: no account, address or device is kept — only
    what makes it one per respondent: the invitation it used, or a keyed hash of the phone
    number given on the open link."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_at = models.DateTimeField(default=timezone.now)
    invitation = models.OneToOneField(
        SurveyInvitation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="response",
    )
    respondent_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["survey", "submitted_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_key"],
                condition=~Q(respondent_key=""),
                name="one_response_per_phone",
            )
        ]


class SurveyAnswer(models.Model):
    """One answer: a chosen option (one row per option of a multiple choice), a level from 1
    to 5, or a text."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        SurveyChoice, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "choice"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=5),
                name="survey_level_1_to_5",
            )
        ]
