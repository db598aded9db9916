"""Failpoints: named places where a run can be made to fail, for the fault suite.

`NEWSFIGURES_FAILPOINT=<name>` makes the process SIGKILL itself when it reaches that point,
exactly as `kill -9` would, so the tests can prove that a run killed anywhere leaves the
warehouse as the last completed run left it. `NEWSFIGURES_FAILPOINT=<name>:enospc` raises
the error a full disk gives instead. Unset (always, outside the tests), a failpoint costs
one dictionary lookup.
"""

from __future__ import annotations

import errno
import os
import signal

ENV = "NEWSFIGURES_FAILPOINT"
POINTS = (
    "after_plan",
    "after_extract",
    "after_stage",
    "before_commit",
    "between_commits",
    "after_commit",
    "during_publish",
    "between_renames",
    "after_publish",
)


def failpoint(name: str) -> None:
    """Die here, hard, or fail as a full disk would, if the environment asks for it."""
    wanted = os.environ.get(ENV)
    if wanted is None:
        return
    point, _, kind = wanted.partition(":")
    if point != name:
        return
    if kind == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    os.kill(os.getpid(), signal.SIGKILL)
