"""The rating indicators of GB/T 39735-2020: offered after the level, optional, the on-site set
at the hall and the online set on the rater's own device, versioned; a code outside the set
offered is refused and nothing is written."""

import pytest
from django.test import Client

from yichuang.core import rating_indicators
from yichuang.core.errors import Invalid
from yichuang.feedback import indicators, services
from yichuang.feedback.models import Channel, Rating, RatingInvitation, Tablet
from yichuang.inquiries import services as inquiry_services
from yichuang.inquiries.tests.factories import log

from .factories import completed_case

pytestmark = pytest.mark.django_db
J = "application/json"
ONSITE, ONLINE = rating_indicators.ONSITE_2020, rating_indicators.ONLINE_2020


def test_the_sets_are_those_of_the_standard():
    assert [str(i.label) for i in ONSITE.indicators] == [
        "整体满意度",
        "服务效率",
        "服务水平",
        "服务态度",
    ]
    assert [str(i.label) for i in ONLINE.indicators] == [
        "办事效率",
        "办事指南精确度",
        "办事便捷度",
        "平台操作性",
    ]
    assert ONSITE.version != ONLINE.version
    assert indicators.SETS[ONSITE.version] is ONSITE


@pytest.mark.parametrize(
    "channel, offered",
    [
        (Channel.TABLET, ONSITE),
        (Channel.STAFF, ONSITE),
        (Channel.PORTAL, ONLINE),
        (Channel.QR, ONLINE),
        (Channel.SMS, ONLINE),
        (Channel.DEFAULT, None),
    ],
)
def test_the_channel_chooses_the_set(channel, offered):
    assert indicators.offered_for(channel) is offered


def test_a_rating_keeps_its_indicators_and_the_version_of_the_set(hall):
    case = completed_case(hall)
    rating = services.rate_case(
        case,
        level=4,
        channel=Channel.PORTAL,
        query_code=case.query_code,
        indicators=["usability", "efficiency", "usability"],
    )
    rating.refresh_from_db()
    # the set's order, each once
    assert rating.indicators == ["efficiency", "usability"]
    assert rating.indicator_set == ONLINE.version
    assert indicators.labels_of(rating) == ["办事效率", "平台操作性"]


def test_indicators_are_optional_and_the_offered_set_is_still_recorded(hall):
    case = completed_case(hall)
    rating = services.rate_case(case, level=5, channel=Channel.SMS, query_code=case.query_code)
    assert rating.indicators == [] and rating.indicator_set == ONLINE.version


@pytest.mark.parametrize(
    "codes",
    [["attitude"], ["overall"], ["efficiency", "nope"], "efficiency", [1], ["x" * 41]],
)
def test_a_code_outside_the_offered_set_is_refused_and_nothing_written(hall, codes):
    case = completed_case(hall)
    with pytest.raises(Invalid) as exc:
        services.rate_case(
            case, level=5, channel=Channel.PORTAL, query_code=case.query_code, indicators=codes
        )
    assert exc.value.code == "invalid_indicators" and "评价指标" in exc.value.message
    assert not Rating.objects.exists()


def test_the_refusal_names_the_codes_the_set_has(hall):
    case = completed_case(hall)
    with pytest.raises(Invalid) as exc:
        services.rate_case(
            case,
            level=5,
            channel=Channel.PORTAL,
            query_code=case.query_code,
            indicators=["attitude"],
        )
    assert "attitude" in exc.value.message and "网上服务评价指标" in exc.value.message
    assert "guide_accuracy 办事指南精确度" in exc.value.message


def test_an_old_ratings_set_is_read_by_its_own_version(hall):
    case = completed_case(hall)
    rating = services.rate_case(
        case, level=5, channel=Channel.TABLET, query_code=case.query_code, indicators=["attitude"]
    )
    assert indicators.labels_of(rating) == ["服务态度"]
    # a set this code base does not know (say, a province's, imported) shows its codes
    rating.indicator_set, rating.indicators = "PROVINCE#9", ["x1"]
    assert indicators.labels_of(rating) == ["x1"]


def test_staff_recording_an_inquirys_rating_use_the_on_site_set(hall):
    inquiry = log(hall)
    inquiry_services.answer_inquiry(inquiry, answer="这样办", by=hall.alice)
    with pytest.raises(Invalid):
        services.rate_inquiry(inquiry, level=4, by=hall.alice, indicators=["usability"])
    rating = services.rate_inquiry(inquiry, level=4, by=hall.alice, indicators=["attitude"])
    assert rating.indicators == ["attitude"] and rating.indicator_set == ONSITE.version


# ---- pages ----------------------------------------------------------------------------------


def test_the_rating_page_offers_the_online_set_after_the_level(hall):
    case = completed_case(hall)
    url = f"/feedback/rate/{case.number}/"
    html = Client().get(url + f"?c={case.query_code}&via=sms").content.decode()
    assert html.index('name="level"') < html.index('name="indicator"')
    assert html.count('name="indicator"') == 4 and "办事指南精确度" in html
    assert "服务态度" not in html
    r = Client().post(
        url,
        {"c": case.query_code, "via": "sms", "level": "4", "indicator": ["convenience"]},
    )
    assert r.status_code == 201
    rating = Rating.objects.get()
    assert rating.indicators == ["convenience"] and rating.indicator_set == ONLINE.version
    assert "办事便捷度" in Client().get(url + f"?c={case.query_code}").content.decode()


def test_the_rating_page_refuses_an_on_site_indicator_and_keeps_the_choice(hall):
    case = completed_case(hall)
    url = f"/feedback/rate/{case.number}/"
    r = Client().post(
        url, {"c": case.query_code, "level": "2", "indicator": ["attitude", "efficiency"]}
    )
    html = r.content.decode()
    assert r.status_code == 400 and "attitude" in html and not Rating.objects.exists()
    assert 'value="efficiency" checked' in html


