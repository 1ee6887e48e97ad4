"""The one error the report layer raises: a bad input file, described in one line."""

from __future__ import annotations

__all__ = ["ReportError"]


class ReportError(Exception):
    """A conformance document, baseline or waiver file cannot be used.

    The message is one line a user can act on (it names the file and what is wrong); the CLI prints it
    and exits with status 2.
    """

    def __init__(self, message: str) -> None:
        self.message = " ".join(message.split())
        super().__init__(self.message)
