from datetime import date

import pytest
from django.core.management import call_command

from yichuang.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yichuang.core.models import AuditEvent
from yichuang.feedback import services
from yichuang.feedback.models import (
    AppealState,
    Channel,
    FollowUp,
    Rating,
    RatingInvitation,
    Tablet,
)
from yichuang.feedback.queries import rating_figures

from .factories import at, completed_case, immediate_service, submitted_case

pytestmark = pytest.mark.django_db


def rate(case, level=5, code=None, **kw):
    return services.rate_case(
        case,
        level=level,
        channel=kw.pop("channel", Channel.QR),
        query_code=case.query_code if code is None else code,
        **kw,
    )


def test_a_case_is_rated_once(hall):
    case = completed_case(hall)
    rate(case, 5)
    with pytest.raises(Conflict) as exc:
        rate(case, 1)
    assert exc.value.code == "already_rated"
    assert Rating.objects.get().level == 5 and not FollowUp.objects.exists()


@pytest.mark.parametrize("code", ["", "WRONG123"])
def test_rating_is_refused_without_the_query_code(hall, code):
    case = completed_case(hall)
    with pytest.raises(NotFound):
        rate(case, 1, code=code)
    assert not Rating.objects.exists()


@pytest.mark.parametrize("level", [0, 6, "x", None])
def test_level_must_be_one_of_the_five(hall, level):
    with pytest.raises(Invalid):
        rate(completed_case(hall), level)
    assert not Rating.objects.exists()


def test_a_case_not_yet_decided_at_intake_cannot_be_rated(hall):
    with pytest.raises(Conflict):
        rate(submitted_case(hall), 4)


def test_the_staff_who_served_and_the_department_are_recorded(hall):
    rating = rate(completed_case(hall, by=hall.bob), 4, comment="  办得很快  ")
    assert rating.staff == hall.bob and rating.department == hall.jwc
    assert rating.post == hall.post and rating.comment == "办得很快"
    assert rating.get_level_display() == "满意"


def test_a_bad_rating_opens_a_follow_up_owned_by_the_head(hall, django_capture_on_commit_callbacks):
    hall.carol.email = "carol@example.edu.cn"
    hall.carol.save()
    with at(2026, 3, 2):
        case = completed_case(hall)
        with django_capture_on_commit_callbacks(execute=True):
            rating = rate(case, 2, comment="等了很久")
    follow_up = rating.follow_up
    assert follow_up.owner == hall.carol and follow_up.status == "verifying"
    assert follow_up.verify_due == date(2026, 3, 3)
    assert follow_up.rectify_due == date(2026, 3, 23)
    assert list(follow_up.events.values_list("action", flat=True)) == ["open"]
    sent = AuditEvent.objects.get(
        action="notification.sent", data__kind="feedback.follow_up_opened"
    )
    assert sent.data["channel"] == "email" and "2026年3月3日" in sent.data["body"]


@pytest.mark.parametrize("level", [3, 4, 5])
def test_other_levels_open_nothing(hall, level):
    rate(completed_case(hall), level)
    assert not FollowUp.objects.exists()


def tablet_rate(case, tablet, invitation, level=5):
    return services.rate_case(
        case, level=level, channel=Channel.TABLET, tablet=tablet, invitation=invitation
    )


