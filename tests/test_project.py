"""The project's own files agree with each other: dependencies, design references."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _names(lines: list[str]) -> set[str]:
    return {
        re.split(r"[<>=\[;\s]", line.strip(), maxsplit=1)[0].lower()
        for line in lines
        if line.strip() and not line.lstrip().startswith(("#", "-"))
    }


def test_pyproject_lists_every_direct_dependency_of_the_lock() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    direct = (ROOT / "requirements.in").read_text().splitlines()
    assert _names(declared) == _names(direct)
    locked = {
        line.split("==")[0].lower()
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line
    }
    assert _names(direct) <= locked


def test_design_documents_cited_in_the_code_are_in_the_repository() -> None:
    cited = set()
    for path in [*ROOT.joinpath("cadre").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")]:
        cited |= set(re.findall(r"\b(DESIGN|DOMAIN|TRUST|STYLE)\.md\b", path.read_text()))
    assert cited
    missing = [name for name in sorted(cited) if not (ROOT / "docs/design" / f"{name}.md").exists()]
    assert not missing, f"docs/design/ 缺少被代码引用的设计文档：{missing}"


# Parameters that carry who is asking or the request; typed `Any` they escape mypy. The number
# may only go down (issue 14): type new ones as User / AnyUser / HttpRequest.
WHO = {"user", "request", "by", "actor"}
ANY_TYPED_CEILING = 293  # the count on 2026-12-07; lower it as parameters get typed


def _any_typed_who() -> list[str]:
    import ast

    found = []
    for path in sorted(ROOT.joinpath("cadre").rglob("*.py")):
        if "/tests/" in path.as_posix() or "/migrations/" in path.as_posix():
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            for arg in args:
                if (
                    arg.arg in WHO
                    and isinstance(arg.annotation, ast.Name)
                    and arg.annotation.id == "Any"
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {arg.arg}")
    return found


def test_users_and_requests_typed_any_do_not_grow() -> None:
    found = _any_typed_who()
    assert len(found) <= ANY_TYPED_CEILING, (
        f"{len(found)} 个 user/request/by/actor 参数标注为 Any（上限 {ANY_TYPED_CEILING}）；"
        "新代码请标注 User、AnyUser 或 HttpRequest"
    )
