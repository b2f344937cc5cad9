from yichuang.catalog.models import Material, Service

VALID_ID = "110101199003071233"  # checksum-valid test ID number


def make_service(
    hall,
    *,
    code="zxzm",
    name="在读证明",
    kind="committed",
    committed_days=5,
    legal_days=20,
    materials=(("学生证", True), ("申请表", True), ("委托书", False)),
    online=True,
    post=None,
):
    service = Service.objects.create(
        code=code,
        name=name,
        department=(post or hall.post).department,
        post=post or hall.post,
        kind=kind,
        legal_days=legal_days,
        committed_days=committed_days,
        basis="《普通高等学校学生管理规定》",
        online=online,
        version=1,
    )
    for i, (mname, required) in enumerate(materials, start=1):
        Material.objects.create(service=service, position=i, name=mname, required=required)
    return service


def all_required(service):
    return [m.pk for m in service.materials.all() if m.required]


def applicant(**extra):
    return {"name": "李小明", "id_number": VALID_ID, "phone": "13812345678", **extra}
