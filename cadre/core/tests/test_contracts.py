"""Issue 14: links between apps are declared contracts, checked at start-up (core.E010–E012)."""

from collections.abc import Iterator, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any, Protocol

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from cadre.core import contracts


class Ages(Protocol):
    def __call__(self, cadre_ids: Sequence[int], on: date) -> dict[int, int]: ...


class Tally(Protocol):
    def count(self, cadre_ids: Sequence[int], year: int) -> dict[int, int]: ...

    def yearly_requirement(self) -> int: ...


def ages(cadre_ids: Sequence[int], on: date) -> dict[int, int]:
    return dict.fromkeys(cadre_ids, 40)


@pytest.fixture
def declared() -> Iterator[None]:
    """Two test contracts, gone again afterwards (the registry is process-wide)."""
    contracts.declare("tests.ages", Ages, consumer="tests", doc="测试：年龄")
    contracts.declare("tests.tally", Tally, consumer="tests", required=False, doc="测试：计数")
    yield
    for name in ("tests.ages", "tests.tally"):
        contracts.withdraw(name)
        contracts._DECLARED.pop(name, None)


def ids(errors: list[Any]) -> list[tuple[str, str]]:
    return [(e.id, e.obj) for e in errors]


def errors_for(*names: str) -> list[Any]:
    """The check's errors about these contracts only (others may be mid-change elsewhere)."""
    return [e for e in contracts.check_contracts() if e.obj in names]


def test_every_required_contract_of_the_installed_apps_has_a_matching_provider() -> None:
    assert contracts.check_contracts() == []
    assert {
        "worklogs.task_progress",
        "worklogs.inspection_findings",
        "assessments.under_investigation",
    } <= set(contracts.providers())


def test_the_check_fails_at_start_up_when_a_provider_is_missing(db: Any) -> None:
    # given the targets app no longer provides task progress
    provided = contracts.withdraw("worklogs.task_progress")
    assert provided is not None
    assert provided.provider == "targets"
    try:
        errors = errors_for("worklogs.task_progress")
        assert ids(errors) == [("core.E010", "worklogs.task_progress")]
        assert "没有提供方" in errors[0].msg
        with pytest.raises(SystemCheckError, match=r"core\.E010"):
            call_command("check")
        with pytest.raises(contracts.ContractError, match="没有应用提供接口"):
            contracts.get("worklogs.task_progress")
    finally:
        contracts.provide(
            "worklogs.task_progress", provided.implementation, provider=provided.provider
        )
    assert errors_for("worklogs.task_progress") == []


def test_a_provider_that_does_not_match_the_declared_callables_is_refused(declared: None) -> None:
    def wrong_order(on: date, cadre_ids: Sequence[int]) -> dict[int, int]:
        return {}

    def extra_required(cadre_ids: Sequence[int], on: date, unit: int) -> dict[int, int]:
        return {}

    def extra_with_default(cadre_ids: Sequence[int], on: date, unit: int = 0) -> dict[int, int]:
        return {}

    for bad, problem in (
        (wrong_order, "第1个参数应为 cadre_ids"),
        (extra_required, "多出必填参数 unit"),
        (42, "缺少可调用对象"),
    ):
        with contracts.replaced("tests.ages", bad):
            [error] = errors_for("tests.ages", "tests.tally")
            assert (error.id, error.obj) == ("core.E011", "tests.ages")
            assert problem in error.msg
    with contracts.replaced("tests.ages", extra_with_default):
        assert errors_for("tests.ages", "tests.tally") == []


def test_a_protocol_with_named_methods_is_provided_by_an_object_having_them(declared: None) -> None:
    contracts.provide("tests.ages", ages, provider="tests")
    half = SimpleNamespace(count=lambda cadre_ids, year: {})
    with contracts.replaced("tests.tally", half):
        assert "缺少方法 yearly_requirement" in errors_for("tests.tally")[0].msg
    whole = SimpleNamespace(count=lambda cadre_ids, year: {1: 2}, yearly_requirement=lambda: 1)
    with contracts.replaced("tests.tally", whole):
        assert errors_for("tests.ages", "tests.tally") == []
        assert contracts.get("tests.tally").count([1], 2026) == {1: 2}


def test_an_optional_contract_may_be_missing(declared: None) -> None:
    contracts.provide("tests.ages", ages, provider="tests")
    assert errors_for("tests.ages", "tests.tally") == []
    assert contracts.optional("tests.tally") is None
    with pytest.raises(contracts.ContractError):
        contracts.get("tests.tally")


def test_providing_an_undeclared_contract_is_an_error() -> None:
    with contracts.replaced("worklogs.task_progres", ages):  # a typo
        assert ids(errors_for("worklogs.task_progres")) == [("core.E012", "worklogs.task_progres")]
    with pytest.raises(contracts.ContractError, match="未声明"):
        contracts.get("worklogs.task_progres")


def test_two_apps_cannot_provide_the_same_contract() -> None:
    with pytest.raises(ValueError, match="already provided by targets"):
        contracts.provide("worklogs.task_progress", ages, provider="supervision")
