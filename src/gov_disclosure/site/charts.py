"""Charts for the site: Vega-Lite specifications rendered offline to SVG (extra ``site``).

The charts are data: each function here returns a Vega-Lite specification (a dict), and
:func:`figure` renders it with ``vl-convert-python`` (Vega and Vega-Lite bundled in the
wheel, no browser, no network) and places it in the page as an ``<img>`` holding the SVG as
a ``data:`` URI, so that a page opened from a folder needs no second request and the chart's
internal ids never collide with the page's. Each figure has a Chinese title, its English
in the caption, an ``alt`` text, and the chart's data as a table under ``<details>``: the
text alternative a screen reader (or a reader of the page without images) gets. (ARIA
labels inside the SVG are switched off: inside an ``<img>`` nothing reads them.)

Why Vega-Lite with vl-convert rather than matplotlib (measured on this machine, see
docs/site.md): about the same time per chart once warm (33 ms for a bar chart); the SVG
keeps its labels as text (the browser's CJK fonts draw them, where matplotlib needs a CJK
font configured and embeds glyph outlines), and the chart is a declarative spec: data.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Sequence
from html import escape
from typing import Any

from gov_disclosure.optional import require

__all__ = [
    "bar_chart",
    "figure",
    "line_chart",
    "svg",
]

# the generic family: the browser's fallback draws the CJK glyphs, and naming CJK fonts here
# made vl-convert search its font list on every label (measured 80 ms a chart, not 52)
_FONT = "sans-serif"
_CONFIG = {
    # no ARIA inside the SVG: an <img> hides it from assistive technology anyway (the figure's
    # alt text and data table are the text alternative), and it cost a quarter of the time
    "aria": False,
    "font": _FONT,
    "title": {"fontSize": 13},
    "axis": {"labelFontSize": 11, "titleFontSize": 12},
    "legend": {"labelFontSize": 11, "titleFontSize": 12},
}


def _spec(title: str, body: dict[str, Any], values: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {
        "title": title,
        "width": body.pop("width", 360),
        "height": body.pop("height", 220),
        "data": {"values": list(values)},
        "config": _CONFIG,
        **body,
    }


def bar_chart(
    title: str,
    values: Sequence[dict[str, Any]],
    *,
    x: tuple[str, str],
    y: tuple[str, str],
    color: tuple[str, str] | None = None,
    horizontal: bool = False,
) -> dict[str, Any]:
    """Bars of counts ``y`` by ``x`` (each ``(field, axis title)``), stacked by ``color``."""
    category: dict[str, Any] = {"field": x[0], "type": "nominal", "title": x[1], "sort": None}
    if not horizontal:  # level labels while they fit, slanted past that
        category["axis"] = {"labelAngle": 0 if len({v[x[0]] for v in values}) <= 8 else -45}
    amount = {
        "field": y[0],
        "type": "quantitative",
        "title": y[1],
        "axis": {"tickMinStep": 1, "format": "d"},  # counts: no 0.5 ticks
    }
    encoding: dict[str, Any] = (
        {"y": category, "x": amount} if horizontal else {"x": category, "y": amount}
    )
    if color is not None:
        encoding["color"] = {"field": color[0], "type": "nominal", "title": color[1]}
    height = max(120, 18 * len({v[x[0]] for v in values})) if horizontal else 220
    return _spec(title, {"mark": "bar", "encoding": encoding, "height": height}, values)


def line_chart(
    title: str,
    values: Sequence[dict[str, Any]],
    *,
    x: tuple[str, str],
    y: tuple[str, str],
    color: tuple[str, str],
) -> dict[str, Any]:
    """Lines of ``y`` over ``x`` (years, ordinal), one per ``color`` value, with points."""
    encoding = {
        "x": {"field": x[0], "type": "ordinal", "title": x[1], "axis": {"labelAngle": 0}},
        "y": {"field": y[0], "type": "quantitative", "title": y[1]},
        "color": {"field": color[0], "type": "nominal", "title": color[1]},
    }
    return _spec(title, {"mark": {"type": "line", "point": True}, "encoding": encoding}, values)


@functools.cache
def _converter() -> Any:
    return require("vl_convert", "site", "drawing the site's charts")


def svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite specification rendered to SVG text, offline."""
    return str(_converter().vegalite_to_svg(spec))


def figure(
    spec: dict[str, Any],
    *,
    english: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
) -> str:
    """An HTML ``<figure>``: the chart, its titles, and its data as a table.

    Args:
        spec: A Vega-Lite specification (its ``title`` is the Chinese title).
        english: The English title, shown in the caption.
        columns: ``(Chinese, English)`` headings of the data table.
        rows: The data table's rows (what the chart shows, as text).
    """
    title = str(spec.get("title", ""))
    image = base64.b64encode(svg(spec).encode("utf-8")).decode("ascii")
    alt = f"{title} ({english}): 图表，数据见下表 / chart, data in the table below"
    head = "".join(
        f"<th>{escape(zh)} <span lang='en'>{escape(en)}</span></th>" for zh, en in columns
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_shown(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return (
        '<figure class="gd-chart">'
        f'<img src="data:image/svg+xml;base64,{image}" alt="{escape(alt)}">'
        f'<figcaption>{escape(title)} <span lang="en">{escape(english)}</span></figcaption>'
        f"<details><summary>数据 Data</summary><table class='gd-data'><tr>{head}</tr>{body}"
        "</table></details></figure>"
    )


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
