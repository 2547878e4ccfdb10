"""Application-level encryption of reporter contact details and evidence files.

Keys come from settings or the environment, never from the database (TRUST.md G-DP1):

    CADRE_CONTACT_KEY   Fernet key(s) for reporter identity and contact details
    CADRE_EVIDENCE_KEY  Fernet key(s) for report attachments
    CADRE_RECEIPT_KEY   HMAC key for receipt locators and submission keys

A value may list several comma-separated keys: the first encrypts, all decrypt (rotation).
Each ciphertext is prefixed with an algorithm id ("f1:") so that the cipher can be swapped
later (TRUST.md tension 6, SM4). Outside production a missing key is derived from
SECRET_KEY with a fixed label, so the demo runs without setup; production refuses.
"""

import base64
import hashlib
import hmac
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "f1:"


def _setting(name: str) -> str:
    value = getattr(settings, name, None) or os.environ.get(name, "")
    if value:
        return value
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured(f"production needs {name}")
    digest = hashlib.sha256(f"cadre-dev:{name}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _fernet(name: str) -> MultiFernet:
    keys = [k.strip() for k in _setting(name).split(",") if k.strip()]
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        msg = f"{name} must be Fernet keys (urlsafe base64, 32 bytes)"
        raise ImproperlyConfigured(msg) from exc


def encrypt(key_name: str, data: bytes) -> str:
    return PREFIX + _fernet(key_name).encrypt(data).decode()


def decrypt(key_name: str, token: str) -> bytes:
    if not token.startswith(PREFIX):
        raise ValueError("unknown ciphertext format")
    try:
        return _fernet(key_name).decrypt(token[len(PREFIX) :].encode())
    except InvalidToken as exc:
        raise ValueError("ciphertext does not decrypt with the configured keys") from exc


def keyed_hash(label: str, value: str) -> str:
    """HMAC-SHA256 under CADRE_RECEIPT_KEY: finds a row without storing the value."""
    key = _setting("CADRE_RECEIPT_KEY").split(",")[0].encode()
    return hmac.new(key, f"{label}:{value}".encode(), hashlib.sha256).hexdigest()
