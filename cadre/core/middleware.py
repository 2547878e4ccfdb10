import re
import secrets
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_current: ContextVar[HttpRequest | None] = ContextVar("cadre_current_request", default=None)
# Anonymous public pages (intake, survey) never lend their client details to the audit log.
PUBLIC_PATH = re.compile(r"^/(public/|api/v1/\w+/public/)")


class RequestIdMiddleware:
    """Tags each request with a random id, shown on error pages and kept in audit events.

    It also makes the request available to the audit writer (`staff_request()`), so that
    an event written deep in a service still records who, from where and in which request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = secrets.token_hex(8)  # type: ignore[attr-defined]  # our own
        token = _current.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-Id"] = request.request_id  # type: ignore[attr-defined]  # set above
        return response


def staff_request() -> HttpRequest | None:
    """The request being served, if it is a logged-in user's on a non-public path."""
    request = _current.get()
    if request is None or PUBLIC_PATH.match(request.path):
        return None
    user = getattr(request, "user", None)
    return request if user is not None and user.is_authenticated else None


class NoStoreMiddleware:
    """Personnel data must not sit in browser or proxy caches (TRUST.md DP-05)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response


class HtmxRefusalMiddleware:
    """The one place an HTMX request's refusal becomes an answer: the Chinese message as a
    fragment with the refusal's status (400, 404 or 409), swapped in where the request's
    target is (base.html's htmx-config swaps 4xx). Pages use `core.errors.refusal`, the API
    its exception handler; anything that is not a `Refused` stays a logged 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.template.loader import render_to_string

        from cadre.core.errors import Refused

        if not isinstance(exception, Refused) or request.headers.get("HX-Request") != "true":
            return None
        body = render_to_string("_refused.html", {"refused": exception})
        return HttpResponse(body, status=exception.status)
