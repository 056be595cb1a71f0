"""``check`` and ``render`` on inputs that need a setup of their own (issue 16, parts 1 and 6).

Baselines lrplot did not write (another size, truncated, another schema, NaN, a named pipe),
output paths in read-only folders, and a disk that fills up halfway through ``render``. Each
refusal is exit 2 (1 for a failed write) with one line, and every folder involved is
byte-for-byte what it was.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from lrplot.errors import LrplotError
from lrplot.files import atomic

Lrplot = Callable[..., Any]  # the conftest fixture: lrplot(*args) -> Run
STEP = '[[figure]]\nname = "s"\nscheduler = "step"\nepochs = 20\n'
FIVE = "".join(
    f'[[figure]]\nname = "f{i}"\nscheduler = "step"\nepochs = {10 + i}\n\n' for i in range(5)
)
_real_write_synced = atomic._write_synced
AS_ROOT = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders"
)


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every name under ``folder`` with its bytes (or its kind, for folders and pipes)."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        name = str(path.relative_to(folder))
        out[name] = path.read_bytes() if stat.S_ISREG(mode) else oct(stat.S_IFMT(mode))
    return out


def refused(run: Any, code: int, *fragments: str) -> str:
    """The one stderr line of a refused run, after checking its shape."""
    assert run.code == code, run.err
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("lrplot: error: ") and "Traceback" not in run.err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.fixture
def base(workdir: Path, lrplot: Lrplot) -> Path:
    (workdir / "m.toml").write_text(STEP)
    assert lrplot("render", "m.toml", "-d", "base", "-q").code == 0
    return workdir / "base"


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail, rather than hang the suite, when a read blocks on a named pipe."""

    def alarm(signum: int, frame: object) -> None:
        raise TimeoutError("lrplot blocked on a named pipe")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])  # the IHDR chunk always comes first


# --- A baseline of another pixel size ---------------------------------------------------


def test_a_baseline_of_another_dpi_is_an_image_diff_and_update_fixes_it(
    base: Path, workdir: Path, lrplot: Lrplot
) -> None:
    old = snapshot(base)
    (workdir / "m.toml").write_text("[defaults]\ndpi = 120\n\n" + STEP)
    run = lrplot("check", "m.toml", "--baseline", "base")
    assert run.code == 1 and "Traceback" not in run.err
    summary = json.loads((workdir / "lrplot-check-results" / "summary.json").read_text())
    [figure] = summary["figures"]
    new_png = (workdir / "lrplot-check-results" / "s.png").read_bytes()
    assert figure["status"] == "image-diff" and figure["rms"] is None
    width, height = _size(old["s.png"])  # type: ignore[arg-type]
    assert f"size {width}x{height} -> {'x'.join(map(str, _size(new_png)))} px" in figure["note"]
    assert _size(new_png) != (width, height)
    with Image.open(workdir / "lrplot-check-results" / "s-diff.png") as diff:
        diff.load()  # a whole PNG, both sizes shown
    assert snapshot(base) == old
    junit = workdir / "r.xml"
    assert lrplot("check", "m.toml", "--baseline", "base", "--junit", str(junit)).code == 1
    assert 'type="image-diff"' in junit.read_text()

    assert lrplot("check", "m.toml", "--baseline", "base", "--update").code == 0
    assert (base / "s.png").read_bytes() == new_png
    assert lrplot("check", "m.toml", "--baseline", "base").code == 0
    summary = json.loads((workdir / "lrplot-check-results" / "summary.json").read_text())
    assert summary["figures"][0]["status"] == "match"


# --- Baselines lrplot did not write -------------------------------------------------------


def _png_with_bad_crc(png: bytes) -> bytes:
    broken = bytearray(png)
    start = png.index(b"IDAT") + 8
    broken[start] ^= 0xFF  # one byte of the image data, its checksum left as it was
    return bytes(broken)


def _json_with(series: Callable[[dict[str, Any]], object]) -> Callable[[bytes], bytes]:
    def edit(good: bytes) -> bytes:
        document = json.loads(good)
        series(document)
        return json.dumps(document).encode()

    return edit


def _set(document: dict[str, Any], column: str, row: int, value: object) -> None:
    document["series"][column][row] = value


