import pytest

from yichuang.catalog.models import Service
from yichuang.org.testing import make_staff

from .factories import dump_catalogue, make_service
from .test_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(cat):
    return make_staff("root", None, "administrator", is_staff=True, is_superuser=True)


def admin_post(service, hall, **changes):
    post = form_data(service, hall, **changes)
    post["is_active"] = "on"
    return post


def test_admin_saves_through_the_service_function_and_publishes(cat, root, client_for):
    service = make_service(cat.hall)
    url = f"/admin/catalog/service/{service.pk}/change/"
    assert client_for(root).get(url).status_code == 200
    response = client_for(root).post(url, admin_post(service, cat.hall, legal_days=4))
    assert response.status_code == 302, response.content.decode()[:2000]
    service.refresh_from_db()
    assert service.legal_days == 4 and service.version == 2


def test_admin_adds_an_item_as_version_one(cat, root, client_for):
    post = admin_post(None, cat.hall, materials=[(None, "申请表", True, "")])
    response = client_for(root).post("/admin/catalog/service/add/", post)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Service.objects.get(code="new-item").version == 1


def test_admin_shows_the_rules_and_changes_nothing(cat, root, client_for):
    service = make_service(cat.hall)
    before = dump_catalogue()
    url = f"/admin/catalog/service/{service.pk}/change/"
    response = client_for(root).post(url, admin_post(service, cat.hall, materials=[]))
    assert response.status_code == 200
    assert "至少需要一项申请材料" in response.content.decode()
    assert dump_catalogue() == before
