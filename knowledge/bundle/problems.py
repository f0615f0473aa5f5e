"""What a bundle check reports: one `Problem` per mistake, never just the first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{self.file}:{self.line}: {self.column}: {prefix}{self.message}"


class BundleInvalid(Exception):
    """The bundle has errors; nothing was changed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: List[Problem] = list(problems)
        errors = [p for p in self.problems if p.severity == ERROR]
        super().__init__(f"{len(errors)} problem(s) in the bundle")
