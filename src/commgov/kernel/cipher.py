"""Encryption at rest and keyed look-up hashes for personal data.

AES-256-GCM (from ``cryptography``) encrypts each value with a fresh 96-bit nonce; an HMAC-SHA256
of the normalised value, under a second key derived from the same secret, serves look-up and
de-duplication without storing the clear value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from commgov.errors import ConfigurationError

KEY_BYTES = 32
_NONCE = 12


def new_secret_key() -> str:
    """A fresh secret key as URL-safe base64 (what ``COMMGOV_SECRET_KEY`` expects)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def parse_secret_key(value: str | bytes) -> bytes:
    """Decode a 32-byte key given as raw bytes or URL-safe base64 text."""
    if isinstance(value, bytes) and len(value) == KEY_BYTES:
        return value
    try:
        raw = base64.urlsafe_b64decode(value)
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise ConfigurationError(
            "secret_key must be 32 bytes as URL-safe base64 (make one with `commgov keygen`)"
        )
    return raw


class Cipher:
    """Encrypts, decrypts and hashes personal values with keys derived from one secret."""

    def __init__(self, secret: bytes) -> None:
        enc_key = hmac.digest(secret, b"commgov/encrypt/v1", "sha256")
        self._mac_key = hmac.digest(secret, b"commgov/lookup/v1", "sha256")
        self._aead = AESGCM(enc_key)

    def encrypt(self, value: str) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, value.encode(), None)

    def decrypt(self, blob: bytes) -> str:
        try:
            return self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], None).decode()
        except InvalidTag:
            raise ConfigurationError(
                "stored personal data cannot be decrypted: the secret key differs from the one "
                "this store was created with"
            ) from None

    def lookup_hash(self, kind: str, value: str) -> bytes:
        return hmac.digest(self._mac_key, f"{kind}:{value}".encode(), hashlib.sha256)
