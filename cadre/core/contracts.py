"""Explicit, checked links between apps (issue 14; docs/architecture.md lists them all).

A consumer app says what it needs from other apps as a named contract: a `typing.Protocol`
whose methods are the callables it will call, and whether the system can run without it.
A provider app registers its implementation in its `AppConfig.ready()`; the consumer calls
`contracts.get(name)`. Nothing is looked up by module name at run time, so nothing can go
missing silently: a system check fails at start-up (`manage.py check`, `runserver`,
`migrate`, and `config/wsgi.py` through `verify()`) when

* core.E010 — a required contract has no provider;
* core.E011 — a provider does not match the declared callables (a method missing, or its
  parameters differ in name, order or kind; a provider may add parameters with defaults);
* core.E012 — an app provides a contract that nobody declared (a typo, or a stale link).

Consumer, in a module its `AppConfig.ready()` imports (so the declaration exists before the
checks run)::

    class TaskProgress(Protocol):
        def __call__(self, cadre_ids: Sequence[int], start: date, end: date
                     ) -> Mapping[int, Decimal]: ...

    contracts.declare("worklogs.task_progress", TaskProgress, consumer="worklogs",
                      doc="任务进展（0–100）")
    ...
    progress = contracts.get("worklogs.task_progress")(ids, start, end)

A protocol with only `__call__` is provided by a plain function; a protocol with named
methods by any object that has them (a module, a class, a `SimpleNamespace`).

Provider, in its `AppConfig.ready()`::

    contracts.provide("worklogs.task_progress", progress.progress_by_cadre, provider="targets")

An optional contract (`required=False`) is read with `contracts.optional(name)`, which
answers None while no app provides it; the consumer then leaves the item out rather than
showing a placeholder.

Not contracts, on purpose: `cadre.cadres.extensions` (each app's optional `profile.py`),
`cadre.core.rulebook.discover_rules` (each app's optional `rules.py`) and the `generate`
command's per-app modules are plug-in discovery, where an app without the module is normal.
"""

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


class ContractError(LookupError):
    """A contract is read that is not declared, or (required) has no provider."""


@dataclass(frozen=True)
class Contract:
    name: str
    protocol: type
    consumer: str  # app label(s) that call it
    required: bool = True
    doc: str = ""

    @property
    def methods(self) -> tuple[str, ...]:
        return _methods(self.protocol)


@dataclass(frozen=True)
class Provided:
    implementation: Any
    provider: str  # app label


_DECLARED: dict[str, Contract] = {}
_PROVIDED: dict[str, Provided] = {}


def declare(
    name: str, protocol: type, *, consumer: str, required: bool = True, doc: str = ""
) -> Contract:
    """Declares a contract (once per name; declaring the same protocol again is a no-op)."""
    if not _methods(protocol):
        raise TypeError(f"contract {name}: {protocol.__name__} declares no callables")
    contract = Contract(name, protocol, consumer, required, doc)
    known = _DECLARED.get(name)
    if known is not None and known.protocol is not protocol:
        raise ValueError(f"contract {name} is already declared by {known.consumer}")
    _DECLARED[name] = contract
    return contract


def provide(name: str, implementation: Any, *, provider: str) -> None:
    """Registers `provider`'s implementation of `name` (call it from AppConfig.ready())."""
    known = _PROVIDED.get(name)
    if known is not None and known.provider != provider:
        raise ValueError(f"contract {name} is already provided by {known.provider}")
    _PROVIDED[name] = Provided(implementation, provider)


def withdraw(name: str) -> Provided | None:
    """Removes the provider of `name` and returns it (tests put it back with `provide`)."""
    return _PROVIDED.pop(name, None)


@contextmanager
def replaced(name: str, implementation: Any | None, *, provider: str = "tests") -> Iterator[None]:
    """For tests: `name` provided by `implementation` (None: by nobody) inside the block,
    the real provider restored afterwards."""
    before = withdraw(name)
    if implementation is not None:
        provide(name, implementation, provider=provider)
    try:
        yield
    finally:
        withdraw(name)
        if before is not None:
            _PROVIDED[name] = before


def get(name: str) -> Any:
    """The implementation of a declared contract; raises ContractError when nobody provides
    it (which the start-up check already refuses for a required contract)."""
    found = optional(name)
    if found is None:
        raise ContractError(f"没有应用提供接口 {name}（由 {_DECLARED[name].consumer} 声明）")
    return found


