"""Verification codes: 15 random Crockford base-32 characters (75 bits) and one check character.

Printed as four groups of four (e.g. K7QM-3XHV-9TPA-WR2C), typed case-insensitively; O is read
as 0 and I/L as 1, so the usual misreadings still match. The check character (Luhn mod 32)
catches every single-character typo and most swapped neighbours before any lookup. Codes are
never derived from ids or time (DESIGN: codes that grant access).
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 15
CODE_LENGTH = RANDOM_LENGTH + 1
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


def new_code() -> str:
    """A fresh code in its stored form (16 characters, no separators)."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return payload + check_character(payload)


def normalize(value) -> str:
    """What a person typed → the stored form; separators, spaces and case do not matter."""
    text = "".join(str(value or "").split()).replace("-", "").upper()
    return text.translate(_READS_AS)


def is_well_formed(code: str) -> bool:
    """Length, alphabet and check character of a normalized code."""
    if len(code) != CODE_LENGTH or any(ch not in _INDEX for ch in code):
        return False
    return _luhn_sum(code, start_factor=1) % len(ALPHABET) == 0


def display(code: str) -> str:
    """K7QM3XHV9TPAWR2C → K7QM-3XHV-9TPA-WR2C."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
