import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from cadre.accounts.access import is_staff

# Paths a logged-in staff user may reach before passing the TOTP step.
OTP_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/public/", "/api/", "/health")


class SessionTimeoutMiddleware:
    """Server-side idle timeout (TRUST.md AU-06); the absolute limit is SESSION_COOKIE_AGE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen", now)
            started = request.session.setdefault("started_at", now)
            idle = now - last > settings.SESSION_IDLE_SECONDS
            too_old = now - started > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                logout(request)
                return redirect(reverse("accounts:login") + "?expired=1")
            request.session["last_seen"] = now
        return self.get_response(request)


class RequireOTPMiddleware:
    """Every staff page needs a verified TOTP device in the session (TRUST.md AU-01)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OTP_EXEMPT_PREFIXES)
            and is_staff(user)
            and not user.is_verified()  # type: ignore[union-attr]
        ):
            return redirect("accounts:otp")
        return self.get_response(request)
