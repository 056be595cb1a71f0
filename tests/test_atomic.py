"""Atomic writes under failure: an existing file stays as it was and no temporary is left.

Failures are made to happen half-way through a write: a figure that raises while saving, a
disk that fills up after half the bytes, a rename that fails, and a child ``lrplot render``
stopped by SIGTERM, SIGINT or SIGKILL while its temporary file is half written.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lrplot.files.atomic import TEMP_SUFFIX, remove_stale_temporaries, write_atomic

LINUX = sys.platform.startswith("linux")
MANIFEST = '[[figure]]\nname = "s"\nscheduler = "step"\nepochs = 5\n'


def _temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob(f"*{TEMP_SUFFIX}"))


def _fd_path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def test_a_new_file_gets_the_data_and_the_umask_mode(tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    write_atomic(target, b"a,b\n1,2\n")
    mask = os.umask(0)
    os.umask(mask)
    assert target.read_bytes() == b"a,b\n1,2\n"
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert _temporaries(tmp_path) == []


def test_a_figure_raising_during_save_writes_nothing(lrplot, workdir: Path, monkeypatch) -> None:
    from matplotlib.figure import Figure

    def broken_savefig(self: Figure, buffer, **kwargs) -> None:
        buffer.write(b"\x89PNG half a picture")
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(Figure, "savefig", broken_savefig)
    (workdir / "out.png").write_bytes(b"old picture")
    result = lrplot("step", "-o", "out.csv", "-o", "out.png")
    assert result.code == 1
    assert result.err.splitlines() == [
        "lrplot: error: internal error: RuntimeError: renderer exploded "
        "(set LRPLOT_DEBUG=1 for the traceback and please report it)"
    ]
    assert (workdir / "out.png").read_bytes() == b"old picture"
    assert sorted(p.name for p in workdir.iterdir()) == ["out.png"]  # no out.csv either


@pytest.mark.skipif(not LINUX, reason="finds the temporary file through /proc/self/fd")
def test_a_full_disk_half_way_leaves_the_old_file(lrplot, workdir: Path, monkeypatch) -> None:
    real_write = os.write
    half_written: list[str] = []

    def filling_write(fd: int, data) -> int:
        if _fd_path(fd).endswith(TEMP_SUFFIX):
            if not half_written:
                half_written.append(_fd_path(fd))
                return real_write(fd, bytes(data)[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", filling_write)
    (workdir / "out.csv").write_bytes(b"old data\n")
    result = lrplot("step", "-o", "out.csv")
    assert half_written, "the write never reached the temporary file"
    assert result.code == 1
    assert result.err.splitlines() == [
        "lrplot: error: cannot write out.csv: No space left on device"
    ]
    assert (workdir / "out.csv").read_bytes() == b"old data\n"
    assert _temporaries(workdir) == []


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failing_sync_or_rename_leaves_the_old_file(
    tmp_path: Path, monkeypatch, failing: str
) -> None:
    def fail(*args: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, failing, fail)
    target = tmp_path / "out.json"
    target.write_bytes(b"{}\n")
    with pytest.raises(OSError, match="Input/output error"):
        write_atomic(target, b'{"new": true}\n')
    assert target.read_bytes() == b"{}\n"
    assert _temporaries(tmp_path) == []


def test_a_partial_os_write_is_completed(tmp_path: Path, monkeypatch) -> None:
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data)[:3]))
    write_atomic(tmp_path / "x.csv", b"0123456789")
    assert (tmp_path / "x.csv").read_bytes() == b"0123456789"


# A child that runs lrplot with os.write patched: for the temporary file, write half the
# data, tell the parent (the marker file), then wait to be signalled.
CHILD = textwrap.dedent(
    """
    import os, sys, time
    real_write = os.write

    def stalling_write(fd, data):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if target.endswith(".lrplot-tmp"):
            real_write(fd, bytes(data)[: len(data) // 2])
            with open(sys.argv[1], "w") as marker:
                marker.write(target)
            while True:
                time.sleep(0.05)
        return real_write(fd, data)

    os.write = stalling_write
    from lrplot.cli.app import main
    sys.exit(main(sys.argv[2:]))
    """
)


def _stalled_render(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path, Path]:
    """Start ``lrplot render`` into a folder holding an old s.csv; return once it stalls."""
    (tmp_path / "m.toml").write_text(MANIFEST)
    out = tmp_path / "out"
    out.mkdir()
    (out / "s.csv").write_bytes(b"old csv\n")
    marker = tmp_path / "marker"
    argv = ["render", "m.toml", "-d", "out", "-q", "--format", "csv,json"]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(marker), *argv],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120  # a hang guard only: the child imports torch first
    while not marker.exists() or not marker.read_text():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            _, err_text = child.communicate()
            pytest.fail(f"the child never stalled: {child.returncode} {err_text.decode()}")
        time.sleep(0.05)
    return child, out, Path(marker.read_text())


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="the child finds its temporary file through /proc")
@pytest.mark.parametrize(
    ("signum", "status", "message"),
    [
        (signal.SIGTERM, -signal.SIGTERM, b""),
        (signal.SIGINT, 130, b""),  # Typer turns Ctrl-C into a quiet exit 130
    ],
    ids=["SIGTERM", "SIGINT"],
)
def test_a_signalled_render_removes_its_temporary(
    tmp_path: Path, signum: int, status: int, message: bytes
) -> None:
    child, out, temporary = _stalled_render(tmp_path)
    assert temporary.parent == out and temporary.exists()
    child.send_signal(signum)
    _, err = child.communicate(timeout=60)
    assert child.returncode == status
    assert err == message
    assert (out / "s.csv").read_bytes() == b"old csv\n"
    assert sorted(p.name for p in out.iterdir()) == ["s.csv"]  # no temporary, no s.json


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="the child finds its temporary file through /proc")
def test_after_a_sigkill_the_next_write_removes_the_leftover(tmp_path: Path, lrplot) -> None:
    child, out, temporary = _stalled_render(tmp_path)
    child.kill()  # nothing can clean up after SIGKILL ...
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert (out / "s.csv").read_bytes() == b"old csv\n"
    assert _temporaries(out) == [temporary]
    assert temporary.name.startswith(f".s.csv.{child.pid}.")
    # ... so the next write of the same file removes temporaries whose process is gone.
    result = lrplot("render", str(tmp_path / "m.toml"), "-d", str(out), "--format", "csv", "-q")
    assert result.code == 0, result.err
    assert _temporaries(out) == []
    assert (out / "s.csv").read_bytes().startswith(b"step,epoch,lr\n")


def _dead_pid() -> int:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    return finished.pid


@pytest.mark.skipif(os.name != "posix", reason="uses process ids")
def test_only_temporaries_of_gone_processes_are_removed(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getpid()
    stale = tmp_path / f".x.csv.{dead}.0badf00d{TEMP_SUFFIX}"
    live = tmp_path / f".x.csv.{alive}.0badf00d{TEMP_SUFFIX}"
    other_file = tmp_path / f".x.csv.5.{dead}.0badf00d{TEMP_SUFFIX}"  # belongs to "x.csv.5"
    unrelated = tmp_path / f".x.csv.{dead}.notatemp"
    for path in (stale, live, other_file, unrelated):
        path.write_bytes(b"half")
    assert remove_stale_temporaries(tmp_path, "x.csv") == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (live, other_file, unrelated)
    )


def test_write_atomic_cleans_stale_temporaries_first(tmp_path: Path) -> None:
    stale = tmp_path / f".x.csv.{_dead_pid()}.12345678{TEMP_SUFFIX}"
    stale.write_bytes(b"half")
    write_atomic(tmp_path / "x.csv", b"new\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


def test_signal_handlers_are_restored_after_a_write(tmp_path: Path) -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    write_atomic(tmp_path / "x.csv", b"1\n")
    assert {s: signal.getsignal(s) for s in before} == before
