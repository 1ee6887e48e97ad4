"""The one owner of the outcome vocabulary: clause and run verdicts, and the exit codes of every command.

Three kinds of outcome stay apart, in the verdict and in the exit code: a contract violation (``fail``, 1),
a target that gave no real answer (``inconclusive``, 3), and a bug in the suite itself (``error``, 4).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Literal, get_args

__all__ = ["CLAUSE_VERDICTS", "EXIT_FOR_VERDICT", "RUN_VERDICTS", "ClauseVerdict", "ExitCode", "RunVerdict"]

ClauseVerdict = Literal["pass", "fail", "inconclusive", "error", "skipped", "waived"]
RunVerdict = Literal["pass", "fail", "inconclusive", "error"]
CLAUSE_VERDICTS: tuple[ClauseVerdict, ...] = get_args(ClauseVerdict)
RUN_VERDICTS: tuple[RunVerdict, ...] = get_args(RunVerdict)


class ExitCode(IntEnum):
    OK = 0  #: every clause passes (skipped, waived and observed clauses do not fail a run)
    FAIL = 1  #: a documented clause failed, a regression or unwaived drift, or a restore failed
    USAGE = 2  #: usage or configuration error, one line, before any request
    INCONCLUSIVE = 3  #: the target was unreachable or rate-limited beyond the bounded wait; nothing failed
    SUITE_ERROR = 4  #: a bug in the suite itself, never blamed on the target


EXIT_FOR_VERDICT: dict[RunVerdict, ExitCode] = {
    "pass": ExitCode.OK, "fail": ExitCode.FAIL, "inconclusive": ExitCode.INCONCLUSIVE,
    "error": ExitCode.SUITE_ERROR,
}
