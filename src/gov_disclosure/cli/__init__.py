"""The ``gov-disclosure`` command line: one module per command and one of shared parts.

Exit codes follow one convention for every sub-command: 0 success, 1 the input was read but
fails (invalid document, findings at or above the threshold), 2 the input could not be read
or the command line is wrong, 130 interrupted.

* :mod:`~gov_disclosure.cli.common`: inputs, outputs, errors, summaries, progress, workers;
* one module per command: :mod:`~gov_disclosure.cli.validate`,
  :mod:`~gov_disclosure.cli.check`, :mod:`~gov_disclosure.cli.parse`,
  :mod:`~gov_disclosure.cli.export`, :mod:`~gov_disclosure.cli.schema`,
  :mod:`~gov_disclosure.cli.render`, :mod:`~gov_disclosure.cli.convert`,
  :mod:`~gov_disclosure.cli.diff`;
* :mod:`~gov_disclosure.cli.app`: the argument parser, :func:`main` and :func:`console`.
"""

from gov_disclosure.cli.app import build_parser, console, main

__all__ = ["build_parser", "console", "main"]
