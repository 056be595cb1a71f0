"""The metrics of DESIGN.md section 7: each measures a command against a reference command."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from measure import Command, Progress, Sample, Summary, measure_pair, run_once

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"
MANIFEST = "examples/document/figures.toml"

#: The 1,000,000-step pairs run at most this many times (one run is several seconds).
HEAVY_RUNS = 5
#: In-process repeats of the 1,000,000-step simulation loops (P5a), after a warm-up.
SIM_REPEATS = 5
STEP_ARGS = ("--step-size", "10", "--gamma", "0.5")
ONECYCLE_1M = ("onecycle", "--epochs", "1000", "--steps-per-epoch", "1000")


@dataclass(frozen=True)
class Context:
    """How to measure: runs per side, where, the time limit, the lrplot command."""

    runs: int
    cwd: Path
    timeout: float
    lrplot: tuple[str, ...]
    progress: Progress

    def pair(
        self, commands: tuple[Command, Command], runs: int | None = None
    ) -> tuple[list[Sample], list[Sample]]:
        """Interleaved samples of a command and its reference."""
        return measure_pair(commands, runs or self.runs, self.cwd, self.timeout, self.progress)

    def lrplot_command(self, label: str, *args: str) -> Command:
        """``lrplot ARGS`` as users run it."""
        return Command(label, (*self.lrplot, *args))


@dataclass(frozen=True)
class Row:
    """One line of the result table."""

    id: str
    what: str
    value: str
    reference: str
    ratio: str
    target: str
    result: str


@dataclass(frozen=True)
class Metric:
    """A group of rows measured together (P5 gives P5a, P5b and P5c)."""

    name: str
    what: str
    measure: Callable[[Context], list[Row]]


def seconds(summary: Summary) -> str:
    """``1.234 s (1.200–1.300)``: median, then min–max."""
    return f"{summary.median:.3f} s ({summary.low:.3f}–{summary.high:.3f})"


def verdict(ok: bool) -> str:
    """PASS or FAIL."""
    return "PASS" if ok else "FAIL"


def ratio_row(
    ctx: Context, ids: tuple[str, str], commands: tuple[Command, Command], limit: float
) -> Row:
    """Time a command against its reference; pass when median / median ≤ ``limit``."""
    mine, reference = (Summary.of([s.wall for s in side]) for side in ctx.pair(commands))
    ratio = mine.median / reference.median
    return Row(
        ids[0],
        ids[1],
        seconds(mine),
        f"{commands[1].label}: {seconds(reference)}",
        f"{ratio:.2f}",
        f"≤ {limit:g}",
        verdict(ratio <= limit),
    )


def python_script(label: str, script: str, *args: str) -> Command:
    """A script of benchmarks/ run by this interpreter."""
    return Command(label, (sys.executable, str(BENCHMARKS / script), *args))


def p1_help(ctx: Context) -> list[Row]:
    """`lrplot --help` against a one-command Typer app's --help."""
    commands = (
        ctx.lrplot_command("lrplot --help", "--help"),
        python_script("minimal Typer app --help", "minimal_typer_app.py", "--help"),
    )
    return [ratio_row(ctx, ("P1", "lrplot --help"), commands, 1.5)]


def step_png(ctx: Context) -> Command:
    """P2's lrplot command, also P4's reference."""
    return ctx.lrplot_command("lrplot step -o x.png", "step", *STEP_ARGS, "-o", "x.png")


def p2_png(ctx: Context) -> list[Row]:
    """A StepLR PNG against the naive torch + pyplot script."""
    commands = (step_png(ctx), python_script("naive torch+pyplot script", "naive_script.py"))
    return [ratio_row(ctx, ("P2", "lrplot step ... -o x.png"), commands, 0.6)]


