from yichuang.catalog.services import save_service
from yichuang.catalog.validation import MaterialData, ServiceData, StepData

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
    """A published item (version 1) through the catalogue's own service function."""
    post = post or hall.post
    data = ServiceData(
        code=code,
        name=name,
        department=post.department,
        post=post,
        kind=kind,
        legal_days=legal_days,
        committed_days=committed_days,
        basis="《普通高等学校学生管理规定》",
        conditions="",
        fees="不收费",
        location="",
        hours="",
        phones="",
        complaint_phone="",
        online=online,
        category="",
        materials=[
            MaterialData(name=n, required=r, condition="" if r else "委托他人代办时")
            for n, r in materials
        ],
        steps=[StepData("提交申请", "窗口或网上"), StepData("审核", "")],
    )
    return save_service(data, by=None)


def all_required(service):
    return [m.pk for m in service.materials.all() if m.required]


def applicant(**extra):
    return {"name": "李小明", "id_number": VALID_ID, "phone": "13812345678", **extra}
