"""Who may do what with an inquiry. Each answers a question; services raise on False."""

from django.utils import timezone

from yichuang.org.queries import covering, posts_with_people
from yichuang.org.scoping import can_manage_department

# Anyone who may be asked first: every working role except the outside evaluators.
LOGGING_ROLES = ("window_staff", "department_head", "hall_office", "administrator", "reviewer")


def can_log(user) -> bool:
    return user is not None and user.is_active and user.has_role(*LOGGING_ROLES)


def is_owner(user, inquiry) -> bool:
    return user is not None and user.pk == inquiry.owner_id


def is_head(user, inquiry) -> bool:
    """The head of the responsible department may step in for an owner who cannot act."""
    return (
        user is not None
        and user.has_role("department_head")
        and inquiry.department_id is not None
        and user.department_id == inquiry.department_id
    )


def can_handle(user, inquiry) -> bool:
    """Answer, route, refer, close or reclassify: the owner, or the department's head."""
    return is_owner(user, inquiry) or is_head(user, inquiry)


def covers_post_now(user, post) -> bool:
    post = posts_with_people().get(pk=post.pk)
    who = covering(post, timezone.now())
    return who is not None and who.pk == user.pk


def can_receive(user, handoff) -> bool:
    """Take over or return a hand-off: the named receiver, whoever covers the post now (the
    receiver may have gone on leave since), or the head of the post's department."""
    if user is None or handoff is None:
        return False
    if user.pk == handoff.to_staff_id:
        return True
    if user.has_role("department_head") and user.department_id == handoff.to_post.department_id:
        return True
    return user.department_id == handoff.to_post.department_id and covers_post_now(
        user, handoff.to_post
    )


def can_record_rating(user, inquiry) -> bool:
    """The asker rates online (user None); staff record what the asker said on the phone."""
    return user is None or can_handle(user, inquiry)


def can_reveal(user, inquiry, handoff=None) -> bool:
    """The full phone number is for those who must call back."""
    return can_handle(user, inquiry) or (handoff is not None and can_receive(user, handoff))


def can_keep_faq(user, department_id: int | None) -> bool:
    """Department heads keep their department's FAQ; the hall office keeps all of it."""
    return user is not None and can_manage_department(user, department_id)


def acting_for(user, post):
    """The holder whose work `user` takes as backup (B) while the holder is away, if any."""
    if user is None or post is None or post.holder_id is None or user.pk == post.holder_id:
        return None
    holder = post.holder
    if holder.is_present():
        return None
    if post.backup_links.filter(staff_id=user.pk).exists():
        return holder
    return None


def can_keep_synonyms(user) -> bool:
    """The synonym list of free-question routing is the hall office's: it speaks for the
    whole hall, so no department changes what another's questions find."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_role("hall_office", "administrator")
    )
