"""Errors and small helpers shared by the assessment services."""

from typing import Any

from cadre.assessments.rules import Violation
from cadre.cadres.services import ConflictError as RegistryConflict
from cadre.core.errors import Refused


class AssessmentError(Refused):
    """A refusal with a Chinese message naming the rule and its source; nothing is written."""

    @property
    def rule(self) -> str:
        return self.message

    @classmethod
    def of(cls, v: Violation) -> "AssessmentError":
        return cls(v.rule, v.source)


class ConflictError(RegistryConflict):
    """Someone else changed the record first (TRUST.md CC-01): the second action is refused."""


def refuse_if(violation: Violation | None) -> None:
    if violation is not None:
        raise AssessmentError.of(violation)


def clean_text(value: Any, label: str, *, max_len: int = 5000, required: bool = True) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        raise AssessmentError(f"请填写{label}")
    if len(text) > max_len:
        raise AssessmentError(f"{label}不能超过{max_len}个字符")
    return text
