"""一件事 (bundles): edited like services (one domain function, versions, refusals), and their
materials are the union of their services' with each document once."""

from dataclasses import replace

import pytest

from yichuang.catalog.bundles import material_key, union_materials
from yichuang.catalog.models import Bundle, BundleVersion
from yichuang.catalog.queries import bundle_version, get_bundle, versions_of
from yichuang.catalog.services import (
    publish_bundle,
    save_bundle,
    save_service,
    set_bundle_active,
    set_service_active,
)
from yichuang.catalog.validation import MaterialData, ServiceData
from yichuang.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yichuang.core.models import AuditEvent

from .factories import bundle_data, make_bundle, make_bundle_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def bh(cat):
    return make_bundle_services(cat)


def test_names_that_differ_only_in_spacing_or_width_are_one_material():
    assert (
        material_key("本人　身份证") == material_key("本人身份证") == material_key(" 本人身份证 ")
    )
    assert material_key("（原件）ＩＤ") == material_key("(原件)id")
    assert material_key("本人身份证") != material_key("本人有效身份证件")


def test_the_bundle_asks_for_each_document_once_with_the_most_any_service_asks(cat, bh):
    bundle = make_bundle(cat, bh)
    materials = bundle_version(bundle).snapshot["materials"]
    assert [m["name"] for m in materials] == [
        "录取通知书",
        "本人身份证",
        "户口迁移证",
        "近期一寸免冠证件照",
    ]
    card = materials[1]
    assert card["services"] == ["freshman-register", "hukou-in"]
    assert (card["originals"], card["copies"]) == (1, 2)  # the larger of 1+1 and 1+2
    assert card["notes"] == "正反面"
    letter = materials[0]
    assert letter["services"] == ["freshman-register", "hukou-in", "dorm-checkin"]
    assert (letter["originals"], letter["copies"]) == (1, 1)
    # The id kept is the lead's, and every id merged into it is known.
    lead_card = bh.register.materials.get(name="本人身份证")
    assert card["id"] == lead_card.pk
    assert set(card["ids"]) == {lead_card.pk, bh.hukou.materials.get(name="本人　身份证").pk}


def test_a_material_required_by_one_service_is_required_in_the_bundle():
    services = [
        {"code": "a", "materials": [_m(1, "户口簿", required=False, condition="外省生源")]},
        {"code": "b", "materials": [_m(2, "户口簿")]},
    ]
    (row,) = union_materials(services)
    assert row["required"] is True and row["condition"] == ""
    assert union_materials(services[:1])[0]["condition"] == "外省生源"


def _m(pk, name, *, required=True, condition=""):
    return {
        "id": pk,
        "name": name,
        "required": required,
        "condition": condition,
        "originals": 1,
        "copies": 0,
        "format": "paper",
        "notes": "",
        "sample": "",
    }


def test_saving_a_bundle_publishes_version_one_led_by_the_lead_department(cat, bh):
    bundle = make_bundle(cat, bh, services=[bh.dorm, bh.hukou])  # the lead is put first
    assert bundle.version == 1
    snapshot = bundle_version(bundle, 1).snapshot
    assert snapshot["lead"] == "freshman-register"
    assert snapshot["department"]["name"] == "教务处"
    assert [s["code"] for s in snapshot["services"]] == [
        "freshman-register",
        "dorm-checkin",
        "hukou-in",
    ]
    assert snapshot["committed_days"] == 5
    assert snapshot["online"] is True
    assert AuditEvent.objects.filter(action="bundle.created", target_id=str(bundle.pk)).exists()


def test_a_change_publishes_the_next_version_and_an_unchanged_save_does_not(cat, bh):
    bundle = make_bundle(cat, bh)
    same = save_bundle(bundle_data(bh), by=cat.hall.olga, bundle=bundle)
    assert same.version == 1
    changed = save_bundle(
        bundle_data(bh, name="新生报到入学"), by=cat.hall.olga, bundle=bundle, note="改名"
    )
    assert changed.version == 2
    assert [v.number for v in versions_of(changed)] == [2, 1]
    assert bundle_version(changed, 1).snapshot["name"] == "新生入学"
    with pytest.raises(Conflict):
        publish_bundle(changed, by=cat.hall.olga)


