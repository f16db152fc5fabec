"""Contact data at rest: encrypted with the field key of the settings (Fernet, authenticated
AES), and a keyed digest for look-ups (is this phone already registered, how often was a code sent
to it) that never needs the clear text. A database dump without the key shows neither.

Who calls this: the talent models' contact properties and the registration services."""

from __future__ import annotations

import functools
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,24}$")
UNREADABLE = "［无法解密］"


@functools.cache
def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured("YUANQU_TALENT_FIELD_KEY must be 32 url-safe base64-encoded bytes") from exc


def encrypt(text: str) -> str:
    return _fernet(settings.TALENT_FIELD_KEY).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.TALENT_FIELD_KEY).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        return UNREADABLE


def digest(text: str) -> str:
    """A keyed digest of a normalised contact: equal contacts, equal digests; no way back."""
    key = settings.TALENT_FIELD_KEY.encode("ascii")
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def normalise_contact(raw: str) -> str | None:
    """A mainland mobile number (spaces and dashes dropped, +86 allowed) or an e-mail address in
    lower case; None when it is neither."""
    text = (raw or "").strip()
    compact = re.sub(r"[\s-]", "", text)
    compact = compact.removeprefix("+86")
    if PHONE_RE.match(compact):
        return compact
    if EMAIL_RE.match(text) and len(text) <= 254:
        return text.lower()
    return None


def mask_contact(contact: str) -> str:
    """138****5678, z***@example.com."""
    if PHONE_RE.match(contact):
        return f"{contact[:3]}****{contact[-4:]}"
    if "@" in contact:
        local, _, domain = contact.partition("@")
        return f"{local[:1]}***@{domain}"
    return "****"


def mask_name(name: str) -> str:
    """张** (the family name's first character and stars)."""
    return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else ""
