"""``lrplot render``: a manifest's figures (or every scheduler) into a folder; the contact sheet."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lrplot.batch.parallel import encode_all
from lrplot.batch.pipeline import FigureSpec, realise
from lrplot.errors import InputError
from lrplot.files.targets import FORMATS, Target, check_output_folder, write_all


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
) -> RenderReport:
    """Write ``<name>.<format>`` for every figure into ``folder`` (created if missing).

    ``parallel`` lets a forked child encode half of the figures (see lrplot.batch.parallel).
    """
    chosen = select(figures, only)
    _check_folder(folder)
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
    folder.mkdir(exist_ok=True)
    for figure, files in zip(chosen, encoded, strict=True):
        targets = [Target(folder / f"{figure.name}.{fmt}", fmt) for fmt in formats]
        report.written[figure.name] = write_all(targets, files.__getitem__)
        if "png" in files:
            report.pngs[figure.name] = files["png"]
    report.seconds = time.perf_counter() - started
    return report


def select(figures: Sequence[FigureSpec], only: Sequence[str]) -> list[FigureSpec]:
    """The figures named by ``--only`` (all when empty); unknown names are errors."""
    names = [f.name for f in figures]
    for name in only:
        if name not in names:
            raise InputError(
                "--only", name, "is not a figure of the manifest", f"figures: {', '.join(names)}"
            )
    return [f for f in figures if not only or f.name in only]


def _check_folder(folder: Path) -> None:
    """Refuse an output folder that cannot be made or written (without making it yet)."""
    check_output_folder(folder, "--dir")


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
    report = render(
        figures, Path(folder), chosen_formats, only=only, progress=progress, parallel=parallel
    )
    if contact_sheet:
        report.sheet = write_contact_sheet(select(figures, only), Path(folder), report.pngs)
    return report


def write_contact_sheet(
    figures: Sequence[FigureSpec], folder: Path, pngs: Mapping[str, bytes] | None = None
) -> list[str]:
    """``index.png`` (a grid of every figure) and ``index.md`` (each with its command).

    ``pngs`` holds figures already drawn (by ``render``); the others are drawn here.
    """
    from lrplot.batch.reproduce import shell
    from lrplot.draw.figure import encode
    from lrplot.draw.sheet import contact_sheet
    from lrplot.files.atomic import write_atomic

    drawn = pngs or {}
    images = [
        (figure.name, drawn.get(figure.name) or realise(figure).encode("png")) for figure in figures
    ]
    write_atomic(folder / "index.png", encode(contact_sheet(images), "png"))
    lines = ["# Figures", ""]
    for figure in figures:
        lines += [f"## {figure.name}", "", f"![{figure.name}]({figure.name}.png)", ""]
        if figure.command:
            lines += ["```console", f"$ {shell(figure.command)}", "```", ""]
    write_atomic(folder / "index.md", "\n".join(lines).encode())
    return [str(folder / "index.png"), str(folder / "index.md")]
