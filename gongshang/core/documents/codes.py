"""Verification codes: 15 random Crockford base-32 characters (75 bits) and one check character.

Printed as four groups of four (e.g. K7QM-3XHV-9TPA-WR2C), typed case-insensitively; O is read
as 0 and I/L as 1, so the usual misreadings still match. The check character (Luhn mod 32)
catches every single-character typo and most swapped neighbours before any lookup. Codes are
never derived from ids or time (DESIGN: codes that grant access).
"""

from gongshang.core import codes as _codes

ALPHABET = _codes.ALPHABET
RANDOM_LENGTH = 15
CODE_LENGTH = RANDOM_LENGTH + 1
check_character = _codes.check_character
normalize = _codes.normalize


def new_code() -> str:
    """A fresh code in its stored form (16 characters, no separators)."""
    return _codes.new_code(RANDOM_LENGTH)


def is_well_formed(code: str) -> bool:
    return _codes.is_well_formed(code, random_length=RANDOM_LENGTH)


def display(code: str) -> str:
    """K7QM3XHV9TPAWR2C → K7QM-3XHV-9TPA-WR2C."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
