"""Identifier checks: 身份证号, 统一社会信用代码, mainland mobile numbers.

Each `validate_*` returns the normalized value or raises django's ValidationError with a Chinese
message saying what to fix; callers turn it into FieldErrors or a form error.
"""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from gongshang.core import regions

MAX_AGE_YEARS = 120
_SEPARATORS = re.compile(r"[\s\-]")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # [0-9]: \d would admit full-width and other scripts' digits


def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()


def ascii_digits(text) -> bool:
    """True when `text` is one or more of 0-9 only. str.isdigit() also admits full-width (３),
    superscript (²) and other scripts' digits: int() refuses some of them (a 500) and a value kept
    with them is another string than the same number typed in ASCII."""
    return isinstance(text, str) and text.isascii() and text.isdigit()


def _halfwidth(value) -> str:
    """Full-width digits, letters and dashes typed with a Chinese input method, as ASCII (NFKC)."""
    return unicodedata.normalize("NFKC", str(value or ""))


def _compact_id(value) -> str:
    return _SEPARATORS.sub("", _halfwidth(value)).upper()


def _known_id_region(code: str) -> bool:
    """A current code, a current city prefix, or a historical code (abolished counties and
    prefectures still appear on valid cards, e.g. 372301 滨州市 1982-2000)."""
    if regions.is_valid_region(code) or regions.is_valid_region(code[:4] + "00"):
        return True
    try:
        info = {k: v for _, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    except Exception:  # the historical list is an aid, never a reason to fail
        return False
    return bool(info.get("county"))


def validate_id_number(value, *, today: date | None = None) -> str:
    """18-digit 居民身份证号码 (GB 11643): check digit, birth date, region. Returns it with an
    upper-case X."""
    number = _compact_id(value)
    if not number:
        raise ValidationError("请填写身份证号", code="required")
    if len(number) != 18:
        raise ValidationError(f"身份证号应为 18 位，您输入了 {len(number)} 位，请核对", code="length")
    if not ascii_digits(number[:17]) or not (ascii_digits(number[17]) or number[17] == "X"):
        raise ValidationError("身份证号前 17 位应为数字，最后一位为数字或 X", code="format")
    # calc_check_digit takes all 18 characters and ignores the last.
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError("身份证号校验位不正确，请核对最后一位", code="checksum")
    try:
        birth = birth_date_from_id(number)
    except ValueError as exc:
        raise ValidationError("身份证号中的出生日期（第 7-14 位）不是有效日期，请核对", code="birth_date") from exc
    today = today or _today()
    if birth > today:
        raise ValidationError("身份证号中的出生日期晚于今天，请核对第 7-14 位", code="birth_date")
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if age > MAX_AGE_YEARS:
        raise ValidationError(f"身份证号中的出生日期对应年龄超过 {MAX_AGE_YEARS} 岁，请核对第 7-14 位",
                              code="birth_date")
    if not _known_id_region(number[:6]):
        raise ValidationError("身份证号前 6 位不是有效的行政区划代码，请核对", code="region")
    return number


def birth_date_from_id(value) -> date:
    """The birth date in positions 7-14. Raises ValueError when it is not a date."""
    number = _compact_id(value)
    if len(number) != 18 or not ascii_digits(number[6:14]):
        raise ValueError("not an 18-digit ID number")
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_from_id(value) -> str:
    """"male" when the 17th digit is odd, "female" when even (GB 11643 顺序码)."""
    number = _compact_id(value)
    if len(number) != 18 or not ascii_digits(number[16]):
        raise ValueError("not an 18-digit ID number")
    return "male" if int(number[16]) % 2 else "female"


def validate_uscc(value) -> str:
    """统一社会信用代码 (GB 32100): 18 characters with a check character. Returns it upper-case."""
    text = _halfwidth(value).strip()
    if not text:
        raise ValidationError("请填写统一社会信用代码", code="required")
    try:
        return uscc.validate(text)
    except InvalidLength as exc:
        n = len(uscc.compact(text))
        raise ValidationError(f"统一社会信用代码应为 18 位，您输入了 {n} 位，请核对营业执照", code="length") from exc
    except InvalidChecksum as exc:
        raise ValidationError("统一社会信用代码校验位不正确，请核对最后一位", code="checksum") from exc
    except InvalidFormat as exc:
        raise ValidationError("统一社会信用代码格式不正确：前 8 位应为数字，其余为数字或大写字母（不含 I、O、Z、S、V），"
                              "请对照营业执照填写", code="format") from exc
    except StdnumError as exc:
        raise ValidationError("统一社会信用代码不正确，请对照营业执照填写", code="invalid") from exc


def validate_mobile(value) -> str:
    """Mainland mobile number, 11 digits starting 13-19; spaces, dashes and +86 are removed."""
    text = _SEPARATORS.sub("", _halfwidth(value))
    if not text:
        raise ValidationError("请填写手机号", code="required")
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    else:
        if len(text) == 13 and text.startswith("86"):
            text = text[2:]
    if not _MOBILE.match(text):
        raise ValidationError("手机号应为 11 位数字、以 13-19 开头，请核对", code="format")
    return text


def is_valid_id_number(value) -> bool:
    """Valid as it stands (callers keep the value they checked): full-width or other non-ASCII
    characters, which validate_id_number turns into ASCII, make it False here."""
    if not str(value or "").isascii():
        return False
    try:
        validate_id_number(value)
    except ValidationError:
        return False
    return True


def is_valid_uscc(value) -> bool:
    """Valid as it stands (callers keep the value they checked): full-width or other non-ASCII
    characters, which validate_uscc turns into ASCII, make it False here."""
    if not str(value or "").isascii():
        return False
    try:
        validate_uscc(value)
    except ValidationError:
        return False
    return True


def is_valid_mobile(value) -> bool:
    """Valid as it stands (callers keep the value they checked): full-width or other non-ASCII
    characters, which validate_mobile turns into ASCII, make it False here."""
    if not str(value or "").isascii():
        return False
    try:
        validate_mobile(value)
    except ValidationError:
        return False
    return True
