"""A believable past for the demo hall: cases over the last months, replayed day by day
through the same service functions a clerk uses, with the clock moved by time-machine so
every event, deadline and document carries its real date."""

import heapq
import random
from datetime import datetime, time, timedelta

import time_machine
from django.utils import timezone

from yichuang.cases import services as cases
from yichuang.cases.applicants import id_check_digit
from yichuang.cases.bundles import submit_bundle
from yichuang.catalog.models import Bundle, Service
from yichuang.catalog.queries import bundle_version
from yichuang.core.errors import DomainError
from yichuang.core.escalation import send_reminders
from yichuang.core.notifications import mark_all_read
from yichuang.org.models import Staff
from yichuang.workdays.queries import hall_calendar

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华飞玉兰萍红娥玲芬建国文博思远子涵雨欣浩然梓萱一诺宇轩欣怡"
REGIONS = ["430104", "430102", "110108", "320102", "420106", "510107", "440106", "330106"]


def _person(rng: random.Random) -> dict:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    born = datetime(1998, 1, 1) + timedelta(days=rng.randrange(0, 365 * 8))
    first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(100, 999)}"
    return {
        "name": name,
        "id_number": first17 + id_check_digit(first17),
        "phone": f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
    }


class Replay:
    def __init__(self, rng: random.Random, start, today):
        self.rng, self.start, self.today = rng, start, today
        self.queue: list = []
        self.seq = 0
        self.cal = hall_calendar()
        self.reviewer = Staff.objects.get(username="reviewer1")

    def at(self, day, minutes):
        return timezone.make_aware(datetime.combine(day, time(8, 40)) + timedelta(minutes=minutes))

    def later(self, when, working_days, fn, rng=None):
        """Run `fn` `working_days` after `when`, at a random hour of that day but never before
        `when` itself: a step planned for the same day (0 working days) comes a little after
        the step that planned it, so the replayed clock only ever moves forwards."""
        rng = rng or self.rng
        day = self.cal.add_working_days(timezone.localdate(when), working_days)
        if day >= self.today:
            return  # still open today: leave the case where it stands
        at = self.at(day, rng.randrange(0, 420))
        if at <= when:
            at = when + timedelta(minutes=rng.randrange(1, 30))
        self.seq += 1
        heapq.heappush(self.queue, (at, self.seq, fn))

    def chain(self, when, steps, rng=None):
        """Steps [(working days after the previous step, fn)] run one after another: each is
        planned from the time the one before it actually ran, and a refused step ends the
        chain (what came after it no longer applies)."""
        if not steps:
            return
        (days, fn), rest = steps[0], steps[1:]

        def run():
            fn()
            self.chain(timezone.now(), rest, rng)

        self.later(when, days, run, rng)

    def handler(self, case):
        return case.assignee or case.post.holder

    def plan(self, service, when, clerk):
        rng = self.rng
        materials = [m.pk for m in service.materials.all() if m.required or rng.random() < 0.5]
        complete = rng.random() < 0.82
        if not complete and materials:
            materials = materials[:-1]
        channel = "online" if service.online and rng.random() < 0.25 else "window"
        case = cases.create_case(
            service=service,
            channel=channel,
            applicant=_person(rng),
            materials=materials,
            by=None if channel == "online" else clerk,
        )
        if (
            channel == "online"
            and (self.today - timezone.localdate(when)).days <= 8
            and rng.random() < 0.6
        ):
            return  # online applications of the last days still wait for an answer (§32 monitor)
        if not complete:
            missing = [m.material_id for m in case.materials.all() if m.required and not m.provided]
            if missing:
                cases.request_supplement(case, missing=missing, note="请补齐后再来", by=clerk)
                if rng.random() < 0.8:
                    self.later(
                        when, rng.randrange(1, 4), lambda: self.resupplied(case, missing, clerk)
                    )
                return
        self.decide(case, clerk)

    def plan_bundle(self, bundle, when, rng, *, stalled=False):
        """一件事: one application at the lead's window (or online), accepted with every
        department's documents at once; each other department does its part, then the lead
        reviews and the checker completes the whole. Its own `rng`, so that adding bundles
        leaves the services' replayed past as it was. A `stalled` one waits on its last
        part: past the lead's promise, it is what the red light and escalation are for."""
        snapshot = bundle_version(bundle).snapshot
        materials = [m["id"] for m in snapshot["materials"] if m["required"] or rng.random() < 0.3]
        clerk = bundle.lead.post.holder
        online = snapshot["online"] and rng.random() < 0.4
        case = submit_bundle(
            bundle,
            applicant=_person(rng),
            materials=materials,
            channel="online" if online else "window",
            by=None if online else clerk,
        )
        cases.accept_case(case, by=clerk)
        # The parts run side by side, each by the handler AB routing gave it: the first is
        # done a day or more in, the others close behind it, within the lead's promise.
        steps = [
            (
                rng.randrange(1, max(case.committed_days - 2, 2))
                if i == 0
                else rng.randrange(0, 2),
                lambda p=p: cases.complete_part(
                    case,
                    department=p.department,
                    note="本部门事项已办结",
                    by=p.assignee or p.post.holder,
                ),
            )
            for i, p in enumerate(
                case.parts.select_related("department", "assignee", "post__holder")
            )
        ]
        if stalled:
            self.chain(case.accepted_at, steps[:-1], rng)
            return

        def review():
            cases.review_case(
                case, decision="approve", note="各部门均已办结，同意", by=self.handler(case)
            )

        def check():
            cases.check_case(case, agree=True, note="同意", by=self.checker(case))

        self.chain(case.accepted_at, [*steps, (0, review), (1, check)], rng)

    def resupplied(self, case, missing, clerk):
        cases.supplement_case(case, materials=missing, by=clerk)
        self.decide(case, clerk)

    def decide(self, case, clerk):
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:
            cases.reject_case(case, reason="不符合申请条件", by=clerk)
        elif roll < 0.07:
            cases.return_case(case, reason="申请人申请撤回", by=clerk)
        elif case.service.kind == "immediate":
            cases.complete_case(case, by=clerk)
            self.maybe_rate(case)
        else:
            cases.accept_case(case, by=clerk)
            days = case.committed_days
            # Most finish inside the promise; a few run late so the lights have work to show.
            took = (
                max(1, rng.randrange(0, days + 1))
                if rng.random() < 0.93
                else days + rng.randrange(1, 4)
            )
            handler = self.handler

            def review():
                cases.review_case(case, decision="approve", note="材料齐全，同意", by=handler(case))

            if rng.random() < 0.05:
                # Suspended the next working day, resumed two later: the two days do not count,
                # and the review waits for the resumption (a suspended case cannot be reviewed).
                steps = [
                    (1, lambda: cases.suspend_case(case, reason="专家评审", by=handler(case))),
                    (2, lambda: cases.resume_case(case, by=handler(case))),
                    (max(took - 1 - 1, 0), review),
                ]
            elif took > days and days > 1 and rng.random() < 0.6:
                # Running late: the handler asks the head for more time the day before the
                # deadline (§42); the head mostly agrees. The last days' requests still wait.
                steps = [
                    (days - 1, lambda: self.ask_extension(case)),
                    (answer := rng.randrange(1, 4), lambda: self.answer_extension(case)),
                    (max(took - days - answer, 0), review),
                ]
            else:
                steps = [(took - 1, review)]
            self.chain(case.accepted_at, [*steps, (1, lambda: self.complete(case))])

    def ask_extension(self, case):
        cases.request_extension(
            case,
            days=self.rng.choice([3, 5, 10]),
            reason="需征求相关学院意见",
            by=self.handler(case),
        )

    def answer_extension(self, case):
        from yichuang.org.queries import department_heads

        asked = case.extension_requests.filter(decision="").first()
        heads = department_heads({case.department_id}).get(case.department_id)
        if asked is None or not heads:
            return
        head = heads[0]
        if self.rng.random() < 0.8:
            cases.extend_case(case, days=asked.days, reason=asked.reason, by=head)
        else:
            cases.refuse_extension(case, reason="请按原期限办结", by=head)

    def complete(self, case):
        cases.check_case(case, agree=True, note="同意", by=self.checker(case))
        self.maybe_rate(case)

    def maybe_rate(self, case):
        """Most applicants rate; a few are unhappy, so follow-ups have work to show."""
        from yichuang.feedback.services import rate_case

        rng = self.rng
        if rng.random() < 0.65:
            level = rng.choices([5, 4, 3, 2, 1], [62, 24, 9, 3, 2])[0]
            comments = {
                5: "办事效率高，态度很好",
                4: "挺好的",
                3: "",
                2: "排队时间有点长",
                1: "材料要求没说清楚，跑了两趟",
            }
            rating = rate_case(
                case,
                level=level,
                channel=rng.choice(["qr", "sms", "portal"]),
                comment=comments[level],
                query_code=case.query_code,
                indicators=demo_indicators(level, case.pk),
            )
            if level <= 2:
                self.chain(
                    rating.created_at,
                    [
                        (days, lambda step=step: self.follow_up(rating, step))
                        for days, step in (
                            (1, "verify"),
                            (4, "rectify"),
                            (1, "reply"),
                            (1, "close"),
                        )
                    ],
                )

    def follow_up(self, rating, step):
        """The department head works the follow-up of a bad rating through its steps."""
        from yichuang.feedback import services as feedback
        from yichuang.feedback.models import FollowUp

        f = FollowUp.objects.select_related("owner").get(rating=rating)
        head = f.owner
        if step == "verify":
            # The head came from the notice centre: what it told them so far is read.
            mark_all_read(by=head)
            feedback.verify_follow_up(
                f, finding="partly", note="已电话回访申请人，情况部分属实", by=head
            )
        elif step == "rectify":
            feedback.rectify_follow_up(
                f, measures="窗口已补充告知单说明，并对经办人进行提醒", by=head
            )
        elif step == "reply":
            feedback.reply_follow_up(f, reply="感谢您的反馈，我们已改进告知方式。", by=head)
        else:
            feedback.close_follow_up(f, note="整改完成", by=head)

    def joint(self, service, joint, outcome):
        """One joint case (联办) at the lead's window, through the same service functions."""
        clerk = service.post.holder
        case = cases.create_case(
            service=service,
            channel="window",
            applicant=_person(self.rng),
            materials=[m.pk for m in service.materials.all() if m.required],
            by=clerk,
            joint_parts=joint,
        )
        cases.accept_case(case, by=clerk)
        parts = list(case.parts.select_related("department", "assignee", "post__holder"))

        def part_handler(part):
            part.refresh_from_db()
            return (
                part.assignee
                or (part.post.holder if part.post else None)
                or Staff.objects.filter(
                    department=part.department, role_grants__role="department_head"
                ).first()
            )

        steps: list = []
        first, rest = parts[0], parts[1:]
        if outcome in ("drop", "return"):
            steps.append(
                (
                    1,
                    lambda p=first: cases.refuse_part(
                        case,
                        department=p.department,
                        reason="该生在本部门无待办事项记录，无需联办",
                        by=part_handler(p),
                    ),
                )
            )
            if outcome == "return":
                steps.append(
                    (
                        1,
                        lambda: cases.return_case(
                            case,
                            reason="联办部门退回，申请条件不具备，请补充后重新申请",
                            by=self.handler(case),
                        ),
                    )
                )
                self.chain(case.accepted_at, steps)
                return
            steps.append(
                (
                    0,
                    lambda p=first: cases.drop_part(
                        case,
                        department=p.department,
                        reason="经核实不需要该部门办理，继续办理",
                        by=self.handler(case),
                    ),
                )
            )
        elif outcome == "open":
            rest = [first]  # one part done, the others still running today
        else:
            rest = parts
        for p in rest:
            steps.append(
                (
                    1,
                    lambda p=p: cases.complete_part(
                        case, department=p.department, note="已办理", by=part_handler(p)
                    ),
                )
            )
        if outcome == "open":
            self.chain(case.accepted_at, steps)
            return

        def review():
            cases.review_case(
                case, decision="approve", note="联办部门均已办结，同意", by=self.handler(case)
            )

        steps += [(1, review), (1, lambda: self.complete(case))]
        self.chain(case.accepted_at, steps)

    def checker(self, case):
        return (
            self.reviewer
            if case.reviewed_by_id != self.reviewer.pk
            else Staff.objects.get(username="head1")
        )

    def run_due(self, until):
        while self.queue and self.queue[0][0] <= until:
            when, _seq, fn = heapq.heappop(self.queue)
            with time_machine.travel(when, tick=False):
                try:
                    fn()
                except DomainError:
                    pass  # a step the replay planned no longer applies (e.g. already moved on)


