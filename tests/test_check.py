"""``lrplot check``: every status, every exit code, the artefacts, and baselines left alone."""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from PIL import Image

from lrplot.regress.compare import Tolerance, compare_data
from lrplot.regress.pixels import rms_difference

MANIFEST = """
[defaults]
epochs = 40

[[figure]]
name = "steps"
scheduler = "step"
step-size = 10
gamma = 0.5
title = "StepLR"

[[figure]]
name = "cosine"
scheduler = "cosine"
t-max = 20
"""

Lrplot = Callable[..., Any]  # the conftest fixture: lrplot(*args) -> Run


@pytest.fixture
def gallery(workdir: Path, lrplot: Lrplot) -> Path:
    """A manifest and its freshly rendered baselines in ``base/``."""
    (workdir / "m.toml").write_text(MANIFEST)
    assert lrplot("render", "m.toml", "-d", "base", "-q").code == 0
    return workdir / "base"


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _statuses(workdir: Path) -> dict[str, str]:
    summary = json.loads((workdir / "lrplot-check-results" / "summary.json").read_text())
    return {figure["name"]: figure["status"] for figure in summary["figures"]}


def _edit_json(path: Path, column: str, row: int, value: float) -> None:
    document = json.loads(path.read_text())
    document["series"][column][row] = value
    path.write_text(json.dumps(document))


def test_untouched_baselines_match(gallery: Path, workdir: Path, lrplot: Lrplot) -> None:
    before = _digest(gallery)
    run = lrplot("check", "m.toml", "--baseline", "base")
    assert run.code == 0, run.err
    assert _statuses(workdir) == {"steps": "match", "cosine": "match"}
    assert "checked 2 figures: 2 match" in run.err
    assert _digest(gallery) == before


def test_a_changed_number_is_a_data_diff_naming_the_row(
    gallery: Path, workdir: Path, lrplot: Lrplot
) -> None:
    _edit_json(gallery / "steps.json", "lr", 25, 0.003)
    before = _digest(gallery)
    run = lrplot("check", "m.toml", "--baseline", "base")
    assert run.code == 1
    assert _statuses(workdir)["steps"] == "data-diff"
    # Row 25 is epoch 25 (one step per epoch); the obtained lr there is 1e-3 * 0.5**2.
    assert "lr at epoch 25: 0.003 -> 0.00025" in run.err
    assert "1 row differs" in run.err
    assert _digest(gallery) == before  # check without --update never writes baselines
    results = workdir / "lrplot-check-results"
    assert {"steps.json", "steps.png", "steps-diff.png"} <= {p.name for p in results.iterdir()}
    with Image.open(results / "steps-diff.png") as diff:
        assert diff.size[0] > 400


def test_rtol_decides_what_counts_as_equal(gallery: Path, workdir: Path, lrplot: Lrplot) -> None:
    old = json.loads((gallery / "cosine.json").read_text())["series"]["lr"][7]
    _edit_json(gallery / "cosine.json", "lr", 7, old * (1 + 1e-12))
    assert lrplot("check", "m.toml", "--baseline", "base").code == 0
    assert lrplot("check", "m.toml", "--baseline", "base", "--rtol", "0").code == 1
    assert _statuses(workdir)["cosine"] == "data-diff"
    assert (
        lrplot("check", "m.toml", "--baseline", "base", "--rtol", "0", "--atol", "1e-9").code == 0
    )


def test_a_new_title_is_an_image_diff_unless_data_only(
    gallery: Path, workdir: Path, lrplot: Lrplot
) -> None:
    (workdir / "m.toml").write_text(MANIFEST.replace('"StepLR"', '"StepLR, retitled"'))
    run = lrplot("check", "m.toml", "--baseline", "base")
    assert run.code == 1
    assert _statuses(workdir)["steps"] == "image-diff"
    summary = json.loads((workdir / "lrplot-check-results" / "summary.json").read_text())
    rms = {f["name"]: f["rms"] for f in summary["figures"]}
    assert rms["steps"] > 2.0 and rms["cosine"] == 0.0
    assert (workdir / "lrplot-check-results" / "steps-diff.png").is_file()
    assert lrplot("check", "m.toml", "--baseline", "base", "--data-only").code == 0
    loose = lrplot("check", "m.toml", "--baseline", "base", "--image-tol", str(rms["steps"] + 1))
    assert loose.code == 0


