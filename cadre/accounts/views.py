from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadre.accounts.access import is_staff
from cadre.accounts.forms import LoginForm, OTPForm
from cadre.audit.services import record_event

LOCKED_MESSAGE = "该账号连续登录失败次数过多，已被暂时锁定，请30分钟后再试或联系管理员。"


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            login(request, user)  # cycles the session key (TRUST.md AU-04)
            record_event(actor=user, action="login", obj=user, request=request)
            return redirect(_next_step(request))
        record_event(
            actor=None, action="login_failed", object_type="accounts.user",
            request=request, detail={"username": form.cleaned_data["username"][:150]},
        )
        form.add_error(None, "账号或密码错误")
    context = {"form": form, "expired": "expired" in request.GET}
    return render(request, "accounts/login.html", context, status=200)


def _next_step(request: HttpRequest) -> str:
    if is_staff(request.user) and not request.user.is_verified():  # type: ignore[union-attr]
        if settings.OTP_DEMO_BYPASS:
            return "/"
        return "/accounts/otp/"
    return "/"


@require_http_methods(["GET", "POST"])
def otp_view(request: HttpRequest) -> HttpResponse:
    if settings.OTP_DEMO_BYPASS:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
        if device is not None:
            otp_login(request, device)
            return redirect("/")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            request.session.cycle_key()  # new id at the OTP step too (TRUST.md AU-04)
            otp_login(request, device)
            record_event(actor=request.user, action="otp_ok", obj=request.user, request=request)
            return redirect("/")
        record_event(actor=request.user, action="otp_failed", obj=request.user, request=request)
        form.add_error("token", "动态验证码错误或已使用")
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(request, "accounts/otp.html", {"form": form, "has_device": has_device})


@login_not_required
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record_event(actor=request.user, action="logout", obj=request.user, request=request)
    logout(request)
    response = redirect("accounts:login")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@login_not_required
def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kw: Any
) -> HttpResponse:
    messages.error(request, LOCKED_MESSAGE)
    form = LoginForm()
    return render(request, "accounts/login.html", {"form": form, "locked": True}, status=429)


def tokens_view(request: HttpRequest) -> HttpResponse:
    """Placeholder: API token management (issued, listed, revoked) is built with the API."""
    return render(request, "core/no_role.html")
