"""The working-day deadlines other apps store, declared so that a confirmed year can move them.

An app that stores a deadline computed with `services.due_after` gives the model a boolean
field `<due>_provisional` next to it and registers a DeadlineSpec in its AppConfig.ready().
A system check (checks.py) refuses to start when a declared model or field does not exist.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db.models import Model, Q


@dataclass(frozen=True)
class DeadlineSpec:
    model: str  # "app_label.ModelName"
    due: str  # the date field; its flag is `<due>_provisional`
    start: str  # lookup of the day the count starts from (not counted itself)
    label: str  # shown to staff and in notifications: "函询回复期限"
    open: Callable[[], Q] = field(default=Q)  # rows whose deadline is still to be met
    notify: tuple[str, ...] = ()  # lookups giving the ids of the users to tell
    link: str = ""  # URL name taking the object's pk

    @property
    def flag(self) -> str:
        return f"{self.due}_provisional"

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def touching(self, first: date, last: date) -> Q:
        """Rows whose counted span (start, due] meets [first, last]."""
        return Q(**{f"{self.due}__gte": first, f"{self.start}__lt": last}) & self.open()


_REGISTRY: dict[tuple[str, str], DeadlineSpec] = {}


def register(spec: DeadlineSpec) -> None:
    _REGISTRY[(spec.model.lower(), spec.due)] = spec


def registered() -> list[DeadlineSpec]:
    return list(_REGISTRY.values())
