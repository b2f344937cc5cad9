from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yichuang.core.events import Event
from yichuang.core.fields import EncryptedTextField
from yichuang.core.files import private_storage
from yichuang.core.outbound.webhooks import WebhookEvent
from yichuang.org.scoping import visible_department_ids


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    SUPPLEMENT = "supplement", _("待补件")
    ACCEPTED = "accepted", _("已受理")
    SUSPENDED = "suspended", _("已挂起")
    CHECKING = "checking", _("待复核")
    COMPLETED = "completed", _("已办结")
    REJECTED = "rejected", _("不予受理")
    RETURNED = "returned", _("已退件")


# The working-day clock runs in these states only; the light is null elsewhere.
CLOCK_RUNNING = (Status.ACCEPTED, Status.CHECKING)
OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.SUPPLEMENT,
    Status.ACCEPTED,
    Status.SUSPENDED,
    Status.CHECKING,
)


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口")
    ONLINE = "online", _("网上申报")
    POST = "post", _("邮寄")
    PHONE = "phone", _("电话")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("准予")
    REFUSED = "refused", _("不予")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A case is seen by its lead department and by every co-handling department."""
        ids = visible_department_ids(user)
        if ids is None:
            return self
        joint = CasePart.objects.filter(department_id__in=ids).values("case_id")
        if not joint.exists():
            # The common case, and an index-friendly filter: an OR with the joint-case
            # subquery makes PostgreSQL scan every case (the list fell 3x from 10k to 100k).
            return self.filter(department_id__in=ids)
        return self.filter(Q(department_id__in=ids) | Q(pk__in=joint))

    def running(self):
        return self.filter(status__in=CLOCK_RUNNING)


class Case(models.Model):
    """办件: one applicant's application for one catalogue service, from intake to completion.

    Its status changes only by a step of the case flow (flows.py), each one transaction with
    one CaseEvent: the events are its ledger, and `public_events`, written in the same
    transaction, is the applicant's view of them. It keeps the service version it was taken
    under, so a later change of the catalogue never rewrites what the applicant was told. The
    deadline dates are stored when the clock is set or moved (the clock runs only in
    CLOCK_RUNNING); the light is derived from them when read. The lead department owns the
    case and its deadline; the co-handling departments of a joint case see it too. The number
    is public and the query code its secret: together they are how an applicant without an
    account finds it (which is why the public lookups are rate-limited)."""

    number = models.CharField("办件编号", max_length=20, unique=True)
    query_code = models.CharField("查询码", max_length=12)
    service = models.ForeignKey(
        "catalog.Service", verbose_name="服务事项", on_delete=models.PROTECT, related_name="cases"
    )
    service_version = models.PositiveIntegerField("事项版本", default=1)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )

    applicant_name = models.CharField("申请人", max_length=60)
    applicant_id_number = EncryptedTextField("证件号码", blank=True, hash_field="applicant_id_hash")
    applicant_id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    applicant_phone = EncryptedTextField("联系电话", blank=True, hash_field="applicant_phone_hash")
    # Finds the applicant's cases by phone (the portal's 我的 after an SMS code).
    applicant_phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    applicant_email = models.EmailField("电子邮箱", blank=True)

    department = models.ForeignKey(
        "org.Department", verbose_name="牵头部门", on_delete=models.PROTECT, related_name="cases"
    )
    post = models.ForeignKey(
        "org.Post", verbose_name="岗位", on_delete=models.PROTECT, related_name="cases"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    intake_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="受理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_decision = models.CharField(
        "审核意见", max_length=10, choices=Outcome.choices, blank=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    received_at = models.DateTimeField("收件时间", default=timezone.now)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    # Dates in the hall's calendar: the day counted from, the last day, and the day the
    # light turns yellow. Stored when the deadline is set or moved; the light is derived.
    clock_start = models.DateField("起算日", null=True, blank=True)
    deadline = models.DateField("办结期限", null=True, blank=True)
    yellow_on = models.DateField("预警日", null=True, blank=True)
    deadline_provisional = models.BooleanField("期限暂定", default=False)
    committed_days = models.PositiveIntegerField("承诺时限（工作日）", default=0)
    extended_days = models.PositiveIntegerField("延期（工作日）", default=0)
    suspended_on = models.DateField("挂起日", null=True, blank=True)
    suspended_days = models.PositiveIntegerField("挂起（工作日）", default=0)
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    outcome = models.CharField("办理结果", max_length=10, choices=Outcome.choices, blank=True)
    is_joint = models.BooleanField("联办", default=False)
    # 一件事: the bundle applied for (and its version), whose services are this joint case's
    # lead service and parts; see cases.bundles.submit_bundle.
    bundle = models.ForeignKey(
        "catalog.Bundle",
        verbose_name="一件事",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    bundle_version = models.PositiveIntegerField("一件事版本", null=True, blank=True)
    # The applicant's timeline [{at, action, status}], appended with each event in the same
    # transaction: the public progress page (the portal's busiest) then reads one row.
    public_events = models.JSONField("公开进度", default=list, blank=True)
    note = models.TextField("备注", blank=True)

    objects = CaseQuerySet.as_manager()

    # Set by intake on the case it returns (no column): the required materials not brought,
    # [{id, name}], for the clerk and the API's answer.
    missing_at_intake: list[dict]

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            # The hall office's inbox: running cases whose yellow day has come (red ones too).
            models.Index(fields=["status", "yellow_on"], name="case_status_yellow_on"),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["post", "status"]),
            models.Index(fields=["received_at"]),
            # A department's list newest first, and the keyset that pages it (issue 15).
            models.Index(
                fields=["department", "received_at", "id"], name="case_department_received"
            ),
            # The appraisal's period figures (bench/appraisal_bench.py: month 542 → 149 ms at 1M cases).
            models.Index(fields=["accepted_at"], name="case_accepted_at"),
            models.Index(
                fields=["completed_at"], include=["id", "status"], name="case_completed_ids"
            ),
        ]
        verbose_name = "办件"
        verbose_name_plural = "办件"

    def __str__(self):
        return f"{self.number} {self.service_id and self.service.name}"

    @property
    def clock_running(self) -> bool:
        return self.status in CLOCK_RUNNING

    @property
    def clock_paused(self) -> bool:
        """Suspended (§45): the deadline moves by the working days it stands still."""
        return self.status == Status.SUSPENDED

    @property
    def completed_on_time(self) -> bool | None:
        if self.status != Status.COMPLETED or self.deadline is None or self.completed_at is None:
            return None
        return timezone.localdate(self.completed_at) <= self.deadline


class CaseMaterial(models.Model):
    """The service's materials as they were at intake, and whether each was brought."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    material_id = models.PositiveIntegerField("材料编号")
    name = models.CharField("材料名称", max_length=200)
    required = models.BooleanField("必需", default=True)
    provided = models.BooleanField("已提交", default=False)
    position = models.PositiveIntegerField(default=0)
    # 减少重复填表: the earlier case's material, verified there, that the applicant did not
    # bring again (confirmed by a tick at intake, never by default); always an original
    # verification, not another reuse, so its case and date are where the paper was checked.
    reused_from = models.ForeignKey(
        "self",
        verbose_name="沿用自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "material_id"], name="unique_case_material")
        ]