BROKEN = {
    "truncated PNG": ("s.png", lambda png: png[: len(png) // 2], "truncated PNG"),
    "no PNG": ("s.png", lambda png: b"GIF89a" + png[6:], "not a PNG"),
    "bad CRC": ("s.png", _png_with_bad_crc, "bad checksum"),
    "empty PNG": ("s.png", lambda png: b"", "not a PNG"),
    "bytes after IEND": ("s.png", lambda png: png + b"root:x:0:0", "10 bytes after its end"),
    "not JSON": ("s.json", lambda doc: b"{not json", "not valid JSON"),
    "not UTF-8": ("s.json", lambda doc: b"\xff\xfe{}", "not valid JSON"),
    "other JSON": ("s.json", lambda doc: b'{"a": 1}', "no 'schema'"),
    "a list": ("s.json", lambda doc: b"[1, 2]", "no 'schema'"),
    "schema 2": ("s.json", _json_with(lambda d: d.update(schema=2)), "has schema 2"),
    "no series": ("s.json", _json_with(lambda d: d.pop("series")), "has no series"),
    "series a list": ("s.json", _json_with(lambda d: d.update(series=[1])), "has no series"),
    "text value": ("s.json", _json_with(lambda d: _set(d, "lr", 3, "0.001")), "series.lr[3]"),
    "bool value": ("s.json", _json_with(lambda d: _set(d, "lr", 0, True)), "series.lr[0]"),
    "nested value": ("s.json", _json_with(lambda d: _set(d, "lr", 1, [0.1])), "series.lr[1]"),
    "column not a list": (
        "s.json",
        _json_with(lambda d: d["series"].update(lr=0.1)),
        "series.lr that is not a list",
    ),
    "integer beyond floats": (
        "s.json",
        _json_with(lambda d: _set(d, "lr", 2, 10**400)),
        "series.lr[2]",
    ),
    "deep nesting": ("s.json", lambda doc: b"[" * 100_000, "nested too deeply"),
    # json.loads would keep the second "series" and compare against it without a word.
    "a key twice": (
        "s.json",
        lambda doc: doc.replace(b'"series":', b'"series": {"lr": [1.0]}, "series":', 1),
        '"series" twice',
    ),
    "4301 digits": ("s.json", lambda doc: b'{"schema": 1, "x": ' + b"1" * 4301 + b"}", "JSON"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_baseline_is_refused_and_update_rewrites_it(
    base: Path, workdir: Path, lrplot: Lrplot, kind: str
) -> None:
    name, breaking, problem = BROKEN[kind]
    good = snapshot(base)
    (base / name).write_bytes(breaking((base / name).read_bytes()))
    before = snapshot(workdir)
    line = refused(lrplot("check", "m.toml", "--baseline", "base"), 2, f"base/{name}'", problem)
    assert "lrplot check --update" in line
    assert snapshot(workdir) == before  # no results folder, nothing changed

    assert lrplot("check", "m.toml", "--baseline", "base", "--update").code == 0
    assert snapshot(base) == good  # rewritten: what render wrote, byte for byte
    assert lrplot("check", "m.toml", "--baseline", "base").code == 0


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_a_non_finite_baseline_value_is_a_data_diff(
    base: Path, workdir: Path, lrplot: Lrplot, value: str
) -> None:
    # json.loads reads NaN and Infinity; lrplot never writes them (its JSON is strict), so
    # such a value differs from every number it obtains.
    document = json.loads((base / "s.json").read_text())
    document["series"]["lr"][7] = float(value)
    (base / "s.json").write_text(json.dumps(document))
    assert value in (base / "s.json").read_text()
    before = snapshot(base)
    run = lrplot("check", "m.toml", "--baseline", "base")
    assert run.code == 1 and "Traceback" not in run.err
    summary = json.loads((workdir / "lrplot-check-results" / "summary.json").read_text())
    assert summary["figures"][0]["status"] == "data-diff"
    assert summary["figures"][0]["data"].startswith("lr at epoch 7: ")
    assert summary["figures"][0]["data"].endswith("(rel inf), 1 row differs")
    assert snapshot(base) == before


def test_nan_does_not_equal_nan() -> None:
    from lrplot.regress.compare import Tolerance, compare_data

    both = {"series": {"epoch": [0.0, 1.0], "lr": [0.1, float("nan")]}}
    diff = compare_data(both, both, Tolerance())
    assert diff is not None and diff.row == 1 and diff.column == "lr"


@pytest.mark.parametrize("name", ["s.json", "s.png"])
def test_a_named_pipe_or_folder_as_baseline_is_refused_even_by_update(
    base: Path, workdir: Path, lrplot: Lrplot, no_hang: None, name: str
) -> None:
    (base / name).unlink()
    os.mkfifo(base / name)
    (base / "t.json").mkdir()  # a second figure's baseline is a folder
    (workdir / "m.toml").write_text(STEP + STEP.replace('"s"', '"t"'))
    before = snapshot(workdir)
    for update in ([], ["--update"]):
        line = refused(lrplot("check", "m.toml", "--baseline", "base", *update), 2, "--baseline")
        assert f"'base/{name}': is a special file" in line or "'base/t.json': is a folder" in line
        assert snapshot(workdir) == before


def test_a_baseline_larger_than_the_cap_is_refused(
    base: Path, workdir: Path, lrplot: Lrplot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lrplot.regress import baseline

    monkeypatch.setattr(baseline, "MAX_JSON_BYTES", 1 << 20)
    with (base / "s.json").open("ab") as stream:
        stream.truncate((1 << 20) + 1)  # sparse: costs no disk
    before = snapshot(workdir)
    refused(lrplot("check", "m.toml", "--baseline", "base"), 2, "base/s.json'", "larger than 1 MiB")
    assert snapshot(workdir) == before


def test_a_baseline_claiming_a_huge_size_is_not_decoded(
    base: Path, workdir: Path, lrplot: Lrplot
) -> None:
    # A valid PNG whose header says 40,000 x 40,000 (1.6e9 pixels): an image-diff at once,
    # its size read from the header, the diff picture naming it instead of drawing it.
    raw = zlib.compress(b"\x00" * 40_001, 9)  # one scanline; the rest never decoded

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", 40_000, 40_000, 8, 0, 0, 0, 0)
    huge = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    (base / "s.png").write_bytes(huge)
    run = lrplot("check", "m.toml", "--baseline", "base")
    assert run.code == 1 and "size 40000x40000 ->" in run.err
    assert (workdir / "lrplot-check-results" / "s-diff.png").is_file()


# --- --junit and --results: never into the baselines, checked before any work -----------


@AS_ROOT
@pytest.mark.parametrize("option", ["--junit", "--results"])
def test_an_output_in_a_read_only_folder_is_refused_first(
    base: Path, workdir: Path, lrplot: Lrplot, option: str
) -> None:
    (workdir / "ro").mkdir()
    (workdir / "ro").chmod(0o555)
    value = "ro/r.xml" if option == "--junit" else "ro/results"
    before = snapshot(workdir)
    refused(
        lrplot("check", "m.toml", "--baseline", "base", option, value), 2, f"{option} '{value}'"
    )
    assert snapshot(workdir) == before


@pytest.mark.parametrize("option", ["--junit", "--results"])
def test_an_output_the_system_will_not_let_us_write_is_refused_first(
    base: Path, workdir: Path, lrplot: Lrplot, monkeypatch: pytest.MonkeyPatch, option: str
) -> None:
    # What a read-only folder looks like to lrplot, for a test run as root as well.
    (workdir / "ro").mkdir()
    real = os.access

    def access(path: Any, mode: int, **keywords: Any) -> bool:
        named = isinstance(path, (str, os.PathLike)) and Path(path).name == "ro"
        return not named and real(path, mode, **keywords)

    monkeypatch.setattr(os, "access", access)
    value = "ro/r.xml" if option == "--junit" else "ro/results"
    before = snapshot(workdir)
    line = refused(lrplot("check", "m.toml", "--baseline", "base", option, value), 2)
    assert f"{option} '{value}': is in a folder you cannot write to" in line
    assert snapshot(workdir) == before


def test_junit_through_a_link_into_the_baselines_is_refused(
    base: Path, workdir: Path, lrplot: Lrplot
) -> None:
    (workdir / "link").symlink_to(base)
    before = snapshot(base)
    refused(
        lrplot("check", "m.toml", "--baseline", "base", "--junit", "link/s.json"),
        2,
        "--junit 'link/s.json': is in the baseline folder",
    )
    assert snapshot(base) == before


# --- render: all or nothing ---------------------------------------------------------------


@pytest.fixture
def rendered(workdir: Path, lrplot: Lrplot) -> Path:
    """``out/`` holding an earlier render of five figures (of other lengths than FIVE's)."""
    (workdir / "m.toml").write_text(FIVE.replace("epochs = 1", "epochs = 3"))
    assert lrplot("render", "m.toml", "-d", "out", "-q").code == 0
    (workdir / "m.toml").write_text(FIVE + FIVE.replace('"f', '"g'))
    return workdir / "out"


@pytest.mark.parametrize(
    ("shape", "fragment"),
    [("folder", "is a folder"), ("fifo", "is a special file"), ("file", "which is a file")],
)
def test_render_checks_every_target_before_writing(
    rendered: Path, workdir: Path, lrplot: Lrplot, no_hang: None, shape: str, fragment: str
) -> None:
    target = rendered / "g4.json"  # the very last file of the run
    if shape == "folder":
        target.mkdir()
    elif shape == "fifo":
        os.mkfifo(target)
    else:  # -d names a path under a file: refused for the folder itself
        (workdir / "plain").write_text("x")
    before = snapshot(workdir)
    folder = "plain/out" if shape == "file" else "out"
    line = refused(lrplot("render", "m.toml", "-d", folder, "-q"), 2, "--dir '")
    assert fragment in line
    if shape != "file":
        assert "'out/g4.json'" in line and "figure 'g4'" in line
    assert snapshot(workdir) == before


def test_render_checks_the_contact_sheet_before_writing(
    rendered: Path, workdir: Path, lrplot: Lrplot
) -> None:
    (rendered / "index.md").mkdir()
    before = snapshot(workdir)
    line = refused(lrplot("render", "m.toml", "-d", "out", "--contact-sheet", "-q"), 2)
    assert "--dir 'out/index.md': is a folder where the contact sheet is written" in line
    assert snapshot(workdir) == before


def _fail_on_write(monkeypatch: pytest.MonkeyPatch, nth: int) -> list[Path]:
    """Make the ``nth`` file written run out of disk space; returns the files begun."""
    real = atomic._write_synced
    begun: list[Path] = []

    def write(temporary: Path, chunks: Any) -> None:
        begun.append(temporary)
        if len(begun) == nth:
            with temporary.open("wb") as partial:  # a part written, as a full disk does
                partial.write(b"\x89PNG")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(temporary, chunks)

    monkeypatch.setattr(atomic, "_write_synced", write)
    return begun


@pytest.mark.parametrize("nth", [1, 7, 20])
def test_a_full_disk_while_rendering_leaves_the_previous_files(
    rendered: Path, workdir: Path, lrplot: Lrplot, monkeypatch: pytest.MonkeyPatch, nth: int
) -> None:
    before = snapshot(workdir)
    begun = _fail_on_write(monkeypatch, nth)
    line = refused(lrplot("render", "m.toml", "-d", "out", "-q", "--contact-sheet"), 1)
    assert "No space left on device" in line and "nothing was written" in line
    assert len(begun) == nth and "cannot write out/" in line
    assert snapshot(workdir) == before  # old files as they were, no new file, no temporary


def test_a_full_disk_in_a_new_folder_leaves_no_folder(
    workdir: Path, lrplot: Lrplot, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "m.toml").write_text(FIVE)
    before = snapshot(workdir)
    _fail_on_write(monkeypatch, 4)
    refused(lrplot("render", "m.toml", "-d", "new", "-q"), 1, "No space left on device")
    assert snapshot(workdir) == before


def test_a_full_disk_with_the_two_core_renderer_leaves_the_previous_files(
    rendered: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lrplot.batch import parallel
    from lrplot.batch.manifest import load_manifest
    from lrplot.batch.render import render

    figures = load_manifest(workdir / "m.toml")
    if not parallel.worth_forking(len(figures)):
        pytest.skip("one core: the renderer does not fork")
    forked: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forked.append(1) or real_fork())
    before = snapshot(workdir)
    _fail_on_write(monkeypatch, 13)
    with pytest.raises(LrplotError, match="No space left on device"):
        render(figures, rendered, ("png", "json"), parallel=True)
    assert forked
    assert snapshot(workdir) == before
    # And without the failure the same call writes all 20 files.
    monkeypatch.setattr(atomic, "_write_synced", _real_write_synced)
    report = render(figures, rendered, ("png", "json"), parallel=True)
    assert sum(len(paths) for paths in report.written.values()) == 20
    assert snapshot(workdir) != before
