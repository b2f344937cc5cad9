"""The tally the lists' totals read (cases/tally.py) always equals a real COUNT of the rows."""

import pytest
from django.db.models import Count

from yichuang.cases import services, tally
from yichuang.cases.models import Case, CaseTally, Status
from yichuang.org.models import Post

from .factories import all_required, applicant, make_service

pytestmark = pytest.mark.django_db


def counted() -> dict:
    rows = Case.objects.order_by().values("department_id", "status").annotate(n=Count("id"))
    return {(r["department_id"], r["status"]): r["n"] for r in rows}


def tallied() -> dict:
    return {(t.department_id, t.status): t.count for t in CaseTally.objects.all() if t.count}


def new_case(hall, service, **kw):
    return services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
        **kw,
    )


def test_tally_equals_the_count_after_every_kind_of_step(hall):
    service = make_service(hall)
    immediate = make_service(hall, code="jb", kind="immediate", committed_days=0)
    aid = Post.objects.create(code="xsc-aid", name="资助岗", department=hall.xsc, holder=hall.dave)

    a = new_case(hall, service)
    services.accept_case(a, by=hall.alice)
    services.review_case(a, decision="approve", by=hall.alice)
    services.check_case(a, agree=True, by=hall.rita)

    b = new_case(hall, immediate)
    services.complete_case(b, by=hall.alice)
    c = new_case(hall, service)
    services.reject_case(c, reason="不符合条件", by=hall.alice)
    d = new_case(hall, service)
    services.return_case(d, reason="申请人撤回", by=hall.alice)

    e = new_case(hall, service)
    services.accept_case(e, by=hall.alice)
    services.suspend_case(e, reason="等待鉴定", by=hall.alice)
    services.resume_case(e, by=hall.alice)
    services.transfer_case(e, post=aid, reason="属于资助业务", by=hall.alice)
    assert e.department == hall.xsc

    f = new_case(hall, service, joint_parts=[(hall.xsc, None)])
    services.accept_case(f, by=hall.alice)
    services.review_case(f, decision="approve", by=hall.alice)
    services.complete_part(f, department=hall.xsc, note="已核对", by=hall.dave)
    services.check_case(f, agree=True, by=hall.rita)

    assert tallied() == counted()
    assert tallied()[(hall.jwc.pk, Status.COMPLETED)] == 3  # a, b, f
    assert tallied()[(hall.xsc.pk, Status.ACCEPTED)] == 1  # e, moved with its post


def test_a_refused_step_leaves_the_tally_as_it_was(hall):
    from yichuang.core.errors import NotAllowed

    case = new_case(hall, make_service(hall))
    before = tallied()
    with pytest.raises(NotAllowed):
        services.accept_case(case, by=hall.dave)  # another department's clerk
    assert tallied() == before == counted()


def test_visible_total_is_what_the_scoped_query_counts(hall):
    service = make_service(hall)
    new_case(hall, service)
    joint = new_case(hall, service, joint_parts=[(hall.xsc, None)])
    services.accept_case(joint, by=hall.alice)
    for user in (hall.alice, hall.dave, hall.olga):
        visible = Case.objects.visible_to(user)
        ids = None if user == hall.olga else {user.department_id}
        assert tally.visible_total(ids) == visible.count()
        for status in (Status.SUBMITTED, Status.ACCEPTED, Status.COMPLETED):
            assert tally.visible_total(ids, [status]) == visible.filter(status=status).count()
    assert tally.visible_total({hall.xsc.pk}) == 1  # dave sees the joint case only


def test_rebuild_counts_again_from_the_rows(hall):
    service = make_service(hall)
    new_case(hall, service)
    new_case(hall, service)
    CaseTally.objects.update(count=99)
    tally.rebuild()
    assert tallied() == counted() == {(hall.jwc.pk, Status.SUBMITTED): 2}


def test_recount_cases_command_corrects_a_drifted_tally_and_records_it(hall):
    """`manage.py recount_cases` (after restoring a backup or editing rows outside the app):
    the tally counted again from the rows, what it corrected said and kept in the audit
    record."""
    from io import StringIO

    from django.core.management import call_command

    from yichuang.core.models import AuditEvent

    service = make_service(hall)
    new_case(hall, service)
    services.accept_case(new_case(hall, service), by=hall.alice)
    # Drift: one count wrong, one missing, one of a status no case is in.
    CaseTally.objects.filter(status=Status.SUBMITTED).update(count=7)
    CaseTally.objects.filter(status=Status.ACCEPTED).delete()
    CaseTally.objects.create(department=hall.xsc, status=Status.COMPLETED, count=3)

    out = StringIO()
    call_command("recount_cases", stdout=out)
    assert (
        tallied()
        == counted()
        == {
            (hall.jwc.pk, Status.SUBMITTED): 1,
            (hall.jwc.pk, Status.ACCEPTED): 1,
        }
    )
    assert "已重新统计 2 件办件，更正 3 项计数" in out.getvalue()
    event = AuditEvent.objects.get(action="cases.tally_recounted")
    assert event.data == {"cases": 2, "corrected": 3} and event.actor is None

    # Run again, nothing is left to correct (and that is recorded too).
    call_command("recount_cases", stdout=StringIO())
    assert tally.rebuild() == {"cases": 2, "corrected": 0}
    assert AuditEvent.objects.filter(action="cases.tally_recounted").count() == 3
