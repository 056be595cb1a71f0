"""Where check reads and writes, checked before any work: the baseline folder, --results
and --junit (never inside the baseline folder, never the manifest or a stream)."""

from __future__ import annotations

from pathlib import Path

from lrplot.errors import InputError
from lrplot.files.folders import check_folder_tree, check_lengths
from lrplot.files.targets import check_writable


def baseline_folder(baseline: str, update: bool) -> Path:
    """The baseline folder; --update may create it (first run, once all went well)."""
    base = Path(baseline)
    try:
        if base.is_dir() or (update and not base.exists() and base.parent.is_dir()):
            return base
    except OSError as error:
        raise InputError(
            "--baseline", baseline, f"cannot be used ({error.strerror})", "fix the path"
        ) from None
    raise InputError(
        "--baseline",
        baseline,
        "is not an existing folder",
        "fix the path, or run once with --update to create and fill it",
    )


def _check_junit(junit: Path, results: Path, manifest: Path) -> None:
    """--junit is a report: a regular file of its own, never the manifest or a stream."""
    import stat

    if str(junit) == "-":
        fix = "give a path, e.g. results/junit.xml"
        raise InputError("--junit", "-", "is a file to write, not standard output", fix)
    try:
        mode = junit.stat().st_mode if junit.exists() else None
        same = manifest.exists() and junit.resolve() == manifest.resolve()
    except OSError:  # a loop of links, say: check_writable has named it already
        return
    if same:
        raise InputError("--junit", str(junit), "is the manifest", "give the report another name")
    if junit.resolve() == results.resolve():
        raise InputError("--junit", str(junit), "is the --results folder", "give a file in it")
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # a folder: below
        raise InputError(
            "--junit", str(junit), "is not a regular file", "give a file, e.g. results/junit.xml"
        )


def check_outputs(results: Path, junit: Path | None, base: Path, manifest: Path) -> None:
    """--results and --junit: writable, of the right kind, and outside the baseline folder."""
    fix = "choose a path outside it; only --update writes baselines"
    if within(results, base):
        raise InputError("--results", str(results), "is in the baseline folder", fix)
    check_folder_tree(results, "--results")
    if junit is None:
        return
    _check_junit(junit, results, manifest)
    if within(junit, base):
        raise InputError("--junit", str(junit), "is in the baseline folder", fix)
    if junit.resolve() == (results / "summary.json").resolve():
        raise InputError(
            "--junit", str(junit), "is the summary.json check writes", "give another name"
        )
    if junit.parent.resolve() != results.resolve() or results.is_dir():
        check_writable(junit, "--junit")
    else:  # in the results folder, still to be made: only its name can be wrong
        check_lengths(junit, "--junit")


def within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it (links followed)."""
    try:
        path, folder = path.resolve(), folder.resolve()
    except OSError:  # a loop of links, say: check_folder_tree/check_writable name it next
        return False
    return path == folder or folder in path.parents
