"""Star-staff elections (微笑服务之星, seed 002): nomination, the voter roll, secret ballots.

Secrecy is a property of the tables, not of the views: the roll records *that* a voter has
voted (`VoterRoll.voted_at`); a `Ballot` records *what* was chosen and nothing else — no
voter, no time, a random primary key, so neither its columns nor its order link it to a
voter. Closing the election reshuffles the ballot box (see services.ballots).
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yichuang.core.fields import EncryptedTextField


class ElectionStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已计票")
    PUBLISHED = "published", _("已公布")


class ElectionStage(models.TextChoices):
    """Where the election stands by its dates; derived when read, never stored."""

    NOT_STARTED = "not_started", _("未开始")
    NOMINATION = "nomination", _("候选人申报")
    PREVIEW = "preview", _("候选人公示")
    VOTING = "voting", _("投票中")
    COUNTING = "counting", _("待计票")
    CLOSED = "closed", _("已计票")
    PUBLISHED = "published", _("已公布")


class ElectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self

    def published(self):
        return self.filter(status=ElectionStatus.PUBLISHED)


class Election(models.Model):
    """微笑服务之星评选: the star-staff election — each invited department's head nominates one
    candidate, then the roll's voters cast one secret ballot each for up to `max_choices`.

    Its dates run in order (nomination before voting, a check constraint), and where it stands
    is derived from them (`stage`), never stored. Closing counts the box once; candidates
    tied for the last seats stay unelected until the hall office records its decision, and
    the result is public only once published."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="所属活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="elections",
    )
    title = models.CharField("评选名称", max_length=100)
    criteria = models.TextField("评选条件")
    departments = models.ManyToManyField(
        "org.Department", verbose_name="申报部门", related_name="+", blank=True
    )
    nomination_opens = models.DateField("申报开始")
    nomination_closes = models.DateField("申报截止")
    voting_opens = models.DateField("投票开始")
    voting_closes = models.DateField("投票截止")
    seats = models.PositiveSmallIntegerField("评选名额", default=10)
    max_choices = models.PositiveSmallIntegerField("每票最多可选", default=10)
    figures_since = models.DateField("业绩统计起始日", help_text="候选人办件数据从此日起统计")
    status = models.CharField(
        "状态", max_length=10, choices=ElectionStatus.choices, default=ElectionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField("计票时间", null=True, blank=True)
    ballots_counted = models.PositiveIntegerField("有效票数", null=True, blank=True)
    tie_note = models.CharField("并列处理说明", max_length=300, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-voting_closes", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nomination_opens__lte=models.F("nomination_closes"))
                & Q(nomination_closes__lt=models.F("voting_opens"))
                & Q(voting_opens__lte=models.F("voting_closes")),
                name="election_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(max_choices__gte=1), name="election_counts_positive"
            ),
        ]
        verbose_name = "服务之星评选"
        verbose_name_plural = "服务之星评选"

    def __str__(self):
        return self.title

    def stage(self, today: date | None = None) -> str:
        if self.status != ElectionStatus.OPEN:
            return ElectionStage(self.status)
        today = today or timezone.localdate()
        if today < self.nomination_opens:
            return ElectionStage.NOT_STARTED
        if today <= self.nomination_closes:
            return ElectionStage.NOMINATION
        if today < self.voting_opens:
            return ElectionStage.PREVIEW
        if today <= self.voting_closes:
            return ElectionStage.VOTING
        return ElectionStage.COUNTING

    def stage_label(self, today: date | None = None) -> str:
        return str(ElectionStage(self.stage(today)).label)

    def is_nominating(self, today: date | None = None) -> bool:
        return self.stage(today) == ElectionStage.NOMINATION

    def is_voting(self, today: date | None = None) -> bool:
        return self.stage(today) == ElectionStage.VOTING


class Candidate(models.Model):
    """A department's one nominee, with the deeds its head wrote."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    department = models.ForeignKey(
        "org.Department", verbose_name="推荐部门", on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="候选人",
        on_delete=models.PROTECT,
        related_name="star_nominations",
    )
    deeds = models.TextField("主要事迹")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)
    votes = models.PositiveIntegerField("得票", null=True, blank=True)
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    elected = models.BooleanField("当选", default=False)
    tied = models.BooleanField(
        "并列待定", default=False, help_text="与最后一个名额并列，待评选工作组决定"
    )

    class Meta:
        ordering = ["election", "department__sort_order", "department__code"]
        constraints = [
            # 002: 每个机关部门……申报一名“微笑服务之星”候选人
            models.UniqueConstraint(
                fields=["election", "department"], name="one_candidate_per_department"
            ),
            models.UniqueConstraint(fields=["election", "staff"], name="unique_candidate_staff"),
        ]
        verbose_name = "候选人"
        verbose_name_plural = "候选人"

    def __str__(self):
        return f"{self.staff} · {self.department}"


class VoterGroup(models.TextChoices):
    CADRE = "cadre", _("中层以上干部")
    TEACHER = "teacher", _("教师代表")
    STUDENT = "student", _("学生代表")


class VoterRoll(models.Model):
    """One person entitled to one ballot: a staff member (signs in) or a representative
    without an account (votes with a printed ballot code, of which only a keyed hash is kept)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voter_rolls",
    )
    name = models.CharField("姓名", max_length=40)
    group = models.CharField("类别", max_length=10, choices=VoterGroup.choices)
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    phone = EncryptedTextField("手机", blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    voted_at = models.DateTimeField("已投票", null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["election", "group", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "staff"],
                condition=Q(staff__isnull=False),
                name="one_roll_entry_per_staff",
            ),
            models.UniqueConstraint(
                fields=["token_digest"],
                condition=~Q(token_digest=""),
                name="unique_ballot_code",
            ),
        ]
        verbose_name = "投票人"
        verbose_name_plural = "投票人名单"

    def __str__(self):
        return self.name

    @property
    def has_voted(self) -> bool:
        return self.voted_at is not None


class Ballot(models.Model):
    """One cast ballot. Deliberately nothing but its election: see the module docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")

    class Meta:
        ordering = ["id"]
        verbose_name = "选票"
        verbose_name_plural = "选票"


class BallotChoice(models.Model):
    # A random key here too: an increasing one would number the ballots in casting order.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="choices")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "candidate"], name="unique_ballot_choice")
        ]
        verbose_name = "选票选项"
        verbose_name_plural = "选票选项"
