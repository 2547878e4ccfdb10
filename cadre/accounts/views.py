"""Login in two steps (password, then TOTP for staff), logout, password change.

TRUST.md B: the password length is checked by the form before any hashing (AU-07); failed
logins lock the account, never the IP or the whole site (AU-03, django-axes keyed on the
username); the session key changes at the password step and again at the TOTP step (AU-04);
a TOTP code is accepted once (AU-02, django-otp `last_t`).

API tokens (`tokens_view`, `token_revoke`): staff issue, list and revoke their own tokens.
"""

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadre.accounts import services
from cadre.accounts.access import acting_user, is_staff, require_staff
from cadre.accounts.forms import LoginForm, OTPForm, PasswordChangeForm
from cadre.accounts.models import ApiToken
from cadre.accounts.tokens import NAME_MAX_LENGTH, issue_token, revoke_token
from cadre.core.errors import refusal
from cadre.core.providers import record_event  # audit sits above accounts

LOCKED_MESSAGE = "该账号连续登录失败次数过多，已被暂时锁定，请30分钟后再试或联系管理员解锁。"
NEXT_KEY = "cadre_next"


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def needs_otp(user: Any) -> bool:
    """Staff (any grant, superuser, or Django admin access) must pass the TOTP step."""
    return bool(user.is_authenticated and (is_staff(user) or user.is_staff))


def demo_bypass() -> bool:
    # settings refuse the bypass in production; checked again here as defence in depth.
    return bool(settings.OTP_DEMO_BYPASS and not settings.PRODUCTION)


@login_not_required
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        if form.is_valid():
            user = authenticate(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
            if user is not None:
                return _password_step_done(request, user, next_url)
            record_event(
                actor=None,
                action="login_failed",
                object_type="accounts.user",
                request=request,
                detail={"username": form.cleaned_data["username"][:150]},
            )
        # One message for every failure: unknown user, wrong or over-long password (AU-08).
        missing = not request.POST.get("username") or not request.POST.get("password")
        form.errors.clear()
        form.add_error(None, "请输入账号和密码" if missing else "账号或密码错误")
    context = {"form": form, "expired": "expired" in request.GET, "next": next_url}
    return render(request, "accounts/login.html", context)


def _password_step_done(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    login(request, user)  # new session key (TRUST.md AU-04)
    now = int(time.time())
    request.session["started_at"] = now
    request.session["last_seen"] = now
    if next_url:
        request.session[NEXT_KEY] = next_url
    record_event(actor=user, action="login", obj=user, request=request)
    if needs_otp(user):
        return redirect("accounts:otp")
    return redirect(request.session.pop(NEXT_KEY, "") or "/")


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def otp_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert user.is_authenticated  # LoginRequiredMiddleware: only signed-in users get here
    if user.is_verified():  # type: ignore[attr-defined]  # added by django-otp
        return redirect(request.session.pop(NEXT_KEY, "") or "/")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if demo_bypass() and device is not None:
        return _otp_step_done(request, device, bypass=True)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and device is not None:
        verified, reason = _verify_token(device, form.cleaned_data["token"])
        if verified:
            return _otp_step_done(request, device)
        record_event(
            actor=user, action="otp_failed", obj=user, request=request, detail={"reason": reason}
        )
        form.add_error("token", OTP_ERRORS[reason])
    return render(request, "accounts/otp.html", {"form": form, "has_device": device is not None})


OTP_ERRORS = {
    "invalid": "动态验证码错误或已使用，请等待验证器显示新的验证码",
    "throttled": "验证失败次数较多，请稍候几秒再试",
}


def _verify_token(device: TOTPDevice, token: str) -> tuple[bool, str]:
    with transaction.atomic():
        # Row lock: two simultaneous requests cannot both accept the same code.
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            return False, "throttled"
        return device.verify_token(token), "invalid"


def _otp_step_done(request: HttpRequest, device: TOTPDevice, bypass: bool = False) -> HttpResponse:
    request.session.cycle_key()  # new session key at the OTP step too (TRUST.md AU-04)
    otp_login(request, device)
    user = request.user
    assert user.is_authenticated  # LoginRequiredMiddleware: only signed-in users get here
    record_event(
        actor=user,
        action="otp_ok",
        obj=user,
        request=request,
        detail={"demo_bypass": True} if bypass else None,
    )
    return redirect(request.session.pop(NEXT_KEY, "") or "/")


@login_not_required
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record_event(actor=request.user, action="logout", obj=request.user, request=request)
    logout(request)  # deletes the session row: the old cookie is worthless
    response = redirect("accounts:login")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(
            user=acting_user(request),
            new_password=form.cleaned_data["new_password1"],
            request=request,
        )
        return render(request, "accounts/password_done.html")
    context = {"form": form, "password_help": password_validators_help_texts()}
    return render(request, "accounts/password.html", context)


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes lockout response (AXES_LOCKOUT_CALLABLE): a clear Chinese page, audited."""
    credentials = (
        kwargs.get("credentials") or next((a for a in args if isinstance(a, dict)), None) or {}
    )
    username = str(credentials.get("username") or request.POST.get("username") or "")[:150]
    record_event(
        actor=None,
        action="login_locked",
        object_type="accounts.user",
        request=request,
        detail={"username": username},
    )
    return render(request, "accounts/locked.html", {"message": LOCKED_MESSAGE}, status=429)


# ---- API tokens: staff issue, list and revoke their own tokens (TRUST AU-01) ---------


class TokenForm(forms.Form):
    name = forms.CharField(
        label="用途",
        max_length=NAME_MAX_LENGTH,
        help_text="例如：统计报表脚本。令牌与您的账号权限范围相同。",
    )


def _staff_past_totp(request: HttpRequest) -> bool:
    """Staff only, and past the TOTP step: /accounts/ is exempt from the OTP middleware, and a
    token must never be a way around the second factor (TRUST AU-01)."""
    require_staff(request.user, "只有工作人员可以管理接口令牌")
    return bool(request.user.is_verified())  # type: ignore[union-attr]


@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    if not _staff_past_totp(request):
        return redirect("accounts:otp")
    user = request.user
    assert user.is_authenticated  # require_staff in _staff_past_totp refused anyone else
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        with refusal(request, form, "name") as refused:
            _token, raw = issue_token(
                user=user,
                name=form.cleaned_data["name"],
                by=user,
                request=request,
            )
        if not refused:
            form = TokenForm()
    # The raw value is rendered once, in this POST response (no redirect, no-store); it is
    # never stored and cannot be shown again.
    context = {
        "form": form,
        "raw_token": raw,
        "tokens": ApiToken.objects.filter(user=user).order_by("-created_at", "-id"),
    }
    return render(request, "accounts/tokens.html", context, status=400 if form.errors else 200)


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if not _staff_past_totp(request):
        return redirect("accounts:otp")
    user = request.user
    assert user.is_authenticated  # require_staff in _staff_past_totp refused anyone else
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404("未找到该令牌")
    with refusal(request) as refused:
        revoke_token(token=token, by=user, request=request)
    if not refused:
        messages.success(request, f"已撤销令牌 {token.prefix}…（{token.name}）")
    return redirect("accounts:tokens")
