"""Who may read figures and run the appraisal. Each function answers one question.

Figures name colleagues one by one (per staff member, with their ratings), so they are the
supervisors' business: the hall office, administrators and reviewers see every department,
a department head their own. A window clerk is refused — their own ratings reach them in the
feedback pages (glpi #8645), not through the dashboard. Evaluators score departments on the
panel form and see no figures, so that the figures do not steer their appraisal."""

from django.utils.translation import gettext as _

from yichuang.core.errors import NotAllowed
from yichuang.org.scoping import MANAGE_ALL_ROLES, sees_all_halls, visible_department_ids

from .queries import Scope

FIGURE_ROLES = (
    "hall_office",
    "supervising_office",
    "administrator",
    "reviewer",
    "department_head",
)
# Who sees the halls side by side (appraisal:halls): the supervising office and the
# administrator every hall, a hall office its own.
HALLS_ROLES = ("hall_office", "supervising_office", "administrator")


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def can_view_figures(user) -> bool:
    return _active(user) and user.has_role(*FIGURE_ROLES)


def can_compare_halls(user) -> bool:
    return _active(user) and user.has_role(*HALLS_ROLES)


def can_manage_appraisal(user) -> bool:
    """Scoring schemes, appraisals, bonuses and monthly reports: the hall office."""
    return _active(user) and user.has_role(*MANAGE_ALL_ROLES)


def is_evaluator(user) -> bool:
    return _active(user) and user.has_role("evaluator")


def scope_for(user, *, department=None, window=None, post=None, staff=None) -> Scope:
    """The scope of a user's figures, narrowed to a drill-down; refused when the user may not
    read figures or asks for a department outside their own."""
    if not can_view_figures(user):
        raise NotAllowed(_("考评数据仅供大厅管理办公室、审核人和部门负责人查看"))
    ids = visible_department_ids(user)
    wanted = {
        x.department_id if hasattr(x, "department_id") else x.pk
        for x in (department, window, post)
        if x is not None
    }
    if staff is not None:
        wanted.add(staff.department_id)
    if ids is not None and not wanted <= ids:
        raise NotAllowed(_("您只能查看本部门的考评数据"))
    return Scope(
        department_ids=None if ids is None else frozenset(ids),
        # A hall office's figures are its own halls'; a reviewer or a department head
        # reads their departments in every hall, as before there were halls.
        halls_of=user if user.has_role("hall_office") and not sees_all_halls(user) else None,
        department=department.pk if department is not None else None,
        window=window.pk if window is not None else None,
        post=post.pk if post is not None else None,
        staff=staff.pk if staff is not None else None,
    )
