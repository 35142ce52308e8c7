"""One long-lived child process that reads PDFs for this process, one file at a time.

Reading a PDF in a child process means that a damaged or hostile file can crash or
stall only the child; but starting a Python interpreter (and PDFium) costs more than
reading most files. So one child, `python -m core.documents.pdf_worker --serve`, is
started on first use and reused: each file goes to it on its standard input and the
reply comes back on its standard output (the frames are described in `pdf_worker`).

- One file at a time: a lock serialises the callers (the GUI imports from background
  threads). A file's time limit starts when it gets the child.
- The reply is awaited in a thread, with a deadline (pipes cannot be waited on with a
  time limit on every platform). Past the deadline the child is killed
  (`ReaderTimeout`); a child that dies or answers garbage is dropped
  (`ReaderStopped`). Either way the next file gets a fresh child. A reused child that
  turns out to be dead (killed while it was idle) is replaced and the file sent once
  more, so that only a file that itself kills the child is refused.
- The child is replaced after `FILES_PER_CHILD` files or `BYTES_PER_CHILD` bytes, to
  bound any growth of PDFium's memory, and stopped when this interpreter exits.
- A child is only used by the process that started it: after a fork, the forked
  process starts its own.
"""

import atexit
import contextlib
import json
import math
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from core.documents.pdf_worker import REPLY, REQUEST, SERVE

FILES_PER_CHILD = 100
BYTES_PER_CHILD = 1024**3
STOP_SECONDS = 1.0  # how long a child is given to finish before it is killed
MAX_REPLY_BYTES = 1 << 31
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class ReaderTimeout(Exception):
    """The child did not answer in time; it has been killed."""


class ReaderStopped(Exception):
    """The child died, or answered something other than a reply; it has been dropped."""


class _Died(ReaderStopped):
    """The child's pipes closed before a whole reply came: the child is gone."""


_Spec = tuple[tuple[str, ...], dict[str, str]]


def _launch_spec() -> _Spec:
    """The child's command line and environment (this package importable)."""
    environment = dict(os.environ)
    paths = [_PACKAGE_ROOT, *filter(None, [environment.get("PYTHONPATH")])]
    environment["PYTHONPATH"] = os.pathsep.join(paths)
    return (sys.executable, "-m", "core.documents.pdf_worker", SERVE), environment


def _seconds_until(deadline: float) -> float | None:
    if math.isinf(deadline):
        return None
    return min(max(deadline - time.monotonic(), 0.0), threading.TIMEOUT_MAX)


