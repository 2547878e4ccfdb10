from typing import Any

from django import forms
from django.conf import settings


class LoginForm(forms.Form):
    username = forms.CharField(label="账号", max_length=150)
    password = forms.CharField(
        label="密码", widget=forms.PasswordInput, max_length=settings.PASSWORD_MAX_LENGTH,
        strip=False,
    )
    error_messages: dict[str, Any] = {"invalid": "账号或密码错误"}


class OTPForm(forms.Form):
    token = forms.RegexField(
        label="动态验证码", regex=r"^\d{6}$", max_length=6,
        error_messages={"invalid": "请输入6位数字动态验证码"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
