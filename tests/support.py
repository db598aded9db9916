"""Paths and the fault tally shared by the tests (importable: tests/ is on the path)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
GOLD = REPO / "tests" / "annotations" / "seeds"
FIXTURES = REPO / "tests" / "fixtures"


class FaultTally:
    """What the fault suite tried and survived, printed at the end of the session."""

    def __init__(self) -> None:
        self.inputs = self.survived = self.lost = self.duplicated = 0

    def record(self, inputs: int, survived: int, lost: int, duplicated: int) -> None:
        self.inputs += inputs
        self.survived += survived
        self.lost += lost
        self.duplicated += duplicated


fault_tally = FaultTally()


# Memory measured by tests/run/test_memory.py, printed at the end of the session.
memory_tally: list[str] = []
