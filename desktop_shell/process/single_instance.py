"""One app per user: a second launch hands its request to the running one and exits.

How:

- **Lock.** The first launch takes an exclusive, non-blocking lock on `instance.lock`
  (`fcntl.flock`; `msvcrt.locking` on Windows) and holds it until it exits. The
  operating system drops the lock when the process dies, so a crashed or killed
  instance never blocks the next launch, and of two simultaneous launches exactly one
  wins. The lock file itself is never deleted: deleting it would let a third launch lock
  a new file while another still holds the old one.
- **Channel.** The lock holder listens on a TCP socket it binds itself on 127.0.0.1
  (port 0: the system picks one) and writes the port, its pid and a random token to
  `instance.json`, created readable by this user only (0600, written to a temporary
  file and renamed, so a reader never sees half of it). A second launch that cannot take
  the lock reads that file, connects, sends `{"token": ..., "page": ...}` as one line
  and waits for `ok`. The first instance compares the token with
  `hmac.compare_digest`, ignores anything else (other users of the machine and web
  pages in a browser can reach a loopback port, but cannot read the file), and handles
  connections on a thread of its own, so the GUI never waits for the channel. (TCP on
  loopback rather than a Unix socket: the same code on Windows. There, mode 0600 means
  nothing, and the file is private by the ACL of the user's own local-app-data folder.)
- **The secret.** The channel carries the token, this launch's own random secret for
  the channel. The app server's secret (Settings.secret, gate.py) is not written there
  or anywhere else: a second launch has no use for it (it asks the window to come forward, it never
  talks to the server), and on disk it would open the app's HTTP to whoever can read
  the file.
- **Folder.** The per-user runtime folder (`$XDG_RUNTIME_DIR/<app id>` on Linux;
  paths.py gives the equivalent elsewhere), made 0700; if there is none or it is not
  writable, the per-user state folder. Both launches must agree on it, which they do
  as long as they share the user's environment.

Races and failures, from the second launch's side (`claim` retries them for
`START_WAIT` seconds):

- the first instance still starting (lock taken, `instance.json` not written yet) or
  closing (its window gone, lock not yet released: it answers `closing`): retry, and
  take the lock as soon as it is free, then this launch becomes the instance;
- a stale `instance.json` (left by a killed instance): whoever takes the lock
  removes and rewrites it; a reader meanwhile gets a refused connection or a wrong
  token, and retries;
- no answer within `START_WAIT` (the running instance hangs): `Unavailable`, and the
  caller starts a window of its own after saying so. A person who launches an app
  expects a window; an exit code and a message are invisible when the app is started
  from a desktop icon, so "nothing happens" would be the worst answer.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from desktop_shell.process.paths import UserDirs
from desktop_shell.settings import LOOPBACK

log = logging.getLogger(__name__)

LOCK_NAME = "instance.lock"
INFO_NAME = "instance.json"
START_WAIT = 10.0  # seconds a second launch waits for a first one starting or closing
ANSWER_WAIT = 3.0  # seconds to wait for one answer on the channel
MAX_REQUEST = 4096  # bytes: a request is one short JSON line

# What the running instance does with a request: it is handled, or this instance is
# closing and a new one should start once the lock is free.
Answer = Literal["ok", "closing"]


class Unavailable(RuntimeError):
    """No single instance here (no usable folder, or a running instance that does not
    answer); the text says why, and the caller starts a window of its own."""


@dataclass(frozen=True, slots=True)
class Request:
    page: str | None = None  # a page (its url_path) to switch to, or None to just come forward

    def encode(self, token: str) -> bytes:
        return json.dumps({"token": token, "page": self.page}).encode() + b"\n"


def default_dir(dirs: UserDirs) -> Path:
    """Where the lock and the channel's file live, created private (0700) if missing."""
    candidates = [dirs.runtime] if dirs.runtime is not None else []
    candidates.append(dirs.state / "instance")
    problems = []
    for folder in candidates:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
            problems.append(f"{folder} is not writable")
        except OSError as exc:
            problems.append(str(exc))
    raise Unavailable("no per-user folder for the single-instance lock: " + "; ".join(problems))


def _try_lock(path: Path) -> IO[bytes] | None:
    """The open lock file if this process now holds the lock; None if another does."""
    handle = open(path, "a+b")  # noqa: SIM115 - held open for the life of the instance
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError (flock) or PermissionError (msvcrt): held elsewhere
        handle.close()
        return None
    return handle


