"""The geometric reader's plain text: what the PDF and OCR paths cut the text parts from."""

from __future__ import annotations

from gov_disclosure.parsing.document import Line, Row
from gov_disclosure.parsing.geometry import item_texts, ruled_rows


def test_item_texts_keeps_reading_order_and_drops_empty_cells() -> None:
    items = [
        Line("一、总体情况", "page 1"),
        Row(("本年收到申请数", "", "12", "0"), "page 1, table 1, row 2"),
        Line("二、主动公开政府信息情况", "page 1"),
    ]
    assert item_texts(items) == ["一、总体情况", "本年收到申请数 12 0", "二、主动公开政府信息情况"]


def test_item_texts_keeps_repeated_text() -> None:
    # Repeated lines are the document's own; the prose reader, not this, decides about them.
    items = [Line("同上", "p1"), Line("同上", "p1"), Row(("", ""), "p1")]
    assert item_texts(items) == ["同上", "同上", ""]


def test_ruled_rows_tell_a_merged_cell_from_a_lost_one() -> None:
    # a ruled table of a label column and three value columns (x = 0, 10, 20, 30, to 40),
    # with a group label spanning the first column of the last three rows
    header = [(0, 0, 10, 5), (10, 0, 20, 5), (20, 0, 30, 5), (30, 0, 40, 5)]
    group = (0, 5, 10, 20)  # covers rows 2 to 4 of column 0
    merged = [None, (10, 5, 30, 10), None, (30, 5, 40, 10)]  # a value over two columns
    lost = [None, (10, 10, 20, 15), (20, 10, 30, 15), None]  # printed a cell too few
    whole = [None, (10, 15, 20, 20), (20, 15, 30, 20), (30, 15, 40, 20)]
    rows = [header, merged, lost, whole]
    rows[1][0] = group  # pdfplumber puts the spanning cell in the first row it covers
    texts = [["信息内容", "甲", "乙", "丙"], ["行政许可", "7", "", "1"], ["", "2", "3", ""]]
    texts.append(["", "4", "", "6"])
    assert ruled_rows(rows, texts) == [
        ((0, 1, 2, 3), False, False),
        ((0, 1, 3), False, False),  # 7 spans 甲 and 乙: one value, not 7 and a blank
        ((0, 1, 2), True, False),  # no cell at 丙: not a blank cell, and the row is short
        ((0, 1, 2, 3), False, False),  # under the group label: an empty cell; 乙 printed blank
    ]


def test_a_ruled_row_with_a_cell_beyond_the_header_is_wide() -> None:
    # a stray cell printed after a row's last one: the table's grid grows a column that only
    # that row has, and nothing says which of its cells is the one too many
    header = [(0, 0, 10, 5), (10, 0, 20, 5), (20, 0, 30, 5), (30, 0, 40, 5), None]
    stray = [(0, 5, 10, 10), (10, 5, 20, 10), (20, 5, 30, 10), (30, 5, 40, 10), (40, 5, 50, 10)]
    whole = [(0, 10, 10, 15), (10, 10, 20, 15), (20, 10, 30, 15), (30, 10, 40, 15), None]
    texts = [
        ["信息内容", "甲", "乙", "丙", ""],
        ["规章", "", "1", "5", "7"],
        ["规范性文件", "2", "", "4", ""],
    ]
    assert ruled_rows([header, stray, whole], texts) == [
        ((0, 1, 2, 3), False, False),
        ((0, 1, 2, 3, 4), False, True),
        ((0, 1, 2, 3), False, False),
    ]
