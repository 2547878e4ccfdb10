"""House rules that a machine can check (STYLE.md 2.3, TRUST.md AC-09).

1. Scoping cannot be bypassed: in the modules that answer users (views*.py, api.py, excel.py,
   profile.py), a model registered with the scoping module is never reached through
   `<Model>.objects.` unless the same statement calls `.visible_to(` (or `scope(`), or the
   expression goes straight in as the first argument of `get_object_for_user(`.
2. Every route is closed to anonymous users except an explicit public allowlist.
3. No test reads the real clock: test code takes `clock.today` / `clock.now` from the root
   conftest's `clock` fixture (tests/clock.py) instead of `date.today()`, `timezone.now()` ...;
   production code is held to aware datetimes by ruff's DTZ rules.
"""

import ast
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

ROOT = Path(__file__).resolve().parent.parent
SCANNED = re.compile(r"^(views\w*|api|excel|profile)\.py$")
MANAGERS = {"objects", "_default_manager", "_base_manager"}
# `.visible_to(` is the QuerySet verb; `scope(` is the function it calls (access.py).
SCOPING_CALL = re.compile(r"\.visible_to\(|(?<!\w)scope\(")
OBJECT_HELPER = "get_object_for_user"


# --- 1. the scoping scan -------------------------------------------------------------------


@dataclass(frozen=True)
class Bypass:
    path: str
    line: int
    model: str
    code: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.model}.objects 未经范围控制：{self.code}\n"
            f"    → 在同一语句中调用 .visible_to(request.user)，或把查询集直接作为 "
            f"get_object_for_user(...) 的第一个参数（STYLE.md 2.3）"
        )


def scoped_model_names() -> set[str]:
    from cadre.accounts.access import SCOPES

    return {model.__name__ for model in SCOPES}


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _model_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):  # e.g. models.Cadre.objects
        return node.attr
    return None


def _chain_top(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST:
    """The whole `Model.objects.a(...).b(...)` expression that starts at `node`."""
    while True:
        parent = parents.get(node)
        attribute_of = isinstance(parent, ast.Attribute) and parent.value is node
        called = isinstance(parent, ast.Call) and parent.func is node
        if not (attribute_of or called):
            return node
        node = parent  # type: ignore[assignment]


def _is_helper_argument(expr: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    call = parents.get(expr)
    if not isinstance(call, ast.Call) or not call.args or call.args[0] is not expr:
        return False
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
    return name == OBJECT_HELPER


def _statement_text(node: ast.AST, parents: dict[ast.AST, ast.AST], source: str) -> str:
    """Source of the part of the enclosing statement that holds `node`.

    For a compound statement (for, if, with ...) that is its header expression, not its body.
    """
    child = node
    parent = parents.get(child)
    while parent is not None and not isinstance(parent, ast.stmt):
        child, parent = parent, parents.get(parent)
    if parent is None:
        return ast.get_source_segment(source, child) or ""
    compound = isinstance(parent, (ast.For, ast.AsyncFor, ast.If, ast.While, ast.With,
                                   ast.AsyncWith, ast.Try, ast.FunctionDef,
                                   ast.AsyncFunctionDef, ast.ClassDef, ast.Match))
    return ast.get_source_segment(source, child if compound else parent) or ""


def find_bypasses(source: str, path: str, models: set[str]) -> list[Bypass]:
    tree = ast.parse(source)
    parents = _parents(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr in MANAGERS):
            continue
        model = _model_name(node.value)
        if model not in models:
            continue
        if _is_helper_argument(_chain_top(node, parents), parents):
            continue
        text = _statement_text(node, parents, source)
        if SCOPING_CALL.search(text):
            continue
        code = " ".join(ast.get_source_segment(source, _chain_top(node, parents)).split())
        found.append(Bypass(path, node.lineno, model, code[:120]))
    return sorted(found, key=lambda b: b.line)


def scanned_files() -> Iterator[Path]:
    for path in sorted((ROOT / "cadre").rglob("*.py")):
        in_views_package = path.parent.name.startswith("views") and path.name != "__init__.py"
        if (SCANNED.match(path.name) or in_views_package) and "tests" not in path.parts and \
                "migrations" not in path.parts:
            yield path


def test_no_view_api_excel_or_profile_module_bypasses_scoping() -> None:
    models = scoped_model_names()
    assert {"Cadre", "OrgUnit", "Appointment"} <= models
    problems: list[Bypass] = []
    files = list(scanned_files())
    assert any(p.name == "views.py" for p in files)
    for path in files:
        rel = str(path.relative_to(ROOT))
        problems += find_bypasses(path.read_text(encoding="utf-8"), rel, models)
    assert not problems, "绕过范围控制的查询：\n" + "\n".join(str(p) for p in problems)


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ("qs = Cadre.objects.filter(name='x')", True),
        ("qs = Cadre.objects.all()\nqs = qs.visible_to(user)", True),  # not the same statement
        ("for c in Cadre.objects.all():\n    c.visible_to(u)", True),  # only the header counts
        ("x = m.Cadre.objects.count()", True),
        ("f(Cadre.objects, u, 1)", True),
        ("get_object_for_user(u, Cadre.objects, 1)", True),  # not the first argument
        ("qs = Cadre.objects.visible_to(user).filter(name='x')", False),
        ("qs = scope(Cadre.objects.all(), user)", False),
        ("qs = get_scope(Cadre.objects.all(), user)", True),
        ("c = get_object_for_user(Cadre.objects, u, 1, request=r)", False),
        ("c = get_object_for_user(Cadre.objects.select_related('org_unit'), u, 1)", False),
        ("c = access.get_object_for_user(Cadre.objects, u, 1)", False),
        ("e = AuditEvent.objects.all()", False),  # not a scoped model
        ("n = Cadre._meta.verbose_name", False),
    ],
)
def test_the_scan_itself(code: str, flagged: bool) -> None:
    found = find_bypasses(code, "x/views.py", {"Cadre"})
    assert bool(found) is flagged, found
    if flagged:
        assert str(found[0]).startswith("x/views.py:")