def test_the_inquiry_lookup_page_offers_the_online_set_after_the_level(hall):
    inquiry = log(hall)
    inquiry_services.answer_inquiry(inquiry, answer="这样办", by=hall.alice)
    page = f"/inquiries/lookup/?number={inquiry.number}&code={inquiry.query_code}"
    html = Client().get(page).content.decode()
    assert html.index('name="level"') < html.index('name="indicator"')
    assert html.count('name="indicator"') == 4 and "办事指南精确度" in html
    assert "服务态度" not in html
    form = {"number": inquiry.number, "code": inquiry.query_code, "level": "5"}
    Client().post("/inquiries/lookup/rate/", {**form, "indicator": ["attitude"]})
    assert not Rating.objects.exists()  # an on-site indicator is not offered online
    Client().post("/inquiries/lookup/rate/", {**form, "indicator": ["guide_accuracy"]})
    rating = Rating.objects.get()
    assert rating.indicators == ["guide_accuracy"] and rating.indicator_set == ONLINE.version


def test_staff_recording_an_inquirys_rating_on_its_page_tick_the_on_site_set(hall, client_for):
    inquiry = log(hall)
    inquiry_services.answer_inquiry(inquiry, answer="这样办", by=hall.alice)
    alice = client_for(hall.alice)
    html = alice.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert html.count('name="indicator"') == 4 and "服务态度" in html
    assert "平台操作性" not in html
    url = f"/inquiries/{inquiry.pk}/act/rate/"
    alice.post(url, {"level": "3", "indicator": ["usability"]})
    assert not Rating.objects.exists()
    alice.post(url, {"level": "3", "indicator": ["efficiency", "attitude"]})
    rating = Rating.objects.get()
    assert rating.indicators == ["efficiency", "attitude"]
    assert rating.indicator_set == ONSITE.version and rating.channel == Channel.STAFF


def test_the_tablet_offers_the_on_site_set_and_stores_the_choice(hall, client_for):
    tablet = Tablet.objects.create(window=hall.window)
    url = f"/feedback/tablet/{tablet.token}/"
    case = completed_case(hall)
    client_for(hall.alice).post("/feedback/invite/", {"case": case.number})
    bound = RatingInvitation.objects.get()
    html = Client().get(url).content.decode()
    assert html.count('name="indicator"') == 4 and "整体满意度" in html and "平台操作性" not in html
    r = Client().post(
        url, {"case": case.number, "level": "5", "invitation": bound.pk, "indicator": ["usability"]}
    )
    assert r.status_code == 400 and "usability" in r.content.decode()
    assert not Rating.objects.exists()
    r = Client().post(
        url,
        {
            "case": case.number,
            "level": "5",
            "invitation": bound.pk,
            "indicator": ["attitude", "overall"],
        },
    )
    assert r.status_code == 302
    rating = Rating.objects.get()
    assert rating.indicators == ["overall", "attitude"] and rating.indicator_set == ONSITE.version


def test_the_staff_list_shows_the_indicators_to_those_who_see_the_rating(hall, client_for):
    case = completed_case(hall)
    services.rate_case(
        case, level=3, channel=Channel.QR, query_code=case.query_code, indicators=["efficiency"]
    )
    html = client_for(hall.carol).get("/feedback/ratings/").content.decode()
    assert "评价指标：办事效率" in html
    assert "办事效率" not in client_for(hall.dave).get("/feedback/ratings/").content.decode()


# ---- API ------------------------------------------------------------------------------------


def test_the_api_takes_indicators_and_answers_them(hall, api_for):
    case = completed_case(hall)
    payload = {"case": case.number, "query_code": case.query_code, "level": 5}
    r = Client().post(
        "/api/v1/ratings", {**payload, "indicators": ["guide_accuracy"]}, content_type=J
    )
    assert r.status_code == 201, r.content
    assert r.json()["indicators"] == ["guide_accuracy"]
    assert r.json()["indicator_set"] == ONLINE.version
    listed = api_for(hall.carol).get("/api/v1/ratings").json()["results"][0]
    assert listed["indicators"] == ["guide_accuracy"]


def test_the_api_without_indicators_answers_as_before(hall):
    case = completed_case(hall)
    payload = {"case": case.number, "query_code": case.query_code, "level": 5, "comment": ""}
    r = Client().post("/api/v1/ratings", payload, content_type=J)
    assert r.status_code == 201 and r.json()["indicators"] == []


def test_the_api_refuses_an_indicator_of_the_other_set_with_the_error_body(hall):
    case = completed_case(hall)
    payload = {"case": case.number, "query_code": case.query_code, "level": 5}
    r = Client().post(
        "/api/v1/ratings",
        {**payload, "channel": "tablet", "indicators": ["usability"]},
        content_type=J,
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_indicators"
    assert not Rating.objects.exists()


def test_the_openapi_schema_declares_the_optional_indicators():
    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    field = schema["RatingIn"]["properties"]["indicators"]
    assert field["type"] == "array" and "RatingIn" in schema
    assert "indicators" not in schema["RatingIn"].get("required", [])
    assert "guide_accuracy" in field["description"]


def test_the_follow_up_of_a_bad_rating_shows_its_indicators(hall, client_for):
    case = completed_case(hall)
    rating = services.rate_case(
        case, level=1, channel=Channel.PORTAL, query_code=case.query_code, indicators=["efficiency"]
    )
    url = f"/feedback/followups/{rating.follow_up.pk}/"
    html = client_for(hall.carol).get(url).content.decode()
    assert "<dt>评价指标</dt><dd>办事效率</dd>" in html
    assert client_for(hall.dave).get(url).status_code == 404