def test_a_service_change_republishes_its_bundles(cat, bh):
    bundle = make_bundle(cat, bh)
    data = ServiceData.from_service(bh.dorm)
    data = replace(data, materials=data.materials + [MaterialData(name="体检表", originals=1)])
    save_service(data, by=cat.hall.olga, service=bh.dorm)
    bundle.refresh_from_db()
    assert bundle.version == 2
    latest = bundle_version(bundle)
    assert "体检表" in [m["name"] for m in latest.snapshot["materials"]]
    assert "新生宿舍入住登记" in latest.note


def test_who_manages_the_lead_department_may_edit_the_bundle(cat, bh):
    carol = cat.hall.carol  # head of 教务处, the lead department
    bundle = save_bundle(bundle_data(bh), by=carol)
    save_bundle(bundle_data(bh, name="新生报到"), by=carol, bundle=bundle)
    publish_bundle_refused = [cat.xena, cat.hall.alice, cat.hall.dave]
    for someone in publish_bundle_refused:  # another department's head, clerks
        with pytest.raises(NotAllowed):
            save_bundle(bundle_data(bh, name="改不了"), by=someone, bundle=bundle)
        with pytest.raises(NotAllowed):
            set_bundle_active(bundle, active=False, by=someone)
    with pytest.raises(NotAllowed):
        save_bundle(bundle_data(bh, code="other"), by=cat.xena)
    bundle.refresh_from_db()
    assert bundle.name == "新生报到" and bundle.version == 2


def test_a_head_may_not_hand_a_bundle_to_a_lead_he_does_not_manage(cat, bh):
    bundle = make_bundle(cat, bh)
    with pytest.raises(NotAllowed):
        # xena heads 学生处; the bundle is 教务处's to give away.
        save_bundle(bundle_data(bh, lead=bh.hukou), by=cat.xena, bundle=bundle)


@pytest.mark.parametrize(
    "change, field",
    [
        (dict(code="Bad Code"), "code"),
        (dict(code="bundles"), "code"),
        (dict(name=" "), "name"),
        (dict(services=[]), "services"),
        (dict(lead=None), "lead"),
    ],
)
def test_bad_bundles_are_refused_and_nothing_is_written(cat, bh, change, field):
    with pytest.raises(Invalid) as refused:
        save_bundle(bundle_data(bh, **change), by=cat.hall.olga)
    assert field in refused.value.fields
    assert not Bundle.objects.exists() and not BundleVersion.objects.exists()


def test_each_department_takes_one_part(cat, bh):
    data = ServiceData.from_service(bh.dorm)
    materials = [replace(m, id=None) for m in data.materials]
    other = save_service(
        replace(data, code="dorm-2", name="宿舍调整", materials=materials), by=cat.hall.olga
    )
    with pytest.raises(Invalid, match="同一部门"):
        make_bundle(cat, bh, services=[bh.register, bh.dorm, other])


def test_the_lead_has_the_longest_promise(cat, bh):
    with pytest.raises(Invalid, match="承诺时限最长"):
        make_bundle(cat, bh, lead=bh.hukou)


def test_a_withdrawn_service_takes_its_bundles_off_the_portal(cat, bh):
    bundle = make_bundle(cat, bh)
    assert get_bundle("freshman") == bundle
    set_service_active(bh.dorm, active=False, by=cat.hall.olga)
    with pytest.raises(NotFound):
        get_bundle("freshman")
    set_bundle_active(bundle, active=False, by=cat.hall.olga)
    with pytest.raises(Invalid, match="已停用"):
        set_bundle_active(bundle, active=True, by=cat.hall.olga)
