from datetime import date

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc

from gongshang.core.validators import (
    birth_date_from_id,
    gender_from_id,
    is_valid_id_number,
    is_valid_mobile,
    is_valid_uscc,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)

TODAY = date(2026, 11, 23)


def make_id(region="370202", birth="19900101", seq="001") -> str:
    body = region + birth + seq
    return body + ric.calc_check_digit(body + "0")


def make_uscc(body="91370200MA3C1234") -> str:
    body = body + "5"  # 17 characters
    return body + uscc.calc_check_digit(body)


def messages_of(exc_info) -> str:
    return "；".join(exc_info.value.messages)


class TestIdNumber:
    def test_valid_number_is_returned_normalized(self):
        number = make_id()
        assert validate_id_number(f" {number} ", today=TODAY) == number

    def test_lower_case_x_is_upper_cased(self):
        # Find a sequence number whose check digit is X.
        for seq in range(1000):
            number = make_id(seq=f"{seq:03d}")
            if number.endswith("X"):
                break
        assert validate_id_number(number.lower(), today=TODAY) == number

    def test_wrong_check_digit(self):
        number = make_id()
        wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
        with pytest.raises(ValidationError) as exc:
            validate_id_number(wrong, today=TODAY)
        assert "校验位不正确" in messages_of(exc)
        assert "最后一位" in messages_of(exc)

    @pytest.mark.parametrize("value", ["", "12345", "3702021990010100151"])
    def test_wrong_length(self, value):
        with pytest.raises(ValidationError):
            validate_id_number(value, today=TODAY)

    def test_letters_inside(self):
        with pytest.raises(ValidationError) as exc:
            validate_id_number("37020219900101A015", today=TODAY)
        assert "数字" in messages_of(exc)

    def test_impossible_birth_date(self):
        with pytest.raises(ValidationError) as exc:
            validate_id_number(make_id(birth="19900230"), today=TODAY)
        assert "出生日期" in messages_of(exc)

    def test_future_birth_date(self):
        with pytest.raises(ValidationError) as exc:
            validate_id_number(make_id(birth="20270101"), today=TODAY)
        assert "晚于今天" in messages_of(exc)

    def test_older_than_120(self):
        with pytest.raises(ValidationError) as exc:
            validate_id_number(make_id(birth="19000101"), today=TODAY)
        assert "120" in messages_of(exc)
        assert validate_id_number(make_id(birth="19070101"), today=TODAY)

    def test_unknown_region(self):
        with pytest.raises(ValidationError) as exc:
            validate_id_number(make_id(region="990101"), today=TODAY)
        assert "行政区划" in messages_of(exc)

    def test_abolished_county_with_known_city_is_accepted(self):
        # 370284 胶南市 was merged into 黄岛区 in 2012; cards issued before remain valid.
        assert validate_id_number(make_id(region="370284"), today=TODAY)

    def test_abolished_prefecture_is_accepted(self):
        # 372301: 惠民地区/滨州市 (1982-2000), no longer in GB/T 2260.
        assert validate_id_number(make_id(region="372301"), today=TODAY)

    def test_province_only_prefix_with_unknown_rest_is_refused(self):
        with pytest.raises(ValidationError):
            validate_id_number(make_id(region="379999"), today=TODAY)

    def test_birth_date_and_gender(self):
        assert birth_date_from_id(make_id(birth="19851231")) == date(1985, 12, 31)
        assert gender_from_id(make_id(seq="001")) == "male"
        assert gender_from_id(make_id(seq="002")) == "female"

    def test_bool_helper(self):
        assert is_valid_id_number(make_id())
        assert not is_valid_id_number("123")


class TestUscc:
    def test_valid(self):
        code = make_uscc()
        assert validate_uscc(code.lower()) == code
        assert is_valid_uscc(code)

    def test_wrong_check_character(self):
        code = make_uscc()
        wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
        with pytest.raises(ValidationError) as exc:
            validate_uscc(wrong)
        assert "校验位不正确" in messages_of(exc)

    def test_wrong_length(self):
        with pytest.raises(ValidationError) as exc:
            validate_uscc("9137020012345")
        assert "18 位" in messages_of(exc)

    def test_forbidden_letters(self):
        with pytest.raises(ValidationError) as exc:
            validate_uscc("91370200MA3C1234IO")
        assert "格式不正确" in messages_of(exc)

    def test_empty(self):
        with pytest.raises(ValidationError) as exc:
            validate_uscc("  ")
        assert "请填写" in messages_of(exc)


class TestMobile:
    @pytest.mark.parametrize("value", ["13812345678", "138 1234 5678", "+8613812345678", "+86 138-1234-5678",
                                       "008613812345678", "8613812345678"])
    def test_accepted_and_normalized(self, value):
        assert validate_mobile(value) == "13812345678"

    @pytest.mark.parametrize("value", ["12812345678", "1381234567", "138123456789", "0532-12345678", "abc"])
    def test_refused(self, value):
        with pytest.raises(ValidationError) as exc:
            validate_mobile(value)
        assert "手机号" in messages_of(exc)
        assert not is_valid_mobile(value)


def test_ascii_digits_admits_only_0_to_9():
    from gongshang.core.validators import ascii_digits

    assert ascii_digits("0123456789")
    for text in ("", "12a", "３７", "²", "١٢", "1 2", None, 12):
        assert not ascii_digits(text)


def test_full_width_input_is_kept_in_ascii():
    """A Chinese input method types ３７０２… and Ｘ: the validated value is the ASCII one, so its
    blind index and its checks are those of the same number typed in ASCII."""
    from gongshang.core.validators import (
        is_valid_id_number,
        is_valid_mobile,
        validate_id_number,
        validate_mobile,
    )

    assert validate_id_number("３７０２０２１９８８０３１５１２３７") == "370202198803151237"
    assert validate_mobile("１３９００００００01") == "13900000001"
    assert not is_valid_id_number("３７０２０２１９８８０３１５１２３７")  # callers keep what they checked
    assert not is_valid_mobile("１３９００００００01") and is_valid_mobile("13900000001")


def test_other_scripts_digits_are_not_a_mobile():
    import pytest as _pytest
    from django.core.exceptions import ValidationError

    from gongshang.core.validators import validate_mobile

    with _pytest.raises(ValidationError):
        validate_mobile("1٣٩٠٠٠٠٠٠٠١")  # Arabic-Indic digits: NFKC keeps them, [0-9] refuses them
