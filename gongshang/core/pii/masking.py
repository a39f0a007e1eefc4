"""Masking for lists and exports (PIPL 第五十一条: 采取加密、去标识化等安全技术措施)."""


def mask_id_number(value: str | None) -> str:
    """370202198803151237 → 370202********1237 (region kept, birth date hidden)."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(value: str | None) -> str:
    """13812345678 → 138****5678."""
    if not value:
        return ""
    value = str(value)
    if len(value) < 8:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_bank_account(value: str | None) -> str:
    """6222021234567890123 → 6222 **** **** 0123."""
    if not value:
        return ""
    digits = "".join(str(value).split())
    if len(digits) <= 8:
        return digits[:2] + "*" * (len(digits) - 2)
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_name(value: str | None) -> str:
    """张伟 → 张*; 欧阳娜娜 → 欧***."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


MASKERS = {
    "id_number": mask_id_number,
    "mobile": mask_mobile,
    "bank_account": mask_bank_account,
    "name": mask_name,
}