# --- 2. route coverage (TRUST.md AC-09) ----------------------------------------------------

# The only routes an anonymous visitor may open (decision recorded here, TRUST.md AC-09):
# the login form and the health probe. The OTP step needs a password login first. The API
# documents (/api/v1/docs, openapi.json) are behind login (docs/decisions/002). Public
# pages of later apps (anonymous intake, survey, disclosures) must live under /public/, and
# their API under /api/v1/<app>/public/.
PUBLIC_ROUTES = {"accounts/login/", "health"}
PUBLIC_PATTERN = re.compile(r"^(public/|static/|api/v1/\w+/public/)")
LOGIN_URLS = ("/accounts/login/", "/admin/login/")  # the latter forwards to the former
CLOSED = {401, 403, 404, 405}

_SAMPLES = ["1", "x", "2024-W01", str(uuid.UUID(int=1))]
_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")


def _sample_for(regex: str) -> str:
    if re.fullmatch(r"[\w|]+", regex):  # alternatives of literal words: take the first
        return regex.split("|")[0]
    return next((s for s in _SAMPLES if re.fullmatch(regex, s)), "1")


def sample_url(route: str, pattern: URLPattern) -> str:
    converters = getattr(pattern.pattern, "converters", {}) or {}

    def conv(match: re.Match[str]) -> str:
        converter = converters.get(match["name"])
        return _sample_for(converter.regex) if converter is not None else "1"

    text = _GROUP.sub(lambda m: _sample_for(m["body"]), route)  # regex routes (admin)
    text = _CONVERTER.sub(conv, text)
    text = text.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + text.replace(".*", "x")


