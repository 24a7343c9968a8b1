"""Operator authentication: argon2id password hashes (argon2-cffi; older scrypt hashes still verify and
are upgraded at the next log-in), the signed expiring console cookie, CSRF tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from bot.store.accounts import ADMIN, VIEWER, OperatorAccount

# argon2id with argon2-cffi's defaults (RFC 9106's second recommended profile: 64 MiB, 3 passes, 4
# lanes), above OWASP's minimum. The scrypt parameters are those of hashes written before argon2.
PASSWORD_HASHER: Final = PasswordHasher()
SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
SALT_BYTES: Final = 16
KEY_BYTES: Final = 32
MIN_PASSWORD_CHARS: Final = 12
DEFAULT_SESSION_HOURS: Final = 8.0
_SCHEME: Final = "scrypt"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def check_password_strength(password: str) -> None:
    """Raise ValueError for a password too short to protect immigration data."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"a password has at least {MIN_PASSWORD_CHARS} characters")


def hash_password(password: str) -> str:
    """A salted argon2id hash of ``password`` (PHC string format, ``$argon2id$v=19$m=…``)."""
    return PASSWORD_HASHER.hash(password)


def scrypt_hash(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """A salted scrypt hash, written ``scrypt$n$r$p$salt$key`` (base64url): the format of hashes
    stored before argon2, still verified (tests build such hashes with it)."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=2**26)
    return f"{_SCHEME}${n}${r}${p}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches the hash, argon2 or scrypt (constant-time); False for any
    malformed hash."""
    if encoded.startswith("$argon2"):
        try:
            return PASSWORD_HASHER.verify(encoded, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    try:
        scheme, n, r, p, salt, key = encoded.split("$")
        if scheme != _SCHEME:
            return False
        expected = _unb64(key)
        actual = hashlib.scrypt(
            password.encode(),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=2**26,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(encoded: str) -> bool:
    """True for a hash to replace at the next successful log-in: scrypt, or argon2 with parameters
    weaker than today's."""
    if not encoded.startswith("$argon2"):
        return True
    try:
        return PASSWORD_HASHER.check_needs_rehash(encoded)
    except (InvalidHashError, ValueError):
        return True


# A hash to check against when the name is unknown, so that the answer takes as long either way.
_DUMMY_HASH: Final = hash_password(secrets.token_urlsafe(16))


def authenticate(account: OperatorAccount | None, password: str) -> bool:
    """True only for an active account whose password matches (an unknown name costs the same
    hash check)."""
    matches = verify_password(password, account.password_hash if account else _DUMMY_HASH)
    return matches and account is not None and account.active


def new_token() -> str:
    """A random token (CSRF tokens, cookie nonces)."""
    return secrets.token_urlsafe(32)


def same_token(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a submitted token with the expected one."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


@dataclass(frozen=True)
class ConsoleSession:
    """What the console cookie carries: who is logged in, since when, their CSRF token and the
    server-side session's random id (``sid``); the console adds the account's role, language and
    employer once the server has checked the session."""

    operator: str
    csrf: str
    issued_at: float  # POSIX seconds
    sid: str = ""
    role: str = VIEWER
    lang: str = "en"
    employer: str | None = None

    @property
    def is_admin(self) -> bool:
        """True for an administrator."""
        return self.role == ADMIN

    def still_valid_for(self, account: OperatorAccount | None) -> bool:
        """False once the account is gone, disabled, or its password changed after login."""
        return (
            account is not None
            and account.active
            and account.name == self.operator
            and account.password_changed_at.timestamp() <= self.issued_at
        )


class CookieCodec:
    """Signs and checks the console cookie (itsdangerous, HMAC-SHA1 over a timestamped payload)."""

    def __init__(self, secret_key: str, *, max_age_seconds: float, salt: str = "guichet.console") -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt=salt)
        self.max_age_seconds = max_age_seconds

    def dump(self, session: ConsoleSession) -> str:
        """The cookie value for ``session``."""
        payload = {"op": session.operator, "csrf": session.csrf, "iat": session.issued_at, "sid": session.sid}
        return str(self._serializer.dumps(payload))

    def load(self, value: str | None, now: datetime) -> ConsoleSession | None:
        """The session in a cookie value, or None when absent, forged, malformed or expired at ``now``."""
        if not value:
            return None
        try:
            payload = self._serializer.loads(value)
        except (BadSignature, SignatureExpired):
            return None
        if not isinstance(payload, dict):
            return None
        operator, csrf, issued_at = payload.get("op"), payload.get("csrf"), payload.get("iat")
        sid = payload.get("sid", "")
        if (
            not isinstance(operator, str)
            or not isinstance(csrf, str)
            or not isinstance(issued_at, int | float)
            or not isinstance(sid, str)
        ):
            return None
        age = now.timestamp() - float(issued_at)
        if age < -60 or age > self.max_age_seconds:  # a minute of clock skew at most
            return None
        return ConsoleSession(operator=operator, csrf=csrf, issued_at=float(issued_at), sid=sid)
