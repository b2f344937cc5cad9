"""The service catalogue: items (服务事项), their materials and steps, and dated versions.

The live rows always equal the snapshot of the item's current version: every change goes
through `services.save_service`, which writes the rows and publishes the next version in one
transaction. A case stores (service, version number) and reads that version's snapshot, so
later edits never change what an applicant was told.
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yichuang.org.scoping import managed_department_ids, present_in_hall

SAMPLE_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"]


class Kind(models.TextChoices):
    IMMEDIATE = "immediate", _("即办件")
    COMMITTED = "committed", _("承诺件")


class MaterialFormat(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    EITHER = "either", _("纸质或电子")


class ServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        # The catalogue is public: every item can be read by anyone, signed in or not.
        return self

    def in_hall(self, hall):
        """Items offered in `hall` (None: everywhere, as a one-hall deployment reads)."""
        if hall is None:
            return self
        return self.filter(present_in_hall(self.model, hall))

    def editable_by(self, user):
        ids = managed_department_ids(user)
        if ids is None:
            return self
        return self.filter(department__in=ids)


class Service(models.Model):
    """服务事项: something an applicant can apply for, as the catalogue publishes it — the
    source of its one-time notification sheet and of every case's materials and time limits.

    The code never changes once published, because printed sheets and QR codes carry it. The
    committed time limit never exceeds the legal one (a check constraint). A change of what
    applicants are told is published as the next dated ServiceVersion (`version` is the
    latest); a case keeps the number it was taken under, so it can always show the sheet it
    was given. Items are withdrawn (`is_active`), not deleted: cases protect them. The
    catalogue is public to read; only those who manage its department (its head, the hall
    office) change it. Empty place, hours and phones fall back to the department's."""

    code = models.SlugField(
        _("事项编码"),
        max_length=40,
        unique=True,
        help_text=_("小写字母、数字和连字符，发布后不可修改"),
    )
    name = models.CharField(_("事项名称"), max_length=100)
    # The national code of the item (国家政务服务事项编码, GB/T 39554.1-2020): its basic code or
    # its implementation code (the implementing body's 18-character credit code followed by the
    # basic code), as the province's catalogue gives it. It is what pushes to the provincial
    # 好差评 platform and printed sheets carry; `code` stays the hall's own key. Optional, because
    # a university's own items have none. Checked by validation.py (letters and digits, 4–40).
    item_code = models.CharField(
        _("国家事项编码"),
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_("国家政务服务事项编码（基本编码或实施编码），大写字母和数字，4–40 位"),
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("实施部门"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    post = models.ForeignKey(
        "org.Post", verbose_name=_("责任岗位"), on_delete=models.PROTECT, related_name="services"
    )
    kind = models.CharField(_("办件类型"), max_length=20, choices=Kind.choices)
    legal_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"))
    committed_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), default=0)
    basis = models.TextField(_("设定依据"))
    conditions = models.TextField(_("受理条件"), blank=True)
    fees = models.CharField(_("收费标准"), max_length=200, default="不收费")
    fee_basis = models.TextField(_("收费依据"), blank=True)
    location = models.CharField(
        _("办理地点"), max_length=120, blank=True, help_text=_("留空时使用部门的办公地点")
    )
    hours = models.CharField(
        _("办理时间"), max_length=120, blank=True, help_text=_("留空时使用部门的办公时间")
    )
    phones = models.CharField(
        _("咨询电话"), max_length=80, blank=True, help_text=_("留空时使用部门的咨询电话")
    )
    complaint_phone = models.CharField(
        _("投诉电话"), max_length=40, blank=True, help_text=_("留空时使用部门的投诉电话")
    )
    online = models.BooleanField(_("可网上办理"), default=False)
    # Where the item is offered; naming none, the default hall (org.scoping.present_in_hall).
    halls = models.ManyToManyField(
        "org.Hall",
        verbose_name=_("办理大厅"),
        blank=True,
        related_name="services",
        help_text=_("留空：默认大厅"),
    )
    category = models.CharField(_("分类"), max_length=40, blank=True)
    # What people call the item when they do not know its name (学生证 丢了 → 学生证补办): found
    # by the catalogue's search and the free-question routing (inquiries/suggest.py), never
    # printed on the sheet, so changing them publishes no new version.
    keywords = models.CharField(
        _("关键词（别名）"),
        max_length=200,
        blank=True,
        help_text=_("用空格分隔，如：学生证丢了 补学生证 xsz"),
    )
    # The name's and then each keyword's keys, space-separated ("xszbb bxsz"), so initials of
    # an alias find the item too.
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=400, blank=True, editable=False)
    pinyin = models.CharField(_("全拼"), max_length=1200, blank=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(_("当前版本"), default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["department__sort_order", "department__code", "code"]
        indexes = [
            models.Index(fields=["is_active", "department"], name="catalog_service_active_dept"),
            models.Index(fields=["pinyin_initials"], name="catalog_service_initials"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(committed_days__lte=models.F("legal_days")),
                name="committed_within_legal_days",
                violation_error_message=_("承诺时限不能超过法定时限"),
            ),
        ]
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @property
    def is_immediate(self) -> bool:
        return self.kind == Kind.IMMEDIATE


class Material(models.Model):
    """A document the applicant brings. Rows keep their id across versions while the name is
    unchanged, so a material id in a case still names the same document."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("材料名称"), max_length=120)
    required = models.BooleanField(_("必需"), default=True)
    condition = models.CharField(
        _("适用情形"), max_length=200, blank=True, help_text=_("非必需材料在何种情形下需要提交")
    )
    originals = models.PositiveSmallIntegerField(_("原件份数"), default=1)
    copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    format = models.CharField(
        _("材料形式"), max_length=20, choices=MaterialFormat.choices, default=MaterialFormat.PAPER
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)
    # How long a verified copy stays good for another application (materials reuse, 减少重复
    # 填表); blank: it does not expire (an ID card copy), a number: a recent paper (a bank
    # statement of the last 30 days).
    valid_days = models.PositiveIntegerField(
        _("有效期（天）"),
        null=True,
        blank=True,
        help_text=_("已核验的材料可在再次申请时沿用的天数；留空表示长期有效"),
    )
    # Samples are served to the public: documents and images only, never HTML or scripts.
    sample = models.FileField(
        _("样表"),
        upload_to="catalog/samples/",
        blank=True,
        validators=[FileExtensionValidator(SAMPLE_EXTENSIONS)],
        help_text=_("PDF、Word、Excel 或图片"),
    )

    class Meta:
        ordering = ["service", "position", "id"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self):
        return self.name


class Step(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("步骤"), max_length=60)
    description = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["service", "position", "id"]
        verbose_name = _("办理流程")
        verbose_name_plural = _("办理流程")

    def __str__(self):
        return self.title


class PublishedVersion(models.Model):
    """What every published version holds: its number, date, publisher, note and snapshot."""

    number = models.PositiveIntegerField(_("版本号"))
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("变更说明"), max_length=200, blank=True)
    snapshot = models.JSONField(_("内容"))

    class Meta:
        abstract = True


class ServiceVersion(PublishedVersion):
    """A published, dated, immutable copy of an item (see `snapshot.build_snapshot`)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="unique_service_version")
        ]
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")

    def __str__(self):
        return f"{self.service.code} v{self.number}"


class BundleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        # Public like the services it is made of.
        return self

    def editable_by(self, user):
        ids = managed_department_ids(user)
        if ids is None:
            return self
        return self.filter(lead__department__in=ids)


class Bundle(models.Model):
    """一件事: a life event ("新生入学", "教职工入职") that an applicant asks for once and the
    hall does as several services of several departments, as one joint case (联办) led by the
    department of the lead service (牵头事项).

    Its materials are the union of its services' materials with each document asked once
    (see `bundles.union_materials`). Like a service, it is published as dated, immutable
    versions (`BundleVersion`), and the live rows always equal the current snapshot; a
    change to one of its services republishes it (`services.save_service`), so its sheet
    never lists a material its services no longer ask for. One service per department: a
    joint case gives each department one part. Editing belongs to whoever manages the lead
    department; the other departments' services are theirs to edit."""

    code = models.SlugField(
        _("一件事编码"),
        max_length=40,
        unique=True,
        help_text=_("小写字母、数字和连字符，发布后不可修改"),
    )
    name = models.CharField(_("一件事名称"), max_length=100)
    summary = models.TextField(_("适用情形"), blank=True)
    lead = models.ForeignKey(
        Service,
        verbose_name=_("牵头事项"),
        on_delete=models.PROTECT,
        related_name="led_bundles",
    )
    services = models.ManyToManyField(
        Service, through="BundleService", related_name="bundles", verbose_name=_("包含事项")
    )
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=100, blank=True, editable=False)
    pinyin = models.CharField(_("全拼"), max_length=300, blank=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(_("当前版本"), default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)

    objects = BundleQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")

    def __str__(self):
        return f"{self.name}（{self.code}）"


class BundleService(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="members")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bundle_links")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)

    class Meta:
        ordering = ["bundle", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "service"], name="unique_bundle_service")
        ]
        verbose_name = _("一件事包含事项")
        verbose_name_plural = _("一件事包含事项")


class BundleVersion(PublishedVersion):
    """A published, dated, immutable copy of a bundle (see `bundles.build_bundle_snapshot`)."""

    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        ordering = ["bundle", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "number"], name="unique_bundle_version")
        ]
        verbose_name = _("一件事版本")
        verbose_name_plural = _("一件事版本")

    def __str__(self):
        return f"{self.bundle.code} v{self.number}"
