"""House rules that a machine can check (STYLE.md 2.3, TRUST.md AC-09).

1. Scoping cannot be bypassed: in the modules that answer users (views.py and the modules of a
   views/ package, public_views.py, api.py, excel.py, profile.py), a model registered with the
   scoping module is never reached through `<Model>.objects.` unless the same statement calls
   `.visible_to(` (or `scope(`), or the expression goes straight in as the first argument of
   `get_object_for_user(`.
2. Every route is closed to anonymous users except an explicit public allowlist.
3. No test reads the real clock: test code takes `clock.today` / `clock.now` from the root
   conftest's `clock` fixture (tests/clock.py) instead of `date.today()`, `timezone.now()` ...;
   production code is held to aware datetimes by ruff's DTZ rules.
4. One page shape: every list endpoint of the REST API is paged by django-ninja's
   LimitOffsetPagination (`?limit=&offset=` in, `{"items": [...], "count": N}` out).
5. No import cycles between apps, and imports follow the dependency direction of
   docs/architecture.md: an app imports only apps of its own layer or of the layers below.
6. Role and grant checks live in cadre/accounts/access.py (no `.grants`, no `user_scope(`, no
   copy of `covers`/`require_staff` elsewhere), and there is one way to say "refused":
   cadre.core.errors.Refused; no refusal class is a ValueError and no ValueError is answered
   to the user as a refusal.
7. One layout per app (CONTRIBUTING.md): `views.py` or a `views/` package, never both and
   never `views_*.py` siblings; the same for services. One pager template for the pages.
"""

import ast
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

ROOT = Path(__file__).resolve().parent.parent
SCANNED = re.compile(r"^(views\w*|public_views|api|excel|profile)\.py$")
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
    compound = isinstance(
        parent,
        (
            ast.For,
            ast.AsyncFor,
            ast.If,
            ast.While,
            ast.With,
            ast.AsyncWith,
            ast.Try,
            ast.FunctionDef,
            ast.AsyncFunctionDef,
            ast.ClassDef,
            ast.Match,
        ),
    )
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
        if (
            (SCANNED.match(path.name) or in_views_package)
            and "tests" not in path.parts
            and "migrations" not in path.parts
        ):
            yield path


def test_no_view_api_excel_or_profile_module_bypasses_scoping() -> None:
    models = scoped_model_names()
    assert {"Cadre", "OrgUnit", "Appointment"} <= models
    problems: list[Bypass] = []
    files = list(scanned_files())
    assert any(p.name == "views.py" for p in files)
    assert any(p.parent.name == "views" for p in files)  # the modules of views/ packages
    assert any(p.name == "public_views.py" for p in files)
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
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("timezone", "now"),
    ("timezone", "localdate"),
    ("timezone", "localtime"),
}
CLOCK_IMPORTS = {
    ("django.utils.timezone", "now"),
    ("django.utils.timezone", "localdate"),
    ("django.utils.timezone", "localtime"),
}


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
                    found.append(
                        ClockRead(path, node.lineno, f"from {node.module} import {alias.name}")
                    )
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
    exempt = {
        glob
        for glob, codes in lint["lint"].get("per-file-ignores", {}).items()
        if any(code.startswith("DTZ") for code in codes)
    }
    assert exempt <= {"**/tests/**", "tests/**", "bench/**"}, exempt
    silenced = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "cadre").rglob("*.py"))
        if "tests" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"noqa:[^#]*DTZ", line)
    ]
    assert not silenced, "生产代码不得用 noqa 关闭 DTZ（朴素的真实时钟）：" + ", ".join(silenced)


# --- 4. one page shape for the REST API (issue 14) -----------------------------------------

# GET endpoints that answer a JSON array without paging, each with its reason.
UNPAGED_LISTS = {
    # A function of the requested range (one row per day), not a collection of records: the
    # range itself is the page, at most 366 days (workdays.api.MAX_SPAN_DAYS).
    "/api/v1/workdays/days",
}


