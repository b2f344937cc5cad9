from dataclasses import replace

import pytest

from yichuang.catalog.models import Material, Service, ServiceVersion
from yichuang.catalog.queries import get_service, search_services, service_version
from yichuang.catalog.services import (
    publish_service,
    save_service,
    set_service_active,
)
from yichuang.catalog.validation import MaterialData, ServiceData
from yichuang.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yichuang.core.models import AuditEvent
from yichuang.core.pinyin import pinyin_keys

from .factories import committed_data, dump_catalogue, make_service, service_data

pytestmark = pytest.mark.django_db


def test_creating_an_item_publishes_version_one_with_the_whole_item(cat):
    service = make_service(cat.hall)
    assert service.version == 1
    v1 = service_version(service, 1)
    assert v1.published_by == cat.hall.olga
    assert v1.snapshot["name"] == "成绩证明"
    assert v1.snapshot["post"] == {"code": "jwc-status", "name": "学籍管理岗"}
    assert [m["name"] for m in v1.snapshot["materials"]] == [
        "学生证或校园卡",
        "身份证",
        "授权委托书",
    ]
    assert [s["title"] for s in v1.snapshot["steps"]] == ["提交申请", "核验身份", "打印盖章"]
    assert AuditEvent.objects.filter(action="service.created", target_id=str(service.pk)).exists()


def test_pinyin_initials_are_stored_for_search(cat):
    assert pinyin_keys("成绩证明") == ("cjzm", "chengjizhengming")
    assert make_service(cat.hall).pinyin_initials == "cjzm"


def test_a_change_publishes_a_new_dated_version_and_the_old_snapshot_stays(cat):
    service = make_service(cat.hall)
    old = service_version(service, 1).snapshot
    data = ServiceData.from_service(service)
    data.materials.append(MaterialData(name="成绩单申请表", originals=1))
    data.legal_days = 3
    saved = save_service(data, by=cat.hall.carol, service=service, note="增加申请表")
    assert saved.version == 2
    v1, v2 = service_version(saved, 1), service_version(saved, 2)
    assert v1.snapshot == old
    assert v2.published_at >= v1.published_at
    assert v2.published_by == cat.hall.carol and v2.note == "增加申请表"
    assert len(v2.snapshot["materials"]) == 4 and v2.snapshot["legal_days"] == 3


def test_saving_the_same_content_keeps_the_version(cat):
    service = make_service(cat.hall)
    saved = save_service(ServiceData.from_service(service), by=cat.hall.olga, service=service)
    assert saved.version == 1
    assert ServiceVersion.objects.filter(service=service).count() == 1


def test_material_ids_survive_an_edit_while_the_name_stays(cat):
    service = make_service(cat.hall)
    ids = {m.name: m.pk for m in service.materials.all()}
    data = ServiceData.from_service(service)
    data.materials = [replace(m, id=None) for m in reversed(data.materials)]
    data.materials[0].notes = "原件需加盖公章"
    save_service(data, by=cat.hall.olga, service=service)
    after = {m.name: m.pk for m in Material.objects.filter(service=service)}
    assert after == ids
    assert [m.name for m in service.materials.order_by("position")][0] == "授权委托书"


def test_withdrawing_an_item_changes_no_version_and_hides_it(cat):
    service = make_service(cat.hall)
    set_service_active(service, active=False, by=cat.hall.carol)
    service.refresh_from_db()
    assert service.version == 1 and not service.is_active
    assert list(search_services("成绩")) == []
    with pytest.raises(NotFound):
        get_service("transcript")


def test_republishing_fixes_the_departments_new_address_in_a_new_version(cat):
    service = make_service(cat.hall, location="")
    cat.hall.jwc.location = "新行政楼二楼 203 室"
    cat.hall.jwc.save()
    version = publish_service(service, by=cat.hall.olga, note="部门搬迁")
    assert version.number == 2 and version.snapshot["location"] == "新行政楼二楼 203 室"
    assert service_version(service, 1).snapshot["location"] == ""


