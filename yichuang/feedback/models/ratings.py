import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yichuang.org.scoping import visible_department_ids


class Level(models.IntegerChoices):
    """The five levels of 好差评 (GB/T 39734-2020); 差评 is the lowest two."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    FAIRLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)


def tablet_statuses() -> tuple[str, ...]:
    """Case statuses a clerk may hand to the tablet: finished at the counter (completed,
    rejected, returned). A case still running is rated there only where the hall rates at
    intake (FEEDBACK_RATE_AT_INTAKE); its applicant can always rate later with the query
    code."""
    finished = ("completed", "rejected", "returned")
    if getattr(settings, "FEEDBACK_RATE_AT_INTAKE", False):
        return (*finished, "accepted", "suspended", "checking")
    return finished


class Channel(models.TextChoices):
    TABLET = "tablet", _("窗口测评器")
    QR = "qr", _("扫码评价")
    SMS = "sms", _("短信评价")
    PORTAL = "portal", _("网上评价")
    # What the asker said on the phone or at the counter, recorded by the staff member.
    STAFF = "staff", _("工作人员代录")
    DEFAULT = "default", _("默认评价")


class RatingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The people rated see their own ratings; their heads the department's; the hall-wide
        roles all (glpi #8645: ratings must reach the rated and their heads)."""
        ids = visible_department_ids(user)
        if ids is None:
            return self
        if ids and user.has_role("department_head"):
            return self.filter(Q(department_id__in=ids) | Q(staff_id=user.pk))
        return self.filter(staff_id=user.pk) if getattr(user, "pk", None) else self.none()

    def counted(self):
        """Ratings that count in figures: not voided by appeal or review."""
        return self.filter(voided_at__isnull=True)


class Rating(models.Model):
    """One rating of one case (一事一评), or of one inquiry. The rater is the applicant of the
    case; their identity is never stored here nor shown with the rating."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        verbose_name=_("咨询"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    level = models.PositiveSmallIntegerField(_("评价等级"), choices=Level.choices)
    channel = models.CharField(_("评价渠道"), max_length=10, choices=Channel.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    # The indicators (评价指标, GB/T 39735-2020) the rater ticked after the level, as codes of
    # the set named by `indicator_set` (feedback/indicators.py); a set is never changed once
    # used, so old ratings keep their meaning when a new set is added.
    indicators = models.JSONField(_("评价指标"), default=list, blank=True)
    indicator_set = models.CharField(_("评价指标版本"), max_length=40, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被评价人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings_received",
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="ratings"
    )
    post = models.ForeignKey(
        "org.Post",
        verbose_name=_("岗位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
    )
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now)
    is_default = models.BooleanField(_("默认评价"), default=False)
    voided_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    void_reason = models.TextField(_("撤销理由"), blank=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], name="one_rating_per_case"),
            models.UniqueConstraint(fields=["inquiry"], name="one_rating_per_inquiry"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="rating_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False, inquiry__isnull=True)
                | Q(case__isnull=True, inquiry__isnull=False),
                name="rating_of_case_xor_inquiry",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "created_at"]),
            models.Index(fields=["staff", "created_at"]),
            models.Index(fields=["created_at"]),
        ]
        verbose_name = _("评价")
        verbose_name_plural = _("评价（好差评）")

    def __str__(self):
        return f"{self.get_level_display()} · {self.created_at:%Y-%m-%d}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class AppealState(models.TextChoices):
    PENDING = "pending", _("待复核")
    UPHELD = "upheld", _("已撤销评价")
    DISMISSED = "dismissed", _("维持评价")


class RatingAppeal(models.Model):
    """A request to void a rating: from the rater (a mistaken tap) or from the person rated or
    their head (a malicious rating). The hall office decides; the reasons are kept."""

    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="appeals")
    by_rater = models.BooleanField(_("评价人申诉"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申诉人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("申诉理由"))
    created_at = models.DateTimeField(_("申诉时间"), default=timezone.now)
    state = models.CharField(
        _("状态"), max_length=10, choices=AppealState.choices, default=AppealState.PENDING
    )
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("复核意见"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating"], condition=Q(state="pending"), name="one_pending_appeal"
            )
        ]
        verbose_name = _("评价申诉")
        verbose_name_plural = _("评价申诉")


def _tablet_token() -> str:
    return secrets.token_urlsafe(16)


class Tablet(models.Model):
    """A window's evaluation tablet (测评器). Its secret link is its only credential: the
    tablet shows the window's current case and may rate it without the query code."""

    window = models.ForeignKey(
        "org.Window", verbose_name=_("窗口"), on_delete=models.CASCADE, related_name="tablets"
    )
    name = models.CharField(_("名称"), max_length=60, blank=True)
    token = models.CharField(_("访问令牌"), max_length=40, unique=True, default=_tablet_token)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["window__sort_order", "window__number", "id"]
        verbose_name = _("测评器")
        verbose_name_plural = _("测评器")

    def __str__(self):
        return self.name or str(self.window)


class RatingInvitation(models.Model):
    """The clerk hands one case to the window's tablet (请评价): the only case that tablet may
    rate without the query code. One open invitation per tablet (a new one withdraws the
    older), consumed by one rating, void after FEEDBACK_TABLET_INVITATION_MINUTES."""

    tablet = models.ForeignKey(
        Tablet, verbose_name=_("测评器"), on_delete=models.CASCADE, related_name="invitations"
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("办件"),
        on_delete=models.PROTECT,
        related_name="rating_invitations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("邀请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    consumed_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rating = models.OneToOneField(
        Rating,
        verbose_name=_("评价"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tablet"],
                condition=Q(consumed_at__isnull=True, withdrawn_at__isnull=True),
                name="one_open_invitation_per_tablet",
            )
        ]
        verbose_name = _("测评器评价邀请")
        verbose_name_plural = _("测评器评价邀请")

    def __str__(self):
        return f"{self.tablet} · {self.case_id}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.consumed_at is None and self.withdrawn_at is None and self.expires_at > now
