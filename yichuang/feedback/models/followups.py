from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yichuang.core.events import Event

from ..permissions import handling_department_ids

if TYPE_CHECKING:
    from .visits import Visit


class FollowUpStatus(models.TextChoices):
    VERIFYING = "verifying", _("待回访核实")
    RECTIFYING = "rectifying", _("待整改")
    REPLYING = "replying", _("待答复")
    REPLIED = "replied", _("已答复待办结")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


# The clock runs and the light shows while one of these steps is open.
FOLLOWUP_RUNNING = (FollowUpStatus.VERIFYING, FollowUpStatus.RECTIFYING, FollowUpStatus.REPLYING)


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("情况属实")
    PARTLY = "partly", _("部分属实")
    UNSUBSTANTIATED = "unsubstantiated", _("情况不属实")


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = handling_department_ids(user)
        if ids is None:
            return self
        return self.filter(Q(department_id__in=ids) | Q(owner_id=getattr(user, "pk", None)))

    def running(self):
        return self.filter(status__in=FOLLOWUP_RUNNING)


class FollowUp(models.Model):
    """What a bad rating (不满意 or worse) — or a 不满意 answer in a follow-up visit — opens at
    once: verify with the applicant, rectify, reply, close — owned by the head of the rated
    department, with working-day due dates. Its source is a rating or a visit, never both."""

    rating = models.OneToOneField(
        "feedback.Rating",
        verbose_name=_("评价"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_up",
    )
    visit = models.OneToOneField(
        "feedback.Visit",
        verbose_name=_("跟踪回访"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_up",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.VERIFYING
    )
    opened_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    # Fixed at opening by the hall calendar; `due`/`yellow_on` follow the open step and the
    # light is derived from them when read.
    verify_due = models.DateField(_("核实期限"))
    rectify_due = models.DateField(_("整改期限"))
    due = models.DateField(_("当前期限"))
    yellow_on = models.DateField(_("预警日"))

    finding = models.CharField(_("核实结论"), max_length=16, choices=Finding.choices, blank=True)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rectification = models.TextField(_("整改措施"), blank=True)
    rectified_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["opened_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=False, visit__isnull=True)
                | Q(rating__isnull=True, visit__isnull=False),
                name="follow_up_of_rating_xor_visit",
            )
        ]
        verbose_name = _("差评回访")
        verbose_name_plural = _("差评回访")

    def __str__(self):
        return f"#{self.pk} {self.get_status_display()}"

    # What the follow-up is about, whichever its source: the level given, by whom, when, the
    # person rated and what was said. (Reading `self.rating` when its id is null costs no
    # query.)
    @property
    def _visit(self) -> "Visit":
        """The visit, when there is no rating: the check constraint holds exactly one."""
        assert self.visit is not None
        return self.visit

    @property
    def level(self) -> int | None:
        return self.rating.level if self.rating else self._visit.worst_level

    @property
    def level_label(self) -> str:
        from .ratings import Level

        return str(Level(self.level).label) if self.level else ""

    @property
    def staff(self):
        if self.rating:
            return self.rating.staff
        case = self._visit.case
        return case.assignee or case.intake_by

    @property
    def source_at(self):
        return self.rating.created_at if self.rating else self._visit.visited_at

    @property
    def source_label(self) -> str:
        return str(self.rating.get_channel_display() if self.rating else _("跟踪回访"))

    @property
    def comment(self) -> str:
        return self.rating.comment if self.rating else self._visit.complaint_text

    @property
    def is_running(self) -> bool:
        return self.status in FOLLOWUP_RUNNING

    @property
    def verified_on_time(self) -> bool | None:
        if self.verified_at is None:
            return None
        return timezone.localdate(self.verified_at) <= self.verify_due

    @property
    def rectified_on_time(self) -> bool | None:
        done = self.replied_at
        if done is None:
            return None
        return timezone.localdate(done) <= self.rectify_due


# What each step is called where it is taken: its button, the inbox's next step, messages.
FOLLOWUP_LABELS = {
    "open": _("差评发起回访"),
    "verify": _("回访核实"),
    "rectify": _("整改"),
    "reply": _("答复评价人"),
    "close": pgettext_lazy("step", "办结"),
    "cancel": _("撤销（评价已撤销）"),
    "hold_accountable": _("责任追究"),
}
# The events' labels (timeline, ledger): the same words in Chinese, things done in English.
FOLLOWUP_EVENT_LABELS = {
    "open": pgettext_lazy("event", "差评发起回访"),
    "verify": pgettext_lazy("event", "回访核实"),
    "rectify": pgettext_lazy("event", "整改"),
    "reply": pgettext_lazy("event", "答复评价人"),
    "close": pgettext_lazy("event", "办结"),
    "cancel": pgettext_lazy("event", "撤销（评价已撤销）"),
    "hold_accountable": pgettext_lazy("event", "责任追究"),
}


class FollowUpEvent(Event):
    """Every step of a follow-up, append-only: who, when, from which state to which, note
    (fields: core/events.py)."""

    ledger_title = _("差评回访整改记录")
    action_labels = FOLLOWUP_EVENT_LABELS
    statuses = FollowUpStatus

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        indexes = [models.Index(fields=["follow_up", "at"])]