def p3_csv(ctx: Context) -> list[Row]:
    """A StepLR CSV against `python -c "import torch"`."""
    commands = (
        ctx.lrplot_command("lrplot step -o x.csv", "step", *STEP_ARGS, "-o", "x.csv"),
        Command('python -c "import torch"', (sys.executable, "-c", "import torch")),
    )
    return [ratio_row(ctx, ("P3", "lrplot step ... -o x.csv"), commands, 1.2)]


def p8_preview(ctx: Context) -> list[Row]:
    """The StepLR text chart on stdout (--preview) against the same run to CSV."""
    commands = (
        ctx.lrplot_command("lrplot step --preview", "step", *STEP_ARGS, "--preview"),
        ctx.lrplot_command("lrplot step -o x.csv", "step", *STEP_ARGS, "-o", "x.csv"),
    )
    return [ratio_row(ctx, ("P8", "lrplot step ... --preview"), commands, 1.05)]


def render_missing(ctx: Context) -> str | None:
    """Why P4 cannot run yet (no manifest, or no working `lrplot render`), or None."""
    if not (REPO / MANIFEST).is_file():
        return f"{MANIFEST} does not exist"
    probe = subprocess.run(
        [*ctx.lrplot, "render", "--help"],
        cwd=ctx.cwd,
        capture_output=True,
        timeout=ctx.timeout,
        check=False,
    )
    return None if probe.returncode == 0 else "`lrplot render --help` fails"


def p4_render(ctx: Context) -> list[Row]:
    """The document manifest rendered in one command against one single-figure PNG run."""
    what = f"lrplot render {MANIFEST} -d DIR"
    missing = render_missing(ctx)
    if missing:
        return [Row("P4", what, missing, "", "", "≤ 1.6", "SKIP (render not available)")]
    # The command line is as written, relative to a copy of examples/ in the working folder;
    # each run renders into a fresh folder so nothing can be reused from the previous run.
    shutil.copytree(REPO / "examples", ctx.cwd / "examples", dirs_exist_ok=True)
    render = ctx.lrplot_command(what, "render", MANIFEST, "-d", "render-{run}")
    return [ratio_row(ctx, ("P4", what), (render, step_png(ctx)), 1.6)]


def p6_resume(ctx: Context) -> list[Row]:
    """`lrplot resume step` (100 epochs, both methods) against one StepLR PNG."""
    scan = ctx.lrplot_command("lrplot resume step", "resume", "step", *STEP_ARGS)
    return [ratio_row(ctx, ("P6", "lrplot resume step (100 epochs)"), (scan, step_png(ctx)), 3.0)]


def p7_transformers(ctx: Context) -> list[Row]:
    """A transformers schedule by import path to CSV, against importing torch and it."""
    what = "lrplot transformers.get_cosine_schedule_with_warmup ... -o x.csv"
    args = ("--num-warmup-steps", "100", "--num-training-steps", "1000", "-o", "x.csv")
    code = "import torch, transformers.optimization"
    commands = (
        ctx.lrplot_command(what, "transformers.get_cosine_schedule_with_warmup", *args),
        Command(f'python -c "{code}"', (sys.executable, "-c", code)),
    )
    return [ratio_row(ctx, ("P7", what), commands, 1.15)]


def p5_million(ctx: Context) -> list[Row]:
    """A 1,000,000-step OneCycleLR: per-step cost, PNG against CSV time, PNG peak memory."""
    return [p5a_per_step(ctx), *p5bc_png(ctx)]


