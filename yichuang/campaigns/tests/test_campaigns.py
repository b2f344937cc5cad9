from datetime import date
from decimal import Decimal

import pytest

from yichuang.campaigns import services
from yichuang.campaigns.models import Campaign, CampaignStatus, CampaignUnit, PhaseKind
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.models import AuditEvent

from .factories import DUE, START, at, items, make_campaign, phases

pytestmark = pytest.mark.django_db


def test_five_standardizations_template_gives_a_100_point_checklist(hall):
    campaign = make_campaign(hall, checklist="wuhua", launch=False, pass_score="90")
    titles = list(campaign.sections.values_list("title", flat=True))
    assert titles == [
        "窗口建设标准化",
        "窗口管理标准化",
        "政务公开标准化",
        "服务行为标准化",
        "服务质量标准化",
    ]
    assert campaign.max_total() == Decimal("100")
    assert all(i.guidance for i in items(campaign))


def test_only_the_hall_office_creates_a_campaign(hall):
    with pytest.raises(NotAllowed):
        services.create_campaign(title="x", phases=phases(), assessment_due=DUE, by=hall.carol)


@pytest.mark.parametrize(
    "broken",
    [
        {
            PhaseKind.PUSH: (date(2025, 11, 15), date(2025, 12, 31))
        },  # starts before mobilization ends
        {PhaseKind.APPRAISAL: (date(2026, 1, 20), date(2026, 1, 10))},  # ends before it starts
    ],
)
def test_phases_must_follow_each_other(hall, broken):
    with pytest.raises(Invalid):
        services.create_campaign(
            title="x", phases={**phases(), **broken}, assessment_due=DUE, by=hall.olga
        )


def test_self_assessment_is_due_inside_the_campaign(hall):
    with pytest.raises(Invalid, match="自评截止日期"):
        services.create_campaign(
            title="x", phases=phases(), assessment_due=date(2026, 3, 1), by=hall.olga
        )


def test_current_phase_follows_the_calendar(hall):
    campaign = make_campaign(hall)
    assert campaign.current_phase(date(2025, 11, 1)) is None
    assert campaign.current_phase(START).kind == PhaseKind.MOBILIZATION
    assert campaign.current_phase(date(2025, 12, 1)).kind == PhaseKind.PUSH
    with at(2026, 1, 5):
        assert campaign.current_phase().kind == PhaseKind.APPRAISAL
        states = [state for _p, state in campaign.timeline()]
    assert states == ["done", "done", "current"]


def test_launch_needs_units_checklist_and_a_reachable_pass_score(hall):
    bare = services.create_campaign(title="x", phases=phases(), assessment_due=DUE, by=hall.olga)
    with pytest.raises(Conflict, match="参评单位"):
        services.launch_campaign(bare, by=hall.olga)
    campaign = make_campaign(hall, launch=False, pass_score="25")
    with pytest.raises(Conflict, match="达标分"):
        services.launch_campaign(campaign, by=hall.olga)


def test_launch_tells_the_unit_heads(hall, django_capture_on_commit_callbacks, mailoutbox):
    hall.carol.email = "carol@example.edu.cn"
    hall.carol.save()
    campaign = make_campaign(hall, launch=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign(campaign, by=hall.olga)
    assert campaign.status == CampaignStatus.LAUNCHED
    assert [m.to for m in mailoutbox] == [["carol@example.edu.cn"]]
    assert "2025年12月20日" in mailoutbox[0].body
    assert AuditEvent.objects.filter(action="campaign.launched").count() == 1


def test_checklist_and_units_are_fixed_once_launched(hall):
    campaign = make_campaign(hall)
    section = campaign.sections.first()
    with pytest.raises(Conflict):
        services.add_item(section, title="新增", max_score="5", by=hall.olga)
    with pytest.raises(Conflict):
        services.update_campaign(
            campaign,
            title=campaign.title,
            phases=phases(),
            assessment_due=DUE,
            pass_score="15",
            departments=[hall.jwc],
            by=hall.olga,
        )
    # Dates may still move while it runs.
    services.update_campaign(
        campaign,
        title=campaign.title,
        phases=phases(),
        assessment_due=date(2025, 12, 25),
        pass_score="15",
        departments=[hall.jwc, hall.xsc],
        by=hall.olga,
    )
    assert campaign.assessment_due == date(2025, 12, 25)


def test_copy_keeps_checklist_units_inspectors_and_shifts_the_dates(hall):
    source = make_campaign(hall, inspectors=[hall.rita])
    copy = services.copy_campaign(
        source, title="创建优质服务窗口（下学期）", starts_on=date(2026, 3, 2), by=hall.olga
    )
    assert copy.status == CampaignStatus.DRAFT and copy.source == source
    assert [(i.title, i.max_score) for i in items(copy)] == [
        (i.title, i.max_score) for i in items(source)
    ]
    assert set(copy.units.values_list("department", flat=True)) == {hall.jwc.pk, hall.xsc.pk}
    assert list(copy.inspectors.all()) == [hall.rita]
    shift = date(2026, 3, 2) - START
    assert copy.assessment_due == DUE + shift
    mobilization = copy.phases.get(kind=PhaseKind.MOBILIZATION)
    assert (mobilization.starts_on, mobilization.ends_on) == (
        date(2026, 3, 2),
        date(2026, 3, 12),
    )
    # The copy is independent: editing it leaves the source alone.
    services.add_item(copy.sections.all()[0], title="新增细则", max_score="5", by=hall.olga)
    assert len(items(source)) == 2


def test_a_template_cannot_be_launched(hall):
    source = make_campaign(hall, launch=False)
    template = services.copy_campaign(
        source, title="模板", starts_on=START, is_template=True, by=hall.olga
    )
    with pytest.raises(Conflict, match="模板"):
        services.launch_campaign(template, by=hall.olga)


def test_drafts_and_templates_are_seen_by_the_hall_office_only(hall):
    draft = make_campaign(hall, launch=False)
    running = make_campaign(hall)
    assert set(Campaign.objects.visible_to(hall.olga)) == {draft, running}
    assert list(Campaign.objects.visible_to(hall.alice)) == [running]


def test_close_makes_it_read_only(hall):
    campaign = make_campaign(hall)
    services.close_campaign(campaign, summary="总结", by=hall.olga)
    with pytest.raises(Conflict):
        services.close_campaign(campaign, by=hall.olga)
    unit = CampaignUnit.objects.get(campaign=campaign, department=hall.jwc)
    with pytest.raises(Conflict, match="进行中"):
        services.save_self_assessment(unit, entries={}, by=hall.carol)
