"""Log-in with a limit per client address as well as per account (see ratelimits)."""

from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from .ratelimits import LOGIN_BLOCKED_MESSAGE, login_address_blocked


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if login_address_blocked(request):
            # The form is not validated: validating it would try the password again.
            context = self.get_context_data(form=self.form_class(request))
            context["blocked"] = _(LOGIN_BLOCKED_MESSAGE)
            response = self.render_to_response(context)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)
