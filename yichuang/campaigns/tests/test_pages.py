from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yichuang.campaigns import services
from yichuang.campaigns.models import (
    Ballot,
    Campaign,
    Candidate,
    Election,
    Evidence,
    ItemAssessment,
    VoterRoll,
)
from yichuang.core.models import AuditEvent
from yichuang.core.testing_files import pdf_bytes

from .factories import (
    applied_unit,
    at,
    fill,
    head_of_xsc,
    items,
    make_campaign,
    make_election,
    nominated,
    unit_of,
    with_voters,
)

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- campaigns --------------------------------------------------------------------------


def test_hall_office_creates_a_campaign_from_the_five_standardizations(hall, client_for):
    data = {
        "create": "1",
        "title": "创建优质服务窗口",
        "term": "2025–2026学年第一学期",
        "assessment_due": "2025-12-20",
        "pass_score": "90",
        "departments": [hall.jwc.pk, hall.xsc.pk],
        "checklist": "wuhua",
        "mobilization_starts": "2025-11-10",
        "mobilization_ends": "2025-11-20",
        "push_starts": "2025-11-21",
        "push_ends": "2025-12-31",
        "appraisal_starts": "2026-01-01",
        "appraisal_ends": "2026-01-20",
    }
    r = client_for(hall.olga).post("/campaigns/new/", data)
    campaign = Campaign.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.max_total() == 100 and campaign.units.count() == 2
    html = text(client_for(hall.olga).get(f"/campaigns/{campaign.pk}/checklist/"))
    assert "政务公开标准化" in html and "评分细则" in html


def test_only_the_hall_office_opens_the_forms(hall, client_for):
    campaign = make_campaign(hall)
    for url in ("/campaigns/new/", f"/campaigns/{campaign.pk}/edit/", "/campaigns/elections/new/"):
        assert client_for(hall.carol).get(url).status_code == 403


def test_copy_from_an_earlier_campaign_on_the_page(hall, client_for):
    source = make_campaign(hall)
    r = client_for(hall.olga).post(
        "/campaigns/new/",
        {"copy": "1", "source": source.pk, "title": "下学期", "starts_on": "2026-03-02"},
    )
    copy = Campaign.objects.get(title="下学期")
    assert r.status_code == 302 and copy.assessment_due == date(2026, 4, 11)


def test_detail_shows_the_timeline_and_the_units(hall, client_for):
    campaign = make_campaign(hall)
    with at(2025, 12, 1):
        html = text(client_for(hall.olga).get(f"/campaigns/{campaign.pk}/"))
    assert 'aria-current="step"' in html and "集中推进 · 进行中" in html
    assert "教务处" in html and "学生处" in html


def test_detail_runs_a_fixed_number_of_queries(hall, client_for):
    from yichuang.org.models import Department

    campaign = make_campaign(hall, launch=False)
    c = client_for(hall.olga)

    def count():
        with CaptureQueriesContext(connection) as q:
            assert c.get(f"/campaigns/{campaign.pk}/").status_code == 200
        return len(q.captured_queries)

    few = count()
    more = [
        Department.objects.create(code=f"d{i}", name=f"部门{i}", short_name=f"{i}")
        for i in range(4)
    ]
    services.update_campaign(
        campaign,
        title=campaign.title,
        phases={p.kind: (p.starts_on, p.ends_on) for p in campaign.phases.all()},
        assessment_due=campaign.assessment_due,
        pass_score="15",
        departments=[hall.jwc, hall.xsc, *more],
        by=hall.olga,
    )
    assert count() == few


def test_checklist_edits_after_launch_are_refused_with_a_message(hall, client_for):
    campaign = make_campaign(hall)
    section = campaign.sections.first()
    r = client_for(hall.olga).post(
        f"/campaigns/{campaign.pk}/checklist/add_item/{section.pk}/",
        {"title": "新增", "max_score": "5"},
        follow=True,
    )
    assert "不能再修改" in messages_of(r)
    assert len(items(campaign)) == 2


# --- self-assessment and inspection ---------------------------------------------------


