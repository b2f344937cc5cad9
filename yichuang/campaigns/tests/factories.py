"""A campaign and an election on fixed dates, built through the services.

The campaign runs 2025-11-10 … 2026-01-20 (seed 000's three phases), self-assessment due
2025-12-20; the election nominates in June and votes in early July (seed 002)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from yichuang.campaigns import services
from yichuang.campaigns.models import ChecklistItem, PhaseKind, VoterGroup
from yichuang.org.testing import make_staff

SH = ZoneInfo("Asia/Shanghai")
START = date(2025, 11, 10)
DUE = date(2025, 12, 20)


def at(y, m, d, hh=10):
    return time_machine.travel(datetime(y, m, d, hh, 0, tzinfo=SH), tick=False)


def phases(start: date = START) -> dict:
    return {
        PhaseKind.MOBILIZATION: (start, start + timedelta(days=10)),
        PhaseKind.PUSH: (start + timedelta(days=11), start + timedelta(days=51)),
        PhaseKind.APPRAISAL: (start + timedelta(days=52), start + timedelta(days=71)),
    }


def head_of_xsc(hall):
    from yichuang.org.models import Staff

    existing = Staff.objects.filter(username="xenia").first()
    return existing or make_staff("xenia", hall.xsc, "department_head", full_name="孙丽华")


def make_campaign(hall, *, launch=True, checklist=None, inspectors=(), pass_score="15"):
    """Two units (教务处, 学生处); a two-item checklist out of 20 unless `checklist` names a
    built-in one."""
    campaign = services.create_campaign(
        title="创建优质服务窗口",
        term="2025–2026学年第一学期",
        phases=phases(),
        assessment_due=DUE,
        pass_score=Decimal(pass_score),
        departments=[hall.jwc, hall.xsc],
        inspectors=list(inspectors),
        checklist=checklist,
        by=hall.olga,
    )
    if checklist is None:
        a = services.add_section(campaign, title="窗口建设标准化", by=hall.olga)
        services.add_item(a, title="领导重视，定期听取汇报", max_score="10", by=hall.olga)
        b = services.add_section(campaign, title="服务质量标准化", by=hall.olga)
        services.add_item(
            b,
            title="承诺期限内办结率 100%",
            guidance="每低 1 个百分点扣 1 分",
            max_score="10",
            by=hall.olga,
        )
    if launch:
        services.launch_campaign(campaign, by=hall.olga)
    return campaign


def items(campaign) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(section__campaign=campaign))


def unit_of(campaign, department):
    return campaign.units.get(department=department)


def fill(unit, by, scores=(9, 8), notes=("有议事记录", "办结率 99%")) -> None:
    entries = {
        item.pk: {"score": str(s), "note": n}
        for item, s, n in zip(items(unit.campaign), scores, notes, strict=False)
    }
    services.save_self_assessment(unit, entries=entries, by=by)


def applied_unit(hall, campaign=None):
    """教务处's unit, filled, submitted and applied for inspection (on 2025-12-01)."""
    campaign = campaign or make_campaign(hall)
    unit = unit_of(campaign, hall.jwc)
    with at(2025, 12, 1):
        fill(unit, hall.carol)
        services.submit_self_assessment(unit, by=hall.carol)
        services.apply_for_inspection(unit, by=hall.carol)
    return unit


def make_election(hall, *, seats=3, max_choices=2, campaign=None):
    return services.create_election(
        title="2025年“微笑服务之星”评选",
        criteria="爱岗敬业，文明服务，微笑服务，遵章守纪，师生满意。",
        nomination_opens=date(2025, 6, 1),
        nomination_closes=date(2025, 6, 30),
        voting_opens=date(2025, 7, 5),
        voting_closes=date(2025, 7, 10),
        seats=seats,
        max_choices=max_choices,
        departments=[hall.jwc, hall.xsc],
        campaign=campaign,
        by=hall.olga,
    )


def nominated(hall, election=None, **kw):
    """alice for 教务处 (by carol), dave for 学生处 (by its head xenia)."""
    election = election or make_election(hall, **kw)
    xenia = head_of_xsc(hall)
    with at(2025, 6, 15):
        a = services.nominate(election, staff=hall.alice, deeds="微笑服务，零投诉。", by=hall.carol)
        d = services.nominate(election, staff=hall.dave, deeds="资助业务一口清。", by=xenia)
    return election, a, d


def with_voters(hall, election, *, representatives=2):
    """carol, olga and rita vote signed in; `representatives` teachers vote with codes."""
    with at(2025, 6, 20):
        services.add_staff_voters(
            election,
            staff=[hall.carol, hall.olga, hall.rita],
            group=VoterGroup.CADRE,
            by=hall.olga,
        )
        issued = services.add_representatives(
            election,
            people=[
                {"name": f"代表{i}", "group": VoterGroup.TEACHER}
                for i in range(1, representatives + 1)
            ],
            by=hall.olga,
        )
    return [code for _roll, code in issued]
