"""How other apps add to the cadre page without the cadres app importing them.

An app may define `cadre/<app>/profile.py` with either or both of:

    def timeline_items(*, cadre, user) -> list[TimelineItem]     # career timeline entries
    def sections(*, cadre, user) -> list[Section]                # panels on the cadre page

Both must filter what they show through the scoping module for `user`. Found by module name
on purpose: a plug-in an app may or may not have (an app with nothing to add to the cadre
page is normal), not a required link between apps, so not a contract (cadre/core/contracts.py).
"""

from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps

from cadre.cadres.timeline import TimelineItem


@dataclass(frozen=True)
class Section:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _profile_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cadre.") or config.name == "cadre.cadres":
            continue
        try:
            modules.append(import_module(f"{config.name}.profile"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.profile":
                raise
    return modules


def timeline_items(*, cadre: Any, user: Any) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for module in _profile_modules():
        if hasattr(module, "timeline_items"):
            items += module.timeline_items(cadre=cadre, user=user)
    return items


def sections(*, cadre: Any, user: Any) -> list[Section]:
    found: list[Section] = []
    for module in _profile_modules():
        if hasattr(module, "sections"):
            found += module.sections(cadre=cadre, user=user)
    return found