def optional(name: str) -> Any | None:
    """The implementation, or None while no app provides this (optional) contract."""
    if name not in _DECLARED:
        raise ContractError(f"接口 {name} 未声明")
    provided = _PROVIDED.get(name)
    return None if provided is None else provided.implementation


def declared() -> dict[str, Contract]:
    return dict(_DECLARED)


def providers() -> dict[str, Provided]:
    return dict(_PROVIDED)


# ---- the start-up check -------------------------------------------------------------------


def check_contracts(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for name, contract in sorted(_DECLARED.items()):
        provided = _PROVIDED.get(name)
        if provided is None:
            if contract.required:
                errors.append(
                    checks.Error(
                        f"接口 {name}（{contract.doc or contract.protocol.__name__}）没有提供方；"
                        f"{contract.consumer} 依赖它",
                        hint="在提供数据的应用的 AppConfig.ready() 中调用 "
                        f"contracts.provide({name!r}, ...)（见 docs/architecture.md）",
                        obj=name,
                        id="core.E010",
                    )
                )
            continue
        for problem in mismatches(contract, provided.implementation):
            errors.append(
                checks.Error(
                    f"{provided.provider} 提供的接口 {name} 与声明不符：{problem}",
                    hint=f"按 {contract.protocol.__module__}.{contract.protocol.__qualname__} "
                    "的参数名称、顺序和种类实现",
                    obj=name,
                    id="core.E011",
                )
            )
    for name, provided in sorted(_PROVIDED.items()):
        if name not in _DECLARED:
            errors.append(
                checks.Error(
                    f"{provided.provider} 提供了未声明的接口 {name}",
                    hint="检查接口名称是否拼写错误，或声明方是否已删除该接口",
                    obj=name,
                    id="core.E012",
                )
            )
    return errors


def verify() -> None:
    """Raises ImproperlyConfigured when the contract check finds errors (for servers that do
    not run Django's checks themselves, e.g. WSGI)."""
    errors = check_contracts()
    if errors:
        raise ImproperlyConfigured("\n".join(f"{e.id}: {e.msg}" for e in errors))


def mismatches(contract: Contract, implementation: Any) -> list[str]:
    """What in `implementation` does not fit the contract's protocol ([] when it fits)."""
    problems = []
    for method in contract.methods:
        target = implementation if method == "__call__" else getattr(implementation, method, None)
        label = "可调用对象" if method == "__call__" else f"方法 {method}"
        if target is None or not callable(target):
            problems.append(f"缺少{label}")
            continue
        expected = _parameters(getattr(contract.protocol, method), drop_self=True)
        try:
            actual = _parameters(target, drop_self=False)
        except (TypeError, ValueError):
            problems.append(f"{label}的参数无法读取")
            continue
        problem = _compare(expected, actual)
        if problem:
            problems.append(f"{label}{problem}")
    return problems


def _methods(protocol: type) -> tuple[str, ...]:
    names = []
    for klass in reversed(protocol.__mro__):
        if klass is object or klass.__module__ == "typing":
            continue
        for name, value in vars(klass).items():
            if callable(value) and (name == "__call__" or not name.startswith("_")):
                names.append(name)
    return tuple(dict.fromkeys(names))


def _parameters(fn: Any, *, drop_self: bool) -> list[inspect.Parameter]:
    params = list(inspect.signature(fn).parameters.values())
    return params[1:] if drop_self else params


_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_VARIADIC = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def _compare(expected: list[inspect.Parameter], actual: list[inspect.Parameter]) -> str:
    positional = [p for p in actual if p.kind in _POSITIONAL]
    by_name = {p.name: p for p in actual}
    used: set[str] = set()
    for i, want in enumerate(expected):
        if want.kind in _POSITIONAL:
            if i >= len(positional) or positional[i].name != want.name:
                got = positional[i].name if i < len(positional) else "无"
                return f"的第{i + 1}个参数应为 {want.name}（实际为 {got}）"
            used.add(want.name)
        elif want.kind == inspect.Parameter.KEYWORD_ONLY:
            have = by_name.get(want.name)
            if have is None or have.kind not in (
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                inspect.Parameter.KEYWORD_ONLY,
            ):
                return f"缺少关键字参数 {want.name}"
            used.add(want.name)
    extra = [
        p.name
        for p in actual
        if p.name not in used and p.kind not in _VARIADIC and p.default is inspect.Parameter.empty
    ]
    if extra:
        return f"多出必填参数 {'、'.join(extra)}"
    return ""
