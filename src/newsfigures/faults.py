"""Failpoints: named places where a run can be made to die, for the fault suite.

`NEWSFIGURES_FAILPOINT=<name>` makes the process SIGKILL itself when it reaches that point,
exactly as `kill -9` would, so the tests can prove that a run killed anywhere leaves the
warehouse as the last completed run left it. Unset (always, outside the tests), a failpoint
costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "NEWSFIGURES_FAILPOINT"
POINTS = (
    "after_plan",
    "after_extract",
    "after_stage",
    "before_commit",
    "after_commit",
    "during_publish",
    "after_publish",
)


def failpoint(name: str) -> None:
    """Die here, hard, if the environment asks for it."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