def test_missing_and_extra_baselines(gallery: Path, workdir: Path, lrplot: Lrplot) -> None:
    (gallery / "cosine.png").unlink()
    (gallery / "old-figure.json").write_text("{}")
    run = lrplot("check", "m.toml", "--baseline", "base")
    assert run.code == 1
    assert _statuses(workdir) == {"steps": "match", "cosine": "missing", "old-figure": "extra"}
    # --data-only needs only the JSON, so the PNG is not missing then.
    assert (
        lrplot("check", "m.toml", "--baseline", "base", "--data-only", "--only", "cosine").code == 0
    )


def test_a_missing_png_does_not_hide_a_data_difference(
    gallery: Path, workdir: Path, lrplot: Lrplot
) -> None:
    _edit_json(gallery / "steps.json", "lr", 12, 0.5)
    (gallery / "steps.png").unlink()
    assert lrplot("check", "m.toml", "--baseline", "base").code == 1
    assert _statuses(workdir)["steps"] == "data-diff"
    lrplot("check", "m.toml", "--baseline", "base", "--update")
    assert lrplot("check", "m.toml", "--baseline", "base").code == 0  # both rewritten


def test_only_does_not_call_other_figures_extra(
    gallery: Path, workdir: Path, lrplot: Lrplot
) -> None:
    assert lrplot("check", "m.toml", "--baseline", "base", "--only", "steps").code == 0
    assert _statuses(workdir) == {"steps": "match"}


def test_update_rewrites_what_differs_and_prune_removes_extras(
    gallery: Path, workdir: Path, lrplot: Lrplot
) -> None:
    _edit_json(gallery / "steps.json", "lr", 3, 1.0)
    (gallery / "cosine.json").unlink()
    (gallery / "old-figure.png").write_bytes(b"not a figure")
    untouched = (gallery / "cosine.png").read_bytes()
    run = lrplot("check", "m.toml", "--baseline", "base", "--update")
    assert run.code == 1  # the extra is still there
    assert "updated steps, cosine" in run.err
    assert (gallery / "cosine.json").is_file()
    assert (gallery / "cosine.png").read_bytes() == untouched  # missing JSON: both rewritten
    run = lrplot("check", "m.toml", "--baseline", "base", "--update", "--prune")
    assert run.code == 0 and "pruned old-figure" in run.err
    assert not (gallery / "old-figure.png").exists()
    assert lrplot("check", "m.toml", "--baseline", "base").code == 0


def test_update_exits_0_once_what_differed_is_rewritten(
    gallery: Path, workdir: Path, lrplot: Lrplot
) -> None:
    """The README's exit-code list: --update succeeds when it rewrote what was asked."""
    _edit_json(gallery / "steps.json", "lr", 3, 1.0)
    (workdir / "m.toml").write_text(MANIFEST.replace('"StepLR"', '"StepLR, retitled"'))
    assert lrplot("check", "m.toml", "--baseline", "base").code == 1
    run = lrplot("check", "m.toml", "--baseline", "base", "--update")
    assert run.code == 0, run.err
    assert "updated steps" in run.err
    assert json.loads((gallery / "steps.json").read_text())["series"]["lr"][3] != 1.0
    assert lrplot("check", "m.toml", "--baseline", "base").code == 0


def test_update_fills_a_new_baseline_folder(workdir: Path, lrplot: Lrplot) -> None:
    (workdir / "m.toml").write_text(MANIFEST)
    assert lrplot("check", "m.toml", "--baseline", "fresh", "--update").code == 0
    assert sorted(p.name for p in (workdir / "fresh").iterdir()) == [
        "cosine.json",
        "cosine.png",
        "steps.json",
        "steps.png",
    ]
    assert lrplot("check", "m.toml", "--baseline", "fresh").code == 0


def test_junit_has_one_case_per_figure(gallery: Path, workdir: Path, lrplot: Lrplot) -> None:
    _edit_json(gallery / "steps.json", "lr", 12, 0.5)
    (gallery / "extra.json").write_text("{}")
    assert lrplot("check", "m.toml", "--baseline", "base", "--junit", "out.xml").code == 1
    suite = ElementTree.parse(workdir / "out.xml").getroot()
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == ["steps", "cosine", "extra"]
    assert suite.get("tests") == "3" and suite.get("failures") == "2"
    steps_failure = cases["steps"].find("failure")
    assert steps_failure is not None and steps_failure.get("type") == "data-diff"
    assert "epoch 12" in (steps_failure.text or "")
    assert cases["cosine"].find("failure") is None
    extra_failure = cases["extra"].find("failure")
    assert extra_failure is not None and extra_failure.get("type") == "extra"


