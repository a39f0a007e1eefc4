"""Money: Decimal yuan, rounded once to the fen, half-up (RULES.md: "rounded to the fen, half-up,
once per item"). Floats are refused: they cannot represent fen exactly."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")


def to_fen(value) -> Decimal:
    """Round a Decimal, int or numeric string to the fen, half-up. Floats raise TypeError."""
    if isinstance(value, float):
        raise TypeError("金额不能使用浮点数，请使用 Decimal 或字符串")
    if isinstance(value, bool):
        raise TypeError("金额不能是布尔值")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"无法识别的金额：{value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"无法识别的金额：{value!r}")
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def fen_str(value) -> str:
    """The amount as a string with exactly two decimals, e.g. '1083760.00' (API bodies)."""
    return format(to_fen(value), "f")
