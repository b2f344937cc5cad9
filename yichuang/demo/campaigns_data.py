"""The demo hall's campaign and star-staff election, built through the services so that every
rule holds: "创建优质服务窗口" for this term, in its concentrated-push phase, with the five
standardizations (五化) as its checklist; and a "微笑服务之星" election taking nominations."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yichuang.campaigns import services
from yichuang.campaigns.models import Campaign, ChecklistItem, PhaseKind, VoterGroup
from yichuang.campaigns.standards import STAR_CRITERIA
from yichuang.org.models import Department, Staff

from . import org_data

TITLE = "创建优质服务窗口"
HALL_OFFICE = "office1"
EVALUATOR = "evaluator1"
# department code → (its head's username, their nominee, the deeds written for them)
NOMINATIONS = {
    "jwc": (
        "head1",
        "window1",
        "在学籍管理岗工作五年，坚持“六个一”，学籍异动、在读证明材料齐全的当场办结；"
        "主动为毕业生延时服务，本学年办件零投诉，多次收到学生感谢信。",
    ),
    "xsc": (
        "xsc_head",
        "window2",
        "负责学生资助业务，政策解答“一口清”，为家庭经济困难学生提供预约和上门服务；"
        "整理资助事项一次性告知单 12 份，学生满意率保持在 98% 以上。",
    ),
}
STUDENT_REPRESENTATIVES = ["林晓（学生会）", "周航（研究生会）", "陈雨桐（学生代表）"]


def _term(today) -> str:
    if today.month >= 9:
        return f"{today.year}–{today.year + 1}学年第一学期"
    if today.month == 1:
        return f"{today.year - 1}–{today.year}学年第一学期"
    return f"{today.year - 1}–{today.year}学年第二学期"


def seed_campaigns(*, by=None) -> dict:
    """Create the demo campaign and election (once). `by` is the hall office member who
    runs them; the demo's office1 when omitted. Returns what was made, with the ballot codes
    of the student representatives (they exist only here: print them for the demo)."""
    existing = Campaign.objects.filter(title=TITLE, is_template=False).first()
    if existing is not None:
        return {"campaign": existing, "election": existing.elections.first(), "ballot_codes": []}
    staff = {s.username: s for s in Staff.objects.filter(username__in=_usernames())}
    by = by or staff[HALL_OFFICE]
    departments = {d.code: d for d in Department.objects.filter(code__in=_department_codes())}
    today = timezone.localdate()
    with transaction.atomic():
        campaign = _campaign(today, departments, staff, by)
        election, codes = _election(today, campaign, departments, staff, by)
    return {"campaign": campaign, "election": election, "ballot_codes": codes}


def _usernames() -> list[str]:
    return [row[0] for row in org_data.STAFF]


def _department_codes() -> list[str]:
    return [row[0] for row in org_data.DEPARTMENTS]


def _campaign(today, departments, staff, by) -> Campaign:
    campaign = services.create_campaign(
        title=TITLE,
        term=_term(today),
        goal=(
            "对照“窗口建设标准化、窗口管理标准化、政务公开标准化、服务行为标准化、服务质量标准化”"
            "五项标准，内强素质、外树形象，创建“便民、规范、高效、廉洁”的窗口形象。"
            "各参评单位自查自评、自评达标后申请验收，验收小组现场评分、提出整改并销号。"
        ),
        phases={
            PhaseKind.MOBILIZATION: (today - timedelta(days=24), today - timedelta(days=15)),
            PhaseKind.PUSH: (today - timedelta(days=14), today + timedelta(days=28)),
            PhaseKind.APPRAISAL: (today + timedelta(days=29), today + timedelta(days=50)),
        },
        assessment_due=today + timedelta(days=21),
        pass_score=Decimal("90"),
        departments=list(departments.values()),
        inspectors=[staff[EVALUATOR]],
        checklist="wuhua",
        by=by,
    )
    services.launch_campaign(campaign, by=by)
    items = list(ChecklistItem.objects.filter(section__campaign=campaign))
    # 教务处 has assessed itself and applied for inspection; 学生处 is half-way.
    jwc = campaign.units.get(department=departments["jwc"])
    entries = {
        i.pk: {
            "score": str(i.max_score - (1 if n in (3, 9) else 0)),
            "note": "已对照标准逐项自查，相关记录和照片见佐证材料。",
        }
        for n, i in enumerate(items)
    }
    head = staff["head1"]
    services.save_self_assessment(jwc, entries=entries, by=head)
    services.submit_self_assessment(jwc, by=head)
    services.apply_for_inspection(jwc, by=head)
    xsc = campaign.units.get(department=departments["xsc"])
    half = {i.pk: {"score": str(i.max_score), "note": "已达标"} for i in items[: len(items) // 2]}
    services.save_self_assessment(xsc, entries=half, by=staff["xsc_head"])
    return campaign


def _election(today, campaign, departments, staff, by):
    election = services.create_election(
        title=f"{today.year}年“微笑服务之星”评选",
        criteria=STAR_CRITERIA,
        nomination_opens=today - timedelta(days=3),
        nomination_closes=today + timedelta(days=7),
        voting_opens=today + timedelta(days=10),
        voting_closes=today + timedelta(days=14),
        seats=3,
        max_choices=3,
        departments=list(departments.values()),
        campaign=campaign,
        by=by,
    )
    for head, nominee, deeds in NOMINATIONS.values():
        services.nominate(election, staff=staff[nominee], deeds=deeds, by=staff[head])
    cadres = [s for s in staff.values() if s.has_role("department_head", "hall_office")]
    services.add_staff_voters(election, staff=cadres, group=VoterGroup.CADRE, by=by)
    services.add_staff_voters(election, staff=[staff[EVALUATOR]], group=VoterGroup.TEACHER, by=by)
    issued = services.add_representatives(
        election,
        people=[{"name": n, "group": VoterGroup.STUDENT} for n in STUDENT_REPRESENTATIVES],
        by=by,
    )
    return election, [(roll.name, code) for roll, code in issued]
