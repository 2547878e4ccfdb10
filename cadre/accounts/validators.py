from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Very long passwords are refused before any hashing (TRUST.md AU-07)."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > settings.PASSWORD_MAX_LENGTH:
            raise ValidationError(
                f"密码不能超过{settings.PASSWORD_MAX_LENGTH}个字符", code="password_too_long"
            )

    def get_help_text(self) -> str:
        return f"密码不能超过{settings.PASSWORD_MAX_LENGTH}个字符。"


# Words an attacker guesses first for this system (TRUST.md AU-07 "context word").
CONTEXT_WORDS = (
    "组织部",
    "干部",
    "纪委",
    "监委",
    "纪检",
    "党委",
    "政府",
    "cadre",
    "zuzhibu",
    "ganbu",
    "password",
)


class ContextWordValidator:
    """Refuses passwords built on the system's own vocabulary or the user's unit names."""

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        words = [*CONTEXT_WORDS, *self._unit_names(user)]
        for word in words:
            if word and len(word) >= 2 and word.lower() in lowered:
                raise ValidationError(
                    f"密码不能包含“{word}”等与本系统或本单位相关的常用词", code="context_word"
                )

    @staticmethod
    def _unit_names(user: Any) -> list[str]:
        if user is None or getattr(user, "pk", None) is None:
            return []
        return list(
            user.grants.values_list("org_unit__name", flat=True)  # names, not scope decisions
        )

    def get_help_text(self) -> str:
        return "密码不能包含“组织部”“干部”等与本系统或本单位相关的常用词。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's check with a Chinese message (its zh-hans catalogue lacks this one)."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短，至少需要{self.min_length}个字符", code="password_too_short"
            )

    def get_help_text(self) -> str:
        return f"密码至少需要{self.min_length}个字符。"
