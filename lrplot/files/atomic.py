"""Writing a file so that it is either the old or the whole new file, whatever happens."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or chunks of them) to a temporary file, then rename it over ``path``.

    The temporary file is ``.NAME.PID.XXXXXXXX.lrplot-tmp`` in the same folder; it is
    fsynced before the rename, so ``path`` is always either the old or the whole new file.
    An error, SIGINT, SIGTERM or SIGHUP removes it (the signal is then delivered as
    usual); a SIGKILL cannot, so each write first removes the temporaries of ``path``
    whose process is gone. A character device (``/dev/null``, ``/dev/stdout``) or a named
    pipe is written in place: renaming over it would replace it. A pipe is opened without
    waiting: with nothing reading it, the open fails (ENXIO) instead of hanging. Anything
    else that exists and is not a regular file is refused with an OSError.
    """
    chunks = chunks_of(data)
    mode = _mode(path)
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        _write_in_place(path, chunks)
        return
    if mode is not None and not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file, a device or a pipe", str(path))
    folder = path.parent if str(path.parent) else Path(".")
    with _signals_raise():
        temporary = _stage(path, chunks)
        try:
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    _sync_folder(folder)


def write_all_atomic(files: Sequence[tuple[Path, bytes | Iterable[bytes]]]) -> None:
    """Write every file or none: each to a temporary file first, then all renamed at once.

    A failure while writing (a full disk, an interrupt) removes every temporary file, so the
    previous files are all as they were and nothing new is left. The renames come last, as
    a batch: they need no disk space, so only a file system failing outright in between can
    leave some files renamed and the rest (removed temporaries) not. An OSError names the
    target it was writing.
    """
    staged: list[tuple[Path, Path]] = []
    with _signals_raise():
        try:
            for path, data in files:
                try:
                    staged.append((_stage(path, chunks_of(data)), path))
                except OSError as error:
                    raise OSError(error.errno, error.strerror, str(path)) from error
            while staged:
                temporary, path = staged[0]
                os.replace(temporary, path)
                staged.pop(0)
        except BaseException:
            for temporary, _ in staged:
                temporary.unlink(missing_ok=True)
            raise
    for folder in dict.fromkeys(path.parent for path, _ in files):
        _sync_folder(folder if str(folder) else Path("."))


def _stage(path: Path, chunks: Iterable[bytes]) -> Path:
    """``chunks`` written and fsynced to a new temporary file beside ``path``; its path."""
    import secrets

    folder = path.parent if str(path.parent) else Path(".")
    remove_stale_temporaries(folder, path.name)
    token = secrets.token_hex(4)
    temporary = folder / f"{_temporary_prefix(path.name)}{os.getpid()}.{token}{TEMP_SUFFIX}"
    try:
        _write_synced(temporary, chunks)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


TEMP_SUFFIX = ".lrplot-tmp"


def open_in_place(path: Path) -> int | None:
    """A handle for writing the device or named pipe ``path`` in place; None for any other
    path. A pipe is opened without waiting: with nothing reading it, OSError (ENXIO) now."""
    mode = _mode(path)
    if mode is None or not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        return None
    handle = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
    if hasattr(os, "set_blocking"):
        os.set_blocking(handle, True)  # the reader is there: let writes wait for it
    return handle


def write_handle(handle: int, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to an open handle (from :func:`open_in_place`), then close it."""
    try:
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


def _write_in_place(path: Path, chunks: Iterable[bytes]) -> None:
    handle = open_in_place(path)
    if handle is None:  # replaced by a regular file since it was looked at
        raise OSError(errno.EINVAL, "no longer a device or a pipe", str(path))
    write_handle(handle, chunks)


def _mode(path: Path) -> int | None:
    try:
        return os.stat(path).st_mode
    except FileNotFoundError:
        return None


def chunks_of(data: bytes | Iterable[bytes]) -> Iterable[bytes]:
    """Bytes as one chunk; chunks (a generator, say) as they are."""
    return [data] if isinstance(data, (bytes, bytearray)) else data


def _temporary_prefix(name: str) -> str:
    return f".{name[:100]}."  # short enough that the whole name fits in 255 bytes


def _write_synced(temporary: Path, chunks: Iterable[bytes]) -> None:
    # O_EXCL: never write through a file (or link) someone else put there. Mode 0o666 less
    # the umask, as an ordinary new file would get.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    handle = os.open(temporary, flags, 0o666)
    try:
        for chunk in chunks:  # a generator's chunks are made as they are written
            view = memoryview(chunk)
            while view:
                view = view[os.write(handle, view) :]  # os.write may write only part
        os.fsync(handle)
    finally:
        os.close(handle)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every system can open a folder, which is fine."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def remove_stale_temporaries(folder: Path, name: str) -> list[Path]:
    """Delete temporaries of ``name`` in ``folder`` whose lrplot process no longer exists.

    Only a SIGKILL or a power loss leaves one. A live process's temporary is never touched.
    """
    import re

    prefix = _temporary_prefix(name)
    pattern = re.compile(r"(\d+)\.[0-9a-f]{8}" + re.escape(TEMP_SUFFIX))
    removed: list[Path] = []
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return removed
    for entry in names:
        match = pattern.fullmatch(entry[len(prefix) :]) if entry.startswith(prefix) else None
        if match and not _process_exists(int(match.group(1))):
            try:
                (folder / entry).unlink()
            except OSError:
                continue  # gone already, or not ours to remove: harmless either way
            removed.append(folder / entry)
    return removed


def _process_exists(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows' os.kill would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # e.g. another user's process
    return True


class _Interrupted(KeyboardInterrupt):
    """A signal caught while a temporary file exists; raised so that it is removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Turn SIGINT/SIGTERM/SIGHUP into an exception, then deliver the signal as before.

    Only signals left at their default action are taken over (an ignored or custom-handled
    signal is left alone), and only in the main thread, where Python runs handlers.
    """
    import signal
    import threading

    def interrupt(signum: int, frame: object) -> None:
        raise _Interrupted(signum)

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) in (
                signal.SIG_DFL,
                signal.default_int_handler,
            ):
                previous[number] = signal.signal(number, interrupt)
    try:
        yield
    except _Interrupted as interrupted:
        for number, handler in previous.items():
            signal.signal(number, handler)
        previous.clear()
        signal.raise_signal(interrupted.signum)  # the default action: usually the end
        raise
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