def test_the_tablet_cannot_rate_three_cases_it_was_not_handed(hall):
    """The attack: one browser rated three applicants' cases 非常满意 in a second, one still
    open. Without the clerk's 请评价 the tablet rates nothing; with it, only that case, once."""
    from yichuang.cases import services as case_services

    from .factories import make_service

    tablet = Tablet.objects.create(window=hall.window)
    first, second = completed_case(hall), completed_case(hall)
    running = submitted_case(hall, make_service(hall, code="zxzm2", committed_days=5))
    case_services.accept_case(running, by=hall.alice)
    for case in (first, second, running):
        with pytest.raises(NotFound):
            services.rate_case(case, level=5, channel=Channel.TABLET, tablet=tablet)
    bound = services.invite_rating(first, tablet=tablet, by=hall.alice)
    assert services.open_invitation(tablet) == bound
    for case in (second, running):
        with pytest.raises(Conflict) as exc:
            tablet_rate(case, tablet, bound.pk)
        assert exc.value.code == "invitation_other_case"
    rating = tablet_rate(first, tablet, bound.pk)
    bound.refresh_from_db()
    assert bound.consumed_at is not None and bound.rating == rating
    assert services.open_invitation(tablet) is None
    with pytest.raises(Conflict):
        tablet_rate(first, tablet, bound.pk, level=1)
    assert list(Rating.objects.values_list("case", flat=True)) == [first.pk]
    assert rating.staff == hall.alice and rating.channel == "tablet"


def test_an_invitation_expires_after_the_set_minutes(hall, settings):
    settings.FEEDBACK_TABLET_INVITATION_MINUTES = 5
    tablet = Tablet.objects.create(window=hall.window)
    with at(2026, 3, 2, 10, 0):
        case = completed_case(hall)
        bound = services.invite_rating(case, tablet=tablet, by=hall.alice)
    with at(2026, 3, 2, 10, 5):
        assert services.open_invitation(tablet) is None
        with pytest.raises(Conflict) as exc:
            tablet_rate(case, tablet, bound.pk)
        assert exc.value.code == "invitation_expired"
    assert not Rating.objects.exists()
    with at(2026, 3, 2, 10, 6):  # handed again, it can be rated
        again = services.invite_rating(case, window=hall.window, by=hall.alice)
        tablet_rate(case, tablet, again.pk)
    assert Rating.objects.count() == 1


def test_a_new_invitation_replaces_the_unused_one(hall):
    tablet = Tablet.objects.create(window=hall.window)
    old_case, new_case = completed_case(hall), completed_case(hall)
    old = services.invite_rating(old_case, tablet=tablet, by=hall.alice)
    new = services.invite_rating(new_case, tablet=tablet, by=hall.alice)
    assert services.open_invitation(tablet) == new
    with pytest.raises(Conflict):
        tablet_rate(old_case, tablet, old.pk)
    tablet_rate(new_case, tablet, new.pk)
    assert RatingInvitation.objects.filter(withdrawn_at__isnull=False).get() == old


def test_only_a_clerk_at_that_window_who_may_act_on_the_case_invites(hall):
    from yichuang.org.models import Post, Window

    tablet = Tablet.objects.create(window=hall.window)
    case = completed_case(hall)
    with pytest.raises(NotAllowed):  # another department's clerk
        services.invite_rating(case, tablet=tablet, by=hall.dave)
    window9 = Window.objects.create(number="9", name="学工", department=hall.xsc)
    Post.objects.create(
        code="xsc-1", name="学工岗", department=hall.xsc, window=window9, holder=hall.dave
    )
    other = Tablet.objects.create(window=window9)
    with pytest.raises(NotAllowed):  # alice is not at window 9
        services.invite_rating(case, tablet=other, by=hall.alice)
    with pytest.raises(NotAllowed):  # dave sits at window 9 but has nothing to do with the case
        services.invite_rating(case, tablet=other, by=hall.dave)
    with pytest.raises(NotAllowed):  # the head may act on the case but sits at no window
        services.invite_rating(case, tablet=tablet, by=hall.carol)
    assert not RatingInvitation.objects.exists()
    # a tablet of another window cannot use the right window's invitation
    bound = services.invite_rating(case, tablet=tablet, by=hall.alice)
    with pytest.raises(NotFound):
        tablet_rate(case, other, bound.pk)
    assert not Rating.objects.exists()


