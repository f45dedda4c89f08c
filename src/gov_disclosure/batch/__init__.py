"""Batch work over many files: load, check and parse in parallel, failures kept per file.

Results come back in input order whatever the number of worker processes. The package is
laid out by what each part holds:

- :mod:`gov_disclosure.sources`: the inputs (folders listed, JSON Lines expanded into lines
  by value or by :class:`~gov_disclosure.sources.LineRef`, each loaded where it runs);
- :mod:`gov_disclosure.batch.runner`: running a function over them on a local process pool
  or an executor (a Dask cluster), in order, in chunks, with retries reported;
- :mod:`gov_disclosure.batch.jobs`: the jobs themselves (check, cross-year pairs, parse,
  export);
- :mod:`gov_disclosure.batch.manifest`: what ``parse -o DIR --resume`` has already written.
"""

from __future__ import annotations

from gov_disclosure.batch.jobs import (
    CheckedFile,
    check_files,
    check_one,
    check_pair,
    export_files,
    parse_files,
)
from gov_disclosure.batch.manifest import MANIFEST_NAME, Manifest, file_digest
from gov_disclosure.batch.runner import (
    CLUSTER_CHUNK,
    FileResult,
    Retry,
    max_jobs,
    run_all,
    run_parallel,
)
from gov_disclosure.sources import (
    DOCUMENT_SUFFIXES,
    PUBLISHED_SUFFIXES,
    LineRef,
    collect_files,
    iter_sources,
    load_any,
    read_lines,
)

__all__ = [
    "CLUSTER_CHUNK",
    "DOCUMENT_SUFFIXES",
    "MANIFEST_NAME",
    "PUBLISHED_SUFFIXES",
    "CheckedFile",
    "FileResult",
    "LineRef",
    "Manifest",
    "Retry",
    "check_files",
    "check_one",
    "check_pair",
    "collect_files",
    "export_files",
    "file_digest",
    "iter_sources",
    "load_any",
    "max_jobs",
    "parse_files",
    "read_lines",
    "run_all",
    "run_parallel",
]
