"""API token management for staff: issue, list and revoke their own tokens."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.access import is_staff
from cadre.accounts.models import ApiToken
from cadre.accounts.tokens import NAME_MAX_LENGTH, TokenError, issue_token, revoke_token


class TokenForm(forms.Form):
    name = forms.CharField(
        label="用途", max_length=NAME_MAX_LENGTH,
        help_text="例如：统计报表脚本。令牌与您的账号权限范围相同。",
    )


def _require_staff(request: HttpRequest) -> bool:
    """Staff only, and past the TOTP step: /accounts/ is exempt from the OTP middleware, and a
    token must never be a way around the second factor (TRUST AU-01)."""
    if not is_staff(request.user):
        raise PermissionDenied("只有工作人员可以管理接口令牌")
    return bool(request.user.is_verified())  # type: ignore[union-attr]


@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    if not _require_staff(request):
        return redirect("accounts:otp")
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = issue_token(
                user=request.user, name=form.cleaned_data["name"],  # type: ignore[arg-type]
                by=request.user, request=request,  # type: ignore[arg-type]
            )
        except TokenError as exc:
            form.add_error("name", str(exc))
        else:
            form = TokenForm()
    # The raw value is rendered once, in this POST response (no redirect, no-store); it is
    # never stored and cannot be shown again.
    context = {
        "form": form,
        "raw_token": raw,
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id"),
    }
    return render(request, "accounts/tokens.html", context, status=400 if form.errors else 200)


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if not _require_staff(request):
        return redirect("accounts:otp")
    token = ApiToken.objects.filter(user=request.user, pk=token_id).first()
    if token is None:
        raise Http404("未找到该令牌")
    try:
        revoke_token(token=token, by=request.user, request=request)  # type: ignore[arg-type]
    except TokenError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已撤销令牌 {token.prefix}…（{token.name}）")
    return redirect("accounts:tokens")