def _response_schema(schema: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    response = operation["responses"].get(200) or operation["responses"].get("200") or {}
    found = response.get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in found:
        found = schema["components"]["schemas"][found["$ref"].rsplit("/", 1)[1]]
    return found


def test_every_list_endpoint_has_the_one_page_shape() -> None:
    from config.api import api

    schema = api.get_openapi_schema()
    bare, paged = [], []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None or path in UNPAGED_LISTS:
            continue
        answer = _response_schema(schema, get)
        if answer.get("type") == "array":
            bare.append(path)
        elif set(answer.get("properties", {})) == {"items", "count"}:
            params = {p["name"] for p in get.get("parameters", [])}
            assert {"limit", "offset"} <= params, path
            assert not {"page", "page_size"} & params, path
            paged.append(path)
    assert not bare, (
        "这些列表接口未分页（应使用 @paginate(LimitOffsetPagination)，返回 "
        "{items, count}）：\n" + "\n".join(bare)
    )
    assert {"/api/v1/cadres", "/api/v1/targets/books"} <= set(paged)
    assert set(schema["paths"]) >= UNPAGED_LISTS, "UNPAGED_LISTS 中有不存在的接口"


# --- 5. the dependency direction: no import cycles between apps (issue 14) -----------------

# docs/architecture.md, lowest first. An app imports (at module level or inside a function)
# only apps of its own layer or of a layer below; within a layer the imports form no cycle.
# A link the other way is a declared contract (cadre/core/contracts.py) or a registration
# made by the app above (ScopeSpec, DeadlineSpec), never an import.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"core"}),
    frozenset({"accounts"}),
    frozenset({"audit"}),
    frozenset({"orgs", "workdays"}),
    frozenset({"cadres"}),
    frozenset({"generator"}),  # synthetic data; each domain app's generate.py builds on it
    frozenset(
        {"targets", "worklogs", "supervision", "accountability", "tolerance", "development", "care"}
    ),
    frozenset({"assessments"}),  # cross-cutting readers (later: alerts, analysis)
    frozenset({"eligibility"}),  # the one answer every decision asks (issue 11)
)
# Imports allowed against the direction, each with its reason: none.
ALLOWED_IMPORTS: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class AppImport:
    path: str
    line: int
    importer: str
    imported: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.importer} → {self.imported}"


