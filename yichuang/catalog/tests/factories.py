from dataclasses import dataclass
from typing import Any

from yichuang.catalog.models import Kind, Service
from yichuang.catalog.services import save_service
from yichuang.catalog.validation import MaterialData, ServiceData, StepData

BASIS = "《普通高等学校学生管理规定》（教育部令第41号）"


@dataclass
class Catalog:
    hall: object
    exam_post: object
    aid_post: object
    xena: object  # head of 学生处
    admin: object  # system administrator


def service_data(hall, **overrides) -> ServiceData:
    """成绩证明, an immediate item of 教务处's post jwc-status, unless overridden."""
    values = dict(
        code="transcript",
        name="成绩证明",
        department=hall.jwc,
        post=hall.post,
        kind=Kind.IMMEDIATE,
        legal_days=5,
        committed_days=0,
        basis=BASIS,
        conditions="本校在籍或已毕业学生",
        fees="不收费",
        location="行政楼一楼师生服务大厅 1 号窗口",
        hours="工作日 8:30-11:30，14:00-17:00",
        phones="0571-8720 6101",
        complaint_phone="0571-8720 6000",
        online=True,
        category="学籍与成绩",
        materials=[
            MaterialData(name="学生证或校园卡", originals=1),
            MaterialData(name="身份证", originals=1, copies=1, notes="复印件正反面"),
            MaterialData(
                name="授权委托书",
                required=False,
                condition="委托他人代办时",
                originals=1,
                notes="附代办人身份证",
            ),
        ],
        steps=[
            StepData("提交申请", "窗口或网上提交"),
            StepData("核验身份", "核对学生证与身份证"),
            StepData("打印盖章", "当场领取"),
        ],
    )
    values.update(overrides)
    return ServiceData(**values)


def committed_data(hall, **overrides) -> ServiceData:
    """学籍异动（休学/复学）, a committed item of jwc-status (5 of 10 working days)."""
    values = dict(
        code="status-change",
        name="学籍异动（休学/复学）",
        kind=Kind.COMMITTED,
        legal_days=10,
        committed_days=5,
        online=False,
        category="学籍异动",
        materials=[
            MaterialData(name="学籍异动申请表", originals=1, notes="学院签署意见"),
            MaterialData(
                name="二级甲等以上医院诊断证明",
                required=False,
                condition="因病休学时",
                originals=1,
                copies=1,
            ),
        ],
        steps=[StepData("提交申请"), StepData("学院审核"), StepData("教务处审批")],
    )
    values.update(overrides)
    return service_data(hall, **values)


def make_service(hall, *, by=None, data=None, **overrides) -> Service:
    return save_service(data or service_data(hall, **overrides), by=by or hall.olga)


def dump_catalogue() -> list[dict]:
    """Everything the catalogue holds, to compare before and after."""
    rows = []
    for s in Service.objects.order_by("code").prefetch_related("materials", "steps", "versions"):
        fields = {f.name: getattr(s, f.attname) for f in Service._meta.concrete_fields}
        fields.pop("updated_at")
        fields["materials"] = [
            (
                m.pk,
                m.position,
                m.name,
                m.required,
                m.condition,
                m.originals,
                m.copies,
                m.format,
                m.notes,
            )
            for m in s.materials.all()
        ]
        fields["steps"] = [(st.position, st.title, st.description) for st in s.steps.all()]
        fields["versions"] = [(v.number, v.snapshot) for v in s.versions.all()]
        rows.append(fields)
    return rows


@dataclass
class BundleHall:
    """Three departments' services that make up 新生入学: 教务处 leads (the longest promise),
    学生处 and 后勤保障处 take part; each asks for the ID card and the admission letter."""

    register: Service  # 教务处, committed 5 days, the lead
    hukou: Service  # 学生处, committed 3 days
    dorm: Service  # 后勤保障处, immediate
    hqc: object  # 后勤保障处


def make_bundle_services(cat) -> BundleHall:
    from yichuang.org.models import Department, Post

    hall = cat.hall
    hqc = Department.objects.create(code="hqc", name="后勤保障处", short_name="后勤", sort_order=3)
    hqc_post = Post.objects.create(code="hqc-dorm", name="宿舍管理岗", department=hqc)
    register = make_service(
        hall,
        data=committed_data(
            hall,
            code="freshman-register",
            name="新生学籍注册",
            online=True,
            materials=[
                MaterialData(name="录取通知书", originals=1),
                MaterialData(name="本人身份证", originals=1, copies=1),
            ],
        ),
    )
    hukou = make_service(
        hall,
        data=committed_data(
            hall,
            code="hukou-in",
            name="新生集体户口迁入",
            department=hall.xsc,
            post=cat.aid_post,
            committed_days=3,
            online=True,
            materials=[
                MaterialData(name="户口迁移证", originals=1),
                # The same card typed with an ideographic space: still one card.
                MaterialData(name="本人　身份证", originals=1, copies=2, notes="正反面"),
                MaterialData(name="录取通知书", originals=0, copies=1),
            ],
        ),
    )
    dorm = make_service(
        hall,
        data=service_data(
            hall,
            code="dorm-checkin",
            name="新生宿舍入住登记",
            department=hqc,
            post=hqc_post,
            materials=[
                MaterialData(name="录取通知书", originals=1),
                MaterialData(name="近期一寸免冠证件照", originals=2, copies=0),
            ],
        ),
    )
    return BundleHall(register=register, hukou=hukou, dorm=dorm, hqc=hqc)


def bundle_data(bh: BundleHall, **overrides):
    from yichuang.catalog.validation import BundleData

    values: dict[str, Any] = dict(
        code="freshman",
        name="新生入学",
        lead=bh.register,
        services=[bh.register, bh.hukou, bh.dorm],
        summary="本校录取的本科新生，报到时一次办理学籍注册、户口迁入和宿舍入住。",
    )
    values.update(overrides)
    return BundleData(**values)


def make_bundle(cat, bh: BundleHall, **overrides):
    from yichuang.catalog.services import save_bundle

    return save_bundle(bundle_data(bh, **overrides), by=cat.hall.olga)


def freshman_bundle(hall):
    """新生入学 published over the `hall` personas (for tests of other apps): the bundle, its
    services, and its materials' ids by name."""
    from types import SimpleNamespace

    from yichuang.org.models import Post

    aid = Post.objects.create(code="xsc-aid", name="学生资助岗", department=hall.xsc)
    bh = make_bundle_services(SimpleNamespace(hall=hall, aid_post=aid))
    bundle = make_bundle(SimpleNamespace(hall=hall), bh)
    ids = {m["name"]: m["id"] for m in bundle.versions.get().snapshot["materials"]}
    return SimpleNamespace(bundle=bundle, bh=bh, ids=ids)
