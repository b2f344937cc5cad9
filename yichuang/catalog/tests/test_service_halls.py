"""Where an item is offered (`Service.halls`) is set through one verb: by the hall office of
each hall it enters or leaves, or the administrator, and recorded."""

import pytest

from yichuang.cases.tests.factories import make_service
from yichuang.catalog import services
from yichuang.catalog.models import Service
from yichuang.core.errors import Invalid, NotAllowed
from yichuang.core.models import AuditEvent
from yichuang.org.models import Hall
from yichuang.org.testing import make_second_hall, make_staff

from .test_admin import admin_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def east(cat):
    return make_second_hall(cat.hall)


def offered(service) -> set[str]:
    return set(Service.objects.get(pk=service.pk).halls.values_list("code", flat=True))


def test_a_hall_office_offers_an_item_in_its_own_hall(cat, east, api_for):
    service = make_service(cat.hall)
    main = Hall.objects.default()
    services.set_service_halls(service, halls=[main, east.hall], by=east.oscar)
    assert offered(service) == {"main", "east"}
    event = AuditEvent.objects.get(action="service.halls_changed")
    assert (event.actor, event.data) == (east.oscar, {"before": [], "after": ["east", "main"]})
    listed = api_for(east.oscar).get("/api/v1/services?hall=east").json()["results"]
    assert service.code in {s["code"] for s in listed}
    assert services.set_service_halls(service, halls=[east.hall, main], by=east.oscar)
    assert AuditEvent.objects.filter(action="service.halls_changed").count() == 1  # no change


def test_it_validates_ownership(cat, east):
    """east's office cannot take an item out of (or put it into) the default hall, the default
    hall's office cannot touch east, a department head and the supervising office set no
    halls at all; nothing changes."""
    service = make_service(cat.hall)
    main = Hall.objects.default()
    with pytest.raises(NotAllowed):
        services.set_service_halls(service, halls=[east.hall], by=east.oscar)
    with pytest.raises(NotAllowed):
        services.set_service_halls(service, halls=[main, east.hall], by=cat.hall.olga)
    with pytest.raises(NotAllowed):
        services.set_service_halls(service, halls=[main, east.hall], by=cat.hall.carol)
    with pytest.raises(NotAllowed):
        services.set_service_halls(service, halls=[main, east.hall], by=east.sam)
    services.set_service_halls(service, halls=[east.hall], by=cat.admin)
    with pytest.raises(NotAllowed) as refused:
        services.set_service_halls(service, halls=[main, east.hall], by=east.oscar)
    assert "本大厅" in refused.value.message
    assert offered(service) == {"east"}
    assert AuditEvent.objects.filter(action="service.halls_changed").count() == 1


def test_an_item_is_offered_only_where_its_department_is(cat, east):
    service = make_service(cat.hall, code="aid", name="困难认定", post=cat.aid_post)
    with pytest.raises(Invalid) as refused:
        services.set_service_halls(service, halls=[east.hall], by=cat.admin)
    assert refused.value.code == "department_not_in_hall"
    assert "学生处不在东校区服务大厅" in refused.value.message
    assert offered(service) == set()


def test_the_admin_sets_the_halls_through_the_service(cat, east, client_for):
    root = make_staff("root", None, "administrator", is_staff=True, is_superuser=True)
    service = make_service(cat.hall)
    url = f"/admin/catalog/service/{service.pk}/change/"
    main = Hall.objects.default()
    page = client_for(root).get(url).content.decode()
    assert 'name="halls"' in page
    r = client_for(root).post(
        url, {**admin_post(service, cat.hall), "halls": [main.pk, east.hall.pk]}
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert offered(service) == {"main", "east"}
    assert AuditEvent.objects.get(action="service.halls_changed").actor == root


def test_a_head_edits_her_item_in_the_admin_but_not_where_it_is_offered(cat, client_for):
    from django.contrib.auth.models import Permission

    carol = cat.hall.carol
    carol.is_staff = True
    carol.save(update_fields=["is_staff"])
    carol.user_permissions.add(*Permission.objects.filter(codename="change_service"))
    service = make_service(cat.hall)
    page = client_for(carol).get(f"/admin/catalog/service/{service.pk}/change/")
    assert page.status_code == 200
    assert 'name="legal_days"' in page.content.decode()
    assert 'name="halls"' not in page.content.decode()
