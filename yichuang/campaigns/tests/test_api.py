import pytest
from django.test import Client

from yichuang.campaigns import services

from .factories import applied_unit, at, make_campaign, nominated, with_voters

pytestmark = pytest.mark.django_db


def test_campaigns_are_listed_for_staff_with_pagination(hall, api_for):
    make_campaign(hall)
    make_campaign(hall, launch=False)  # a draft: the hall office only
    body = api_for(hall.alice).get("/api/v1/campaigns?page_size=10").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["title"] == "创建优质服务窗口" and row["units"] == 2
    assert [p["kind"] for p in row["phases"]] == ["mobilization", "push", "appraisal"]
    assert api_for(hall.olga).get("/api/v1/campaigns").json()["count"] == 2


def test_list_runs_a_fixed_number_of_queries(hall, api_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_campaign(hall)
    api = api_for(hall.olga)

    def count():
        with CaptureQueriesContext(connection) as q:
            assert api.get("/api/v1/campaigns").status_code == 200
        return len(q.captured_queries)

    count()  # the token's first use is written down (at most once a minute): not measured
    one = count()
    make_campaign(hall)
    make_campaign(hall, launch=False)
    assert count() == one


def test_campaigns_need_a_token(hall):
    r = Client().get("/api/v1/campaigns")
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"


def test_current_phase_in_the_api(hall, api_for):
    make_campaign(hall)
    with at(2025, 12, 1):
        row = api_for(hall.olga).get("/api/v1/campaigns").json()["results"][0]
    assert row["current_phase"] == "push"


def test_it_validates_ownership(hall, api_for):
    unit = applied_unit(hall)
    campaign = unit.campaign
    mine = api_for(hall.dave).get(f"/api/v1/campaigns/{campaign.pk}").json()
    assert [u["department"] for u in mine["units_detail"]] == ["xsc"]  # not 教务处's scores
    everything = api_for(hall.olga).get(f"/api/v1/campaigns/{campaign.pk}").json()
    jwc = everything["units_detail"][0]
    assert (jwc["department"], jwc["status"], jwc["self_total"]) == ("jwc", "applied", 17.0)
    draft = make_campaign(hall, launch=False)
    r = api_for(hall.dave).get(f"/api/v1/campaigns/{draft.pk}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_results_are_public_once_published(hall, api_for):
    election, a, _d = nominated(hall)
    with_voters(hall, election)
    url = f"/api/v1/elections/{election.pk}/results"
    with at(2025, 7, 6):
        services.cast_ballot(election, choices=[a.pk], by=hall.carol)
    assert Client().get(url).status_code == 404
    with at(2025, 7, 11):
        services.close_election(election, by=hall.olga)
    assert Client().get(url).status_code == 404
    assert api_for(hall.alice).get(url).status_code == 404
    counted = api_for(hall.olga).get(url).json()
    assert counted["tally"][0] == {
        "name": "王晓燕",
        "department": "教务处",
        "votes": 1,
        "rank": 1,
        "elected": True,
        "tied": False,
    }
    services.publish_election(election, by=hall.olga)
    body = Client().get(url).json()
    assert [s["name"] for s in body["elected"]] == ["王晓燕"]
    assert body["ballots"] == 1 and body.get("tally") is None
