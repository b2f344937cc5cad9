import pytest

from yichuang.catalog.models import Kind, Service, ServiceVersion
from yichuang.demo.catalog_data import seed_services
from yichuang.org.models import Department, Post

pytestmark = pytest.mark.django_db

DEPARTMENTS = {
    "jwc": "教务处",
    "xsc": "学生处",
    "yjsy": "研究生院",
    "rsc": "人事处",
    "cwc": "财务处",
    "hqc": "后勤保障处",
}
POSTS = {
    "jwc-status": ("jwc", "学籍管理岗"),
    "jwc-exam": ("jwc", "考试与证书岗"),
    "xsc-aid": ("xsc", "学生资助岗"),
    "xsc-card": ("xsc", "学生证与户籍岗"),
    "yjs-degree": ("yjsy", "研究生学位岗"),
    "yjs-status": ("yjsy", "研究生学籍岗"),
    "rsc-cert": ("rsc", "人事证明岗"),
    "cwc-reimb": ("cwc", "财务报销岗"),
    "cwc-invoice": ("cwc", "票据与收费岗"),
    "hqc-repair": ("hqc", "后勤报修岗"),
}


@pytest.fixture
def demo_org(hall):
    """The demo seed's departments and posts, by the codes it uses (jwc, xsc and jwc-status
    come from the `hall` personas)."""
    for code, name in DEPARTMENTS.items():
        Department.objects.get_or_create(code=code, defaults={"name": name, "short_name": name[:2]})
    for code, (department, name) in POSTS.items():
        Post.objects.get_or_create(
            code=code,
            defaults={"name": name, "department": Department.objects.get(code=department)},
        )
    return hall


def test_seed_creates_a_realistic_catalogue_of_both_kinds(demo_org):
    created = seed_services()
    assert created >= 22
    assert Service.objects.count() == created
    assert set(Service.objects.values_list("kind", flat=True)) == {Kind.IMMEDIATE, Kind.COMMITTED}
    assert Service.objects.filter(online=True).count() >= 5
    assert set(Service.objects.values_list("department__code", flat=True)) == set(DEPARTMENTS)
    assert ServiceVersion.objects.filter(number=1).count() == created
    assert not Service.objects.exclude(version=1).exists()
    assert Service.objects.exclude(fees="不收费").exists()
    for service in Service.objects.all():
        assert service.materials.exists() and service.steps.exists() and service.basis


@pytest.mark.parametrize("post", ["jwc-status", "xsc-aid"])
def test_window_posts_have_an_immediate_and_a_committed_item_with_required_materials(
    demo_org, post
):
    seed_services()
    for kind in Kind.values:
        items = Service.objects.filter(post__code=post, kind=kind, materials__required=True)
        assert items.exists(), (post, kind)


def test_seeding_twice_creates_nothing_more(demo_org):
    first = seed_services()
    assert seed_services() == 0
    assert Service.objects.count() == first


def test_seed_refuses_without_the_departments_and_posts(hall):
    with pytest.raises(LookupError, match="yjsy"):
        seed_services()
    assert not Service.objects.exists()


def test_the_demo_bundles_span_three_departments_or_more_and_ask_each_document_once(demo_org):
    from yichuang.catalog.models import Bundle
    from yichuang.catalog.queries import bundle_version
    from yichuang.demo.bundles_data import seed_bundles

    seed_services()
    assert seed_bundles() == 4
    assert seed_bundles() == 0  # a second run changes nothing
    names = set(Bundle.objects.values_list("name", flat=True))
    assert {"新生入学", "毕业离校", "教职工入职"} <= names
    for bundle in Bundle.objects.all():
        snapshot = bundle_version(bundle).snapshot
        assert len({s["department"]["code"] for s in snapshot["services"]}) >= 3, bundle.name
        assert snapshot["online"], bundle.name
        materials = [m["name"] for m in snapshot["materials"]]
        assert len(materials) == len(set(materials)), bundle.name
    freshman = bundle_version(Bundle.objects.get(code="freshman-enrolment")).snapshot
    card = next(m for m in freshman["materials"] if m["name"] == "本人身份证")
    assert len(card["services"]) == 4  # one ID card copy, not four