def p5bc_png(ctx: Context) -> list[Row]:
    """The PNG command against the CSV command (time), and the PNG command's peak RSS."""
    commands = (
        ctx.lrplot_command("onecycle 1M -o x.png", *ONECYCLE_1M, "-o", "x.png"),
        ctx.lrplot_command("onecycle 1M -o x.csv", *ONECYCLE_1M, "-o", "x.csv"),
    )
    png, csv = ctx.pair(commands, min(ctx.runs, HEAVY_RUNS))
    png_time, csv_time = (Summary.of([s.wall for s in side]) for side in (png, csv))
    png_rss, csv_rss = (Summary.of([s.peak_rss_mib for s in side]) for side in (png, csv))
    ratio = png_time.median / csv_time.median
    return [
        Row(
            "P5b",
            "lrplot onecycle 1M steps -o x.png",
            seconds(png_time),
            f"same -o x.csv: {seconds(csv_time)}",
            f"{ratio:.2f}",
            "≤ 1.2",
            verdict(ratio <= 1.2),
        ),
        Row(
            "P5c",
            "peak RSS of the 1M-step PNG command",
            f"{png_rss.high:.0f} MiB (max; min {png_rss.low:.0f})",
            f"none (the CSV command: {csv_rss.high:.0f} MiB)",
            "",
            "≤ 300 MiB",
            verdict(png_rss.high <= 300),
        ),
    ]


def p5a_per_step(ctx: Context) -> Row:
    """simulate() per step, setup subtracted, against a bare torch loop, in one process."""
    out = ctx.cwd / "simloop.json"
    command = python_script(
        "simloop", "simloop.py", "--repeats", str(SIM_REPEATS), "--out", str(out)
    )
    ctx.progress(f"{SIM_REPEATS} repeats of both 1M-step loops in one process (simloop.py)")
    run_once(command, 0, ctx.cwd, ctx.timeout)
    result = json.loads(out.read_text())
    steps = result["rows"] - result["setup_rows"]
    lrplot, bare = (per_step(result["times"][side], steps) for side in ("lrplot", "bare"))
    ratio = lrplot.median / bare.median
    return Row(
        "P5a",
        "lrplot.simulate, 1M-step onecycle, per step",
        microseconds(lrplot),
        f"bare OneCycleLR loop: {microseconds(bare)}",
        f"{ratio:.2f}",
        "≤ 1.1",
        verdict(ratio <= 1.1),
    )


def per_step(times: dict[str, list[float]], steps: int) -> Summary:
    """Seconds per step: each full run minus the median setup-sized run, over ``steps``."""
    setup = Summary.of(times["setup"]).median
    return Summary.of([(full - setup) / steps for full in times["full"]])


def microseconds(summary: Summary) -> str:
    """``1.23 µs/step (1.20–1.30)``."""
    scale = 1e6
    low, high = summary.low * scale, summary.high * scale
    return f"{summary.median * scale:.2f} µs/step ({low:.2f}–{high:.2f})"


#: P9: a mark at every one of 1,000,000 epochs.
MARKS_1M = ("step", "--step-size", "1", "-n", "1000000", "-o", "x.png")
#: P10: compare this many SPECs overlaid in one PNG.
COMPARE_SPECS = 300
#: P11: rows of the long PNG; P12: figures of the contact sheet.
ROWS_10M = ("step", "-n", "10000000", "-o", "x.png")
SHEET_FIGURES = 1000
#: P11 and P12 take 25 s and several minutes a run: this many runs at most.
LONG_RUNS = 3


def p9_annotate(ctx: Context) -> list[Row]:
    """--annotate with a million marks against the same run without it."""
    commands = (
        ctx.lrplot_command("step --step-size 1 --annotate -n 1M", *MARKS_1M, "--annotate"),
        ctx.lrplot_command("same without --annotate", *MARKS_1M),
    )
    return [heavy_ratio_row(ctx, ("P9", "lrplot step --step-size 1 --annotate -n 1M"), commands)]


def heavy_ratio_row(ctx: Context, ids: tuple[str, str], commands: tuple[Command, Command]) -> Row:
    """ratio_row for pairs of several seconds a run: at most HEAVY_RUNS runs, limit 1.2."""
    mine, reference = (
        Summary.of([s.wall for s in side]) for side in ctx.pair(commands, min(ctx.runs, HEAVY_RUNS))
    )
    ratio = mine.median / reference.median
    return Row(
        ids[0], ids[1], seconds(mine), f"{commands[1].label}: {seconds(reference)}",
        f"{ratio:.2f}", "≤ 1.2", verdict(ratio <= 1.2),
    )  # fmt: skip


