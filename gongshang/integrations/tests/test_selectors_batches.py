"""Reads of 交换批次: the masked preview of a raw row and the CSV cells of the error download."""

import json

from ..selectors.batches import _cell, masked_payload, payload_preview


def test_personal_values_are_masked_whatever_the_column():
    payload = json.dumps({"身份证号": "370202198803151237", "姓名": "欧阳娜娜", "手机": "13812345678",
                          "账号": "6222021234567890123", "单位名称": "青岛海川机械", "employer_name": "海川",
                          "金额": "1234.50", "死者姓名": "张伟"}, ensure_ascii=False)
    assert masked_payload(payload) == {
        "身份证号": "370202********1237", "姓名": "欧***", "手机": "138****5678", "账号": "6222 **** **** 0123",
        "单位名称": "青岛海川机械", "employer_name": "海川", "金额": "1234.50", "死者姓名": "张*"}


def test_the_preview_is_one_line_and_short():
    assert payload_preview(json.dumps({"ref": "A1", "note": ""})) == "ref=A1"
    assert payload_preview("not json") == "原始行=（无法显示）"
    assert payload_preview(json.dumps(["a", "b"])) == "原始行=['a', 'b']"
    long = payload_preview(json.dumps({"memo": "x" * 400}))
    assert len(long) == 301 and long.endswith("…")


def test_csv_cells_never_start_a_formula():
    assert [_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "ok")] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "ok"]
