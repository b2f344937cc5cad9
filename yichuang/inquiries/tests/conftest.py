import pytest


@pytest.fixture
def sms():
    """The messages the logging SMS backend sent during the test."""
    from yichuang.core.notifications.channels.sms import LoggingSmsBackend

    LoggingSmsBackend.recent.clear()
    yield LoggingSmsBackend.recent
    LoggingSmsBackend.recent.clear()


@pytest.fixture
def demo_catalogue(hall):
    """The demo hall's departments and posts (names and duties as seed_demo writes them), its
    catalogue with keywords, its FAQ and the hall office's synonyms, on top of the `hall`
    personas (their jwc, xsc and jwc-status are the demo's codes). The posts of 学生处 get
    people: dave holds xsc-card, with alice's colleague bob as its backup."""
    from yichuang.demo import org_data
    from yichuang.demo.catalog_data import seed_services
    from yichuang.demo.more_data import seed_faq
    from yichuang.demo.routing_data import seed_routing
    from yichuang.org.models import Department, Post, PostBackup

    for i, (code, name, short, *_rest) in enumerate(org_data.DEPARTMENTS, start=1):
        Department.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short, "sort_order": i}
        )
    for i, (code, name, department, _window, _holder, _backups) in enumerate(org_data.POSTS):
        Post.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "department": Department.objects.get(code=department),
                "duties": f"{name}：{org_data.DUTIES}",
                "sort_order": i,
            },
        )
    card = Post.objects.get(code="xsc-card")
    card.holder = hall.dave
    card.save(update_fields=["holder"])
    PostBackup.objects.create(post=card, staff=hall.bob, position=1)
    seed_services()
    seed_faq(office=hall.olga)
    seed_routing(by=hall.olga)
    return hall
