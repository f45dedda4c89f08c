"""The geometric reader's plain text: what the PDF and OCR paths cut the text parts from."""

from __future__ import annotations

from gov_disclosure.parsing.document import Line, Row
from gov_disclosure.parsing.geometry import item_texts


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
