"""Types shared by every app: who can be asking (a signed-in user or an anonymous visitor)."""

from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

AnyUser: TypeAlias = AbstractBaseUser | AnonymousUser