def test_an_open_case_goes_to_the_tablet_only_where_the_hall_rates_at_intake(hall, settings):
    from yichuang.cases import services as case_services

    from .factories import make_service

    tablet = Tablet.objects.create(window=hall.window)
    running = submitted_case(hall, make_service(hall, code="zxzm2", committed_days=5))
    with pytest.raises(Conflict) as exc:
        services.invite_rating(running, tablet=tablet, by=hall.alice)
    assert exc.value.code == "not_rateable"
    case_services.accept_case(running, by=hall.alice)
    with pytest.raises(Conflict):
        services.invite_rating(running, tablet=tablet, by=hall.alice)
    settings.FEEDBACK_RATE_AT_INTAKE = True
    bound = services.invite_rating(running, tablet=tablet, by=hall.alice)
    tablet_rate(running, tablet, bound.pk, level=4)
    rejected = submitted_case(hall)
    case_services.reject_case(rejected, reason="不符合条件", by=hall.alice)
    settings.FEEDBACK_RATE_AT_INTAKE = False
    tablet_rate(rejected, tablet, services.invite_rating(rejected, tablet=tablet, by=hall.alice).pk)
    assert Rating.objects.count() == 2


def test_a_rated_case_is_not_handed_again(hall):
    tablet = Tablet.objects.create(window=hall.window)
    case = completed_case(hall)
    rate(case, 5)
    with pytest.raises(Conflict) as exc:
        services.invite_rating(case, tablet=tablet, by=hall.alice)
    assert exc.value.code == "already_rated"


def test_the_tablet_still_takes_a_typed_case_with_its_query_code(hall):
    tablet = Tablet.objects.create(window=hall.window)
    case = completed_case(hall)
    services.rate_case(
        case, level=4, channel=Channel.TABLET, tablet=tablet, query_code=case.query_code
    )
    assert Rating.objects.get().channel == "tablet"


def test_default_rating_after_the_delay_is_idempotent(hall, settings):
    settings.FEEDBACK_DEFAULT_RATING_DAYS = 7
    with at(2026, 3, 2):
        unrated, rated = completed_case(hall), completed_case(hall)
        rate(rated, 1)
    with at(2026, 3, 8):
        call_command("apply_default_ratings")
        assert Rating.objects.count() == 1  # not yet seven days
    with at(2026, 3, 9, 11):
        call_command("apply_default_ratings")
        call_command("apply_default_ratings")
    default = Rating.objects.get(case=unrated)
    assert default.is_default and default.level == 3 and default.channel == "default"
    assert default.created_at.date() == date(2026, 3, 9)
    assert Rating.objects.count() == 2 and FollowUp.objects.count() == 1


def test_default_ratings_can_be_turned_off(hall, settings):
    settings.FEEDBACK_DEFAULT_RATING_DAYS = 0
    with at(2026, 3, 2):
        completed_case(hall)
    with at(2026, 4, 2):
        assert services.apply_default_ratings() == 0


def test_rater_appeal_upheld_by_the_office_voids_the_rating_and_its_follow_up(hall):
    case = completed_case(hall)
    rating = rate(case, 1)
    with pytest.raises(NotFound):
        services.appeal_rating(rating, reason="点错了", query_code="WRONG123")
    appeal = services.appeal_rating(
        rating, reason="点错了，本想点非常满意", query_code=case.query_code
    )
    with pytest.raises(Conflict):
        services.appeal_rating(rating, reason="再次", query_code=case.query_code)
    with pytest.raises(NotAllowed):
        services.review_appeal(appeal, uphold=True, note="同意", by=hall.carol)
    services.review_appeal(appeal, uphold=True, note="经核实为误操作", by=hall.olga)
    rating.refresh_from_db()
    assert rating.is_voided and rating.voided_by == hall.olga
    assert "点错了" in rating.void_reason and "误操作" in rating.void_reason
    assert rating.follow_up.status == "cancelled"
    assert rating_figures(Rating.objects.all())["total"] == 0
    # the rating still counts as given: the case cannot be rated again
    with pytest.raises(Conflict):
        rate(case, 5)