def test_publishing_unchanged_content_is_refused(cat):
    service = make_service(cat.hall)
    with pytest.raises(Conflict):
        publish_service(service, by=cat.hall.olga)
    assert ServiceVersion.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"committed_days": 6, "kind": "committed", "legal_days": 5}, "不能超过法定时限"),
        ({"committed_days": 2}, "即办件当场办结"),
        ({"kind": "committed", "committed_days": 0}, "至少为 1 个工作日"),
        ({"materials": []}, "至少需要一项申请材料"),
        ({"basis": " "}, "设定依据"),
        ({"code": "Bad Code"}, "事项编码只能"),
        ({"code": "import"}, "系统保留"),
        ({"kind": "later"}, "办件类型"),
        (
            {"materials": [MaterialData(name="证明", required=False)]},
            "适用情形",
        ),
        (
            {"materials": [MaterialData(name="证明"), MaterialData(name="证明")]},
            "重复",
        ),
        (
            {"materials": [MaterialData(name="证明", originals=0, copies=0)]},
            "不能都为 0",
        ),
    ],
)
def test_invalid_items_are_refused_and_nothing_is_written(cat, overrides, message):
    make_service(cat.hall, code="existing")
    before = dump_catalogue()
    with pytest.raises(Invalid) as refused:
        make_service(cat.hall, **overrides)
    assert message in refused.value.message
    assert dump_catalogue() == before


def test_the_post_must_belong_to_the_department(cat):
    with pytest.raises(Invalid, match="不属于实施部门"):
        make_service(cat.hall, post=cat.aid_post)
    assert not Service.objects.exists()


def test_codes_are_unique_and_never_change(cat):
    service = make_service(cat.hall)
    with pytest.raises(Invalid, match="已被使用"):
        make_service(cat.hall, name="另一个")
    data = ServiceData.from_service(service)
    data.code = "renamed"
    with pytest.raises(Invalid, match="不能修改"):
        save_service(data, by=cat.hall.olga, service=service)


def test_clerk_cannot_edit_even_in_her_own_department(cat):
    service = make_service(cat.hall)
    before = dump_catalogue()
    data = ServiceData.from_service(service)
    data.name = "改名"
    with pytest.raises(NotAllowed):
        save_service(data, by=cat.hall.alice, service=service)
    with pytest.raises(NotAllowed):
        publish_service(service, by=cat.hall.alice)
    with pytest.raises(NotAllowed):
        set_service_active(service, active=False, by=cat.hall.alice)
    with pytest.raises(NotAllowed):
        make_service(cat.hall, code="new-one", by=cat.hall.alice)
    assert dump_catalogue() == before


def test_it_validates_ownership(cat):
    """A head edits her own department's items only, and cannot move one out of it."""
    service = make_service(cat.hall)
    before = dump_catalogue()
    data = ServiceData.from_service(service)
    data.name = "成绩证明（新）"
    with pytest.raises(NotAllowed):
        save_service(data, by=cat.xena, service=service)
    moved = ServiceData.from_service(service)
    moved.department, moved.post = cat.hall.xsc, cat.aid_post
    with pytest.raises(NotAllowed):
        save_service(moved, by=cat.hall.carol, service=service)
    assert dump_catalogue() == before
    assert save_service(data, by=cat.hall.carol, service=service).version == 2
    assert make_service(cat.hall, data=committed_data(cat.hall), by=cat.admin).version == 1


def test_the_operator_of_the_machine_may_save(cat):
    service = save_service(service_data(cat.hall), by=None)
    assert service_version(service).published_by is None


@pytest.mark.parametrize("q", ["cjzm", "cj", "CJ", "chengji", "成绩", "transcript"])
def test_search_finds_by_name_code_or_pinyin(cat, q):
    make_service(cat.hall)
    make_service(cat.hall, data=committed_data(cat.hall))
    assert [s.code for s in search_services(q)] == ["transcript"]


def test_search_filters_by_department(cat):
    make_service(cat.hall)
    make_service(
        cat.hall,
        code="work-study",
        name="勤工助学岗位申请",
        department=cat.hall.xsc,
        post=cat.aid_post,
    )
    assert [s.code for s in search_services(department="xsc")] == ["work-study"]
    assert [s.code for s in search_services("qg", department="jwc")] == []
    assert [s.code for s in search_services()] == ["transcript", "work-study"]
