"""``python -m gov_disclosure.cli``: the ``gov-disclosure`` command line."""

from gov_disclosure.cli.app import console

console()
