"""Filesystem shapes, special files, closed streams and parser limits (issue 16, parts 2-3).

The bad-input catalogue (tests/test_bad_input.py) holds the cases that need only text files;
the ones here need a named pipe, a symbolic link loop, a sparse file, a socket, a closed or
full standard stream, or a Hypothesis strategy over all of those shapes.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrplot.batch.manifest import load_manifest
from lrplot.cli.app import main
from lrplot.errors import InputError
from lrplot.files.atomic import write_atomic
from lrplot.spec.parsing import MAX_NESTING, parse_json, parse_toml
from lrplot.spec.reading import MAX_INPUT_BYTES, FileProblem, read_text

ROOT = Path(__file__).resolve().parent.parent
POSIX = pytest.mark.skipif(os.name != "posix", reason="named pipes and /dev are POSIX")
AS_ROOT = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root reads and writes past permissions"
)
STEP = '[[figure]]\nname = "s"\nscheduler = "step"\nepochs = 5\n'
PLATEAU = '[[figure]]\nname = "p"\nscheduler = "plateau"\nepochs = 3\nmetrics = "{}"\n'


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (a FIFO opened for reading waits for a writer)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _one_line(result, *fragments: str) -> None:
    assert result.code == 2, result.err
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lrplot: error: "), result.err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


# --- Inputs that are not regular files -----------------------------------------------------


@POSIX
@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["render", "pipe.toml", "-d", "out"], ["MANIFEST 'pipe.toml'", "named pipe (FIFO)"]),
        (["check", "pipe.toml", "--baseline", "base"], ["MANIFEST 'pipe.toml'", "named pipe"]),
        (["plateau", "--metrics", "pipe.toml", "-o", "p.csv"], ["--metrics 'pipe.toml'", "FIFO"]),
    ],
)
def test_a_named_pipe_as_input_is_refused_without_waiting(lrplot, workdir, argv, fragments):
    os.mkfifo(workdir / "pipe.toml")
    (workdir / "base").mkdir()
    with _deadline(20):
        result = lrplot(*argv)
    _one_line(result, *fragments)
    assert sorted(p.name for p in workdir.iterdir()) == ["base", "pipe.toml"]


@POSIX
def test_a_symbolic_link_loop_is_named_as_such(lrplot, workdir: Path) -> None:
    (workdir / "loop.toml").symlink_to("loop.toml")
    _one_line(lrplot("render", "loop.toml", "-d", "out"), "'loop.toml'", "symbolic link loop")
    _one_line(lrplot("plateau", "--metrics", "loop.toml"), "--metrics", "symbolic link loop")
    (workdir / "loop.csv").symlink_to("loop.csv")
    _one_line(lrplot("step", "-o", "loop.csv"), "--output 'loop.csv'", "symbolic link loop")


def test_a_file_over_the_cap_is_refused_unread(lrplot, workdir: Path) -> None:
    # Sparse: 16 MiB + 1 byte of size, no disk; the cap is checked before anything is read.
    for name in ("big.toml", "big.csv"):
        with open(workdir / name, "wb") as handle:
            handle.truncate(MAX_INPUT_BYTES + 1)
    _one_line(lrplot("render", "big.toml", "-d", "out"), "'big.toml'", "larger than 16 MiB")
    _one_line(lrplot("plateau", "--metrics", "big.csv"), "'big.csv'", "larger than 16 MiB")


def test_a_file_at_the_cap_is_read(tmp_path: Path) -> None:
    path = tmp_path / "m.txt"
    path.write_bytes(b"1\n" * (MAX_INPUT_BYTES // 2))
    assert len(read_text(path)) == MAX_INPUT_BYTES
    path.write_bytes(b"1\n" * (MAX_INPUT_BYTES // 2) + b"1")
    with pytest.raises(FileProblem, match="larger than 16 MiB"):
        read_text(path)


def test_a_file_that_is_not_utf8_is_named_with_its_byte(lrplot, workdir: Path) -> None:
    (workdir / "m.toml").write_bytes(STEP.encode() + b"# caf\xe9\n")
    _one_line(lrplot("render", "m.toml", "-d", "out"), "'m.toml'", f"byte {len(STEP) + 5}")


@POSIX
def test_a_device_size_says_nothing_its_kind_does(tmp_path: Path) -> None:
    # /dev/zero reports size 0 and never ends: it must be refused by its kind, unread.
    with pytest.raises(FileProblem, match="is a device"):
        read_text(Path("/dev/zero"))


@AS_ROOT
def test_an_unreadable_file_is_bad_input(lrplot, workdir: Path) -> None:
    path = workdir / "m.toml"
    path.write_text(STEP)
    path.chmod(0)
    _one_line(lrplot("render", "m.toml", "-d", "out"), "'m.toml'", "permission denied")


# --- Outputs --------------------------------------------------------------------------------


@POSIX
def test_dev_null_takes_any_format_and_stays_a_device(lrplot, workdir: Path) -> None:
    result = lrplot("step", "-o", "/dev/null", "--format", "png")
    assert (result.code, result.out) == (0, "/dev/null\n"), result.err
    assert Path("/dev/null").is_char_device()
    _one_line(lrplot("step", "-o", "/dev/null"), "--output '/dev/null'", "--format")


@POSIX
def test_a_named_pipe_nobody_reads_is_refused_not_waited_on(lrplot, workdir: Path) -> None:
    os.mkfifo(workdir / "p.csv")
    with _deadline(30):
        result = lrplot("step", "-n", "2", "-o", "p.csv")
    _one_line(result, "--output 'p.csv'", "nothing reads")


@POSIX
def test_a_named_pipe_nobody_reads_is_refused_before_any_other_target(
    lrplot, workdir: Path
) -> None:
    os.mkfifo(workdir / "p.csv")
    (workdir / "old.json").write_text("kept")
    with _deadline(30):
        result = lrplot("step", "-n", "2", "-o", "new.png", "-o", "old.json", "-o", "p.csv")
    _one_line(result, "--output 'p.csv'", "nothing reads")
    assert sorted(p.name for p in workdir.iterdir()) == ["old.json", "p.csv"]
    assert (workdir / "old.json").read_text() == "kept"


@POSIX
def test_a_socket_is_not_a_target(lrplot, workdir: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind("s.csv")
        _one_line(lrplot("step", "-o", "s.csv"), "--output 's.csv'", "socket")
        with pytest.raises(OSError, match="not a regular file"):
            write_atomic(workdir / "s.csv", b"x")  # the writer refuses it too
    finally:
        server.close()


@AS_ROOT
def test_a_read_only_file_is_kept(lrplot, workdir: Path) -> None:
    path = workdir / "x.csv"
    path.write_text("mine\n")
    path.chmod(0o444)
    _one_line(lrplot("step", "-o", "x.csv"), "--output 'x.csv'", "read-only")
    assert path.read_text() == "mine\n"


# --- Parser limits: the boundary on both sides ----------------------------------------------


def _nested_toml(depth: int) -> str:
    return "a = " + "[" * depth + "1" + "]" * depth + "\n"


def test_toml_nesting_up_to_the_limit_parses_and_past_it_is_refused() -> None:
    value = parse_toml(_nested_toml(MAX_NESTING - 1))["a"]
    for _ in range(MAX_NESTING - 1):
        (value,) = value
    assert value == 1
    with pytest.raises(FileProblem, match=f"more than {MAX_NESTING} levels"):
        parse_toml(_nested_toml(MAX_NESTING + 1))
    with pytest.raises(FileProblem, match=f"more than {MAX_NESTING} levels"):
        parse_toml(_nested_toml(100_000))  # tomllib alone: RecursionError


def test_brackets_inside_strings_and_comments_do_not_count() -> None:
    text = f"a = \"{'[' * 100}\"  # {'{' * 100}\nb = '''\n{'[' * 100}'''\n"
    assert parse_toml(text)["a"] == "[" * 100


def test_dotted_keys_and_inline_tables_count_as_nesting() -> None:
    key = ".".join(["k"] * MAX_NESTING)
    assert parse_toml(f"{key} = 1\n")
    with pytest.raises(FileProblem, match="dotted key"):
        parse_toml(f"{key}.k = 1\n")  # tomllib's time grows with the square of the parts
    inner = ".".join(["k"] * 20)
    with pytest.raises(FileProblem, match="tables and arrays more than"):
        parse_toml(f"a = {{ {inner} = {{ {inner} = 1 }} }}\n")


def test_integer_digits_follow_pythons_limit() -> None:
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
    assert parse_toml(f"a = {'1' * limit}\n")["a"] == int("1" * limit)
    with pytest.raises(FileProblem, match=f"more than {limit:,} digits"):
        parse_toml(f"a = {'1' * (limit + 1)}\n")
    with pytest.raises(FileProblem, match=f"more than {limit:,} digits"):
        parse_json(f"[{'1' * (limit + 1)}]")


def test_json_nesting_past_the_limit_is_refused() -> None:
    value = parse_json("[" * MAX_NESTING + "]" * MAX_NESTING)
    for _ in range(MAX_NESTING - 1):
        (value,) = value
    assert value == []
    with pytest.raises(FileProblem, match="32 levels"):
        parse_json("[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1))
    with pytest.raises(FileProblem, match="32 levels"):
        parse_json("[" * 100_000 + "]" * 100_000)  # json alone: RecursionError
    assert parse_json('["[[[[", {"a": "]]"}]') == ["[[[[", {"a": "]]"}]


def test_the_shipped_manifests_are_within_the_limits() -> None:
    for path in sorted(ROOT.glob("examples/**/*.toml")):
        parse_toml(path.read_text())


# --- Standard streams closed or full (the installed command, in a subprocess) ---------------


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        ["/bin/sh", "-c", command.replace("lrplot", f"{sys.executable} -m lrplot", 1)],
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.mark.slow
@POSIX
@pytest.mark.parametrize(
    ("command", "code", "message"),
    [
        ("lrplot step -o - --format csv > /dev/full", 1, "No space left on device"),
        ("lrplot step -o - --format csv >&-", 1, "standard output is closed"),
        ("lrplot list > /dev/full", 1, "standard output cannot be written"),
        ("lrplot step -o x.csv -v 2>&-", 1, None),  # its --verbose lines had nowhere to go
        ("lrplot step --step-size 0 2>/dev/full", 2, None),  # still bad input, said nowhere
        ("lrplot step -n 200000 -o - --format csv | head -c 10 >/dev/null", 1, None),
    ],
)
def test_a_broken_standard_stream_ends_in_one_line_or_none(
    tmp_path: Path, command: str, code: int, message: str | None
) -> None:
    if "| head" in command:  # the pipeline's status is head's: ask for lrplot's own
        command = f"( {command.split(' | ')[0]}; echo $? >status ) | head -c 10 >/dev/null"
    done = _shell(command, tmp_path)
    status = int((tmp_path / "status").read_text()) if "status" in command else done.returncode
    err = done.stderr.decode()
    assert status == code, err
    assert "Traceback" not in err and "Exception ignored" not in err
    if not message:
        assert err == ""
    else:
        assert len(err.splitlines()) == 1 and message in err, err


# --- Fuzz: every shape as every input and output --------------------------------------------

Shape = Callable[[Path, str, str], str]  # (folder, name, good content) -> the path to pass


def _missing(folder: Path, name: str, content: str) -> str:
    return name


def _regular(folder: Path, name: str, content: str) -> str:
    (folder / name).write_text(content)
    return name


def _folder(folder: Path, name: str, content: str) -> str:
    (folder / name).mkdir()
    return name


def _fifo(folder: Path, name: str, content: str) -> str:
    os.mkfifo(folder / name)
    return name


def _read_only_folder(folder: Path, name: str, content: str) -> str:
    (folder / "ro").mkdir()
    (folder / "ro").chmod(0o555)
    return f"ro/{name}"


def _under_a_file(folder: Path, name: str, content: str) -> str:
    (folder / "plain").write_text("x")
    return f"plain/{name}"


def _long_name(folder: Path, name: str, content: str) -> str:
    return "n" * 300 + name


def _link_loop(folder: Path, name: str, content: str) -> str:
    (folder / name).symlink_to(name)
    return name


def _device(folder: Path, name: str, content: str) -> str:
    return "/dev/null"


SHAPES: dict[str, Shape] = {
    "missing": _missing,
    "file": _regular,
    "folder": _folder,
    "fifo": _fifo,
    "read-only folder": _read_only_folder,
    "under a file": _under_a_file,
    "long name": _long_name,
    "symlink loop": _link_loop,
    "device": _device,
}
#: (argv with {} for the path, the path's name, good content for it).
CSV = ["--format", "csv", "-q"]
METRICS = "1\n2\n3\n"
ROLES = {
    "render MANIFEST": (["render", "{}", "-d", "out", *CSV], "r.toml", STEP),
    "check MANIFEST": (["check", "{}", "--baseline", "base", "--data-only"], "c.toml", STEP),
    "--metrics FILE": (["plateau", "-n", "3", "--metrics", "{}", "-o", "p.csv"], "m.csv", METRICS),
    "manifest metrics": (["render", "p.toml", "-d", "out", *CSV], "m.csv", METRICS),
    "step -o TARGET": (["step", "-n", "3", "-o", "{}"], "x.csv", "old\n"),
    "render -d DIR": (["render", "m.toml", "-d", "{}", *CSV], "d", ""),
    "check --baseline DIR": (["check", "m.toml", "--baseline", "{}", "--data-only"], "b", ""),
}


def _snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    found = {}
    for path in folder.rglob("*"):
        info = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        found[str(path.relative_to(folder))] = (info.st_mode, info.st_mtime_ns, data)
    return found


def _run_in(folder: Path, argv: list[str]) -> tuple[int, str]:
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setattr(sys, "stdout", stdout)
        patch.setattr(sys, "stderr", stderr)
        with _deadline(60):
            code = main(argv)
    return code, stderr.getvalue()


def _exercise(role: str, shape: str) -> None:
    argv, name, content = ROLES[role]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "m.toml").write_text(STEP)
        (folder / "base").mkdir()
        path = SHAPES[shape](folder, name, content)
        if role == "manifest metrics":
            (folder / "p.toml").write_text(PLATEAU.format(path))
        before = _snapshot(folder)
        code, err = _run_in(folder, [part.replace("{}", path) for part in argv])
        allowed = {0, 1, 2} if role.startswith("check") else {0, 2}  # 1: a missing baseline
        assert code in allowed, (role, shape, code, err)
        assert "Traceback" not in err and "internal error" not in err, (role, shape, err)
        if code == 2:
            assert len(err.splitlines()) == 1, (role, shape, err)
            assert _snapshot(folder) == before, (role, shape)
        (folder / "ro").exists() and (folder / "ro").chmod(0o755)


@POSIX
@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    role=st.sampled_from(sorted(ROLES)),
    shape=st.sampled_from(sorted(SHAPES)),
)
def test_every_filesystem_shape_ends_in_exit_0_or_2_and_one_line(role: str, shape: str) -> None:
    _exercise(role, shape)


@POSIX
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_as_the_baseline_folder(shape: str) -> None:
    """Each shape once for --baseline (check's reading of it came with the other part)."""
    _exercise("check --baseline DIR", shape)


def test_input_errors_carry_the_path_shortened() -> None:
    with pytest.raises(InputError, match=r"too long for a file name") as caught:
        load_manifest("n" * 300 + ".toml")
    assert "n" * 40 + "... (305 characters)" in str(caught.value)


def test_the_readme_states_the_limits_the_code_has() -> None:
    from lrplot.spec.reading import CAP_TEXT

    section = (ROOT / "README.md").read_text().split("## Errors and exit codes", 1)[1]
    assert f"{MAX_INPUT_BYTES // 2**20} MiB" == CAP_TEXT
    assert CAP_TEXT in section
    assert f"more than {MAX_NESTING} levels" in section
    assert f"more than {MAX_NESTING} parts" in section
    assert "4,300 digits" in section


@POSIX
@pytest.mark.skipif(not Path("/dev/tty").exists(), reason="no /dev/tty")
def test_a_terminal_device_with_no_terminal_is_not_called_a_pipe(workdir: Path) -> None:
    result = subprocess.run(  # a new session: no controlling terminal, as under cron or CI
        [sys.executable, "-m", "lrplot", "step", "-n", "3", "-o", "/dev/tty", "--format", "csv"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, start_new_session=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert "'/dev/tty': is a device with nothing behind it" in result.stderr
    assert "named pipe" not in result.stderr
