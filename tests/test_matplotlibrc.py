"""A user's matplotlib settings and environment: the figure keeps lrplot's size and can be
drawn, and what matplotlib logs reaches stderr as one lrplot line each (none with -q).

Each case runs the command in a child process, as a user does, with MPLCONFIGDIR pointing
at a folder holding the matplotlibrc under test.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest


def _run(workdir: Path, rc: str | None, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    config = workdir / "config"
    config.mkdir(exist_ok=True)
    if rc is not None:
        (config / "matplotlibrc").write_text(rc)
    environment = {**os.environ, "MPLCONFIGDIR": str(config), **env}
    return subprocess.run(
        [sys.executable, "-m", "lrplot", *args],
        cwd=workdir, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])  # the IHDR chunk
    return width, height


@pytest.mark.parametrize(
    "rc",
    [
        "text.usetex: True\n",  # no LaTeX here: an internal error on every figure before
        "savefig.dpi: 10\n",  # an 80x45 PNG before
        "savefig.bbox: tight\n",  # 1298x738 before
        "figure.dpi: 30\nfigure.figsize: 2, 2\n",
    ],
)
def test_a_matplotlibrc_keeps_the_figures_size_and_lets_it_be_drawn(workdir, rc) -> None:
    result = _run(workdir, rc, "step", "-o", "a.png", "-o", "a.svg", "-o", "a.pdf")
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert _png_size(workdir / "a.png") == (1280, 720)


def test_a_font_family_that_is_not_installed_is_said_once(workdir) -> None:
    result = _run(workdir, "font.family: Comic Sans MS\n", "step", "-o", "a.png")
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert lines and all(
        line.startswith("lrplot: warning: matplotlib: findfont:") for line in lines
    )
    assert len(lines) == len(set(lines)) <= 2  # matplotlib logged it about 215 times
    quiet = _run(workdir, None, "step", "-q", "-o", "a.png")
    assert (quiet.returncode, quiet.stderr) == (0, "")


def test_an_unusable_config_folder_leaves_no_temporary_folder(workdir, tmp_path_factory) -> None:
    scratch = tmp_path_factory.mktemp("tmp")
    blocked = workdir / "a-file"
    blocked.write_text("")
    result = _run(
        workdir, None, "step", "-o", "a.png", MPLCONFIGDIR=str(blocked), TMPDIR=str(scratch)
    )
    assert result.returncode == 0, result.stderr
    assert all(
        line.startswith("lrplot: warning: matplotlib: ") for line in result.stderr.splitlines()
    )
    assert "temporary cache directory" in result.stderr
    assert list(scratch.iterdir()) == []  # matplotlib's exit handler removes it; os._exit skips it


def test_quiet_among_other_short_flags_silences_matplotlib_too(workdir) -> None:
    result = _run(workdir, "font.family: Comic Sans MS\n", "step", "-qv", "-o", "a.png")
    assert (result.returncode, result.stderr) == (0, "")
