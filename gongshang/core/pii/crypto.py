"""Field encryption (Fernet: AES-128-CBC + HMAC-SHA256) and a keyed blind index for exact lookup.

Keys come from settings (the environment in production), never from the database. The first
key encrypts; every key decrypts, so keys can be rotated by prepending a new one.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("未配置个人信息加密密钥 PII_ENCRYPTION_KEYS")
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.PII_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return PREFIX + _current().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(ciphertext: str) -> str:
    if not ciphertext.startswith(PREFIX):
        raise ValueError("不是加密的个人信息字段值")
    try:
        return _current().decrypt(ciphertext[len(PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("个人信息解密失败：密钥不匹配") from exc


def normalize(value: str) -> str:
    """ID numbers end in 'X' or 'x'; mobiles may carry spaces: compare a canonical form."""
    return "".join(str(value).split()).upper()


def blind_index(value: str | None) -> str | None:
    """HMAC-SHA256 of the normalized value: equal inputs give equal indexes, nothing else leaks."""
    if value is None or str(value).strip() == "":
        return None
    key = settings.PII_INDEX_KEY
    if not key:
        raise ImproperlyConfigured("未配置个人信息索引密钥 PII_INDEX_KEY")
    return hmac.new(key.encode(), normalize(value).encode(), hashlib.sha256).hexdigest()
