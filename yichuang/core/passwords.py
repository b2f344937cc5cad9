"""What follows a password change, wherever it happens."""

from . import audit
from .models import ApiToken


class RevokeApiTokensOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for its `password_changed` hook, not as a rule on the
    password: Django calls it when a user with a changed password is saved
    (AbstractBaseUser.save), the one place every change goes through (the change-password page,
    the admin, `manage.py changepassword`). A leaked token dies with the old password."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            revoked = ApiToken.revoke_all(user)
            audit.record(
                "security.password_changed",
                actor=user,
                summary=user.get_username(),
                data={"tokens_revoked": revoked},
            )

    def get_help_text(self):
        return ""
