"""Reading the default hall never writes: the migrations make it, `ensure_default_hall` remakes
it in a database emptied by hand, and a database without one says what to do."""

import pytest

from yichuang.core.errors import NotAllowed
from yichuang.core.models import AuditEvent
from yichuang.org import services
from yichuang.org.models import Hall, Window
from yichuang.org.scoping import NoDefaultHall
from yichuang.org.testing import make_staff

pytestmark = pytest.mark.django_db


def test_a_migrated_database_has_its_default_hall():
    default = Hall.objects.default()
    assert default.is_default and default.code == "main"
    assert Hall.objects.default_id() == default.pk


def test_reading_the_default_hall_of_a_database_without_one_writes_nothing():
    Hall.objects.all().delete()
    with pytest.raises(NoDefaultHall) as missing:
        Hall.objects.default_id()
    assert "manage.py migrate" in str(missing.value)
    with pytest.raises(NoDefaultHall):
        Window(number="1", name="学籍成绩")  # a hall foreign key's default reads it too
    assert not Hall.objects.exists()


def test_the_default_hall_is_remade_once_and_recorded(settings):
    settings.HALL_NAME, settings.HALL_REGION_CODE = "县政务服务中心", "430121000000"
    Hall.objects.all().delete()
    made = services.ensure_default_hall(by=None)
    assert (made.code, made.name, made.region_code, made.is_default) == (
        "main",
        "县政务服务中心",
        "430121000000",
        True,
    )
    assert services.ensure_default_hall(by=None) == made
    assert Hall.objects.count() == 1
    assert AuditEvent.objects.filter(action="hall.created").count() == 1


def test_only_the_administrator_remakes_the_default_hall(hall):
    with pytest.raises(NotAllowed):
        services.ensure_default_hall(by=hall.olga)
    root = make_staff("root", None, "administrator")
    assert services.ensure_default_hall(by=root) == Hall.objects.default()
