"""The `storfa serve` process: a small supervisor over the web workers and the
ingest worker, which do the work in child processes.

Why a supervisor of our own: uvicorn running in the serve process re-raises
SIGTERM after its shutdown, which killed the process before it could stop the
ingest worker (left running as an orphan). Here the parent does nothing but
start, watch and stop children, so every stop path is ours:

* Each child starts in its own process group (its own session), so a stop
  reaches the child *and* everything it started (the ingest worker's parser
  processes), and Ctrl-C in a terminal reaches only the supervisor.
* SIGTERM or SIGINT: every group gets SIGTERM. Web workers stop accepting,
  finish in-flight requests and exit; the ingest worker finishes or releases
  its job. Whatever still runs after `stop_timeout` seconds, or at a second
  signal, is killed with SIGKILL, and jobs the ingest worker held are made
  claimable at once (`after_exit`).
* A child that dies on its own is started again; one that keeps dying within
  seconds of starting stops the service (exit 1) rather than loop forever.
* Children get SIGTERM if the supervisor itself is killed (PR_SET_PDEATHSIG),
  so even `kill -9` of `storfa serve` leaves no orphan for long.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType

log = logging.getLogger("storfa.serve")

# A child that exits sooner than this after starting counts as failing to start.
RAPID_SECONDS = 10.0
MAX_RAPID_FAILURES = 5
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@dataclass(frozen=True)
class ChildSpec:
    name: str
    argv: Sequence[str]
    pass_fds: tuple[int, ...] = ()


@dataclass
class Child:
    spec: ChildSpec
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    restart_at: float = 0.0
    rapid_failures: int = 0
    exits: list[int] = field(default_factory=list)

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


def _die_with(parent: int) -> Callable[[], None]:
    """Runs in the child between fork and exec: SIGTERM when `parent` dies."""
    try:
        libc: ctypes.CDLL | None = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - not Linux
        libc = None

    def setup() -> None:
        if libc is not None:
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return setup


def _signal_group(child: Child, signum: int) -> None:
    if child.proc is None:
        return
    # The group outlives its leader while the leader's children run.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.proc.pid, signum)


class Supervisor:
    def __init__(self, specs: Sequence[ChildSpec], env: dict[str, str], stop_timeout: float,
                 after_exit: Callable[[ChildSpec, int], None] | None = None) -> None:
        self.children = [Child(spec) for spec in specs]
        self.env = env
        self.stop_timeout = stop_timeout
        # Called with (spec, pid) whenever a child has exited, for clean-up.
        self.after_exit = after_exit
        self._signals: list[int] = []
        self._stop = threading.Event()

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._signals.append(signum)
        self._stop.set()

    def _start(self, child: Child) -> None:
        spec = child.spec
        child.proc = subprocess.Popen(
            list(spec.argv), env=self.env, pass_fds=spec.pass_fds, start_new_session=True,
            # preexec_fn is unsafe only with threads running at fork; we run none.
            preexec_fn=_die_with(os.getpid()))
        child.started = time.monotonic()
        log.info("started %s", spec.name,
                 extra={"fields": {"event": "child_started", "child": spec.name,
                                   "pid": child.proc.pid}})

    def _exited(self, child: Child, code: int) -> None:
        assert child.proc is not None
        child.exits.append(code)
        if self.after_exit is not None:
            try:
                self.after_exit(child.spec, child.proc.pid)
            except Exception:
                log.exception("clean-up after %s failed", child.spec.name)

    def run(self) -> int:
        """Start every child and keep them running until a stop signal.
        Returns the exit status for `storfa serve`."""
        previous = {s: signal.signal(s, self._on_signal) for s in STOP_SIGNALS}
        try:
            status = 0
            for child in self.children:
                self._start(child)
            while not self._stop.wait(0.2):
                if not self._watch():
                    status = 1
                    break
            self._shutdown()
            return status
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def _watch(self) -> bool:
        """Restart children that died; False when one keeps failing to start."""
        now = time.monotonic()
        for child in self.children:
            if child.proc is None:
                continue
            if child.restart_at:
                if now >= child.restart_at:
                    child.restart_at = 0.0
                    self._start(child)
                continue
            code = child.proc.poll()
            if code is None:
                continue
            self._exited(child, code)
            _signal_group(child, signal.SIGKILL)  # anything it left behind
            rapid = now - child.started < RAPID_SECONDS
            child.rapid_failures = child.rapid_failures + 1 if rapid else 0
            fields = {"event": "child_exited", "child": child.spec.name, "code": code}
            if child.rapid_failures >= MAX_RAPID_FAILURES:
                log.error("%s keeps exiting at start (code %s); stopping", child.spec.name,
                          code, extra={"fields": fields})
                return False
            delay = min(10.0, 0.5 * 2 ** child.rapid_failures) if rapid else 0.5
            log.warning("%s exited (code %s); starting it again in %.1f s", child.spec.name,
                        code, delay, extra={"fields": fields})
            child.restart_at = now + delay
        return True

    def _shutdown(self) -> None:
        first = len(self._signals)
        why = signal.Signals(self._signals[0]).name if self._signals else "failure"
        log.info("%s: stopping; in-flight work has %g s (a second signal stops at once)",
                 why, self.stop_timeout,
                 extra={"fields": {"event": "stopping", "signal": why}})
        running = [c for c in self.children if c.alive and not c.restart_at]
        for child in running:
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        forced = False
        while any(c.alive for c in running):
            if not forced and (len(self._signals) > first or time.monotonic() > deadline):
                forced = True
                log.warning("stopping now: SIGKILL to what still runs",
                            extra={"fields": {"event": "forced_stop"}})
                for child in running:
                    _signal_group(child, signal.SIGKILL)
            time.sleep(0.05)
        for child in running:
            _signal_group(child, signal.SIGKILL)  # stragglers in a group whose leader left
            assert child.proc is not None
            self._exited(child, child.proc.returncode)
        log.info("stopped", extra={"fields": {"event": "stopped", "forced": forced}})
