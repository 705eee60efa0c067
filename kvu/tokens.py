"""Personal links' tokens: 256 bits from `secrets`, of which only the SHA-256 is ever stored.

One rule for every link sent by e-mail (signing, team invitation, survey), so they cannot drift.
"""

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()
