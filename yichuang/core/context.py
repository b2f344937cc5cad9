from django.conf import settings

# The product's mark, printed by both frames beside the hall's name.
MARK = "一窗"


def hall_title(name: str) -> str:
    """'一窗 · 师生服务大厅' → '师生服务大厅': the frame prints the mark itself."""
    if name.startswith(MARK):
        rest = name[len(MARK) :].lstrip(" ·・-|")
        return rest or name
    return name


def site(request):
    return {
        "HALL_NAME": settings.HALL_NAME,
        "HALL_TITLE": hall_title(settings.HALL_NAME),
        # With password log-in off (single sign-on only) nobody is offered a password to change.
        "LOCAL_LOGIN_ENABLED": settings.LOCAL_LOGIN_ENABLED,
    }