# 联办: joint cases across departments — (working days before today, lead service, the parts
# [(department, service code or None)], and how it goes: "done" (every part done, the lead
# completes), "drop" (the first part refused, the lead continues without it), "return" (the
# first part refused, the lead returns the case), "open" (parts still running today).
JOINT: list[tuple[int, str, list[tuple[str, str | None]], str]] = [
    (
        24,
        "jwc-suspension",
        [("xsc", "xsc-hardship-grant"), ("hqc", "hqc-room-change"), ("cwc", None)],
        "done",
    ),
    (18, "xsc-hukou-move", [("hqc", None), ("jwc", "jwc-info-correction"), ("cwc", None)], "drop"),
    (12, "jwc-major-transfer", [("cwc", None), ("xsc", None), ("hqc", None)], "return"),
    (3, "xsc-hardship", [("cwc", None), ("jwc", "jwc-enrolment-cert"), ("hqc", None)], "open"),
    (2, "yjs-suspension", [("hqc", "hqc-room-change"), ("cwc", None), ("xsc", None)], "open"),
]


def plan_joint(replay: Replay) -> int:
    """Queue the joint cases of JOINT in the replay: created and accepted at the window of the
    lead, each part worked by its own handler a few working days later."""
    from yichuang.org.models import Department

    departments = {d.code: d for d in Department.objects.all()}
    services = {s.code: s for s in Service.objects.select_related("post__holder")}
    planned = 0
    for back, lead, parts, outcome in JOINT:
        if lead not in services or any(
            d not in departments or (code and code not in services) for d, code in parts
        ):
            continue  # a catalogue without these items (a trimmed demo)
        day, counted = replay.today, 0
        while counted < back:  # `back` working days before today
            day -= timedelta(days=1)
            counted += replay.cal.is_working_day(day)
        when = replay.at(day, replay.rng.randrange(10, 120))
        joint = [(departments[d], services[code] if code else None) for d, code in parts]
        replay.seq += 1
        heapq.heappush(
            replay.queue,
            (
                when,
                replay.seq,
                lambda s=services[lead], j=joint, o=outcome: replay.joint(s, j, o),
            ),
        )
        planned += 1
    return planned