def test_head_fills_and_submits_on_the_page(hall, client_for):
    unit = unit_of(make_campaign(hall), hall.jwc)
    first, second = items(unit.campaign)
    c = client_for(hall.carol)
    html = text(c.get(f"/campaigns/units/{unit.pk}/"))
    assert f'name="score_{first.pk}"' in html and "评分细则" in html
    with at(2025, 12, 1):
        r = c.post(
            f"/campaigns/units/{unit.pk}/act/save/",
            {
                f"score_{first.pk}": "9",
                f"note_{first.pk}": "有记录",
                f"score_{second.pk}": "8",
                "then": "submit",
            },
            follow=True,
        )
    assert "自评已提交" in messages_of(r)
    unit.refresh_from_db()
    assert unit.status == "submitted"


def test_a_late_submission_shows_why(hall, client_for):
    unit = unit_of(make_campaign(hall), hall.jwc)
    fill(unit, hall.carol)
    with at(2025, 12, 22):
        r = client_for(hall.carol).post(f"/campaigns/units/{unit.pk}/act/submit/", follow=True)
    assert "自评已于 2025-12-20 截止" in messages_of(r)


def test_an_upload_refusal_is_shown(hall, client_for):
    unit = unit_of(make_campaign(hall), hall.jwc)
    r = client_for(hall.carol).post(
        f"/campaigns/units/{unit.pk}/act/upload/",
        {"file": SimpleUploadedFile("run.bat", b"@echo off")},
        follow=True,
    )
    assert "“run.bat”的类型不能上传" in messages_of(r)
    r = client_for(hall.carol).post(
        f"/campaigns/units/{unit.pk}/act/upload/",
        {"file": SimpleUploadedFile("方案.pdf", PDF), "item": items(unit.campaign)[0].pk},
        follow=True,
    )
    evidence = Evidence.objects.get()
    download = client_for(hall.olga).get(f"/campaigns/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_inspection_scoring_and_rectification_on_the_pages(hall, client_for):
    unit = applied_unit(hall)
    first, second = items(unit.campaign)
    c = client_for(hall.olga)
    assert f'name="score_{first.pk}"' in text(c.get(f"/campaigns/units/{unit.pk}/inspection/"))
    c.post(
        f"/campaigns/units/{unit.pk}/inspection/score/",
        {f"score_{first.pk}": "10", f"comment_{first.pk}": "良好", f"score_{second.pk}": "8"},
    )
    with at(2025, 12, 5):
        c.post(
            f"/campaigns/units/{unit.pk}/inspection/open_rectification/",
            {"description": "补齐座牌", "due_on": "2025-12-15"},
        )
    html = text(client_for(hall.carol).get("/campaigns/rectifications/"))
    assert "补齐座牌" in html and "报送整改情况" in html
    assert ItemAssessment.objects.get(unit=unit, item=first).inspection_comment == "良好"


def _offered(client, unit) -> set[str]:
    """The unit's steps whose forms its two pages show (the self-assessment and inspection
    sheets are always in a form: their fields show whether they can be filled in)."""
    pages = [client.get(f"/campaigns/units/{unit.pk}/{page}") for page in ("", "inspection/")]
    assert [page.status_code for page in pages] == [200, 200]
    html = "".join(text(page) for page in pages)
    forms = {
        "save": 'name="note_',
        "upload": f"/units/{unit.pk}/act/upload/",
        "delete_evidence": f"/units/{unit.pk}/act/delete_evidence/",
        "submit": 'name="then" value="submit"',
        "apply": f"/units/{unit.pk}/act/apply/",
        "extend": f"/units/{unit.pk}/act/extend/",
        "return": f"/units/{unit.pk}/act/return/",
        "score": 'name="comment_',
        "open_rectification": f"/units/{unit.pk}/inspection/open_rectification/",
        "sign_off": f"/units/{unit.pk}/inspection/sign_off/",
        "report_rectification": "/report/",
        "close_rectification": "/close/",
        "reopen_rectification": "/reopen/",
    }
    return {action for action, marker in forms.items() if marker in html}


def test_the_unit_pages_offer_exactly_the_flows_allowed_actions(hall, client_for):
    """The unit's head and clerk, the hall office, an inspector the campaign names, and a
    reviewer who sees the unit but has no step in it, at each stage (with evidence to delete,
    rectifications open and reported)."""
    from yichuang.campaigns.flows import UNIT_FLOW
    from yichuang.campaigns.models import CampaignUnit
    from yichuang.core.flows import allowed_actions
    from yichuang.org.testing import make_staff

    eva = make_staff("eva", hall.xsc, "department_head", full_name="钱学文")
    campaign = make_campaign(hall, inspectors=[eva])
    unit = unit_of(campaign, hall.jwc)
    services.upload_evidence(unit, upload=SimpleUploadedFile("a.pdf", PDF), by=hall.carol)

    def check(expected: dict):
        fresh = CampaignUnit.objects.select_related("campaign").get(pk=unit.pk)
        for user, offered in expected.items():
            assert set(allowed_actions(UNIT_FLOW, fresh, user)) == offered, user.username
            assert _offered(client_for(user), fresh) == offered, user.username

    filling = {"save", "upload", "delete_evidence", "submit"}
    check({hall.carol: filling, hall.olga: {"extend"}, eva: set(), hall.rita: set()})
    with at(2025, 12, 1):
        fill(unit, hall.carol)
        services.submit_self_assessment(unit, by=hall.carol)
    check({hall.carol: {"apply"}, hall.olga: {"return"}, eva: {"return"}, hall.alice: set()})
    with at(2025, 12, 1):
        services.apply_for_inspection(unit, by=hall.carol)
        services.open_rectification(
            unit, description="补齐座牌", due_on=date(2025, 12, 15), by=hall.olga
        )
        reported = services.open_rectification(
            unit, description="更新指南", due_on=date(2025, 12, 15), by=hall.olga
        )
        services.report_rectification(reported, report="已更新", by=hall.carol)
    inspecting = {
        "return",
        "score",
        "open_rectification",
        "close_rectification",
        "reopen_rectification",
        "sign_off",
    }
    check(
        {
            hall.carol: {"report_rectification"},
            hall.olga: inspecting,
            eva: inspecting,
            hall.rita: set(),
            hall.alice: set(),
        }
    )
    services.close_campaign(campaign, by=hall.olga)
    check({hall.carol: set(), hall.olga: set(), eva: set()})


def test_it_validates_ownership(hall, client_for):
    campaign = make_campaign(hall)
    jwc = unit_of(campaign, hall.jwc)
    xsc = unit_of(campaign, hall.xsc)
    e = services.upload_evidence(jwc, upload=SimpleUploadedFile("a.pdf", PDF), by=hall.carol)
    first = items(campaign)[0]
    # Another department's unit and its evidence are simply not found.
    assert client_for(hall.dave).get(f"/campaigns/units/{jwc.pk}/").status_code == 404
    assert client_for(hall.dave).get(f"/campaigns/evidence/{e.pk}/").status_code == 404
    r = client_for(hall.dave).post(
        f"/campaigns/units/{jwc.pk}/act/save/", {f"score_{first.pk}": "9"}
    )
    assert r.status_code == 404
    assert client_for(hall.carol).get(f"/campaigns/units/{xsc.pk}/").status_code == 404
    # A clerk sees her unit but cannot score it.
    html = text(client_for(hall.alice).get(f"/campaigns/units/{jwc.pk}/"))
    assert f'name="score_{first.pk}"' not in html
    r = client_for(hall.alice).post(
        f"/campaigns/units/{jwc.pk}/act/save/", {f"score_{first.pk}": "9"}, follow=True
    )
    assert "无权" in messages_of(r) and not ItemAssessment.objects.exists()
    # A clerk cannot score the inspection either.
    unit = applied_unit(hall, make_campaign(hall))
    r = client_for(hall.alice).post(
        f"/campaigns/units/{unit.pk}/inspection/score/",
        {f"score_{items(unit.campaign)[0].pk}": "1"},
        follow=True,
    )
    assert "无权" in messages_of(r)
    # A head nominates only from their own department; an outsider cannot vote.
    election, _a, _d = nominated(hall)
    with_voters(hall, election)
    with at(2025, 6, 20):
        election.candidates.filter(department=hall.jwc).delete()
        r = client_for(hall.carol).post(
            f"/campaigns/elections/{election.pk}/nominate/",
            {"staff": hall.dave.pk, "deeds": "x"},
        )
    assert r.status_code == 200 and not Candidate.objects.filter(department=hall.jwc).exists()
    assert (
        client_for(hall.alice).get(f"/campaigns/elections/{election.pk}/nominate/").status_code
        == 403
    )
    with at(2025, 7, 6):
        r = client_for(hall.dave).post(
            f"/campaigns/elections/{election.pk}/ballot/",
            {"candidate": [election.candidates.first().pk], "cast": "1"},
        )
    assert r.status_code == 403 and "不在本次评选的投票人名单中" in text(r)
    assert not Ballot.objects.exists()
    assert (
        client_for(hall.carol).get(f"/campaigns/elections/{election.pk}/voters/").status_code == 403
    )


# --- elections ----------------------------------------------------------------------------


def test_hall_office_sets_up_an_election_on_the_page(hall, client_for):
    r = client_for(hall.olga).post(
        "/campaigns/elections/new/",
        {
            "title": "2025年“微笑服务之星”评选",
            "criteria": "爱岗敬业",
            "nomination_opens": "2025-06-01",
            "nomination_closes": "2025-06-30",
            "voting_opens": "2025-07-05",
            "voting_closes": "2025-07-10",
            "seats": "10",
            "max_choices": "10",
        },
    )
    assert r.status_code == 302
    election = Election.objects.get()
    assert election.departments.count() == 2  # every department when none is ticked


def test_edit_forms_show_the_current_values(hall, client_for):
    campaign = make_campaign(hall)
    election = make_election(hall)
    c = client_for(hall.olga)
    html = text(c.get(f"/campaigns/{campaign.pk}/edit/"))
    assert 'value="2025-12-20"' in html and 'value="2025-11-10"' in html
    html = text(c.get(f"/campaigns/elections/{election.pk}/edit/"))
    assert 'value="2025-06-30"' in html
    data = {
        "title": "改名",
        "criteria": "条件",
        "nomination_opens": "2025-06-01",
        "nomination_closes": "2025-06-30",
        "voting_opens": "2025-07-05",
        "voting_closes": "2025-07-12",
        "seats": "3",
        "max_choices": "2",
    }
    with at(2025, 6, 10):
        assert c.post(f"/campaigns/elections/{election.pk}/edit/", data).status_code == 302
    election.refresh_from_db()
    assert (election.title, election.voting_closes) == ("改名", date(2025, 7, 12))


def test_candidate_cards_show_the_figures(hall, client_for):
    election, _a, _d = nominated(hall)
    html = text(client_for(hall.bob).get(f"/campaigns/elections/{election.pk}/"))
    assert "王晓燕" in html and "微笑服务，零投诉。" in html and "按期办结率" in html


def test_head_nominates_on_the_page(hall, client_for):
    election = make_election(hall)
    with at(2025, 6, 10):
        assert "申报本部门候选人" in text(
            client_for(hall.carol).get(f"/campaigns/elections/{election.pk}/")
        )
        r = client_for(hall.carol).post(
            f"/campaigns/elections/{election.pk}/nominate/",
            {"staff": hall.alice.pk, "deeds": "三年零投诉"},
        )
    assert r.status_code == 302 and election.candidates.get().staff == hall.alice


def test_ballot_page_refuses_more_than_n_with_a_clear_message(hall, client_for):
    election, a, d = nominated(hall, max_choices=1)
    with_voters(hall, election)
    c = client_for(hall.carol)
    with at(2025, 7, 6):
        html = text(c.get(f"/campaigns/elections/{election.pk}/ballot/"))
        assert 'type="checkbox" name="candidate"' in html and 'data-max="1"' in html
        r = c.post(
            f"/campaigns/elections/{election.pk}/ballot/", {"candidate": [a.pk, d.pk], "cast": "1"}
        )
    assert r.status_code == 400
    assert "每张选票最多选择 1 名候选人，您选择了 2 名" in text(r)
    assert text(r).count("checked") == 2  # the ticks are kept to correct
    assert not Ballot.objects.exists()


def test_a_representative_votes_on_the_public_page(hall):
    election, a, _d = nominated(hall)
    code = with_voters(hall, election)[0]
    c = Client()
    with at(2025, 7, 6):
        assert c.post("/campaigns/vote/", {"code": "WRONG-CODE-0000"}).status_code == 403
        html = text(c.post("/campaigns/vote/", {"code": code}))
        assert "王晓燕" in html and f'value="{code}"' in html
        r = c.post("/campaigns/vote/", {"code": code, "candidate": [a.pk], "cast": "1"})
        assert "选票已投出" in text(r)
        again = c.post("/campaigns/vote/", {"code": code})
    assert "您已投票" in text(again)
    assert VoterRoll.objects.filter(voted_at__isnull=False).count() == 1


def test_stars_are_public_once_published(hall, client_for):
    election, a, _d = nominated(hall)
    with_voters(hall, election)
    with at(2025, 7, 6):
        services.cast_ballot(election, choices=[a.pk], by=hall.carol)
    with at(2025, 7, 11):
        client_for(hall.olga).post(f"/campaigns/elections/{election.pk}/act/close/")
    assert Client().get(f"/campaigns/stars/{election.pk}/").status_code == 404
    assert (
        client_for(hall.bob).get(f"/campaigns/elections/{election.pk}/results/").status_code == 404
    )
    client_for(hall.olga).post(f"/campaigns/elections/{election.pk}/act/publish/")
    r = Client().get(f"/campaigns/stars/{election.pk}/")
    assert r.status_code == 200 and "王晓燕" in text(r) and "陈思远" not in text(r)
    assert Client().get("/campaigns/stars/")["Location"] == f"/campaigns/stars/{election.pk}/"


def test_voter_roll_page_adds_representatives_and_shows_codes_once(hall, client_for):
    election, _a, _d = nominated(hall)
    c = client_for(hall.olga)
    with at(2025, 6, 20):
        r = c.post(
            f"/campaigns/elections/{election.pk}/voters/add_representatives/",
            {"lines": "王老师,教师代表,13800000001\n李同学，学生代表"},
        )
        c.post(
            f"/campaigns/elections/{election.pk}/voters/add_staff/",
            {"group": "cadre", "all_heads": "on"},
        )
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    assert text(r).count("投票码") >= 2
    groups = dict(VoterRoll.objects.values_list("name", "group"))
    assert groups == {
        "王老师": "teacher",
        "李同学": "student",
        "张卫国": "cadre",
        "孙丽华": "cadre",
        "李敏": "cadre",
    }
    assert head_of_xsc(hall).display_name == "孙丽华"


def test_home_lists_my_tasks(hall, client_for):
    make_campaign(hall)
    html = text(client_for(hall.carol).get("/campaigns/"))
    assert "待我办理" in html and "教务处自评" in html
    assert "待我办理" not in text(client_for(hall.bob).get("/campaigns/"))


def test_every_staff_page_renders(hall, client_for):
    campaign = make_campaign(hall)
    unit = applied_unit(hall, campaign)
    election, a, d = nominated(hall, seats=1, max_choices=1)
    with_voters(hall, election, representatives=0)
    with at(2025, 7, 6):
        services.cast_ballot(election, choices=[a.pk], by=hall.carol)
        services.cast_ballot(election, choices=[d.pk], by=hall.olga)
    with at(2025, 7, 11):
        services.close_election(election, by=hall.olga)
    c = client_for(hall.olga)
    for url in (
        "/campaigns/",
        "/campaigns/new/",
        f"/campaigns/{campaign.pk}/",
        f"/campaigns/{campaign.pk}/checklist/",
        f"/campaigns/units/{unit.pk}/",
        f"/campaigns/units/{unit.pk}/inspection/",
        "/campaigns/rectifications/?status=open",
        f"/campaigns/elections/{election.pk}/",
        f"/campaigns/elections/{election.pk}/voters/",
        f"/campaigns/elections/{election.pk}/ballot/",
    ):
        assert c.get(url).status_code == 200, url
    html = text(c.get(f"/campaigns/elections/{election.pk}/results/"))
    assert "并列待定" in html and "尚余 1 个名额" in html


def test_evidence_downloads_are_private_and_in_the_audit_record(hall, client_for, settings):
    unit = unit_of(make_campaign(hall), hall.jwc)
    e = services.upload_evidence(unit, upload=SimpleUploadedFile("方案.pdf", PDF), by=hall.carol)
    assert (settings.PRIVATE_MEDIA_ROOT / e.file.name).is_file()
    assert Client().get(f"/media/{e.file.name}").status_code == 404
    r = client_for(hall.olga).get(f"/campaigns/evidence/{e.pk}/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")
    assert r["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="evidence.download")
    assert event.actor == hall.olga and event.target_id == str(e.pk)
    assert client_for(hall.dave).get(f"/campaigns/evidence/{e.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="evidence.download").count() == 1
