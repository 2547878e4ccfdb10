"""One way to say "refused" (issue 14).

A rule, a setting or a state refuses an action: the code raises `Refused` (or an app's
subclass of it, kept under its old name: `RuleError`, `CareError`, `DevelopmentError` ...)
with a Chinese `message` the user reads as it is, and optionally the `source` (the article or
the setting) the refusal rests on. Nothing is written.

It becomes a response in one place each:
- the API: the `Refused` exception handler on the NinjaAPI (config/api.py) answers
  `{"detail": <message（依据：source）>, "code": "refused", "source": <source or null>}`
  with `status` (400; a subclass may say 409 for a stale version, 404 for out of scope);
- pages: `refusal(request, form)` below, a context manager that shows the message as a form
  error or a Django message.

Anything else (a plain ValueError, KeyError, TypeError ...) is a programming error: it is never
caught as a refusal, so it stays a 500 and is logged.
"""

from types import TracebackType
from typing import Any

from django.contrib import messages
from django.http import Http404

NOT_FOUND = "未找到该记录"


class Refused(Exception):
    """A refused action; `message` is Chinese and shown as it is, `source` names the rule."""

    status = 400  # the API's answer; Conflict-like subclasses say 409, out-of-scope 404
    code = "refused"

    def __init__(self, message: str = "", source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.message}（依据：{self.source}）" if self.source else self.message

    @property
    def detail(self) -> str:
        """What the user reads: a 404 refusal says no more than a missing record would."""
        return NOT_FOUND if self.status == 404 else str(self)

    def extra(self) -> dict[str, Any]:
        """More keys for the API answer (a bulk refusal lists its items); none by default."""
        return {}


class refusal:  # lower case: it reads as a statement, `with refusal(request, form) as refused:`
    """Shows a refusal raised in the block, and only a refusal, on the page.

        with refusal(request, form) as refused:
            services.save(...)
        if refused:
            return render(request, "x.html", {"form": form}, status=refused.status)
        messages.success(request, "已保存")
        return redirect(...)

    The message goes to the form's non-field errors when a form is given, else to Django's
    messages. `refused` is true when the block was refused; `refused.status` is 400, or the
    refusal's own status (409 for a stale version). A refusal with status 404 (a record out of
    the caller's scope) is raised again as Http404, like a missing record. Other exceptions
    pass through untouched.
    """

    def __init__(self, request: Any, form: Any = None, field: str | None = None) -> None:
        self.request = request
        self.form = form
        self.field = field  # the form field the message belongs to; None: the whole form
        self.error: Refused | None = None

    def __enter__(self) -> "refusal":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        if not isinstance(exc, Refused):
            return False
        if exc.status == 404:
            raise Http404(NOT_FOUND) from exc
        self.error = exc
        if self.form is not None:
            self.form.add_error(self.field, str(exc))
        else:
            messages.error(self.request, str(exc))
        return True

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def status(self) -> int:
        return self.error.status if self.error is not None else 200
