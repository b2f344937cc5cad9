"""Who may come in through single sign-on: one function for both protocols.

The identity provider vouches for a person; it does not give them rights here. Rights belong
to the hall's own staff accounts, so the identity is looked up among EXISTING accounts by
SSO_MATCH_FIELD (the user name, or the 工号 in `employee_number`) and nothing is ever
created. Someone unknown, inactive or matching more than one account is refused: the refusal
is written to the audit record and noted on the request, where the view finds it to show the
未开通 page instead of a bare error.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_noop

from .. import audit
from ..clients import client_address

# Why a person was not let in; the messages are translated where the page shows them.
UNKNOWN = "unknown"
INACTIVE = "inactive"
AMBIGUOUS = "ambiguous"
NO_IDENTITY = "no_identity"
NOT_VERIFIED = "not_verified"
UNREACHABLE = "unreachable"
REASONS = {
    UNKNOWN: gettext_noop("统一身份认证已通过，但本系统没有为您开通工作人员账号。"),
    INACTIVE: gettext_noop("您在本系统的工作人员账号已停用。"),
    AMBIGUOUS: gettext_noop("您的身份对应多个工作人员账号，无法确定登录哪一个。"),
    NO_IDENTITY: gettext_noop("统一身份认证没有提供用于匹配账号的信息。"),
    NOT_VERIFIED: gettext_noop("统一身份认证未能确认您的身份（凭据无效或已过期），请重新登录。"),
    UNREACHABLE: gettext_noop("暂时无法连接统一身份认证服务，请稍后再试。"),
}
REFUSAL_ATTRIBUTE = "sso_refusal"


@dataclass(frozen=True)
class Refusal:
    protocol: str
    reason: str
    identity: str

    @property
    def message(self) -> str:
        return REASONS[self.reason]


def identity_from(values: dict | None, name: str, fallback: str = "") -> str:
    """The identity in an attribute set (CAS attributes, OIDC claims): CAS may send a list
    for a repeated attribute; the first value is the person's own."""
    value = (values or {}).get(name) if name else fallback
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()[:150]


def match_staff(request, *, protocol: str, identity: str):
    """The active staff account whose SSO_MATCH_FIELD equals `identity` (ignoring case), or None (refused,
    recorded). Called by both protocols' backends once the provider has vouched for the
    person."""
    if not identity:
        refuse(request, protocol=protocol, reason=NO_IDENTITY, identity="")
        return None
    staff = get_user_model()._default_manager
    # Case-blind: a registry may send 工号 "t1001" for the hall's "T1001", or a user name in
    # another case. Two accounts that differ only in case are refused, never guessed between.
    found = list(staff.filter(**{f"{settings.SSO_MATCH_FIELD}__iexact": identity})[:2])
    if not found:
        reason = UNKNOWN
    elif len(found) > 1:
        reason = AMBIGUOUS
    elif not found[0].is_active:
        reason = INACTIVE
    else:
        return found[0]
    refuse(request, protocol=protocol, reason=reason, identity=identity)
    return None


def refuse(request, *, protocol: str, reason: str, identity: str) -> Refusal:
    """Record a refused single sign-on and note it on the request for the page."""
    refusal = Refusal(protocol=protocol, reason=reason, identity=identity)
    audit.record(
        "security.sso_refused",
        summary=f"{protocol}: {identity}"[:300],
        data={
            "protocol": protocol,
            "reason": reason,
            "identity": identity,
            "match_field": settings.SSO_MATCH_FIELD,
            "address": client_address(request) if request is not None else "",
        },
        outcome="refused",
    )
    if request is not None:
        setattr(request, REFUSAL_ATTRIBUTE, refusal)
    return refusal


def refusal_of(request) -> Refusal | None:
    return getattr(request, REFUSAL_ATTRIBUTE, None)


# What Django's authenticate() is given by each protocol's view: a CAS ticket, or the OIDC
# callback's nonce and PKCE verifier. A password log-in always has a password.
SSO_CREDENTIALS = {"ticket", "nonce", "code_verifier"}


def is_sso_attempt(request, credentials: dict | None) -> bool:
    """AXES_WHITELIST_CALLABLE and the failed-log-in receivers: True for a single sign-on
    attempt, which carries no password to guess. Axes neither counts nor blocks it (the
    identity provider guards its own passwords, and a few refused strangers behind one campus
    address must not lock everyone out); its refusals are recorded here instead."""
    keys = set(credentials or {})
    return "password" not in keys and bool(keys & SSO_CREDENTIALS)