def _imported_modules(node: ast.Import | ast.ImportFrom, package: list[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: resolved against the importing module's package
        base = package[: len(package) - node.level + 1]
        return [".".join([*base, node.module] if node.module else base)]
    if node.module == "cadre":  # from cadre import accounts
        return [f"cadre.{alias.name}" for alias in node.names]
    return [node.module or ""]


def app_imports(source: str, rel: Path) -> list[AppImport]:
    """Every import of another cadre app in one module of `rel.parts[1]`, at any depth."""
    importer = rel.parts[1]
    package = list(rel.with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        for module in _imported_modules(node, package):
            parts = module.split(".")
            if len(parts) > 1 and parts[0] == "cadre" and parts[1] != importer:
                found.append(AppImport(rel.as_posix(), node.lineno, importer, parts[1]))
    return found


def app_import_graph() -> list[AppImport]:
    found = []
    for path in sorted((ROOT / "cadre").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if len(rel.parts) < 3 or "tests" in rel.parts or "migrations" in rel.parts:
            continue  # cadre/cli.py is no app; tests and migrations are not dependencies
        found += app_imports(path.read_text(encoding="utf-8"), rel)
    return [i for i in found if (i.importer, i.imported) not in ALLOWED_IMPORTS]


def find_cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components of more than one app (Tarjan), each as a cycle
    path through it (a → b → ... → a)."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(graph, component) for component in components]


def _cycle_in(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    start = min(component)
    path, seen = [start], {start}
    node = start
    while True:
        nxt = min(n for n in graph[node] if n in component)  # there is one: a cycle
        if nxt in seen:
            return [*path[path.index(nxt) :], nxt]
        path.append(nxt)
        seen.add(nxt)
        node = nxt


def _layer(app: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if app in layer)


def test_every_app_has_a_layer() -> None:
    apps_on_disk = {p.parent.name for p in (ROOT / "cadre").glob("*/__init__.py")}
    placed = set().union(*LAYERS)
    assert apps_on_disk == placed, (
        f"未归层的应用：{sorted(apps_on_disk - placed)}；"
        f"已不存在的应用：{sorted(placed - apps_on_disk)}"
        "（在 LAYERS 与 docs/architecture.md 中登记）"
    )


def test_no_import_cycle_between_apps() -> None:
    imports = app_import_graph()
    assert any(i.importer == "cadres" and i.imported == "orgs" for i in imports)
    cycles = find_cycles({(i.importer, i.imported) for i in imports})
    lines = []
    for cycle in cycles:
        lines.append("循环依赖：" + " → ".join(cycle))
        for a, b in pairwise(cycle):
            lines += [f"    {i}" for i in imports if (i.importer, i.imported) == (a, b)][:3]
    assert not cycles, "\n".join(lines)


def test_imports_follow_the_dependency_direction() -> None:
    upward = [i for i in app_import_graph() if _layer(i.imported) > _layer(i.importer)]
    assert not upward, (
        "逆着依赖方向的导入（下层应用导入了上层应用；改为声明接口 cadre/core/contracts.py，"
        "或由上层应用在 AppConfig.ready() 中登记，见 docs/architecture.md）：\n"
        + "\n".join(str(i) for i in upward)
    )


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({("a", "b"), ("b", "c")}, []),
        ({("a", "b"), ("b", "a")}, [["a", "b", "a"]]),
        ({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}, [["a", "b", "c", "a"]]),
        ({("x", "y"), ("y", "x"), ("p", "q"), ("q", "p")}, [["p", "q", "p"], ["x", "y", "x"]]),
    ],
)
def test_the_cycle_finder_itself(edges: set[tuple[str, str]], expected: list[list[str]]) -> None:
    assert sorted(find_cycles(edges)) == expected


@pytest.mark.parametrize(
    ("code", "found"),
    [
        ("from cadre.accounts.access import scope", ["accounts"]),
        ("def f():\n    from cadre.audit.services import record_event", ["audit"]),
        ("import cadre.orgs.models", ["orgs"]),
        ("from cadre import cadres", ["cadres"]),
        ("from cadre.supervision import rules", []),  # its own app
        ("from . import rules", []),
        ("from django.db import models", []),
    ],
)
def test_the_import_scan_itself(code: str, found: list[str]) -> None:
    imports = app_imports(code, Path("cadre/supervision/views.py"))
    assert [i.imported for i in imports] == found


# --- 6. role and grant checks live in accounts/access.py; one refusal (issue 14) -----------

# Modules that may touch grants directly: the scoping module itself, the Grant model, and the
# password validator (it names the units a user holds grants on in a message: not a decision).
GRANT_READERS = {
    "cadre/accounts/access.py",
    "cadre/accounts/models.py",
    "cadre/accounts/validators.py",
}
ACCESS_ONLY = {"user_scope", "UserScope"}  # the raw grants, only for access.py's own functions
# Names of access.py's checks: a function defined under one of them elsewhere is a copy.
COPIED_CHECKS = {"require_staff", "_require_staff", "covers", "_covers", "roles_of", "_roles"}
# Exception classes that may stay ValueErrors: a cell of an import sheet that does not parse
# (collected into the row errors, never raised as a refusal of an action).
VALUE_ERRORS_ALLOWED = {"CellError"}
# What turning an exception into an answer for the user looks like.
ANSWERS = {"HttpError", "add_error", "error"}  # HttpError(...), form.add_error, messages.error


@dataclass(frozen=True)
class HandWritten:
    path: str
    line: int
    what: str
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}：{self.code}"


GRANT_HINT = (
    "    → 改用 cadre/accounts/access.py 的函数（covers、roles_of、grant_paths、"
    "own_cadre_id、require_staff …），需要新的判断时加在那里"
)
REFUSAL_HINT = (
    "    → 拒绝一律抛出 cadre.core.errors.Refused（或其子类）；API 由 config/api.py 的"
    "处理器、页面由 refusal(request, form) 转成回答；"
    "其他异常是程序错误，不要捕获为拒绝"
)


def _code(source: str, node: ast.AST) -> str:
    return " ".join((ast.get_source_segment(source, node) or "").split())[:100]


def find_grant_checks(source: str, path: str) -> list[HandWritten]:
    found = []
    for node in ast.walk(ast.parse(source)):
        what = None
        if isinstance(node, ast.Attribute) and node.attr == "grants":
            what = "读取了授权（.grants）"
        elif isinstance(node, ast.Name) and node.id in ACCESS_ONLY:
            what = f"使用了 {node.id}"
        elif isinstance(node, ast.Attribute) and node.attr in ACCESS_ONLY:
            what = f"使用了 {node.attr}"
        elif isinstance(node, ast.ImportFrom) and any(a.name in ACCESS_ONLY for a in node.names):
            what = "导入了 user_scope/UserScope"
        elif (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in COPIED_CHECKS
        ):
            what = f"另写了一份 {node.name}"
        if what:
            code = (
                f"def {node.name}(...)"
                if isinstance(node, ast.FunctionDef)
                else _code(source, node)
            )
            found.append(HandWritten(path, node.lineno, what, code))
    return sorted(found, key=lambda f: f.line)


def _names(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    items = node.elts if isinstance(node, ast.Tuple) else [node]
    return {n.id if isinstance(n, ast.Name) else getattr(n, "attr", "") for n in items}


def _answers(handler: ast.ExceptHandler) -> bool:
    for node in ast.walk(handler):
        if isinstance(node, ast.Call):
            name = (
                node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            )
            if name in ANSWERS:
                return True
    return False


def find_second_refusals(source: str, path: str) -> list[HandWritten]:
    """A refusal class that is a ValueError, and a ValueError (or any Exception) caught and
    answered to the user as if it were a refusal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.ClassDef)
            and "ValueError" in _names_of_bases(node)
            and node.name not in VALUE_ERRORS_ALLOWED
        ):
            found.append(
                HandWritten(path, node.lineno, "拒绝类继承了 ValueError", f"class {node.name}")
            )
        elif (
            isinstance(node, ast.ExceptHandler)
            and _names(node.type) & {"ValueError", "Exception"}
            and _answers(node)
        ):
            found.append(
                HandWritten(
                    path,
                    node.lineno,
                    "把程序错误当作拒绝回答用户",
                    _code(source, node).split(":")[0],
                )
            )
    return sorted(found, key=lambda f: f.line)


def _names_of_bases(node: ast.ClassDef) -> set[str]:
    return {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}


def production_files() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "cadre").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield rel, path.read_text(encoding="utf-8")
    yield "config/api.py", (ROOT / "config" / "api.py").read_text(encoding="utf-8")


def test_role_and_grant_checks_live_in_the_scoping_module() -> None:
    files = dict(production_files())
    assert files.keys() >= GRANT_READERS
    problems: list[HandWritten] = []
    for rel, source in files.items():
        if rel not in GRANT_READERS:
            problems += find_grant_checks(source, rel)
    assert not problems, (
        "手写的角色或授权检查：\n" + "\n".join(map(str, problems)) + "\n" + GRANT_HINT
    )


def test_there_is_one_way_to_say_refused() -> None:
    problems: list[HandWritten] = []
    for rel, source in production_files():
        problems += find_second_refusals(source, rel)
    assert not problems, "另一种“拒绝”：\n" + "\n".join(map(str, problems)) + "\n" + REFUSAL_HINT


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ("paths = [p for _, p in user_scope(user).grants]", True),
        ("us = access.user_scope(user)", True),
        ("from cadre.accounts.access import user_scope", True),
        ("from cadre.accounts.access import covers, user_scope as us", True),
        ("names = user.grants.values_list('role', flat=True)", True),
        ("def covers(user, unit, roles):\n    return True", True),
        ("def _require_staff(request):\n    pass", True),
        ("def _roles(user):\n    return set()", True),
        ("ok = covers(user, unit.path, {'discipline'})", False),
        ("roles = roles_of(by, superuser_as=STAFF)", False),
        ("from cadre.accounts.access import covers, own_cadre_id", False),
        ("require_staff(request.user)", False),
        ("def within(paths, unit_path):\n    return True", False),
        ("grants = grants_of(user)", False),
    ],
)
def test_the_grant_scan_itself(code: str, flagged: bool) -> None:
    found = find_grant_checks(code, "cadre/x/services.py")
    assert bool(found) is flagged, found
    if flagged:
        assert str(found[0]).startswith("cadre/x/services.py:")


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ("class RuleError(ValueError):\n    pass", True),
        ("class CareError(errors.ValueError):\n    pass", True),
        ("class RuleError(Refused):\n    pass", False),
        ("class CellError(ValueError):\n    pass", False),  # allowlisted
        ("try:\n    f()\nexcept ValueError as exc:\n    raise HttpError(400, str(exc))", True),
        (
            "try:\n    f()\nexcept (KeyError, ValueError) as e:\n"
            "    messages.error(request, str(e))",
            True,
        ),
        ("try:\n    f()\nexcept Exception as e:\n    form.add_error(None, str(e))", True),
        ("try:\n    f()\nexcept Refused as exc:\n    raise HttpError(400, str(exc))", False),
        ("try:\n    d = date.fromisoformat(s)\nexcept ValueError:\n    d = today", False),
        (
            "try:\n    n = int(s)\nexcept ValueError as exc:\n"
            "    raise Refused('应为数字') from exc",
            False,
        ),
    ],
)
def test_the_refusal_scan_itself(code: str, flagged: bool) -> None:
    found = find_second_refusals(code, "cadre/x/views.py")
    assert bool(found) is flagged, found


# --- 7. one layout per app (CONTRIBUTING.md, "Layout"; issue 14) ---------------------------


def test_views_and_services_have_one_layout_per_app() -> None:
    problems = []
    for app in sorted(p.parent for p in (ROOT / "cadre").glob("*/apps.py")):
        for kind in ("views", "services"):
            if (app / f"{kind}.py").exists() and (app / kind / "__init__.py").exists():
                problems.append(f"cadre/{app.name}: 同时有 {kind}.py 和 {kind}/")
            problems += [
                f"cadre/{app.name}/{p.name}: 应并入 {kind}.py 或移入 {kind}/ 包"
                for p in sorted(app.glob(f"{kind}_*.py"))
            ]
    assert not problems, "布局不符合 CONTRIBUTING.md：\n" + "\n".join(problems)


def test_the_pages_use_the_one_pager() -> None:
    """cadre/templates/_pager.html keeps the filters ({% querystring %} replaces only `page`);
    no copy of it, no hand-made page links, no "?" written before {% querystring %} (the tag
    writes its own, and "??page=2" shows page 1 again)."""
    pager = ROOT / "cadre" / "templates" / "_pager.html"
    assert sorted((ROOT / "cadre").rglob("_pager.html")) == [pager]
    problems = []
    for path in sorted((ROOT / "cadre").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        if path != pager and re.search(r"(next|previous)_page_number", text):
            problems.append(f'{rel}: 自制的翻页链接，请改为 {{% include "_pager.html" %}}')
        if re.search(r"\?\{%\s*querystring", text):
            problems.append(f"{rel}: “?{{% querystring” 会生成 “??”（该标签自带问号）")
    assert not problems, "\n".join(problems)
