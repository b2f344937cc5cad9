"""Many halls: each hall's windows and posts are seen by those who work there, a hall office
sees its own hall, the supervising office every hall; the API lists the halls and reads one
with `?hall=`."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from yichuang.cases.tests.factories import make_service
from yichuang.catalog.models import Service
from yichuang.org.halls import distance_km, halls_for_choice, valid_position
from yichuang.org.models import Department, Hall, Post, Window
from yichuang.org.scoping import present_in_hall
from yichuang.org.testing import make_second_hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def east(hall):
    return make_second_hall(hall)


def codes(qs, field="number"):
    return sorted(qs.values_list(field, flat=True))


def test_a_single_hall_database_has_one_default_hall_that_everything_belongs_to(hall):
    default = Hall.objects.get()
    assert default.is_default and default.code == "main"
    assert hall.window.hall == default and hall.post.hall == default


def test_it_validates_ownership_of_windows_and_posts(hall, east):
    """A hall office sees its own hall only; a clerk her department in her hall; the
    supervising office and the administrator every hall."""
    assert codes(Window.objects.visible_to(hall.olga)) == ["1"]
    assert codes(Window.objects.visible_to(east.oscar)) == ["E1"]
    assert codes(Window.objects.visible_to(east.sam)) == ["1", "E1"]
    assert codes(Window.objects.visible_to(hall.alice)) == ["1"]
    assert codes(Window.objects.visible_to(east.erin)) == ["E1"]
    assert codes(Window.objects.visible_to(hall.dave)) == []
    assert codes(Post.objects.visible_to(hall.olga), "code") == ["jwc-status"]
    assert codes(Post.objects.visible_to(east.oscar), "code") == ["jwc-east"]
    assert codes(Post.objects.visible_to(hall.rita), "code") == ["jwc-status"]
    assert codes(Post.objects.visible_to(east.sam), "code") == ["jwc-east", "jwc-status"]
    assert Post.objects.visible_to(None).count() == 0


def test_staff_of_two_halls_see_both(hall, east):
    hall.olga.halls.set([Hall.objects.default(), east.hall])
    assert codes(Window.objects.visible_to(hall.olga)) == ["1", "E1"]


def test_hall_list_is_scoped(hall, east):
    assert codes(Hall.objects.visible_to(hall.olga), "code") == ["main"]
    assert codes(Hall.objects.visible_to(east.oscar), "code") == ["east"]
    assert codes(Hall.objects.visible_to(east.sam), "code") == ["east", "main"]


def test_departments_and_services_are_present_in_the_halls_they_name(hall, east):
    default = Hall.objects.default()
    assert set(Department.objects.filter(present_in_hall(Department, east.hall))) == {hall.jwc}
    # 学生处 names no hall: it is in the default hall only.
    assert set(Department.objects.filter(present_in_hall(Department, default))) == {
        hall.jwc,
        hall.xsc,
    }
    zxzm = make_service(hall)
    east_only = make_service(hall, code="dqzm", name="东区证明", post=east.post)
    east_only.halls.set([east.hall])
    assert set(Service.objects.in_hall(default)) == {zxzm}
    assert set(Service.objects.in_hall(east.hall)) == {east_only}
    assert set(Service.objects.in_hall(None)) == {zxzm, east_only}


def test_halls_api_is_public_and_lists_every_hall(hall, east):
    body = Client().get("/api/v1/halls").json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["code"] == "main"
    assert {"code", "name", "region_code", "address"} <= set(first)
    assert body["results"][1] == {
        "code": "east",
        "name": "东校区服务大厅",
        "region_code": "440106000000",
        "address": "东校区行政楼一层",
        "hours": "",
        "phone": "",
        "is_default": False,
    }


@override_settings(SUGGEST_RATE="3/m")
def test_halls_api_is_rate_limited_per_address(hall):
    cache.clear()
    c = Client()
    answers = [c.get("/api/v1/halls").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert Client().get("/api/v1/halls").json()["error"]["code"]
    cache.clear()


def test_posts_api_reads_one_hall(hall, east, api_for):
    sam = api_for(east.sam)
    assert [p["code"] for p in sam.get("/api/v1/posts?hall=east").json()["results"]] == ["jwc-east"]
    both = sam.get("/api/v1/posts").json()["results"]
    assert {p["code"] for p in both} == {"jwc-status", "jwc-east"}
    # A hall office asking for another hall gets nothing of it.
    assert api_for(hall.olga).get("/api/v1/posts?hall=east").json()["count"] == 0


def test_posts_api_without_hall_keeps_todays_answer(hall, api_for):
    body = api_for(hall.olga).get("/api/v1/posts").json()
    assert [p["code"] for p in body["results"]] == ["jwc-status"]


def test_an_unknown_hall_is_a_400_with_the_error_body(hall, api_for):
    for r in (
        api_for(hall.olga).get("/api/v1/posts?hall=nowhere"),
        Client().get("/api/v1/services?hall=nowhere"),
        Client().get("/api/v1/queue/status?hall=nowhere"),
        Client().get("/api/v1/queue/status?hall=" + "x" * 5000),
    ):
        assert r.status_code == 400
        assert r.json()["error"]["code"] == "unknown_hall"


def test_services_api_reads_one_hall(hall, east):
    make_service(hall)
    east_only = make_service(hall, code="dqzm", name="东区证明", post=east.post)
    east_only.halls.set([east.hall])
    c = Client()
    assert [s["code"] for s in c.get("/api/v1/services?hall=east").json()["results"]] == ["dqzm"]
    assert [s["code"] for s in c.get("/api/v1/services?hall=main").json()["results"]] == ["zxzm"]
    assert c.get("/api/v1/services").json()["count"] == 2


def test_openapi_declares_the_halls_statuses(hall):
    schema = Client().get("/api/v1/openapi.json").json()
    halls = schema["paths"]["/api/v1/halls"]["get"]["responses"]
    assert {"200", "400", "429"} <= set(halls)
    for path in ("/api/v1/posts", "/api/v1/services", "/api/v1/queue/status"):
        operation = schema["paths"][path]["get"]
        assert "400" in operation["responses"]
        assert "hall" in {p["name"] for p in operation["parameters"]}


def test_halls_are_offered_nearest_first_when_the_phone_shares_its_place(hall, east):
    default = Hall.objects.default()
    default.latitude, default.longitude = "23.000000", "113.300000"
    default.save()
    near_east = halls_for_choice(valid_position("23.1", "113.41"))
    assert [r["hall"].code for r in near_east] == ["east", "main"]
    assert near_east[0]["km"] < near_east[1]["km"]
    by_name = halls_for_choice(None)
    assert [r["hall"].name for r in by_name] == sorted(r["hall"].name for r in by_name)
    assert valid_position("91", "0") is None and valid_position("x", "1") is None
    assert valid_position("nan", "1") is None
    assert round(distance_km(0, 0, 0, 1)) == 111


def test_the_administrator_sets_up_a_hall_in_the_admin(hall):
    from yichuang.core.models import AuditEvent
    from yichuang.org.testing import make_staff

    root = make_staff("root", None, "administrator", is_staff=True, is_superuser=True)
    c = Client()
    c.force_login(root)
    r = c.post(
        "/admin/org/hall/add/",
        {"code": "south", "name": "南校区服务大厅", "region_code": "44010600000", "sort_order": 3},
    )
    assert r.status_code == 200 and not Hall.objects.filter(code="south").exists()
    r = c.post(
        "/admin/org/hall/add/",
        {"code": "south", "name": "南校区服务大厅", "region_code": "440106000000", "sort_order": 3},
    )
    assert r.status_code == 302
    south = Hall.objects.get(code="south")
    assert south.region_code == "440106000000" and not south.is_default
    assert AuditEvent.objects.filter(action="hall.created").count() == 1
    assert c.get("/admin/org/hall/").status_code == 200
    assert c.get(f"/admin/org/hall/{south.pk}/change/").status_code == 200


def test_only_the_administrator_sets_up_a_hall(hall):
    from yichuang.core.errors import NotAllowed
    from yichuang.org import services

    with pytest.raises(NotAllowed):
        services.create_hall(code="south", name="南校区", by=hall.olga)
    default = Hall.objects.default()
    services.update_hall(default, address="本部行政楼", by=hall.olga)
    make_second_hall(hall)
    with pytest.raises(NotAllowed):
        services.update_hall(Hall.objects.get(code="east"), address="x", by=hall.olga)


def test_a_hall_office_changes_the_posts_of_its_own_hall_only(hall, east):
    from yichuang.core.errors import NotAllowed
    from yichuang.org import services

    with pytest.raises(NotAllowed):
        services.set_post_people(east.post, holder=east.erin, backups=[hall.bob], by=hall.olga)
    with pytest.raises(NotAllowed):
        services.set_post_people(hall.post, holder=hall.alice, backups=[east.erin], by=east.oscar)
    services.set_post_people(east.post, holder=east.erin, backups=[hall.bob], by=east.oscar)
    assert east.post.ordered_backups == [hall.bob]


def test_windows_are_set_up_in_the_admin_through_the_services(hall):
    from yichuang.core.models import AuditEvent
    from yichuang.org.testing import make_staff

    east: Any = make_second_hall(hall)
    root = make_staff("root", None, "administrator", is_staff=True, is_superuser=True)
    c = Client()
    c.force_login(root)
    form = {"number": "E2", "name": "东区学工", "department": hall.jwc.pk, "sort_order": 0}
    r = c.post("/admin/org/window/add/", {**form, "hall": east.hall.pk})
    assert r.status_code == 302
    made = Window.objects.get(hall=east.hall, number="E2")
    assert AuditEvent.objects.filter(action="window.created", target_id=str(made.pk)).exists()
    r = c.post(f"/admin/org/window/{made.pk}/change/", {**form, "name": "东区综合"})
    assert r.status_code == 302
    made.refresh_from_db()
    assert made.name == "东区综合" and made.hall == east.hall
    assert AuditEvent.objects.filter(action="window.changed").count() == 1


def test_a_hall_office_changes_the_windows_of_its_own_hall_only(hall):
    from yichuang.core.errors import Conflict, NotAllowed
    from yichuang.org import services

    east: Any = make_second_hall(hall)
    with pytest.raises(NotAllowed):
        services.update_window(east.window, name="改名", by=hall.olga)
    with pytest.raises(NotAllowed):
        services.update_window(hall.window, name="改名", by=hall.alice)
    services.update_window(east.window, name="东区综合", by=east.oscar)
    services.create_window(
        number="E2", name="东区二", department=hall.jwc, hall=east.hall, by=east.oscar
    )
    with pytest.raises(Conflict):
        services.update_window(east.window, number="E2", by=east.oscar)
    east.window.refresh_from_db()
    assert (east.window.name, east.window.number) == ("东区综合", "E1")


def test_a_refusal_in_the_admin_says_so_and_not_that_it_was_saved(hall):
    from django.contrib.messages import get_messages

    east: Any = make_second_hall(hall)
    # A clerk let into the admin by mistake: the service still refuses her.
    from django.contrib.auth.models import Permission

    hall.alice.is_staff = True
    hall.alice.save(update_fields=["is_staff"])
    hall.alice.user_permissions.add(Permission.objects.get(codename="add_window"))
    c = Client()
    c.force_login(hall.alice)
    form = {"number": "E7", "name": "东区七", "department": hall.jwc.pk, "sort_order": 0}
    r = c.post("/admin/org/window/add/", {**form, "hall": east.hall.pk})
    said = [(m.level_tag, str(m)) for m in get_messages(r.wsgi_request)]
    assert said == [("error", "只有大厅管理办公室或系统管理员可以调整组织架构")]
    assert not Window.objects.filter(number="E7").exists()
