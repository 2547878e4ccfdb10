"""The REST API under /api/v1/: one NinjaAPI, one Router per app (see each app's api.py).

Authentication (every operation; see docs/decisions/002-api-docs-behind-login.md):
- programs send `Authorization: Bearer <token>` (cadre.accounts.tokens; stored as SHA-256);
- the browser uses its session, with CSRF on unsafe methods, and a staff session must have
  passed the TOTP step (the OTP middleware exempts /api/, so the check is made here).
Both set `request.user`, so the scoping module works unchanged. Failures are JSON
`{"detail": "<中文>", "code": "..."}`, never a redirect and never a traceback.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from cadre.accounts.access import is_staff
from cadre.accounts.tokens import authenticate_token
from cadre.core.errors import Refused
from cadre.core.models import HardDeleteForbidden

logger = logging.getLogger("cadre.api")

UNAUTHENTICATED = "需要登录或有效的接口令牌"
BAD_TOKEN = "接口令牌无效或已撤销"  # noqa: S105
OTP_NEEDED = "请先在网页上完成动态验证码验证"
CSRF_FAILED = "CSRF 校验失败，请刷新页面后重试"
NOT_FOUND = "未找到该记录"


# ---------------------------------------------------------------- authentication


def _needs_otp(user: Any) -> bool:
    """Staff (a grant, superuser or Django admin access) must have passed the TOTP step."""
    return bool(is_staff(user) or user.is_staff)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cdr_...`: a wrong or revoked token is refused outright (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token)
        if user is None:
            raise AuthenticationError(401, BAD_TOKEN)
        # The program acts as the token's user; no session, no OTP device.
        user.otp_device = None  # type: ignore[attr-defined]  # as OTPMiddleware sets
        user.is_verified = lambda: False  # type: ignore[attr-defined]  # as OTPMiddleware
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's Django session (ninja's django_auth), requiring OTP for staff."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if _needs_otp(user) and not user.is_verified():
            raise AuthenticationError(401, OTP_NEEDED)
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, CSRF_FAILED)
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover
        return None  # __call__ decides


def docs_guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI document and docs page: a token, or a logged-in (and verified) session."""

    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.headers.get("Authorization"):
            user = authenticate_token(request.headers["Authorization"].partition(" ")[2])
            if user is None:
                return _error(request, 401, BAD_TOKEN, "unauthenticated")
            request.user = user
        elif not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # django_otp's OTPMiddleware adds is_verified() to the user at run time.
        elif _needs_otp(request.user) and not request.user.is_verified():  # type: ignore[attr-defined]
            return redirect("accounts:otp")
        return view(request, *args, **kwargs)

    guarded.login_required = False  # type: ignore[attr-defined]  # it does its own check
    return guarded


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON: Chinese text stays readable instead of \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


def _operation_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks an operation view as doing its own authentication (401 JSON, not a 302 from
    LoginRequiredMiddleware) and turns ninja's bare 405 into the JSON error shape."""

    def operation(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allow = response.get("Allow", "")
            response = _error(request, 405, HTTP_MESSAGES[405][0], "method_not_allowed")
            response["Allow"] = allow
        return response

    operation.csrf_exempt = True  # type: ignore[attr-defined]  # SessionAuth checks CSRF
    operation.login_required = False  # type: ignore[attr-defined]  # read by the middleware
    return operation


class CadreNinjaAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern) and pattern.name not in (
                "api-root",
                "openapi-json",
                "openapi-view",
            ):
                pattern.callback = _operation_view(pattern.callback)
        return urls


api = CadreNinjaAPI(
    title="Cadre API",
    version="1",
    description="干部工作平台接口。认证：`Authorization: Bearer <令牌>`（在“接口令牌”页面或 "
    "`cadre token issue` 签发），或已登录浏览器会话（修改类请求需 CSRF）。"
    '错误统一为 JSON：`{"detail": "中文说明", "code": "..."}`；'
    "业务规则拒绝为 400，`code` 为 `refused`，`source` 给出所依据的条款或设置。",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_decorator=docs_guard,
    renderer=ChineseJSONRenderer(),
)


# ---------------------------------------------------------------- errors


