"""The HTTP API v1 (../shared/API.md): each app's router mounted under /api/v1/."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Schema

from yichuang.appointments.api import router as appointments_router
from yichuang.appraisal.api import router as appraisal_router
from yichuang.campaigns.api import router as campaigns_router
from yichuang.cases.api import router as cases_router
from yichuang.catalog.api import router as catalog_router
from yichuang.core import audit
from yichuang.core.api_support import Api, JsonParser, install_error_handlers, may_answer
from yichuang.core.clients import client_address
from yichuang.core.errors import NotAuthenticated, RateLimited
from yichuang.core.models import ApiToken
from yichuang.core.ratelimits import LOGIN_BLOCKED_MESSAGE, login_address_blocked
from yichuang.feedback.api import router as feedback_router
from yichuang.inquiries.api import router as inquiries_router
from yichuang.org.api import router as org_router
from yichuang.workdays.api import router as workdays_router

api = Api(title="YiChuang 一窗 API", version="1", urls_namespace="api", parser=JsonParser())
install_error_handlers(api)


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


@api.post("/auth/token", response=TokenOut, tags=["auth"])
@may_answer(401)
def issue_token(request, payload: TokenIn):
    """Exchange a staff member's username and password for a bearer token."""
    if login_address_blocked(request):
        raise RateLimited(_(LOGIN_BLOCKED_MESSAGE))
    staff = authenticate(request, username=payload.username, password=payload.password)
    if staff is None:
        raise NotAuthenticated(_("用户名或密码错误"), code="invalid_credentials")
    token = ApiToken.issue(staff)
    audit.record(
        "security.token_issued",
        actor=staff,
        summary=staff.get_username(),
        data={"address": client_address(request), "hours": settings.API_TOKEN_HOURS},
    )
    return {"token": token}


api.add_router("/", org_router)
api.add_router("/", workdays_router)
api.add_router("/", catalog_router)
api.add_router("/", cases_router)
api.add_router("/", inquiries_router)
api.add_router("/", feedback_router)
api.add_router("/", campaigns_router)
api.add_router("/", appraisal_router)
api.add_router("/", appointments_router)