def test_stale_artefacts_of_a_fixed_figure_are_removed(
    gallery: Path, workdir: Path, lrplot: Lrplot
) -> None:
    original = (gallery / "steps.json").read_text()
    _edit_json(gallery / "steps.json", "lr", 12, 0.5)
    assert lrplot("check", "m.toml", "--baseline", "base").code == 1
    (gallery / "steps.json").write_text(original)
    assert lrplot("check", "m.toml", "--baseline", "base").code == 0
    assert not (workdir / "lrplot-check-results" / "steps-diff.png").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--baseline", "nowhere"], "--baseline 'nowhere': is not an existing folder"),
        (["--baseline", "base", "--prune"], "--prune: only works with --update"),
        (["--baseline", "base", "--rtol", "-1"], "--rtol '-1': must be >= 0"),
        (["--baseline", "base", "--image-tol", "nan"], "--image-tol 'nan'"),
        (["--baseline", "base", "--results", "base/r"], "--results 'base/r': is in the baseline"),
        (["--baseline", "base", "--junit", "no/such/x.xml"], "--junit 'no/such/x.xml'"),
        (["--baseline", "base", "--only", "nope"], "--only 'nope': is not a figure"),
    ],
)
def test_bad_input_exits_2(gallery: Path, lrplot: Lrplot, args: list[str], fragment: str) -> None:
    before = _digest(gallery)
    run = lrplot("check", "m.toml", *args)
    assert run.code == 2
    assert run.err.startswith("lrplot: error: ") and fragment in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert _digest(gallery) == before


def test_a_manifest_typo_names_file_figure_and_field(
    gallery: Path, workdir: Path, lrplot: Lrplot
) -> None:
    (workdir / "m.toml").write_text(MANIFEST.replace("gamma = 0.5", "gama = 0.5"))
    run = lrplot("check", "m.toml", "--baseline", "base")
    assert run.code == 2
    assert "m.toml: figure 'steps': field 'gama'" in run.err


def test_a_corrupt_baseline_json_is_an_input_error(gallery: Path, lrplot: Lrplot) -> None:
    (gallery / "steps.json").write_text("{not json")
    run = lrplot("check", "m.toml", "--baseline", "base")
    assert run.code == 2 and "steps.json" in run.err and "--update" in run.err


def _png(pixels: list[list[tuple[int, int, int]]]) -> bytes:
    height, width = len(pixels), len(pixels[0])
    image = Image.new("RGB", (width, height))
    image.putdata([p for row in pixels for p in row])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_rms_matches_a_hand_computed_value() -> None:
    black = _png([[(0, 0, 0)] * 4 for _ in range(4)])
    # One white pixel of 16: every channel of it differs by 255, so RMS = 255 * sqrt(1/16).
    one_white = _png(
        [[(255, 255, 255) if (r, c) == (1, 2) else (0, 0, 0) for c in range(4)] for r in range(4)]
    )
    # One red pixel: one channel of 48 differs by 255, RMS = 255 * sqrt(1/48).
    one_red = _png(
        [[(255, 0, 0) if (r, c) == (0, 0) else (0, 0, 0) for c in range(4)] for r in range(4)]
    )
    assert rms_difference(black, black) == 0.0
    assert rms_difference(black, one_white) == pytest.approx(255 / 4)
    assert rms_difference(black, one_red) == pytest.approx(255 * math.sqrt(1 / 48))
    assert rms_difference(black, _png([[(0, 0, 0)] * 5 for _ in range(4)])) == math.inf


def test_compare_data_reports_shape_before_values() -> None:
    base = {"series": {"step": [0, 1, 2], "epoch": [0.0, 1.0, 2.0], "lr": [1.0, 0.5, 0.25]}}
    longer = {"series": {"step": [0, 1, 2, 3], "epoch": [0.0, 1, 2, 3], "lr": [1.0, 0.5, 0.25, 0]}}
    renamed = {"series": {"step": [0, 1, 2], "epoch": [0.0, 1.0, 2.0], "lr_1": [1.0, 0.5, 0.25]}}
    tol = Tolerance()
    assert compare_data(base, base, tol) is None
    shorter = compare_data(base, longer, tol)
    assert shorter is not None and "3 rows in the baseline, 4 obtained" in shorter.describe()
    columns = compare_data(base, renamed, tol)
    assert columns is not None and "columns differ" in columns.describe()
    changed = {"series": {**base["series"], "lr": [1.0, 0.4, 0.2]}}
    diff = compare_data(base, changed, tol)
    assert diff is not None and (diff.row, diff.x, diff.differing) == (1, 1.0, 2)
    assert diff.describe().startswith("lr at epoch 1: 0.5 -> 0.4 (rel 0.2)")