def test_staff_appeal_dismissed_keeps_the_rating(hall):
    rating = rate(completed_case(hall), 2)
    with pytest.raises(NotAllowed):
        services.appeal_rating(rating, reason="恶意差评", by=hall.dave)
    appeal = services.appeal_rating(rating, reason="恶意差评", by=hall.alice)
    services.review_appeal(appeal, uphold=False, note="评价人反映情况属实", by=hall.olga)
    appeal.refresh_from_db()
    rating.refresh_from_db()
    assert appeal.state == AppealState.DISMISSED and not rating.is_voided
    assert rating.follow_up.status == "verifying"


def test_the_office_can_void_a_malicious_rating_on_review(hall):
    rating = rate(completed_case(hall), 1)
    with pytest.raises(NotAllowed):
        services.void_rating(rating, reason="恶意", by=hall.carol)
    with pytest.raises(Invalid):
        services.void_rating(rating, reason=" ", by=hall.olga)
    services.void_rating(rating, reason="同一人多次恶意差评，经复核撤销", by=hall.olga)
    assert Rating.objects.get().void_reason.startswith("同一人")


def test_ratings_are_seen_by_the_rated_and_their_heads_only(hall):
    service = immediate_service(hall)
    by_alice = rate(completed_case(hall, service), 4)
    by_bob = rate(completed_case(hall, service, by=hall.bob), 5)
    assert list(Rating.objects.visible_to(hall.alice)) == [by_alice]
    assert list(Rating.objects.visible_to(hall.bob)) == [by_bob]
    assert Rating.objects.visible_to(hall.carol).count() == 2
    assert Rating.objects.visible_to(hall.olga).count() == 2
    assert not Rating.objects.visible_to(hall.dave).exists()


def test_figures_separate_given_and_default_ratings(hall, settings):
    service = immediate_service(hall)
    with at(2026, 3, 2):
        for level in (5, 4, 2):
            rate(completed_case(hall, service), level)
        completed_case(hall, service)
    with at(2026, 3, 20):
        services.apply_default_ratings()
    figures = rating_figures(Rating.objects.all())
    assert figures["ratings"] == {"5": 1, "4": 1, "3": 1, "2": 1, "1": 0}
    assert figures["satisfaction_rate"] == 0.75
    assert figures["active_satisfaction_rate"] == 2 / 3  # unrounded, as the appraisal's
    assert figures["default"] == 1 and figures["bad"] == 1


def test_the_rating_link_and_invitation_carry_the_query_code(
    hall, settings, django_capture_on_commit_callbacks
):
    from yichuang.feedback.notices import invite_rating, rating_link

    settings.PUBLIC_BASE_URL = "https://hall.example.edu.cn/"
    case = completed_case(hall)
    link = rating_link(case)
    assert link == (
        f"https://hall.example.edu.cn/feedback/rate/{case.number}/?c={case.query_code}&via=sms"
    )
    with django_capture_on_commit_callbacks(execute=True):
        invite_rating(case)
    sent = AuditEvent.objects.get(action="notification.sent", data__kind="feedback.rating_invited")
    masked = link.replace(case.query_code, "****")  # the record keeps the code masked
    assert masked in sent.data["body"] and case.query_code not in sent.data["body"]
    assert sent.data["to"] == "138****5678"


def test_the_backup_covering_the_window_hands_the_case_and_is_the_one_rated(hall):
    from yichuang.org.services import set_presence

    tablet = Tablet.objects.create(window=hall.window)
    case = completed_case(hall)  # taken in by alice
    with pytest.raises(NotAllowed):  # bob does not cover the post while alice is there
        services.invite_rating(case, tablet=tablet, by=hall.bob)
    set_presence(hall.alice, status="leave", by=hall.alice)
    bound = services.invite_rating(case, tablet=tablet, by=hall.bob)
    rating = tablet_rate(case, tablet, bound.pk, level=4)
    assert rating.staff == hall.bob
