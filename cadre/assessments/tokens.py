"""One-time anonymous tokens for ballots and survey links (TRUST.md AN-02, AN-07).

A token is 16 characters from an unambiguous alphabet (80 bits from `secrets`), printed on a
slip or sent as a link. Only a keyed hash is stored; the token itself is shown once when it is
issued and never written to the database, the audit log or a log file.
"""

import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: no 0/O, 1/I
LENGTH = 16
_SALT = "cadre.assessments.tokens"


def new_token() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalize(text: str) -> str:
    """Upper case, without separators and spaces."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:64]


def well_formed(text: str) -> bool:
    value = normalize(text)
    return len(value) == LENGTH and all(ch in ALPHABET for ch in value)


def token_hash(text: str) -> str:
    return salted_hmac(_SALT, normalize(text), algorithm="sha256").hexdigest()
