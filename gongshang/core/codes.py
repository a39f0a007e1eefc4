"""Codes people type: random Crockford base-32 characters plus one Luhn mod 32 check character.

Used for the 快报唯一标志码 (12 random characters, 60 bits) and document verification codes
(15 characters, 75 bits). Pure: no Django. Typed case-insensitively, with separators and spaces
ignored and O read as 0, I and L as 1. The check character catches every single wrong character
and almost every swap of two neighbours before any lookup. Never derived from ids or time
(DESIGN: codes that grant access).
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _luhn_sum(chars: str, *, start_factor: int) -> int:
    total, factor, base = 0, start_factor, len(ALPHABET)
    for ch in reversed(chars):
        addend = factor * _INDEX[ch]
        total += addend // base + addend % base
        factor = 1 if factor == 2 else 2
    return total


def check_character(payload: str) -> str:
    remainder = _luhn_sum(payload, start_factor=2) % len(ALPHABET)
    return ALPHABET[(len(ALPHABET) - remainder) % len(ALPHABET)]


def new_code(random_length: int) -> str:
    """`random_length` characters from the OS CSPRNG plus the check character, no separators."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(random_length))
    return payload + check_character(payload)


def normalize(value) -> str:
    """What a person typed → the compact form."""
    text = "".join(str(value or "").split()).replace("-", "").upper()
    return text.translate(_READS_AS)


def is_well_formed(code: str, *, random_length: int) -> bool:
    """Length, alphabet and check character of a normalized code."""
    if len(code) != random_length + 1 or any(ch not in _INDEX for ch in code):
        return False
    return _luhn_sum(code, start_factor=1) % len(ALPHABET) == 0
