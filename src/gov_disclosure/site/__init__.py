"""The evaluators' static site: a whole corpus at a glance, with charts (extra ``site``).

``gov-disclosure site INPUTS… -o DIR`` (or :func:`build`) writes a folder that opens offline
from disk or any static host: an index of every report (sortable, filterable), a page per
report (the official layout with its findings), a page per agency (its years side by side,
trends, cross-year findings, text similarity), the diff of each pair of consecutive years,
an overview with charts, the findings, and the dataset files. See docs/site.md.
"""

from gov_disclosure.site.builder import SiteSummary, agency_id, build, report_id

__all__ = ["SiteSummary", "agency_id", "build", "report_id"]
