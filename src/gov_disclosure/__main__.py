"""``python -m gov_disclosure``: the ``gov-disclosure`` command line."""

from gov_disclosure.cli import console

console()
