"""The evaluators' site: pages, links, dataset, escaping and CSP; then a real browser.

The browser tests drive the system Chromium with Playwright's Python package (it is told
where Chromium is and never downloads a browser); they skip when either is missing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main

from .conftest import FEES_REPORTED, REPORTS, seed_last_year

pytest.importorskip("vl_convert", reason="the 'site' extra (vl-convert-python) is not installed")
lxml_html = pytest.importorskip("lxml.html")

HOSTILE_NAME = '<script>alert(1)</script>"><img src=x onerror=alert(2)>局'
HOSTILE_PROSE = '<img src="https://evil.example/x.png"> </textarea><script>alert(3)</script>'


def _corpus(folder: Path) -> Path:
    """The seed over three years (cross-year findings, diffs), a hostile body, the 2019 sample."""
    folder.mkdir()
    seed = attrs.evolve(gd.samples.load(), other_matters=FEES_REPORTED)
    last = seed_last_year(seed)
    before = attrs.evolve(seed_last_year(last), year=2021)
    wrong = gd.with_cell(seed, "requests.outcomes.total.total", 1)  # an inconsistency
    for name, report in (("2021", before), ("2022", last), ("2023", wrong)):
        (folder / f"liuzhou-{name}.json").write_text(gd.dumps(report), encoding="utf-8")
    hostile = attrs.evolve(seed, agency=gd.Agency(name=HOSTILE_NAME), overview=HOSTILE_PROSE)
    unread = attrs.evolve(
        gd.with_cell(hostile, "requests.carried_over.total", None),
        unread={"requests.carried_over.total": "illegible"},
    )
    (folder / "hostile.json").write_text(gd.dumps(unread), encoding="utf-8")
    (folder / "broken.json").write_text("{", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, gd.site.SiteSummary]:
    root = tmp_path_factory.mktemp("site")
    inputs = _corpus(root / "in")
    summary = gd.site.build(
        [str(inputs), str(REPORTS / "pingtan-2021.txt")], str(root / "out"), parse=True, jobs=2
    )
    return root / "out", summary


def _pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_every_report_and_agency_has_its_page(site: tuple[Path, gd.site.SiteSummary]) -> None:
    root, summary = site
    assert (summary.reports, summary.agencies) == (5, 3)
    assert len(summary.failed) == 1 and "broken.json" in summary.failed[0]
    assert len(list((root / "reports").glob("*.html"))) == 5
    assert len(list((root / "reports").glob("*.json"))) == 5
    assert len(list((root / "agencies").glob("*.html"))) == 3
    diffs = sorted(p.name for p in (root / "diffs").glob("*.html"))
    assert len(diffs) == 2  # 2021 → 2022 → 2023
    index = (root / "index.html").read_text(encoding="utf-8")
    rows = lxml_html.fromstring(index).xpath("//table[@class='gd-sortable']/tbody/tr")
    assert len(rows) == 5
    assert {r.get("data-verdict") for r in rows} == {"ok", "not ok"}
    for name in ("overview.html", "findings.html", "data.html"):
        assert (root / name).is_file()


def test_the_agency_page_has_trends_cross_year_findings_and_similarity(
    site: tuple[Path, gd.site.SiteSummary],
) -> None:
    root, _ = site
    page = (root / "agencies" / f"{gd.site.agency_id('柳州市人民政府办公室')}.html").read_text(
        encoding="utf-8"
    )
    tree = lxml_html.fromstring(page)
    years = tree.xpath("//table[@class='gd-data'][1]//tbody/tr/td[1]/a/text()")
    assert years == ["2021", "2022", "2023"]
    charts = tree.xpath("//figure[@class='gd-chart']")
    assert len(charts) == 1  # the indicators over the years
    for figure in charts:
        image = figure.xpath(".//img")[0]
        assert image.get("alt")
        svg = base64.b64decode(image.get("src").split(",", 1)[1]).decode("utf-8")
        assert svg.startswith("<svg") and "年度" in svg  # the axis title, as text
        assert figure.xpath(".//details/table//tr")  # the data as a table
    # 2023 against 2022: the cross-year identities hold, but table 3 no longer adds up
    assert "相邻年度文字相似度" in page and "2022 → 2023" in page


def test_report_pages_link_to_their_agency_and_the_previous_years_diff(
    site: tuple[Path, gd.site.SiteSummary],
) -> None:
    root, _ = site
    this_year = (
        root
        / "reports"
        / f"{gd.site.report_id(str(root.parent / 'in' / 'liuzhou-2023.json'))}.html"
    )
    tree = lxml_html.fromstring(this_year.read_text(encoding="utf-8"))
    links = tree.xpath("//p[@class='gd-links']/a/@href")
    assert links[0].startswith("../agencies/") and links[1].startswith("../diffs/")
    assert tree.xpath("//td[contains(@class, 'gd-finding-inconsistency')]")
    assert "requests.outcomes_total" in tree.text_content()


def test_every_link_resolves_to_a_file_of_the_site(site: tuple[Path, gd.site.SiteSummary]) -> None:
    root, _ = site
    pages = _pages(root)
    checked = 0
    for page in pages:
        tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
        for _, attribute, link, _ in tree.iterlinks():
            if attribute == "src" and link.startswith("data:image/svg+xml;base64,"):
                continue
            parsed = urlparse(link)
            assert not parsed.scheme and not parsed.netloc, (page, link)  # nothing from outside
            if not parsed.path:
                assert tree.get_element_by_id(parsed.fragment) is not None, (page, link)
                continue
            target = (page.parent / unquote(parsed.path)).resolve()
            assert target.is_file() and root.resolve() in target.parents, (page, link)
            checked += 1
    assert checked > 50


def test_every_page_carries_a_policy_that_allows_only_its_own_style_and_script(
    site: tuple[Path, gd.site.SiteSummary],
) -> None:
    root, _ = site
    for page in _pages(root):
        html = page.read_text(encoding="utf-8")
        tree = lxml_html.fromstring(html)
        policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
        assert "default-src 'none'" in policy and "base-uri 'none'" in policy
        for tag, directive in (("style", "style-src"), ("script", "script-src")):
            for block in tree.xpath(f"//{tag}"):
                digest = hashlib.sha256(block.text.encode("utf-8")).digest()
                token = "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
                assert re.search(rf"{directive} [^;]*{re.escape(token)}", policy), (page, tag)
        assert not tree.xpath("//*[@style]")  # inline style attributes would be blocked
        assert not tree.xpath("//@*[starts-with(name(), 'on')]")  # no event handlers


def test_hostile_names_and_prose_are_text_never_markup(
    site: tuple[Path, gd.site.SiteSummary],
) -> None:
    root, _ = site
    for page in _pages(root):
        html = page.read_text(encoding="utf-8")
        tree = lxml_html.fromstring(html)
        assert len(tree.xpath("//script")) <= 1, page  # ours alone
        assert not tree.xpath("//img[@src='x' or starts-with(@src, 'http')]"), page
        assert "<script>alert" not in html and "<img src=x" not in html
    index = (root / "index.html").read_text(encoding="utf-8")
    assert HOSTILE_NAME in lxml_html.fromstring(index).text_content()  # shown as text
    names = {p.name for p in root.rglob("*")}
    assert not any("<" in n or "局" in n for n in names)  # file names are hashes


def test_the_dataset_reads_back(site: tuple[Path, gd.site.SiteSummary]) -> None:
    root, _ = site
    data = root / "data"
    cells = (data / "cells.csv").read_text(encoding="utf-8").splitlines()
    assert len(cells) - 1 == sum(
        len(gd.cells(gd.read_document(p))) for p in (root / "reports").glob("*.json")
    )
    findings = (data / "findings.csv").read_text(encoding="utf-8")
    assert "requests.outcomes_total" in findings
    assert "cross_year." in findings or "cross-year" not in findings
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(data / "dataset.xlsx")
    assert book.sheetnames == ["findings", "metrics"]
    assert book["metrics"].max_row - 1 == 5
    listed = lxml_html.fromstring((root / "data.html").read_text(encoding="utf-8"))
    assert {Path(h).name for h in listed.xpath("//a/@href")} >= {
        "cells.csv",
        "findings.csv",
        "metrics.csv",
        "dataset.xlsx",
    }


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.json").write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    out = tmp_path / "site"
    assert main(["site", str(inputs), "-o", str(out), "--json", "--jobs", "1"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["reports"] == 1 and summary["files"] >= 8 and summary["bytes"] > 0
    (inputs / "b.json").write_text("[]", encoding="utf-8")
    assert main(["site", str(inputs), "-o", str(out), "--quiet", "--jobs", "1"]) == 1
    assert main(["site", str(tmp_path / "missing.json"), "-o", str(out), "--quiet"]) == 2
    with pytest.raises(SystemExit) as usage:  # a file where the folder should be
        main(["site", str(inputs), "-o", str(inputs / "a.json"), "--quiet"])
    assert usage.value.code == 2


def test_a_folder_written_by_parse_builds_without_its_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # parse -o DIR then site DIR: the manifest (.gov-disclosure-manifest.jsonl) was read as
    # JSON Lines of reports, and every line of it failed
    parsed = tmp_path / "parsed"
    source = REPORTS / "liuzhou-gov-office-2023.txt"
    assert main(["parse", str(source), "-o", str(parsed), "--quiet"]) == 0
    assert (parsed / ".gov-disclosure-manifest.jsonl").is_file()
    (parsed / "cells.jsonl").write_text('{"file": "an earlier export"}\n', encoding="utf-8")
    out = tmp_path / "site"
    assert main(["site", str(parsed), "-o", str(out), "--json", "--jobs", "1"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["reports"] == 1 and not summary["failed"]
    # a JSON Lines file named on the command line is read, as every command reads it
    lines = tmp_path / "reports.jsonl"
    lines.write_text(gd.dumps(gd.samples.load(), indent=None) + "\n", encoding="utf-8")
    assert main(["site", str(lines), "-o", str(out), "--json", "--jobs", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["reports"] == 1


# ---------------------------------------------------------------- in a real browser

CHROMIUM = next(
    (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p),
    None,
)


@pytest.fixture(scope="module")
def browser() -> object:
    if CHROMIUM is None:
        pytest.skip("headless Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _open(browser: object, url: str) -> tuple[object, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    requests: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, problems, requests


def _ink(path: Path) -> int:
    """Distinct colours in a screenshot: a blank or unstyled page has very few."""
    from .test_browser import _png_pixels

    _, _, rows = _png_pixels(path)
    return len({row[i : i + 3] for row in rows[::8] for i in range(0, len(row) - 2, 3)})


def test_each_page_type_renders_without_errors_or_network(
    browser: object, site: tuple[Path, gd.site.SiteSummary], tmp_path: Path
) -> None:
    """Also writes the docs' screenshots: ``GD_SCREENSHOTS=docs/images pytest -k page_type``."""
    root, _ = site
    shots = Path(os.environ.get("GD_SCREENSHOTS", tmp_path))
    kinds = {
        "index": root / "index.html",
        "overview": root / "overview.html",
        "findings": root / "findings.html",
        "data": root / "data.html",
        "report": next((root / "reports").glob("*.html")),
        "agency": root / "agencies" / f"{gd.site.agency_id('柳州市人民政府办公室')}.html",
        "diff": next((root / "diffs").glob("*.html")),
    }
    for kind, path in kinds.items():
        page, problems, requests = _open(browser, path.as_uri())
        assert problems == [], (kind, problems)
        outside = [u for u in requests if not u.startswith(("file://", "data:"))]
        assert outside == [], (kind, outside)
        images = page.eval_on_selector_all(  # type: ignore[attr-defined]
            "img", "els => els.map(e => e.complete && e.naturalWidth > 0)"
        )
        assert all(images), kind  # every chart decoded
        shot = shots / f"site-{kind}.png"
        page.screenshot(path=str(shot))  # type: ignore[attr-defined]
        assert _ink(shot) > 8, kind
        page.close()  # type: ignore[attr-defined]
    overview, _, _ = _open(browser, kinds["overview"].as_uri())
    assert overview.locator("figure.gd-chart img").count() >= 4  # type: ignore[attr-defined]


