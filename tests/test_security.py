"""Security properties of the whole site (TRUST.md AU-01, AU-10, AC-08, DP-01, DP-05, DP-06,
IO-03, IO-06, SC-04): headers, production settings, error pages, the OTP wall, fail closed.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from cadre.audit.models import AuditEvent
from conftest import login_as
from tests.test_conventions import all_routes, is_public

ROOT = Path(__file__).resolve().parent.parent


# --- headers (IO-03, DP-05) ----------------------------------------------------------------


def csp_directives(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(response: Any, where: str) -> None:
    policy = csp_directives(response)
    text = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in text, where
    assert "'unsafe-eval'" not in text, where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["default-src"] == ["'self'"], where
    assert policy["script-src"] == ["'self'"], where
    assert policy["object-src"] == ["'none'"], where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer"), where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["Cache-Control"] == "no-store", where
    assert re.fullmatch(r"[0-9a-f]{16}", response["X-Request-Id"]), where
    assert "Server" not in response, where
    assert "X-Powered-By" not in response, where


def test_representative_pages_carry_the_full_header_set(world: Any) -> None:
    anonymous = Client()
    staff = login_as(world.head_a)
    auditor = login_as(world.auditor)
    pages = {
        "login": anonymous.get("/accounts/login/"),
        "health": anonymous.get("/health"),
        "redirect": anonymous.get("/cadres/"),
        "home": staff.get("/"),
        "cadre page": staff.get(f"/cadres/{world.cadre_a.pk}/"),
        "export": staff.get("/cadres/export.xlsx"),
        "not found": staff.get(f"/cadres/{world.cadre_b.pk}/"),
        "forbidden": staff.get("/audit/"),
        "audit": auditor.get("/audit/"),
        "api": staff.get("/api/v1/cadres"),
    }
    assert pages["not found"].status_code == 404
    assert pages["forbidden"].status_code == 403
    for where, response in pages.items():
        assert_security_headers(response, where)
    assert pages["export"]["Content-Disposition"].startswith("attachment;")


def test_static_files_may_be_cached() -> None:
    response = Client().get("/static/vendor/htmx.min.js")
    assert response.get("Cache-Control") != "no-store"


# Strict CSP means no inline script, no inline style, no inline event handler.
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "行内 <script>"),
    (re.compile(r"<style\b", re.I), "<style> 块"),
    (re.compile(r"\sstyle\s*=", re.I), "style= 属性"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "行内事件处理 on...="),
    (re.compile(r"\shx-on", re.I), "hx-on 属性"),
    (re.compile(r"(src|href)\s*=\s*[\"']https?://", re.I), "外部 CDN 资源"),
]


def test_no_template_needs_unsafe_inline() -> None:
    problems = []
    for path in sorted((ROOT / "cadre").rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not problems, "违反内容安全策略（CSP）的模板写法：\n" + "\n".join(problems)


# --- production settings (SC-04, SC-06, AU-01 bypass) --------------------------------------


FERNET_KEY = "x3gW0o6l9Zl9v1M3ZpQw5S0V8a3f2N4cRk7tY1uJbHs="


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CADRE_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("DEBUG", None)
    env.update(
        CADRE_ENV="production",
        SECRET_KEY="ci-" + secrets.token_urlsafe(60),
        CADRE_ID_HASH_KEY="ci-id-key",
        CADRE_CONTACT_KEY=FERNET_KEY,
        CADRE_EVIDENCE_KEY=FERNET_KEY,
        CADRE_RECEIPT_KEY="ci-receipt-key",
        ALLOWED_HOSTS="cadre.example.gov.cn",
        CADRE_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"CADRE_OTP_DEMO_BYPASS": "true"}, "CADRE_OTP_DEMO_BYPASS is not allowed in production"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"CADRE_ID_HASH_KEY": ""}, None),
    ],
)
def test_production_settings_refuse_unsafe_values(
    tmp_path: Path, extra: dict[str, str], message: str | None
) -> None:
    env = production_env(tmp_path, **extra)
    if extra.get("CADRE_ID_HASH_KEY") == "":
        del env["CADRE_ID_HASH_KEY"]
        message = "CADRE_ID_HASH_KEY"
    result = run(["-c", "import config.settings"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


PROBE = """
import json, django
django.setup()
from django.test import Client
c = Client()
plain = c.get("/accounts/login/", HTTP_HOST="cadre.example.gov.cn")
tls = c.get("/accounts/login/", secure=True, HTTP_HOST="cadre.example.gov.cn")
from django.conf import settings
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "status": tls.status_code,
    "headers": dict(tls.headers),
    "cookies": {k: {"secure": bool(v["secure"]), "httponly": bool(v["httponly"]),
                    "samesite": v["samesite"]} for k, v in tls.cookies.items()},
    "session_cookie": settings.SESSION_COOKIE_NAME,
    "debug": settings.DEBUG,
}))
"""


def test_production_serves_https_only_with_hsts_and_host_cookies(tmp_path: Path) -> None:
    result = run(["-c", PROBE], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["plain"] == [301, "https://cadre.example.gov.cn/accounts/login/"]
    assert data["status"] == 200
    assert data["debug"] is False
    hsts = data["headers"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert data["session_cookie"] == "__Host-sessionid"
    csrf = data["cookies"]["__Host-csrftoken"]
    assert csrf == {"secure": True, "httponly": True, "samesite": "Lax"}


# --- error pages (DP-06, IO-06) ------------------------------------------------------------


def test_a_server_error_shows_a_generic_page_with_the_request_id(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert settings.DEBUG is False

    def explode(user: Any) -> Any:
        raise RuntimeError("secret-detail SELECT * FROM /etc/passwd")

    monkeypatch.setattr("cadre.cadres.views.is_staff", explode)
    client = login_as(world.head_a)
    client.raise_request_exception = False
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统暂时无法处理您的请求" in body
    assert response["X-Request-Id"] in body
    for leak in (
        "Traceback",
        "RuntimeError",
        "secret-detail",
        "SELECT",
        "/etc/passwd",
        "cadre/core",
        "settings",
    ):
        assert leak not in body


def test_an_oversized_body_is_a_clean_400(world: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = Client().post("/accounts/login/", {"username": "a", "password": "b" * 2_000})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请求无效" in body
    assert "Traceback" not in body
    assert response["X-Request-Id"] in body


def test_too_many_fields_is_a_clean_400(db: Any) -> None:
    query = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = Client().get(f"/accounts/login/?{query}")
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


def test_a_suspicious_host_is_a_clean_400(db: Any) -> None:
    response = Client().get("/accounts/login/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


def test_a_missing_csrf_token_gets_a_chinese_403(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "head_a", "password": "x"})
    assert response.status_code == 403
    assert "CSRF 校验失败" in response.content.decode()
    staff = login_as(world.city_admin)
    staff.handler.enforce_csrf_checks = True
    before = world.cadre_a.version
    response = staff.post(f"/cadres/{world.cadre_a.pk}/edit/", {"name": "改名"})
    assert response.status_code == 403
    world.cadre_a.refresh_from_db()
    assert (world.cadre_a.name, world.cadre_a.version) == ("王甲", before)


# --- the OTP wall (AU-01) and authentication paths (AU-10) ---------------------------------

OTP_FREE = {"accounts/login/", "accounts/otp/", "accounts/logout/", "health"}


def test_every_staff_route_waits_for_the_otp_step(world: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.head_a)  # password step done, no TOTP yet
    leaks = []
    for route, url in all_routes():
        if is_public(route) or route in OTP_FREE:
            continue
        response = client.get(url)
        location = response.get("Location", "")
        if route.startswith("api/"):
            # 401 JSON; docs redirect to the OTP step; 404/405 carry no data
            ok = response.status_code in (401, 404, 405) or location == "/accounts/otp/"
        elif route == "admin/login/":
            ok = location.startswith("/accounts/login/")
        else:
            ok = response.status_code == 302 and location == "/accounts/otp/"
        if not ok:
            leaks.append(f"{route} ({url}) → {response.status_code} {location}")
    assert not leaks, "未完成动态验证码即可访问：\n" + "\n".join(leaks)


def test_the_api_refuses_a_staff_session_without_otp(world: Any) -> None:
    client = Client()
    client.force_login(world.head_a)
    response = client.get("/api/v1/cadres")
    assert response.status_code == 401
    assert "动态验证码" in response.json()["detail"]


def test_password_and_otp_are_the_only_way_in() -> None:
    assert settings.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")  # test settings only
    from config import settings as real

    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


# --- fail closed (AC-08) and no hard delete (DP-01) ----------------------------------------


def test_a_broken_permission_resolver_fails_closed(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("resolver down")

    monkeypatch.setattr("cadre.accounts.access.scope", broken)
    client = login_as(world.head_a)
    client.raise_request_exception = False
    for url in ("/cadres/", f"/cadres/{world.cadre_a.pk}/", "/cadres/export.xlsx", "/units/"):
        response = client.get(url)
        assert response.status_code in (403, 500), url
        assert "王甲" not in response.content.decode(errors="replace"), url


def test_nothing_is_hard_deleted(world: Any) -> None:
    from cadre.cadres.models import Cadre
    from cadre.core.models import HardDeleteForbidden

    with pytest.raises(HardDeleteForbidden):
        world.cadre_a.delete()
    with pytest.raises(HardDeleteForbidden):
        Cadre.objects.filter(pk=world.cadre_a.pk).delete()
    with pytest.raises(HardDeleteForbidden):
        world.head_a.delete()
    with pytest.raises(HardDeleteForbidden):
        AuditEvent.objects.all().delete()
    assert Cadre.objects.filter(pk=world.cadre_a.pk).exists()


# --- implicit request context for audit events (LG-01, G-AN1) ------------------------------


@pytest.mark.parametrize(
    ("path", "logged_in", "lends"),
    [
        ("/cadres/1/", True, True),
        ("/cadres/1/", False, False),
        ("/public/report/", True, False),
        ("/api/v1/supervision/public/units", True, False),
    ],
)
def test_only_staff_requests_lend_their_details_to_audit_events(
    world: Any, path: str, logged_in: bool, lends: bool
) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory

    from cadre.core.middleware import RequestIdMiddleware, staff_request

    seen = {}

    def view(request: Any) -> HttpResponse:
        request.user = world.head_a if logged_in else AnonymousUser()
        seen["request"] = staff_request()
        return HttpResponse()

    request = RequestFactory().get(path, REMOTE_ADDR="10.7.7.7")
    RequestIdMiddleware(view)(request)
    assert (seen["request"] is request) is lends
    assert staff_request() is None  # nothing left behind after the request
