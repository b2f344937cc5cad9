from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from yichuang.org.models import Staff


def operator(username: str | None):
    """The staff member named by --by, or None: the operator of the machine, who may do
    anything the command offers."""
    if not username:
        return None
    staff = Staff.objects.filter(username=username, is_active=True).first()
    if staff is None:
        raise CommandError(_("没有名为 %(u)s 的在职工作人员") % {"u": username})
    return staff
