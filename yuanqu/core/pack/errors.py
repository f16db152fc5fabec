"""What a refused policy pack reports: each problem with its file and line, and the error that carries
them all. Raised by the pack loader (`yuanqu.core.pack.load_pack`), shown by `yuanqu policy check` and
by the start-up check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from yuanqu.core.pack import messages


@dataclass(frozen=True, slots=True)
class PackProblem:
    """One thing wrong with a pack. `line` is 1-based; 0 means the file as a whole."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PolicyPackError(ValueError):
    """The pack was refused; `problems` holds every problem found, not just the first."""

    def __init__(self, path: Path, problems: Sequence[PackProblem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(messages.PACK_REFUSED.format(path=path, count=len(self.problems), problems=lines))
