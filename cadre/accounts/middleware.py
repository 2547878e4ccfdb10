import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from cadre.accounts.access import is_staff

# Paths a logged-in staff user may reach before passing the TOTP step. Everything else,
# the Django admin included, needs a verified device (TRUST.md AU-01). The API checks the
# TOTP step itself and answers 401 JSON (config/api.py), so it is exempt here.
OTP_EXEMPT_PATHS = ("/accounts/login/", "/accounts/otp/", "/accounts/logout/", "/health")
OTP_EXEMPT_PREFIXES = ("/static/", "/public/", "/api/")
# Write the "last seen" time at most this often: a session save per request is wasted work.
LAST_SEEN_RESOLUTION = 15


class SessionTimeoutMiddleware:
    """Server-side idle and absolute session limits (TRUST.md AU-06).

    SESSION_IDLE_SECONDS since the last request, SESSION_COOKIE_AGE since the login: either
    ends the session (the row is deleted), whatever the cookie says.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last = session.get("last_seen", now)
            started = session.setdefault("started_at", now)
            idle = now - last > settings.SESSION_IDLE_SECONDS
            too_old = now - started > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                logout(request)
                return _to_login(request, expired=True)
            if now - last >= LAST_SEEN_RESOLUTION or "last_seen" not in session:
                session["last_seen"] = now
        return self.get_response(request)


def _to_login(request: HttpRequest, *, expired: bool = False) -> HttpResponse:
    query = {"expired": "1"} if expired else {}
    if request.method == "GET" and not request.path.startswith("/api/"):
        query["next"] = request.get_full_path()
    url = reverse("accounts:login") + ("?" + urlencode(query) if query else "")
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url  # htmx would otherwise swap the login page into a table
        return response
    return redirect(url)


class RequireOTPMiddleware:
    """Every staff page needs a verified TOTP device in the session (TRUST.md AU-01)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path == "/admin/login/":
            # One way in: the admin's own login form has no TOTP step.
            return redirect(reverse("accounts:login") + "?" + urlencode({"next": "/admin/"}))
        user = request.user
        if (
            user.is_authenticated
            and path not in OTP_EXEMPT_PATHS
            and not path.startswith(OTP_EXEMPT_PREFIXES)
            and (is_staff(user) or user.is_staff)
            and not user.is_verified()  # type: ignore[attr-defined]  # added by django-otp
        ):
            return redirect("accounts:otp")
        return self.get_response(request)
