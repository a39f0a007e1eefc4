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
    assert payload_preview(json.dumps(["a", "b"])) == "原始行=a，b"
    long = payload_preview(json.dumps({"memo": "x" * 400}))
    assert len(long) == 301 and long.endswith("…")


def test_csv_cells_never_start_a_formula():
    assert [_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "ok")] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "ok"]


def test_a_raw_line_kept_whole_is_masked_cell_by_cell():
    # The tax adapter keeps a row it cannot split into its columns as {"row": "<the line>"}.
    line = "91370200MA3C1234X5,张伟,370202198803151237,13812345678,6222021234567890123,2026-10,工伤保险费"
    assert masked_payload(json.dumps({"row": line}, ensure_ascii=False)) == {
        "row": "91370200MA3C1234X5,张*,370202********1237,138****5678,6222 **** **** 0123,2026-10,工伤保险费"}


def test_numbers_inside_text_and_nested_values_are_masked():
    payload = json.dumps({"备注": "身份证370202198803151237，手机13812345678",
                          "person": {"name": "欧阳娜娜", "id_number": "37020219880315123X"},
                          "ids": ["370211199207084569"]}, ensure_ascii=False)
    preview = payload_preview(payload)
    for full in ("370202198803151237", "13812345678", "欧阳娜娜", "37020219880315123X", "370211199207084569"):
        assert full not in preview
    assert masked_payload(payload) == {
        "备注": "身份证370202********1237，手机138****5678",
        "person": "name=欧***，id_number=370202********123X", "ids": "370211********4569"}