def test_the_index_filter_and_sort_work(
    browser: object, site: tuple[Path, gd.site.SiteSummary]
) -> None:
    root, _ = site
    page, problems, _ = _open(browser, (root / "index.html").as_uri())
    rows = page.locator("table.gd-sortable tbody tr:visible")  # type: ignore[attr-defined]
    assert rows.count() == 5
    page.fill("#gd-filter-text", "柳州")  # type: ignore[attr-defined]
    assert rows.count() == 3 and page.text_content("#gd-count") == "3"  # type: ignore[attr-defined]
    page.fill("#gd-filter-text", "")  # type: ignore[attr-defined]
    page.select_option("select[data-filter='verdict']", "not ok")  # type: ignore[attr-defined]
    static = lxml_html.fromstring((root / "index.html").read_text(encoding="utf-8"))
    failing = static.xpath("//tbody/tr[@data-verdict='not ok']/td[1]/a/text()")
    assert 0 < rows.count() == len(failing) < 5
    assert rows.all_text_contents() == [  # type: ignore[attr-defined]
        r.text_content() for r in static.xpath("//tbody/tr[@data-verdict='not ok']")
    ]
    page.select_option("select[data-filter='verdict']", "")  # type: ignore[attr-defined]
    page.click("table.gd-sortable thead th:nth-child(4)")  # year, ascending  # type: ignore[attr-defined]
    years = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "table.gd-sortable tbody tr", "rows => rows.map(r => r.cells[3].textContent)"
    )
    assert years == sorted(years)
    page.click("table.gd-sortable thead th:nth-child(4)")  # type: ignore[attr-defined]
    years = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "table.gd-sortable tbody tr", "rows => rows.map(r => r.cells[3].textContent)"
    )
    assert years == sorted(years, reverse=True)
    assert problems == []


def test_the_findings_page_filters_by_rule_and_severity(
    browser: object, site: tuple[Path, gd.site.SiteSummary]
) -> None:
    root, _ = site
    page, problems, _ = _open(browser, (root / "findings.html").as_uri())
    rows = page.locator("table.gd-sortable tbody tr:visible")  # type: ignore[attr-defined]
    everything = rows.count()
    page.select_option("select[data-filter='rule']", "requests.outcomes_total")  # type: ignore[attr-defined]
    assert 0 < rows.count() < everything
    page.select_option("select[data-filter='severity']", "info")  # type: ignore[attr-defined]
    assert rows.count() == 0
    assert problems == []
