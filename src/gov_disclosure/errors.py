"""The library's own exception types.

Every failure caused by input (a malformed document, a hostile XML file, an unreadable report)
raises a subclass of :class:`GovDisclosureError` that says *where* the problem is. Callers can
catch that one class and never see a bare ``KeyError`` or a cattrs traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "AddressError",
    "CellValueError",
    "DocumentError",
    "GovDisclosureError",
    "ParseError",
    "Problem",
    "ReportMismatchError",
    "UnknownSampleError",
    "UnsafeXMLError",
]


class GovDisclosureError(Exception):
    """Base class of every error the library raises on purpose.

    Attributes:
        unreadable: ``True`` when the input could not be read or used as given (a missing
            file, a FIFO, a permission error, a previous report of another year); ``False``
            when it was read and found invalid. The command line exits 2 for the first and 1
            for the second.
    """

    unreadable: bool = False


@attrs.frozen
class Problem:
    """One problem found in a document.

    Attributes:
        path: Where the problem is, as printed: a JSON path (``$.requests.total``), an XML
            location (``line 12, column 5 (requests.total)``) or a cell address, depending
            on the input.
        message: What is wrong, in English.
        address: The model's key path of the field the problem is about
            (``requests.new_received.total``), when there is one; a cell's address is one.
        line: The line of the input, when the reader knows it (1-based).
        column: The column on that line, when the reader knows it (1-based).
    """

    path: str
    message: str
    address: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


MAX_PROBLEMS = 100
"""Most problems a :class:`DocumentError` keeps (the rest are counted in a last problem)."""


class DocumentError(GovDisclosureError, ValueError):
    """A JSON or XML document is not a valid report.

    Attributes:
        problems: Every problem found, each with its location. Never empty.
    """

    def __init__(
        self, problems: Iterable[Problem], *, source: str | None = None, unreadable: bool = False
    ) -> None:
        self.unreadable = unreadable
        self.problems: list[Problem] = []
        more = 0
        for problem in problems:  # bounded: a hostile document can have millions
            if len(self.problems) < MAX_PROBLEMS:
                message = problem.message
                if len(message) > 500:
                    message = message[:497] + "..."
                # an address longer than any of the model's comes from a hostile key or tag
                address = problem.address if len(problem.address or "") <= 200 else None
                self.problems.append(
                    attrs.evolve(problem, path=problem.path[:200], message=message, address=address)
                )
            else:
                more += 1
        if more:
            self.problems.append(Problem("$", f"... and {more} more problems"))
        self.source = source
        if not self.problems:
            self.problems = [Problem("$", "invalid document")]
        head = f"{source}: " if source else ""
        lines = "\n".join(f"  {p}" for p in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{head}invalid report document ({count} {noun}):\n{lines}")


class UnsafeXMLError(DocumentError):
    """An XML document uses a feature the hardened parser refuses (DTD, entity, XInclude...)."""


class AddressError(GovDisclosureError, KeyError):
    """A cell address does not name a cell of the report's edition."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "invalid cell address"


class CellValueError(GovDisclosureError, ValueError):
    """A value is not allowed in a cell (a negative count, a string, a float...).

    Attributes:
        address: The cell address.
    """

    def __init__(self, message: str, *, address: str) -> None:
        self.address = address
        super().__init__(message)


class ReportMismatchError(GovDisclosureError, ValueError):
    """Reports given together do not fit together.

    For example a previous report that is not for the year before, or two reports of one
    series for the same year.
    """

    unreadable = True  # the inputs cannot be used as given: exit 2, like bad usage


class UnknownSampleError(GovDisclosureError, KeyError):
    """No built-in sample has that name."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown sample"


class ParseError(GovDisclosureError, ValueError):
    """A published report could not be turned into the model.

    Attributes:
        location: Where reading stopped (file name, line, page), when known.
    """

    def __init__(
        self, message: str, *, location: str | None = None, unreadable: bool = False
    ) -> None:
        self.location = location
        self.unreadable = unreadable
        super().__init__(f"{location}: {message}" if location else message)