class PartStatus(models.TextChoices):
    PENDING = "pending", _("待启动")
    RUNNING = "running", _("办理中")
    DONE = "done", _("已完成")
    REFUSED = "refused", _("已退回")
    DROPPED = "dropped", _("已撤除")


# A part still owed to the lead: the lead completes only when none is left (check_case).
OPEN_PART_STATUSES = (PartStatus.PENDING, PartStatus.RUNNING, PartStatus.REFUSED)
# A part's clock runs while it is running and the case is being handled (not after the lead
# closed it, whatever the part's own row still says).
PART_CLOCK_CASE_STATUSES = (Status.ACCEPTED, Status.SUSPENDED, Status.CHECKING)


class CasePart(models.Model):
    """A co-department's part of a joint case (联办): the lead department owns the case and its
    deadline; each part has its own service (optional), post, handler (AB routing), clock and
    status. Pending until the lead accepts the case, then running with its handler and
    deadline (the service's committed working days, or the case's, from the acceptance day);
    done when its department completes it, refused with reasons (the lead then drops it or
    returns the case). Its steps are events of the case (CASE_FLOW), so the case's ledger
    tells the whole story."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parts")
    department = models.ForeignKey(
        "org.Department",
        verbose_name="联办部门",
        on_delete=models.PROTECT,
        related_name="joint_parts",
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name="联办事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("承办事项", max_length=200)
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(
        "状态", max_length=10, choices=PartStatus.choices, default=PartStatus.PENDING
    )
    post = models.ForeignKey(
        "org.Post",
        verbose_name="岗位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_parts",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_parts",
    )
    committed_days = models.PositiveIntegerField("承诺时限（工作日）", default=0)
    clock_start = models.DateField("起算日", null=True, blank=True)
    deadline = models.DateField("办结期限", null=True, blank=True)
    yellow_on = models.DateField("预警日", null=True, blank=True)
    deadline_provisional = models.BooleanField("期限暂定", default=False)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("办理情况 / 退回理由", blank=True)

    # Set by the case page (no column): the steps the viewer may take on it. Its light is
    # annotated by queries.parts_of, as a case's by with_light.
    actions: list[str]

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "department"], name="unique_case_participant")
        ]
        indexes = [
            # A handler's running parts (the inbox), and the parts whose yellow day has come.
            models.Index(fields=["assignee", "status"], name="case_part_assignee_status"),
            models.Index(fields=["status", "yellow_on"], name="case_part_status_yellow_on"),
        ]
        verbose_name = "联办事项"
        verbose_name_plural = "联办事项"

    def __str__(self):
        return f"{self.case_id}:{self.department_id} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PART_STATUSES


class ExtensionRequest(models.Model):
    """A handler's request for more time (行政许可法 §42: +10 working days with the head's
    approval); the head extends (approves) or refuses. One open request per case."""

    class Decision(models.TextChoices):
        PENDING = "", _("待批准")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予延期")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    days = models.PositiveIntegerField("申请延长（工作日）")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    decision = models.CharField(
        "批准结果", max_length=10, choices=Decision.choices, blank=True, default=""
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("批准时间", null=True, blank=True)
    decision_note = models.TextField("批准意见", blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(decision=""),
                name="one_open_extension_request",
            )
        ]
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"


# What each step is called where it is taken: on its button, as the inbox's next step and in
# messages ("受理" is a verb here: "Accept").
ACTION_LABELS = {
    "create": _("收件"),
    "accept": pgettext_lazy("step", "受理"),
    "request_supplement": _("一次性告知补件"),
    "supplement": _("补齐材料"),
    "reject": _("不予受理"),
    "return": _("退件"),
    "complete": _("即办办结"),
    "review": _("审核（一审）"),
    "check": _("复核（一核）"),
    "suspend": _("挂起"),
    "resume": _("恢复办理"),
    "extend": _("延期"),
    "request_extension": _("申请延期"),
    "refuse_extension": _("不予延期"),
    "transfer": _("转办"),
    "complete_part": _("联办部门完成"),
    "refuse_part": _("联办部门退回"),
    "drop_part": _("撤除联办事项"),
    "view_personal_data": _("查看个人信息"),
    "recompute_deadline": _("期限按放假通知重新计算"),
}

# What each step is called once taken (the event's label, in the timelines and the ledger): the
# same words in Chinese, but English reads a record as things done ("Received", "Accepted").
EVENT_LABELS = {
    "create": pgettext_lazy("event", "收件"),
    "accept": pgettext_lazy("event", "受理"),
    "request_supplement": pgettext_lazy("event", "一次性告知补件"),
    "supplement": pgettext_lazy("event", "补齐材料"),
    "reject": pgettext_lazy("event", "不予受理"),
    "return": pgettext_lazy("event", "退件"),
    "complete": pgettext_lazy("event", "即办办结"),
    "review": pgettext_lazy("event", "审核（一审）"),
    "check": pgettext_lazy("event", "复核（一核）"),
    "suspend": pgettext_lazy("event", "挂起"),
    "resume": pgettext_lazy("event", "恢复办理"),
    "extend": pgettext_lazy("event", "延期"),
    "transfer": pgettext_lazy("event", "转办"),
    "complete_part": pgettext_lazy("event", "联办部门完成"),
    "refuse_part": pgettext_lazy("event", "联办部门退回"),
    "drop_part": pgettext_lazy("event", "撤除联办事项"),
    "view_personal_data": pgettext_lazy("event", "查看个人信息"),
    "recompute_deadline": pgettext_lazy("event", "期限按放假通知重新计算"),
}


class CaseEvent(Event):
    """The ledger (台账): every step of a case, append-only (fields: core/events.py)."""

    ledger_title = _("办件流转记录")
    action_labels = EVENT_LABELS
    statuses = Status

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        indexes = [
            models.Index(fields=["case", "at"]),
            models.Index(fields=["action", "at"], include=["case"], name="case_event_action_at"),
            models.Index(
                fields=["at"], condition=Q(covered_for__isnull=False), name="case_event_cover_at"
            ),
        ]

    def webhook_event(self) -> WebhookEvent | None:
        """Each step of a case, to the subscribers of "case" (core/outbound/webhooks.py): the
        case's number and statuses only. Looking at personal data is no step of the case."""
        if self.action == "view_personal_data":
            return None
        number = self.case.number
        return WebhookEvent(
            key=f"{self._meta.label_lower}#{self.seq}",
            kind="case",
            event=f"case.{self.action}",
            at=self.at,
            reference=number,
            obj={
                "type": "case",
                "number": number,
                "status": self.status,
                "from_status": self.from_status,
            },
        )


