"""``lrplot render``: a manifest's figures (or every scheduler) into a folder; the contact sheet."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lrplot.batch.parallel import encode_all
from lrplot.batch.pipeline import FigureSpec, realise
from lrplot.errors import InputError, LrplotError
from lrplot.files.atomic import write_all_atomic
from lrplot.files.targets import FORMATS, check_output_folder, check_writable


@dataclass
class RenderReport:
    """What ``render`` wrote, figure by figure."""

    written: dict[str, list[str]] = field(default_factory=dict)
    sheet: list[str] = field(default_factory=list)  # index.png and index.md, if asked for
    seconds: float = 0.0
    pngs: dict[str, bytes] = field(default_factory=dict)  # kept for the contact sheet

    def paths(self) -> list[str]:
        """Every written path, figures first."""
        return [p for paths in self.written.values() for p in paths] + self.sheet


#: Called as each figure is finished: (figures done, figures in all, its name).
Progress = Callable[[int, int, str], None]


def parse_formats(text: str | None, where: str = "--format") -> tuple[str, ...]:
    """``png,json`` -> ("png", "json"); the render default is PNG and JSON."""
    if not text:
        return ("png", "json")
    formats = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",")))
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(
            where,
            text,
            f"has unknown format '{bad[0]}'",
            f"use a comma list of {', '.join(FORMATS)}",
        )
    return formats


def render(
    figures: Sequence[FigureSpec],
    folder: Path,
    formats: Sequence[str],
    *,
    only: Sequence[str] = (),
    progress: Progress | None = None,
    parallel: bool = False,
    contact_sheet: bool = False,
) -> RenderReport:
    """Write ``<name>.<format>`` for every figure into ``folder`` (created if missing).

    All or nothing: every target is checked before any work, every figure simulated and
    encoded before any file is written, and the files are written as temporaries and
    renamed at the end (lrplot.files.atomic.write_all_atomic), so a failure on the way
    leaves the previous files as they were and nothing new.
    ``parallel`` lets a forked child encode half of the figures (see lrplot.batch.parallel).
    """
    chosen = select(figures, only)
    check_output_folder(folder, "--dir")
    _check_targets(chosen, folder, formats, contact_sheet)
    report = RenderReport()
    started = time.perf_counter()
    # Simulate every figure before writing anything: a bad value in a late figure (torch
    # refusing it, an lr that overflows) must leave no files of the earlier ones behind.
    realised = [realise(figure) for figure in chosen]
    finished: list[int] = []

    def done(index: int) -> None:  # drawing is the slow part: progress follows it
        finished.append(index)
        if progress is not None:
            progress(len(finished), len(chosen), chosen[index].name)

    encoded = encode_all(realised, formats, fork=parallel, done=done)
    files: list[tuple[Path, bytes]] = []
    for figure, made in zip(chosen, encoded, strict=True):
        paths = [folder / f"{figure.name}.{fmt}" for fmt in formats]
        files += [(path, made[fmt]) for path, fmt in zip(paths, formats, strict=True)]
        report.written[figure.name] = [str(path) for path in paths]
        if "png" in made:
            report.pngs[figure.name] = made["png"]
    if contact_sheet:
        sheet = contact_sheet_files(chosen, folder, report.pngs)
        files += sheet
        report.sheet = [str(path) for path, _ in sheet]
    _write(files, folder)
    report.seconds = time.perf_counter() - started
    return report


def _check_targets(
    figures: Sequence[FigureSpec], folder: Path, formats: Sequence[str], sheet: bool
) -> None:
    """Every file the run will write, checked before the first is: each must be replaceable."""
    if not folder.is_dir():
        return  # made by this run: nothing is in it yet
    names = [(f"figure '{f.name}'", f"{f.name}.{fmt}") for f in figures for fmt in formats]
    names += [("the contact sheet", f"index.{suffix}") for suffix in ("png", "md") if sheet]
    for owner, name in names:
        path = folder / name
        try:
            check_writable(path, "--dir")
            if path.exists() and not path.is_file():
                raise InputError("--dir", str(path), "is a special file", "")
        except InputError as error:
            raise InputError(
                "--dir",
                str(path),
                f"{error.problem} where {owner} is written",
                "move it away, or write into another folder",
            ) from None


def _write(files: Sequence[tuple[Path, bytes]], folder: Path) -> None:
    """All the files or none; a folder this run made is removed again if nothing is in it."""
    made = not folder.exists()
    try:
        folder.mkdir(exist_ok=True)
        write_all_atomic(files)
    except OSError as error:
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise LrplotError(
            f"cannot write {error.filename}: {error.strerror or error}; nothing was written "
            "(the folder's previous files are as they were)"
        ) from None


def select(figures: Sequence[FigureSpec], only: Sequence[str]) -> list[FigureSpec]:
    """The figures named by ``--only`` (all when empty); unknown names are errors."""
    names = [f.name for f in figures]
    for name in only:
        if name not in names:
            raise InputError(
                "--only", name, "is not a figure of the manifest", f"figures: {', '.join(names)}"
            )
    return [f for f in figures if not only or f.name in only]


def render_command(
    manifest: str | None,
    folder: str,
    *,
    every: bool,
    formats: str | None,
    only: Sequence[str],
    contact_sheet: bool,
    progress: Progress | None = None,
    parallel: bool = False,
    allow_import: Sequence[str] = (),
) -> RenderReport:
    """``lrplot render``: a manifest's figures (or every scheduler) into ``folder``."""
    from lrplot.batch.manifest import all_schedulers, load_manifest

    if every and manifest is not None:
        raise InputError("MANIFEST", manifest, "cannot be combined with --all", "give one")
    if not every and manifest is None:
        raise InputError("MANIFEST", None, "is missing", "e.g. lrplot render figures.toml -d out")
    chosen_formats = parse_formats(formats)
    figures = (
        all_schedulers() if manifest is None else load_manifest(manifest, allow_import=allow_import)
    )
    return render(
        figures,
        Path(folder),
        chosen_formats,
        only=only,
        progress=progress,
        parallel=parallel,
        contact_sheet=contact_sheet,
    )


def contact_sheet_files(
    figures: Sequence[FigureSpec], folder: Path, pngs: Mapping[str, bytes] | None = None
) -> list[tuple[Path, bytes]]:
    """``index.png`` (a grid of every figure) and ``index.md`` (each with its command).

    ``pngs`` holds figures already drawn (by ``render``); the others are drawn here.
    """
    from lrplot.batch.reproduce import shell
    from lrplot.draw.sheet import sheet_png

    drawn = pngs or {}
    images = [
        (figure.name, drawn.get(figure.name) or realise(figure).encode("png")) for figure in figures
    ]
    sheet = sheet_png(images)  # past 24 cells, made tile by tile: only the PNG is held whole
    lines = ["# Figures", ""]
    for figure in figures:
        lines += [f"## {figure.name}", "", f"![{figure.name}]({figure.name}.png)", ""]
        if figure.command:
            lines += ["```console", f"$ {shell(figure.command)}", "```", ""]
    return [
        (folder / "index.png", sheet if isinstance(sheet, bytes) else b"".join(sheet)),
        (folder / "index.md", "\n".join(lines).encode()),
    ]