def all_routes() -> list[tuple[str, str]]:
    """(route pattern, sample URL) for every URL pattern the resolver knows."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p

    routes = []
    for route, pattern in walk(get_resolver().url_patterns, ""):
        routes.append((route, sample_url(route, pattern)))
    return routes


def is_public(route: str) -> bool:
    return route in PUBLIC_ROUTES or bool(PUBLIC_PATTERN.match(route))


def test_every_sample_url_resolves() -> None:
    unresolved = []
    for route, url in all_routes():
        try:
            resolve(url.split("?")[0])
        except Resolver404:
            unresolved.append(f"{route} → {url}")
    assert not unresolved, "无法为这些路由构造示例地址：\n" + "\n".join(unresolved)


def test_every_route_is_closed_to_anonymous_users(db: Any) -> None:
    client = Client(raise_request_exception=False)
    open_routes = []
    for route, url in all_routes():
        if is_public(route):
            continue
        response = client.get(url)
        location = response.get("Location", "")
        closed = response.status_code in CLOSED or (
            response.status_code == 302 and location.startswith(LOGIN_URLS)
        )
        if not closed:
            open_routes.append(f"{route} ({url}) → {response.status_code} {location}")
    assert not open_routes, (
        "匿名用户可访问的非公开路由（应返回 302 到登录页、401、403 或 404）：\n"
        + "\n".join(open_routes)
    )


def test_the_public_allowlist_is_exactly_what_is_open(db: Any) -> None:
    client = Client()
    for route in sorted(PUBLIC_ROUTES):
        assert client.get("/" + route).status_code == 200, route
    routes = {route for route, _ in all_routes()}
    assert routes >= PUBLIC_ROUTES


# --- 3. the clock (issue 10) ---------------------------------------------------------------

CLOCK_MODULE = "tests/clock.py"
# (receiver, method): the calls that read the clock. For localdate/localtime only without a
# value: `timezone.localdate(some_datetime)` converts, it does not read the clock.
CLOCK_CALLS = {
    ("date", "today"), ("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"),
    ("timezone", "now"), ("timezone", "localdate"), ("timezone", "localtime"),
}
CLOCK_IMPORTS = {("django.utils.timezone", "now"), ("django.utils.timezone", "localdate"),
                 ("django.utils.timezone", "localtime")}


@dataclass(frozen=True)
class ClockRead:
    path: str
    line: int
    code: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: 测试读取了真实时钟：{self.code}\n"
            f"    → 使用根 conftest 的 clock 夹具：clock.today / clock.now（或固定的日期字面量）；"
            f"需要别的日期时用 clock.move_to(...) 或 time_machine.travel(...)"
        )


def _receiver(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):  # datetime.date.today(), django.utils.timezone.now()
        return node.attr
    return None


def _reads_clock(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute) or (_receiver(func.value), func.attr) not in CLOCK_CALLS:
        return False
    if func.attr in ("localdate", "localtime"):
        return not call.args and not any(k.arg == "value" for k in call.keywords)
    return True


def find_clock_reads(source: str, path: str) -> list[ClockRead]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _reads_clock(node):
            code = ast.get_source_segment(source, node) or ""
            found.append(ClockRead(path, node.lineno, " ".join(code.split())[:100]))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (node.module, alias.name) in CLOCK_IMPORTS:
                    found.append(ClockRead(path, node.lineno,
                                           f"from {node.module} import {alias.name}"))
    return sorted(found, key=lambda r: r.line)


def files_of_test_code() -> Iterator[Path]:
    yield ROOT / "conftest.py"
    for path in sorted([*(ROOT / "cadre").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]):
        rel = path.relative_to(ROOT)
        if ("tests" in rel.parts or rel.parts[0] == "tests") and rel.as_posix() != CLOCK_MODULE:
            yield path


def test_no_test_reads_the_real_clock() -> None:
    files = list(files_of_test_code())
    assert ROOT / "tests" / "test_conventions.py" in files
    assert ROOT / CLOCK_MODULE not in files
    problems: list[ClockRead] = []
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        problems += find_clock_reads(path.read_text(encoding="utf-8"), rel)
    assert not problems, "测试直接读取时钟：\n" + "\n".join(str(p) for p in problems)


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ("d = date.today()", True),
        ("d = datetime.date.today()", True),
        ("t = datetime.now()", True),
        ("t = datetime.now(TZ)", True),
        ("t = datetime.datetime.utcnow()", True),
        ("t = datetime.today()", True),
        ("t = timezone.now()", True),
        ("d = timezone.localdate()", True),
        ("t = timezone.localtime()", True),
        ("from django.utils.timezone import now", True),
        ("d = timezone.localdate(event.at)", False),
        ("d = timezone.localtime(value=event.at)", False),
        ("d = clock.today", False),
        ("t = clock.now - timedelta(hours=1)", False),
        ("d = date(2026, 12, 7)", False),
        ("from django.utils import timezone", False),
    ],
)
def test_the_clock_scan_itself(code: str, flagged: bool) -> None:
    found = find_clock_reads(code, "x/tests/test_x.py")
    assert bool(found) is flagged, found
    if flagged:
        assert str(found[0]).startswith("x/tests/test_x.py:1:")


def test_production_code_is_held_to_aware_datetimes_by_ruff() -> None:
    """date.today() / datetime.now() / datetime.today() / utcnow() in cadre/ fail `ruff check`
    (flake8-datetimez, DTZ); only test and bench code is exempt."""
    import tomllib

    lint = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]
    assert "DTZ" in lint["lint"]["select"]
    assert not any(code.startswith("DTZ") for code in lint["lint"].get("ignore", []))
    exempt = {glob for glob, codes in lint["lint"].get("per-file-ignores", {}).items()
              if any(code.startswith("DTZ") for code in codes)}
    assert exempt <= {"**/tests/**", "tests/**", "bench/**"}, exempt
    silenced = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "cadre").rglob("*.py"))
                if "tests" not in path.parts
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if re.search(r"noqa:[^#]*DTZ", line)]
    assert not silenced, "生产代码不得用 noqa 关闭 DTZ（朴素的真实时钟）：" + ", ".join(silenced)
