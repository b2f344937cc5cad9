"""A staff member's own account: logging in (limited per client address as well as per
account, see ratelimits; or through single sign-on, see sso/) and changing the password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .ratelimits import LOGIN_BLOCKED_MESSAGE, login_address_blocked
from .sso import enabled_protocols

LOCAL_LOGIN_OFF_MESSAGE = gettext_noop("本系统已关闭密码登录，请使用统一身份认证登录。")


class LocalLoginSwitch:
    """An authentication backend placed before the password backend: with LOCAL_LOGIN_ENABLED
    off it refuses every password, so the login page, the admin's login and the API's token
    endpoint all stop taking them at once. It never signs anyone in itself."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not settings.LOCAL_LOGIN_ENABLED:
            raise PermissionDenied(LOCAL_LOGIN_OFF_MESSAGE)
        # No get_user(): sessions name the backend that signed them in, never this one.
        return None


class LoginView(DjangoLoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["local_login"] = settings.LOCAL_LOGIN_ENABLED
        context["sso_protocols"] = enabled_protocols()
        return context

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            context = self.get_context_data(form=self.form_class(request))
            context["blocked"] = _(LOCAL_LOGIN_OFF_MESSAGE)
            response = self.render_to_response(context)
            response.status_code = 403
            return response
        if login_address_blocked(request):
            # The form is not validated: validating it would try the password again.
            context = self.get_context_data(form=self.form_class(request))
            context["blocked"] = _(LOGIN_BLOCKED_MESSAGE)
            response = self.render_to_response(context)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)


class ChangePassword(PasswordChangeView):
    """Django's view (checks the old password, runs AUTH_PASSWORD_VALIDATORS, keeps this session
    and ends the others); saving the user revokes their API tokens (core.passwords)."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("core:home")

    def dispatch(self, request, *args, **kwargs):
        # A password that can never sign in is not one to keep: with single sign-on only,
        # the page is not there.
        if not settings.LOCAL_LOGIN_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rules"] = [t for t in password_validation.password_validators_help_texts() if t]
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。其他设备上的登录和全部 API 令牌已失效。"))
        return response