class _Child:
    """One started child, its pipes, and what it has read so far."""

    def __init__(self, spec: _Spec) -> None:
        command, environment = spec
        self.spec = spec
        self.owner = os.getpid()
        self.files = 0
        self.bytes = 0
        self.exchange: threading.Thread | None = None
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=environment,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    @property
    def worn(self) -> bool:
        return self.files >= FILES_PER_CHILD or self.bytes >= BYTES_PER_CHILD

    def read(self, data: bytes, max_pages: int, deadline: float) -> dict[str, Any]:
        """The child's reply for one PDF; raises ReaderTimeout or ReaderStopped."""
        outcome: list[bytes | ReaderStopped] = []
        self.exchange = threading.Thread(
            target=self._exchange, args=(data, max_pages, outcome), daemon=True
        )
        self.exchange.start()
        self.exchange.join(_seconds_until(deadline))
        if self.exchange.is_alive():
            raise ReaderTimeout
        self.exchange = None
        reply = outcome[0]
        if isinstance(reply, ReaderStopped):
            raise reply
        try:
            result = json.loads(reply)
        except ValueError:
            raise ReaderStopped from None
        if not isinstance(result, dict):
            raise ReaderStopped
        self.files += 1
        self.bytes += len(data)
        return result

    def _exchange(self, data: bytes, max_pages: int, outcome: list[bytes | ReaderStopped]) -> None:
        """Send one request and take its reply (in a thread: this can block for ever)."""
        try:
            outcome.append(self._request(data, max_pages))
        except (OSError, ValueError):  # a broken or closed pipe
            outcome.append(_Died())
        except ReaderStopped as exc:
            outcome.append(exc)
        except Exception:  # a reply too large to hold, say
            outcome.append(ReaderStopped())

    def _request(self, data: bytes, max_pages: int) -> bytes:
        requests, replies = self.process.stdin, self.process.stdout
        if requests is None or replies is None:
            raise _Died
        requests.write(REQUEST.pack(len(data), max_pages))
        requests.write(data)
        requests.flush()
        header = replies.read(REPLY.size)
        if len(header) < REPLY.size:
            raise _Died
        (length,) = REPLY.unpack(header)
        if length > MAX_REPLY_BYTES:
            raise ReaderStopped
        body = replies.read(length)
        if len(body) < length:
            raise _Died
        return body

    def stop(self) -> None:
        """End the child's input so that it finishes; kill it if it does not at once."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(STOP_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def kill(self) -> None:
        """Kill the child (if still running), reap it, and close the pipes."""
        try:
            self.process.kill()
            self.process.wait(STOP_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            pass
        exchange = self.exchange
        if exchange is not None:
            exchange.join(STOP_SECONDS)  # the pipes end with the child
            if exchange.is_alive():
                return  # still blocked: closing its pipe would block too
        for stream in (self.process.stdin, self.process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except (OSError, ValueError):
                pass


_lock = threading.Lock()
_child: _Child | None = None
_stop_registered = False


def read_in_child(data: bytes, max_pages: int, timeout: float) -> dict[str, Any]:
    """`pdf_reader.read_pdf(data, max_pages)` as the child answers it, within `timeout`.

    Raises ReaderTimeout, ReaderStopped, or OSError when the child cannot start.
    """
    with _lock:
        deadline = time.monotonic() + timeout
        while True:
            child, reused = _take_child()
            try:
                result = child.read(data, max_pages, deadline)
            except _Died:
                _drop(child).kill()
                if reused:
                    continue  # it died while idle: once more, with a fresh child
                raise ReaderStopped from None
            except BaseException:
                _drop(child).kill()
                raise
            if child.worn:
                _drop(child).stop()
            return result


def reader_pid() -> int | None:
    """The process id of this process's reader child, if one is running."""
    child = _child
    if child is None or child.owner != os.getpid() or not child.alive:
        return None
    return child.process.pid


def stop_reader() -> None:
    """Stop the reader child; if a file is being read, kill the child instead of waiting."""
    global _child
    if not _lock.acquire(timeout=STOP_SECONDS):
        child = _child
        if child is not None and child.owner == os.getpid():
            with contextlib.suppress(OSError):
                child.process.kill()  # the reading thread sees it go and drops it
        return
    try:
        child, _child = _child, None
        if child is not None and child.owner == os.getpid():
            child.stop()
    finally:
        _lock.release()


def _take_child() -> tuple[_Child, bool]:
    """The running child (True: reused), or a new one if there is none fit for use."""
    global _child, _stop_registered
    spec = _launch_spec()
    child = _child
    if child is not None and child.owner != os.getpid():
        child = _child = None  # started before a fork: it belongs to the parent
    if child is not None and (child.spec != spec or not child.alive):
        _drop(child).kill()
        child = None
    if child is not None:
        return child, True
    child = _child = _Child(spec)
    if not _stop_registered:
        atexit.register(stop_reader)
        _stop_registered = True
    return child, False


def _drop(child: _Child) -> _Child:
    global _child
    if _child is child:
        _child = None
    return child


def _forget_after_fork() -> None:
    global _lock, _child
    _lock = threading.Lock()
    _child = None


if sys.platform != "win32":
    os.register_at_fork(after_in_child=_forget_after_fork)