def p10_compare(ctx: Context) -> list[Row]:
    """300 SPECs overlaid in one PNG against one StepLR PNG (panels stop at 24: exit 2)."""
    specs = [f"step:step_size={i}" for i in range(1, COMPARE_SPECS + 1)]
    what = f"lrplot compare ({COMPARE_SPECS} SPECs) -o x.png"
    compare = ctx.lrplot_command(what, "compare", *specs, "-o", "x.png")
    return [ratio_row(ctx, ("P10", what), (compare, step_png(ctx)), 3.0)]


def peak_row(
    ctx: Context, ids: tuple[str, str], command: Command, limit_mib: float, timeout: float = 0
) -> Row:
    """The peak RSS of a command over LONG_RUNS runs (the highest), against a limit."""
    runs = min(ctx.runs, LONG_RUNS)
    limit = max(ctx.timeout, timeout)
    samples = [run_once(command, run, ctx.cwd, limit) for run in range(runs)]
    ctx.progress(f"{runs} runs of {command.label}")
    rss = Summary.of([s.peak_rss_mib for s in samples])
    wall = Summary.of([s.wall for s in samples])
    return Row(
        ids[0], ids[1], f"{rss.high:.0f} MiB (max; min {rss.low:.0f})",
        f"none (took {seconds(wall)})", "", f"≤ {limit_mib:g} MiB", verdict(rss.high <= limit_mib),
    )  # fmt: skip


def p11_long_png(ctx: Context) -> list[Row]:
    """Peak memory of a 10,000,000-row StepLR PNG."""
    command = ctx.lrplot_command("step -n 10M -o x.png", *ROWS_10M)
    return [peak_row(ctx, ("P11", "peak RSS of a 10,000,000-row PNG"), command, 500)]


def p12_sheet(ctx: Context) -> list[Row]:
    """Peak memory of rendering SHEET_FIGURES StepLR figures with a contact sheet."""
    lines = []
    for i in range(SHEET_FIGURES):
        lines += ["[[figure]]", f'name = "f{i:04d}"', 'scheduler = "step"']
        lines += [f"step-size = {i % 50 + 1}", ""]
    (ctx.cwd / "sheet.toml").write_text("\n".join(lines))
    what = f"lrplot render ({SHEET_FIGURES} figures) --contact-sheet"
    command = ctx.lrplot_command(
        what, "render", "sheet.toml", "-d", "sheet-{run}", "--contact-sheet", "-q"
    )
    # 1,000 figures take about 5 minutes on two cores: a longer time limit than the others
    return [peak_row(ctx, ("P12", f"peak RSS of {what}"), command, 1024, timeout=3600)]


METRICS = (
    Metric("P1", "lrplot --help", p1_help),
    Metric("P2", "lrplot step ... -o x.png", p2_png),
    Metric("P3", "lrplot step ... -o x.csv", p3_csv),
    Metric("P4", f"lrplot render {MANIFEST} -d DIR", p4_render),
    Metric("P5", "1,000,000-step OneCycleLR", p5_million),
    Metric("P6", "lrplot resume step", p6_resume),
    Metric("P7", "lrplot transformers.X -o x.csv", p7_transformers),
    Metric("P8", "lrplot step ... --preview", p8_preview),
    Metric("P9", "lrplot step --step-size 1 --annotate -n 1M", p9_annotate),
    Metric("P10", f"lrplot compare ({COMPARE_SPECS} SPECs)", p10_compare),
    Metric("P11", "10,000,000-row PNG, peak RSS", p11_long_png),
    Metric("P12", f"{SHEET_FIGURES}-figure contact sheet, peak RSS", p12_sheet),
)
#: Left out by --quick unless named in --only.
HEAVY = "P5"
#: Also left out by --quick unless named (minutes, or hundreds of MiB, a run).
LONG = ("P9", "P11", "P12")
