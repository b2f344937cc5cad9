"""The domain's refusals. Services raise these; the API turns them into the error body of
API.md and the pages into messages."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = _("请求无效")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = str(message if message is not None else self.default_message)
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(self.message)


class Invalid(DomainError):
    status = 400
    code = "invalid"
    default_message = _("输入有误")


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    default_message = _("请先登录")


class NotAllowed(DomainError):
    status = 403
    code = "not_allowed"
    default_message = _("您没有权限执行此操作")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("未找到")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("当前状态不允许此操作")


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = _("请求过于频繁，请稍后再试")
