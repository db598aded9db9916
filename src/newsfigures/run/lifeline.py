"""Child processes that die with the process that started them, however it ends.

A process killed with SIGKILL runs no `finally` and no `atexit`, so it cannot stop its
children: a Prefect server it started would keep its port and its database open, and the
workers of a process pool would wait forever for work. On Linux a child can ask the kernel
for a signal when its parent dies (`prctl(PR_SET_PDEATHSIG)`); the setting survives `exec`.

    python -I -S src/newsfigures/run/lifeline.py PARENT_PID PROGRAM [ARG ...]

asks for it and then becomes PROGRAM (same pid), which is how the loopback Prefect server is
started; `pool_worker` is a process pool's worker initializer.

The kernel sends the signal when the *thread* that created the child ends, not the whole
process: start such children from the main thread, or from a thread that outlives them.
Elsewhere than Linux this does nothing, and children outlive a killed parent as before.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# The runs' children hold nothing a clean shutdown would save once their parent is gone:
# the server's SQLite database survives a kill, and a pool worker's results have no reader.
_SIGNAL = signal.SIGKILL


def die_with_parent(parent_pid: int | None = None) -> None:
    """Have this process killed when its parent dies (Linux only); exit at once if the
    parent is already gone, as nobody would signal then. `parent_pid`: the parent's pid,
    by default the one `multiprocessing` started this process from."""
    if not sys.platform.startswith("linux"):
        return
    if parent_pid is None:
        import multiprocessing

        parent = multiprocessing.parent_process()
        parent_pid = parent.pid if parent is not None else os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, int(_SIGNAL), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    # A process pool's worker reaches its initializer only after its imports, by when
    # the parent may be gone.
    if os.getppid() != parent_pid:
        os._exit(1)


def pool_worker() -> None:
    """Set up a process pool's worker: it dies with the process that started it, and leaves
    Ctrl-C to that process. The terminal sends SIGINT to the whole process group; a worker
    interrupted mid-task would leave the pool waiting for a result that never comes, while
    the run's own process, interrupted, stops the pool and says so."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()


def command(program: list[str]) -> list[str]:
    """`program` run so that it dies with this process."""
    # Run as a file, isolated and without site: it needs only the standard library, so it
    # neither depends on how this package is installed nor pays for importing it.
    return [sys.executable, "-I", "-S", os.path.abspath(__file__), str(os.getpid()), *program]


def main(argv: list[str]) -> None:
    parent_pid, program = int(argv[0]), argv[1:]
    die_with_parent(parent_pid)
    os.execv(program[0], program)


if __name__ == "__main__":
    main(sys.argv[1:])
