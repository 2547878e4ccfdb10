from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Very long passwords are refused before any hashing (TRUST.md AU-07)."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > settings.PASSWORD_MAX_LENGTH:
            raise ValidationError(f"密码不能超过{settings.PASSWORD_MAX_LENGTH}个字符")

    def get_help_text(self) -> str:
        return f"密码不能超过{settings.PASSWORD_MAX_LENGTH}个字符。"