class Document(models.Model):
    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("受理通知书")
        SUPPLEMENT = "supplement", _("补件通知书")
        REJECTION = "rejection", _("不予受理通知书")
        RETURN = "return", _("退件通知书")
        COMPLETION = "completion", _("办结通知书")
        # 行政许可法 §38: the written refusal with its reasons and the applicant's remedies.
        REFUSAL = "refusal", _("不予许可决定书")
        EXTENSION = "extension", _("延期办理告知书")  # §42
        SUSPENSION = "suspension", _("中止办理告知书")  # §45
        RESUMPTION = "resumption", _("恢复办理告知书")  # §45

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    number = models.CharField("文书编号", max_length=40, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]


def attachment_path(instance, filename):
    # Stored under the case number, never under the applicant's file name (PIPL).
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"cases/{instance.case.number}/{instance.material_id}-{timezone.now():%H%M%S%f}.{ext}"


class Attachment(models.Model):
    """An uploaded material of an online application or supplement."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    material_id = models.PositiveIntegerField("材料编号")
    file = models.FileField("文件", upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    # Set by attachments.listed() for a page (no column): the material's name in the case.
    material_name: str

    class Meta:
        ordering = ["uploaded_at", "id"]


class ReuseConsent(models.Model):
    """An applicant's consent (PIPL §14) to have their earlier verified materials and contact
    details offered when they apply again (cases/reuse.py). Keyed by what the channel proves:
    the ID number's keyed hash at the window (the card is shown), the SMS-verified phone's
    keyed hash on the portal; a window consent keeps the typed phone's hash too, so that 我的
    can withdraw it. Rows are never deleted: a withdrawal is dated, and a new consent is a new
    row. `text_version` names the wording the applicant agreed to (reuse.CONSENT_VERSION)."""

    id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    text_version = models.CharField("告知文本版本", max_length=20)
    given_at = models.DateTimeField("同意时间", default=timezone.now)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_channel = models.CharField("撤回渠道", max_length=10, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = "材料沿用授权"
        verbose_name_plural = "材料沿用授权"


class CaseTally(models.Model):
    """How many cases each department leads in each status: what the lists' totals read
    instead of counting the hall's whole history (issue 15). Kept by cases/tally.py in the
    transaction of every step that creates a case or changes its status or department; counted
    again from the rows by `tally.rebuild()` (`manage.py recount_cases`, the bench loaders)."""

    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "status"], name="unique_case_tally")
        ]

    def __str__(self):
        return f"{self.department_id} {self.status} {self.count}"


class DayCount(models.Model):
    """Whether the appraisal's daily summary of a day (appraisal.DayFigures) may be read:
    counted with the calendar of `calendar_token` (working days), and not touched since
    (`dirty`, set by `cases.figure_days.touch` in the transaction of every change to a row
    the day's counts read: the case flow, the rating services). Kept here, below the apps
    that touch days; the summary itself is the appraisal's (appraisal/summary.py). A day
    without a row was never counted."""

    day = models.DateField(_("日期"), unique=True)
    dirty = models.BooleanField(default=False)
    calendar_token = models.CharField(max_length=32, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("日统计状态")
        verbose_name_plural = _("日统计状态")