def _write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` readable by this user only, all at once (a rename)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)


class Primary:
    """This process is the instance: it holds the lock and answers on the channel.

    `listen` starts answering; `close` (or the end of the process) lets the next
    launch take over.
    """

    def __init__(self, folder: Path, lock: IO[bytes]) -> None:
        self._lock = lock
        self._info = folder / INFO_NAME
        self._token = secrets.token_urlsafe(32)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        # A stale file from a killed instance goes first, so nobody reads it from now on.
        with contextlib.suppress(FileNotFoundError):
            self._info.unlink()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind((LOOPBACK, 0))
        self._listener.listen(8)
        self.port = int(self._listener.getsockname()[1])
        info = {"port": self.port, "pid": os.getpid(), "token": self._token}
        _write_private(self._info, json.dumps(info).encode())

    def filenos(self) -> tuple[int, ...]:
        """The lock's and the channel's descriptors: a forked server child must not keep
        them (the lock would stay held for as long as the child lives)."""
        return (self._lock.fileno(), self._listener.fileno())

    def listen(self, on_request: Callable[[Request], Answer], pages: Collection[str]) -> None:
        """Answer second launches on a thread of our own; `on_request` must not block.

        A request for a page not in `pages` (the manifest's url_paths) only brings the
        window to the front.
        """
        self._thread = threading.Thread(
            target=self._serve, args=(on_request, frozenset(pages)), name="single-instance",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        """Stop answering, remove the channel's file, release the lock. Safe to call twice."""
        if self._lock.closed:
            return
        self._stopping.set()
        if self._thread is not None:
            # Wake the blocking accept() with a connection of our own.
            with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, self.port), 1):
                pass
            self._thread.join(5)
        self._listener.close()
        with contextlib.suppress(FileNotFoundError):
            self._info.unlink()
        self._lock.close()  # closing the file releases the lock

    def _serve(self, on_request: Callable[[Request], Answer], pages: frozenset[str]) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            with connection:
                if self._stopping.is_set():
                    return
                try:
                    self._answer(connection, on_request, pages)
                except Exception as exc:  # noqa: BLE001 - one bad client must not stop the channel
                    log.warning("single-instance request failed: %s: %s", type(exc).__name__, exc)

    def _answer(
        self, connection: socket.socket, on_request: Callable[[Request], Answer], pages: frozenset[str]
    ) -> None:
        connection.settimeout(ANSWER_WAIT)
        data = b""
        while b"\n" not in data and len(data) < MAX_REQUEST:
            chunk = connection.recv(MAX_REQUEST)
            if not chunk:
                break
            data += chunk
        try:
            message = json.loads(data.split(b"\n", 1)[0])
            token = str(message["token"]).encode()
        except (ValueError, KeyError, TypeError):
            log.info("single-instance channel: ignored a malformed request")
            return
        if not hmac.compare_digest(token, self._token.encode()):
            log.info("single-instance channel: ignored a request without our token")
            return
        page = message.get("page")
        answer = on_request(Request(page if isinstance(page, str) and page in pages else None))
        connection.sendall(answer.encode() + b"\n")


@dataclass(frozen=True, slots=True)
class Channel:
    """Where the running instance listens, as its `instance.json` says."""

    port: int
    pid: int
    token: str

    @classmethod
    def parse(cls, data: bytes) -> Channel:
        """ValueError for anything but what `Primary` writes: the file may be damaged."""
        try:
            info = json.loads(data)
        except RecursionError:
            raise ValueError("nested too deeply") from None
        if not isinstance(info, dict):
            raise ValueError(f"not a JSON object but {type(info).__name__}")
        port, pid, token = info.get("port"), info.get("pid"), info.get("token")
        if type(port) is not int or not 1 <= port <= 65535:
            raise ValueError(f"port is {port!r}")
        if type(pid) is not int or not 0 < pid < 1 << 31:
            raise ValueError(f"pid is {pid!r}")
        if not isinstance(token, str) or not token.isascii() or not 0 < len(token) < 200:
            raise ValueError("no usable token")
        return cls(port, pid, token)


def _forward(folder: Path, request: Request) -> Answer:
    """Hand `request` to the running instance; raise OSError/ValueError if that failed."""
    channel = Channel.parse((folder / INFO_NAME).read_bytes())
    port, token, pid = channel.port, channel.token, channel.pid
    if sys.platform == "win32":
        # Windows lets only the foreground process give focus away: we are it (just
        # launched), so allow the instance to come forward.
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(pid)  # type: ignore[attr-defined]
    with socket.create_connection((LOOPBACK, port), timeout=ANSWER_WAIT) as connection:
        connection.sendall(request.encode(token))
        with connection.makefile("rb") as stream:
            answer = stream.readline(64).strip().decode("ascii", "replace")
    if answer not in ("ok", "closing"):
        raise ValueError(f"unexpected answer {answer!r}" if answer else "no answer")
    return answer  # type: ignore[return-value]


def claim(folder: Path, request: Request, wait: float = START_WAIT) -> Primary | None:
    """Become the instance (a `Primary`), or hand `request` to the running one (None).

    Raises Unavailable if the lock or the channel cannot be set up here, or if another
    instance holds the lock but takes no request within `wait` seconds.
    """
    deadline = time.monotonic() + wait
    last_problem = "it has not said where it listens yet"
    while True:
        try:
            lock = _try_lock(folder / LOCK_NAME)
            if lock is not None:
                try:
                    return Primary(folder, lock)
                except OSError:
                    lock.close()
                    raise
        except OSError as exc:
            raise Unavailable(f"the single-instance lock in {folder} cannot be used: {exc}") from exc
        try:
            answer = _forward(folder, request)
            if answer == "ok":
                return None
            last_problem = "it is closing"
        except (OSError, ValueError) as exc:
            # Starting (no file yet), a stale or damaged file, or a refused connection.
            last_problem = f"{type(exc).__name__}: {exc}"
        if time.monotonic() > deadline:
            raise Unavailable(
                f"another instance holds the lock in {folder} but did not answer "
                f"within {wait:.0f} s ({last_problem})"
            )
        time.sleep(0.1)
