"""An inquiry's satisfaction is a rating like any other: a Rating row, one per inquiry, a
follow-up for a bad one, counted by the figures; served at the URLs the inquiries app had."""

import pytest
from django.test import Client

from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.feedback import services
from yichuang.feedback.models import Channel, FollowUp, Rating
from yichuang.inquiries import services as inquiry_services
from yichuang.inquiries.tests.factories import log

pytestmark = pytest.mark.django_db
J = "application/json"


def answered(hall, **kw):
    inquiry = log(hall, **kw)
    inquiry_services.answer_inquiry(inquiry, answer="凭学生证到1号窗口即办", by=hall.alice)
    return inquiry


def test_staff_record_the_askers_rating_as_a_rating_row(hall):
    inquiry = answered(hall)
    rating = services.rate_inquiry(inquiry, level=4, by=hall.alice)
    inquiry.refresh_from_db()
    assert inquiry.satisfaction == 4 and inquiry.events.filter(action="rate").exists()
    assert (rating.inquiry, rating.case, rating.channel) == (inquiry, None, Channel.STAFF)
    assert rating.staff == hall.alice and rating.department == hall.jwc
    assert not FollowUp.objects.exists()


def test_an_inquiry_is_rated_once(hall):
    inquiry = answered(hall)
    services.rate_inquiry(inquiry, level=5, channel=Channel.PORTAL)
    with pytest.raises(Conflict) as exc:
        services.rate_inquiry(inquiry, level=1, by=hall.alice)
    assert exc.value.code == "already_rated"
    assert Rating.objects.get().level == 5 and not FollowUp.objects.exists()


def test_a_bad_inquiry_rating_opens_a_follow_up_owned_by_the_head(hall):
    inquiry = answered(hall)
    rating = services.rate_inquiry(inquiry, level=2, channel=Channel.PORTAL)
    f = rating.follow_up
    assert f.owner == hall.carol and f.department == hall.jwc and f.case is None
    assert f.level == 2 and f.staff == hall.alice and f.status == "verifying"


def test_refused_ratings_write_nothing(hall):
    inquiry = log(hall)
    with pytest.raises(Conflict):  # not answered yet
        services.rate_inquiry(inquiry, level=5, by=hall.alice)
    inquiry_services.answer_inquiry(inquiry, answer="已答复", by=hall.alice)
    with pytest.raises(Invalid):
        services.rate_inquiry(inquiry, level=7, by=hall.alice)
    with pytest.raises(NotAllowed):
        services.rate_inquiry(inquiry, level=1, by=hall.dave)
    inquiry.refresh_from_db()
    assert inquiry.satisfaction is None and not Rating.objects.exists()
    assert not FollowUp.objects.exists()


def test_the_staff_api_keeps_its_url_and_shape(hall, api_for):
    inquiry = answered(hall)
    url = f"/api/v1/inquiries/{inquiry.pk}/satisfaction"
    assert api_for(hall.dave).post(url, {"level": 1}, content_type=J).status_code == 404
    r = api_for(hall.alice).post(url, {"level": 1}, content_type=J)
    assert r.status_code == 200 and r.json()["satisfaction"] == 1
    assert r.json()["number"] == inquiry.number
    assert Rating.objects.get().follow_up.owner == hall.carol
    again = api_for(hall.alice).post(url, {"level": 5}, content_type=J)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_rated"


def test_the_public_api_keeps_its_url_and_shape(hall):
    inquiry = answered(hall)
    url = f"/api/v1/inquiries/online/{inquiry.number}/satisfaction"
    r = Client().post(url, {"query_code": "WRONG", "level": 5}, content_type=J)
    assert r.status_code == 404 and not Rating.objects.exists()
    r = Client().post(url, {"query_code": inquiry.query_code, "level": 5}, content_type=J)
    assert r.status_code == 200 and r.json()["satisfaction"] == 5
    assert "owner" not in r.json()
    assert Rating.objects.get().channel == "portal"
    r = Client().post(url, {"query_code": inquiry.query_code, "level": 1}, content_type=J)
    assert r.status_code == 409


def test_the_pages_post_to_the_same_urls(hall, client_for):
    inquiry = answered(hall)
    r = client_for(hall.alice).post(f"/inquiries/{inquiry.pk}/act/rate/", {"level": "3"})
    assert r.status_code == 302 and Rating.objects.get().level == 3
    other = answered(hall)
    r = Client().post(
        "/inquiries/lookup/rate/",
        {"number": other.number, "code": other.query_code, "level": "2"},
    )
    assert r.status_code == 302
    assert Rating.objects.get(inquiry=other).follow_up is not None
    html = (
        Client()
        .get(f"/inquiries/lookup/?number={other.number}&code={other.query_code}")
        .content.decode()
    )
    assert "您已评价" in html


def test_it_validates_ownership(hall, client_for):
    inquiry = answered(hall)
    r = client_for(hall.dave).post(f"/inquiries/{inquiry.pk}/act/rate/", {"level": "1"})
    assert r.status_code == 404 and not Rating.objects.exists()


def test_existing_satisfactions_move_into_ratings(hall):
    import importlib

    from django.apps import apps

    inquiry = answered(hall)
    inquiry_services.record_satisfaction(inquiry, level=2, by=hall.alice)  # the old way
    online = answered(hall)
    inquiry_services.record_satisfaction(online, level=5, by=None)
    migration = importlib.import_module("yichuang.feedback.migrations.0006_inquiry_ratings")
    migration.move_inquiry_satisfactions(apps, None)
    migration.move_inquiry_satisfactions(apps, None)  # twice: nothing more
    rows = {r.inquiry_id: r for r in Rating.objects.all()}
    assert set(rows) == {inquiry.pk, online.pk}
    assert (rows[inquiry.pk].level, rows[inquiry.pk].channel) == (2, "staff")
    assert (rows[online.pk].level, rows[online.pk].channel) == (5, "portal")
    assert rows[inquiry.pk].department == hall.jwc