def plan_stalled_bundle(replay: Replay, bundles, rng) -> int:
    """One 一件事 applied for three working days more than its promise ago, whose last part
    is still with its department today: the joint case runs red."""
    bundle = max(bundles, key=lambda b: (b.lead.committed_days, b.code))
    day, counted = replay.today, 0
    while counted < bundle.lead.committed_days + 3:
        day -= timedelta(days=1)
        counted += replay.cal.is_working_day(day)
    if day < replay.start:
        return 0
    replay.seq += 1
    heapq.heappush(
        replay.queue,
        (
            replay.at(day, 30),
            replay.seq,
            lambda: replay.plan_bundle(bundle, timezone.now(), rng, stalled=True),
        ),
    )
    return 1


def seed_history(*, days: int = 110, per_day: int = 30, seed: int = 2026) -> int:
    rng = random.Random(seed)
    today = timezone.localdate()
    replay = Replay(rng, today - timedelta(days=days), today)
    services = list(
        Service.objects.filter(is_active=True)
        .select_related("post__holder")
        .prefetch_related("materials", "post__backup_links__staff")
    )
    weights = [5 if s.kind == "immediate" else 3 for s in services]
    bundles = list(Bundle.objects.filter(is_active=True).select_related("lead__post__holder"))
    brng = random.Random(seed + 1)
    created = plan_joint(replay)
    if bundles:
        created += plan_stalled_bundle(replay, bundles, brng)
    day = today - timedelta(days=days)
    while day <= today:
        if replay.cal.is_working_day(day):
            count = (
                rng.randrange(per_day // 2, per_day * 3 // 2 + 1) if day < today else per_day // 3
            )
            for minutes in sorted(rng.randrange(0, 470) for _ in range(count)):
                when = replay.at(day, minutes)
                if day == today and when > timezone.now():
                    break
                replay.run_due(when)
                service = rng.choices(services, weights)[0]
                clerk = service.post.holder
                with time_machine.travel(when, tick=False):
                    try:
                        replay.plan(service, when, clerk)
                        created += 1
                    except DomainError:
                        pass
            if bundles and day < today and brng.random() < 0.3:
                # After the day's other applications, so the replayed clock only moves forwards.
                when = replay.at(day, 472 + brng.randrange(0, 20))
                replay.run_due(when)
                with time_machine.travel(when, tick=False):
                    try:
                        replay.plan_bundle(brng.choice(bundles), when, brng)
                        created += 1
                    except DomainError:
                        pass
        day += timedelta(days=1)
    replay.run_due(timezone.now())
    # Today's reminders (自动督办), as cron would send them after such a past: the heads' and
    # the hall office's bells have something to show on the first login.
    send_reminders()
    return created


# What some raters tick after the level (the online set: the demo's raters use their phones).
# Chosen from the level and the case, not drawn from the generator, so adding them changed
# none of the history that the seed draws.
INDICATOR_CHOICES = {
    5: [[], ["efficiency", "convenience"], ["efficiency"]],
    4: [[], ["convenience"], []],
    3: [[], [], ["usability"]],
    2: [["efficiency"], [], ["efficiency", "convenience"]],
    1: [["guide_accuracy"], ["guide_accuracy", "efficiency"], []],
}


def demo_indicators(level: int, seed: int) -> list[str]:
    choices = INDICATOR_CHOICES[level]
    return choices[seed % len(choices)]
