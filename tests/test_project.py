"""The project's own files agree with each other: dependencies, design references."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _names(lines: list[str]) -> set[str]:
    return {re.split(r"[<>=\[;\s]", line.strip(), maxsplit=1)[0].lower()
            for line in lines if line.strip() and not line.lstrip().startswith(("#", "-"))}


def test_pyproject_lists_every_direct_dependency_of_the_lock() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    direct = (ROOT / "requirements.in").read_text().splitlines()
    assert _names(declared) == _names(direct)
    locked = {line.split("==")[0].lower() for line in
              (ROOT / "requirements.lock").read_text().splitlines() if "==" in line}
    assert _names(direct) <= locked


def test_design_documents_cited_in_the_code_are_in_the_repository() -> None:
    cited = set()
    for path in [*ROOT.joinpath("cadre").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")]:
        cited |= set(re.findall(r"\b(DESIGN|DOMAIN|TRUST|STYLE)\.md\b", path.read_text()))
    assert cited
    missing = [name for name in sorted(cited) if not (ROOT / "docs/design" / f"{name}.md").exists()]
    assert not missing, f"docs/design/ 缺少被代码引用的设计文档：{missing}"