def _error(request: HttpRequest, status: int, detail: str, code: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


HTTP_MESSAGES = {
    400: ("请求格式错误（请求体须为有效的 JSON）", "bad_request"),
    401: (UNAUTHENTICATED, "unauthenticated"),
    403: ("无权执行此操作", "forbidden"),
    404: (NOT_FOUND, "not_found"),
    405: ("不支持该请求方法", "method_not_allowed"),
    409: ("记录已被他人修改，请刷新后重试", "conflict"),
    429: ("请求过于频繁，请稍后再试", "throttled"),
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    default, code = HTTP_MESSAGES.get(exc.status_code, ("请求无法处理", "error"))
    message = str(exc)
    if exc.status_code == 403 and message == CSRF_FAILED:
        code = "csrf_failed"
    # ninja's own messages are English: replace them; ours are Chinese and kept.
    detail = message if message and not message.isascii() else default
    return _error(request, exc.status_code, detail, code)


FIELD_MESSAGES: dict[str, str] = {
    "missing": "必填",
    "extra_forbidden": "不是可接受的字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "数值超出范围",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期，格式 YYYY-MM-DD",
    "string_type": "应为文本",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "json_invalid": "JSON 格式错误",
    "list_type": "应为列表",
}


def field_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in FIELD_MESSAGES:
        return FIELD_MESSAGES[kind]
    if kind == "string_too_long":
        return f"不能超过{ctx.get('max_length')}个字符"
    if kind == "string_too_short":
        return f"不能少于{ctx.get('min_length')}个字符"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于{ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于{ctx.get('le', ctx.get('lt'))}"
    if kind in ("enum", "literal_error"):
        return f"取值无效，可选值：{ctx.get('expected', '')}"
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("msg", ""))
        return (
            message.split(", ", 1)[1]
            if message.startswith(("Value error, ", "Assertion"))
            else message
        )
    return "格式不正确"


def field_name(loc: Any) -> str:
    parts = [str(p) for p in (loc or ())]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]  # ("body", <param>, field, ...)
    elif parts and parts[0] in ("query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    return ".".join(parts) or "请求体"


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": field_name(e.get("loc")), "message": field_message(e)} for e in exc.errors]
    listing = "；".join(f"{e['field']}：{e['message']}" for e in errors)
    return _error(request, 400, f"请求参数有误：{listing}", "invalid", errors=errors)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": "；".join(str(m) for m in messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        errors = [{"field": "", "message": str(m)} for m in exc.messages]
    listing = "；".join(
        f"{e['field']}：{e['message']}" if e["field"] else e["message"] for e in errors
    )
    return _error(request, 400, f"数据有误：{listing}", "invalid", errors=errors)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, NOT_FOUND, "not_found")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    from cadre.audit.services import record_event

    # A vertical refusal (role, not object) is audited like a scope denial (TRUST AC-05).
    record_event(actor=request.user, action="authz_denied", object_type="api", request=request)
    message = str(exc)
    detail = message if message and not message.isascii() else "您的角色无权访问此功能"
    return _error(request, 403, detail, "forbidden")


@api.exception_handler(Refused)
def on_refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    """The one place a refusal becomes an API answer (cadre.core.errors): 400 with the Chinese
    message and the rule it rests on; a stale version 409; out of scope 404 (like missing)."""
    detail = exc.detail or HTTP_MESSAGES.get(exc.status, ("请求无法处理", ""))[0]
    return _error(request, exc.status, detail, exc.code, source=exc.source or None, **exc.extra())


@api.exception_handler(HardDeleteForbidden)
def on_hard_delete(request: HttpRequest, exc: HardDeleteForbidden) -> HttpResponse:
    return _error(request, 405, str(exc) or "本系统不允许物理删除记录", "delete_forbidden")


@api.exception_handler(Exception)
def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error (request %s)", getattr(request, "request_id", ""))
    return _error(
        request,
        500,
        "服务器内部错误，请稍后重试或联系管理员",
        "server_error",
        request_id=getattr(request, "request_id", ""),
    )


# ---------------------------------------------------------------- routers

# The registry (units, positions, cadres, appointments, ranks, teams) sits at the root.
api.add_router("/", "cadre.cadres.api.router")

# Each app owns its router; the prefix is the app's name.
for _app in (
    "workdays",
    "targets",
    "worklogs",
    "assessments",
    "supervision",
    "accountability",
    "tolerance",
    "development",
    "care",
    "eligibility",
):
    api.add_router(f"/{_app}/", f"cadre.{_app}.api.router")
api.add_router("/cadres/", "cadre.eligibility.api.cadres_router")
api.add_router("/notifications/", "cadre.core.api.router")
