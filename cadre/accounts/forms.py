from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.validators import MaxLengthValidator

MAX = settings.PASSWORD_MAX_LENGTH
TOO_LONG = f"密码不能超过{MAX}个字符"


class LoginForm(forms.Form):
    # max_length is checked by the form before authenticate() runs: a 100 KB password is
    # refused without ever reaching the hasher (TRUST.md AU-07).
    username = forms.CharField(label="账号", max_length=150)
    password = forms.CharField(
        label="密码",
        widget=forms.PasswordInput,
        max_length=MAX,
        strip=False,
        error_messages={"max_length": TOO_LONG},
    )
    error_messages: dict[str, Any] = {"invalid": "账号或密码错误"}


class OTPForm(forms.Form):
    token = forms.RegexField(
        label="动态验证码",
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={
            "invalid": "请输入6位数字动态验证码",
            "required": "请输入动态验证码",
            "max_length": "请输入6位数字动态验证码",
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form, with every password field capped before any hashing."""

    error_messages = {
        **DjangoPasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确",
        "password_mismatch": "两次输入的新密码不一致",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": "原密码",
            "new_password1": "新密码",
            "new_password2": "确认新密码",
        }
        for name, label in labels.items():
            field = self.fields[name]
            assert isinstance(field, forms.CharField)  # Django's password fields
            field.label = label
            field.max_length = MAX
            field.widget.attrs["maxlength"] = str(MAX)
            field.validators.append(MaxLengthValidator(MAX))
            field.error_messages["max_length"] = TOO_LONG
            field.error_messages["required"] = f"请填写{label}"
