"""The bad-input catalogue: every command refuses bad input with exit 2, one line, no file.

Each case is the command line, the files it needs, and fragments the one-line message must
contain: the option (or manifest field) and the offending value, and usually what is wrong.
The README's "Errors and exit codes" transcripts are checked against the real messages too.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import typer

from lrplot.cli.app import app

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    """One bad input: ``lrplot ARGV`` with ``files`` present must fail with ``fragments``."""

    argv: list[str]
    fragments: list[str]
    files: dict[str, str] = field(default_factory=dict)


def case(command: str, *fragments: str, files: dict[str, str] | None = None, marks=()) -> object:
    return pytest.param(
        Case(shlex.split(command), list(fragments), files or {}), id=command, marks=marks
    )


AS_ROOT = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="root writes into read-only folders; the 'under a regular file' case covers it",
)
POSIX = pytest.mark.skipif(os.name != "posix", reason="/dev/zero and /dev/null are POSIX")
STEP = '[[figure]]\nname = "s"\nscheduler = "step"\n'
TWO = STEP + '\n[[figure]]\nname = "b"\nscheduler = "lambda"\nlr-lambda = "1/(epoch-5)"\n'

#: A user's module with one of each kind of target a dotted path can name, good and bad.
USER = """
from torch.optim.lr_scheduler import ExponentialLR, LRScheduler, ReduceLROnPlateau

CONSTANT = 3


class Plain:
    pass


class Warm(LRScheduler):
    def __init__(self, optimizer, warmup: int, last_epoch=-1):
        self.warmup = warmup
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [b * min(1.0, (self.last_epoch + 1) / self.warmup) for b in self.base_lrs]


class NeedsFn(LRScheduler):
    def __init__(self, optimizer, fn: "Callable[[int], float]", last_epoch=-1):
        super().__init__(optimizer, last_epoch)


class Broken(LRScheduler):
    def __init__(self, optimizer, k: int = 1):
        raise RuntimeError("k must be odd\\nand more")


class BadStep(LRScheduler):
    def get_lr(self):
        if self.last_epoch > 3:
            raise KeyError("boom")
        return self.base_lrs


class HasLr(LRScheduler):
    def __init__(self, optimizer, lr: float = 0.1, last_epoch=-1):
        super().__init__(optimizer, last_epoch)


def make(optimizer, gamma: float = 0.9):
    return ExponentialLR(optimizer, gamma)


def not_a_scheduler(optimizer):
    return 42


def make_rop(optimizer):  # a plateau schedule that neither its name nor an annotation says
    return ReduceLROnPlateau(optimizer)


def other_optimizer(optimizer):
    import torch

    return ExponentialLR(torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=7.0), 0.5)


class Exits(LRScheduler):
    def get_lr(self):
        raise SystemExit(0)


class HasFormat(LRScheduler):
    def __init__(self, optimizer, format: str = "x", last_epoch=-1):
        super().__init__(optimizer, last_epoch)


class Clash(LRScheduler):
    def __init__(self, optimizer, T_max: int = 3, t_max: int = 4, last_epoch=-1):
        super().__init__(optimizer, last_epoch)


class Unfill(LRScheduler):
    def __init__(self, optimizer, obj=object(), last_epoch=-1):
        super().__init__(optimizer, last_epoch)
"""
USER_FILES = {"cat_s.py": USER}
ALLOW = '[[figure]]\nname = "mine"\nscheduler = "cat_s.Warm"\nwarmup = 3\n'

CATALOGUE = [
    # Commands: unknown, near-miss typos, and extra arguments.
    case("frobnicate", "command 'frobnicate'", "is not an lrplot command", "lrplot list"),
    case("stpe", "command 'stpe'", "did you mean step"),
    case("StepLRR", "command 'StepLRR'", "StepLR"),
    case("list --jsn", "No such option: --jsn; did you mean --json?", "lrplot list --help"),
    case("list extra", "extra", "lrplot list --help"),
    # A misspelt option names the command's own option it most likely meant, one only.
    case("step --gama 0.5", "No such option: --gama; did you mean --gamma? (see 'lrplot step"),
    case("step --optim adam", "No such option: --optim; did you mean --optimizer? (see"),
    case("compare step --lable x", "--lable; did you mean --label? (see 'lrplot compare --help')"),
    case("cosine --tmax 5", "No such option: --tmax; did you mean --t-max?"),
    case("render --al -d out", "No such option: --al; did you mean --all?"),
    case("--verison", "No such option: --verison; did you mean --version? (see 'lrplot --help')"),
    case("step --metrics 1,2", "No such option: --metrics (see 'lrplot step --help')"),
    # Numbers: not a number, out of torch's range, zero where torch divides by it, NaN, inf,
    # not whole. (tests/test_bounds.py holds every bound to torch's own range.)
    case("step --gamma abc", "--gamma 'abc'", "not a number"),
    case("step --gamma nan", "--gamma 'nan'", "finite"),
    case("step --gamma inf", "--gamma 'inf'", "finite"),
    case("step --gamma 1e400", "--gamma '1e400'", "finite"),
    case("step --step-size 0", "--step-size '0'", "must not be 0", "modulo"),
    case("step --step-size 2.5", "--step-size '2.5'", "whole number"),
    case("step --step-size ten", "--step-size 'ten'", "whole number"),
    case("step --epochs many", "--epochs 'many'", "whole number"),
    case("step --epochs -5", "--epochs '-5'", ">= 1"),
    case("step --epochs 0", "--epochs '0'", ">= 1"),
    case("step --epochs nan", "--epochs 'nan'", "whole number"),
    case("step --lr -1", "--lr '-1'", ">= 0", "SGD refuses a negative lr"),
    case("step --lr nan", "--lr 'nan'", "finite"),
    case("step --lr inf", "--lr 'inf'", "finite"),
    case("step --steps-per-epoch 0", "--steps-per-epoch '0'", ">= 1"),
    case("step --momentum -0.1", "--momentum '-0.1'", ">= 0", "SGD"),
    case("step --start-epoch -1", "--start-epoch '-1'", ">= 0"),
    case("step --start-epoch 200", "--start-epoch 200", "below --epochs (100)"),
    case("step --dpi 1", "--dpi '1'", "[10, 1200]"),
    case("step --size big", "--size 'big'", "WIDTHxHEIGHT"),
    case("step --size 0x0", "--size '0x0'", "inches"),
    case("cosine --t-max 0", "--t-max '0'", "must not be 0", "divides by T_max"),
    case("cosine-restarts --t-0 0", "--t-0 '0'", ">= 1"),
    case("cosine-restarts --t-mult 0", "--t-mult '0'", ">= 1"),
    case("constant --factor 1.5", "--factor '1.5'", "[0, 1]"),
    case("linear --start-factor 0", "--start-factor '0'", "(0, 1]"),
    case("linear --end-factor -0.5", "--end-factor '-0.5'", "[0, 1]"),
    case("plateau --factor 1", "--factor '1'", "< 1"),
    case("plateau --patience 1.5", "--patience '1.5'", "whole number"),
    case("plateau --mode foo", "--mode 'foo'", "min, max"),
    case("onecycle --pct-start 1.5", "--pct-start '1.5'", "[0, 1]"),
    case("onecycle --max-lr nan", "--max-lr 'nan'", "finite"),
    case("onecycle --div-factor 0", "--div-factor '0'", "must not be 0"),
    case("onecycle --anneal-strategy foo", "--anneal-strategy 'foo'", "cos, linear"),
    case("swa --anneal-epochs -1", "--anneal-epochs '-1'", ">= 0"),
    case("swa --swa-lr 0.1,0.2", "--swa-lr '0.1,0.2'", "2 values for 1 param group"),
    case("swa --anneal-strategy cosine", "--anneal-strategy 'cosine'", "cos, linear"),
    # Cross-option rules torch does not check (or checks without the option's name).
    case("onecycle --total-steps 50 -n 10", "--total-steps 50", "smaller than the 100 steps"),
    case("cyclic --base-lr 0.1 --max-lr 0.01", "--base-lr '0.1'", "above --max-lr 0.01"),
    case("cyclic --mode sawtooth", "--mode 'sawtooth'", "triangular"),
    case("cyclic --step-size-up 0", "--step-size-up '0'", "must not be 0"),
    case("cyclic --base-lr 0.1,0.2", "--base-lr '0.1,0.2'", "2 values for 1 param group"),
    case("cyclic --gamma 1e10", "--gamma 10000000000.0", "overflow at step 31 (epoch 31)"),
    case("cyclic --gamma -1e10", "--gamma -10000000000.0", "overflow at step 31 (epoch 31)"),
    # Values inside torch's range that make the class divide by zero within the run.
    case("constant --factor 0", "--factor 0.0", "divide by zero at step 5 (epoch 5)"),
    case("polynomial --power -1", "--power -1.0", "negative power at step 5 (epoch 5)"),
    case("cyclic --step-size-down -5", "--step-size-down -5", "0 steps long", "--step-size-up 5"),
    case("onecycle --pct-start 0.01", "--pct-start 0.01", "warm-up ends at step 0"),
    # Lists.
    case("multistep --milestones 30,,80", "--milestones '30,,80'", "not a list"),
    case("multistep --milestones [30,80", "--milestones '[30,80'", "unbalanced"),
    case("multistep --milestones a,b", "--milestones 'a'", "whole number"),
    case("multistep --milestones ''", "--milestones ''", "not a list"),
    # SPEC strings: unknown keys, missing values, brackets, names, milestones.
    case(
        "sequential --schedule cosine:foo=1 --schedule step --milestones 5",
        "--schedule 'cosine:foo=1': foo '1'",
        "not an option of CosineAnnealingLR",
    ),
    case(
        "sequential --schedule cosine:T_max= --schedule step --milestones 5",
        "--schedule 'cosine:T_max='",
        "'T_max=' where key=value belongs",
    ),
    case(
        "sequential --schedule cosine: --schedule step --milestones 5",
        "--schedule 'cosine:'",
        "nothing after ':'",
    ),
    case(
        "sequential --schedule multistep:milestones=[30,80 --schedule step --milestones 5",
        "--schedule 'multistep:milestones=[30,80'",
        "unclosed bracket",
    ),
    case(
        "sequential --schedule 'lambda:lr_lambda=max(0.1' --schedule step --milestones 5",
        "--schedule 'lambda:lr_lambda=max(0.1'",
        "unclosed bracket (missing ')')",
    ),
    case(
        "sequential --schedule step:gamma=0.5] --schedule step --milestones 5",
        "--schedule 'step:gamma=0.5]'",
        "unmatched ']'",
    ),
    case(
        "sequential --schedule cosine:T_max=0 --schedule step --milestones 5",
        "--schedule 'cosine:T_max=0': T_max '0'",
        "must not be 0",
    ),
    case(
        "sequential --schedule :T_max=5 --schedule step --milestones 5",
        "--schedule ':T_max=5'",
        "no scheduler name",
    ),
    case(
        "sequential --schedule nosuch --schedule step --milestones 5",
        "'nosuch'",
        "is not a scheduler lrplot knows",
    ),
    case(
        "sequential --schedule linear --schedule cosine --schedule step --milestones 50,5",
        "--milestones '50,5'",
        "strictly increasing",
    ),
    case(
        "sequential --schedule linear --schedule cosine --milestones 5,50",
        "--milestones '5,50'",
        "2 milestones for 2 schedules",
    ),
    case(
        "sequential --schedule linear --schedule cosine --milestones 0",
        "--milestones '0'",
        "must be > 0",
    ),
    case("chained --schedule plateau", "--schedule 'plateau'", "cannot be a child"),
    case("chained --schedule step:gamma=nan", "--schedule 'step:gamma=nan': gamma 'nan'", "finite"),
    case("compare nosuch", "SPEC 'nosuch'", "not a scheduler lrplot knows"),
    case("compare step:gamma=(", "SPEC 'step:gamma=('", "unclosed bracket"),
    case("compare step --label a --label b", "--label 'b'", "one more than the 1 SPECs"),
    case("compare step --layout grid", "--layout 'grid'", "overlay, panels"),
    case(
        "compare onecycle:total_steps=5",
        "SPEC 'onecycle:total_steps=5': total_steps 5",
        "smaller than the 10 steps",
    ),
    # Expressions: refused before running, or failing at an epoch the message names.
    case("lambda --lr-lambda \"__import__('os')\"", "--lr-lambda \"__import__('os')\"", "calling"),
    case("lambda --lr-lambda ().__class__", "--lr-lambda '().__class__'", "attribute access"),
    case("lambda --lr-lambda '0.95 **'", "--lr-lambda '0.95 **'", "not a valid expression"),
    case("lambda --lr-lambda 9**9**9", "--lr-lambda '9**9**9'", "overflows"),
    case("lambda --lr-lambda '1/(epoch-5)'", "--lr-lambda '1/(epoch-5)'", "zero at epoch=5"),
    case("lambda --lr-lambda 'log(5 - epoch)'", "'log(5 - epoch)'", "log(0) at epoch=5"),
    case(
        "lambda --lr-lambda '1/(epoch-5)' --steps-per-epoch 10",
        "--lr-lambda '1/(epoch-5)'",
        "scheduler step 5 = epoch 0.5",
    ),
    case("lambda --lr-lambda 1e300 --lr 1e10", "--lr-lambda '1e300'", "inf at epoch 0"),
    case("multiplicative --lr-lambda 1e100", "--lr-lambda '1e100'", "inf at epoch 4 (step 4)"),
    case("exponential --gamma 1e10", "ExponentialLR", "becomes inf at epoch 32"),
    case("cyclic --scale-fn '1/(x-3)'", "--scale-fn '1/(x-3)'", "cycle 3 starts at epoch 20"),
    case("plateau --metric-expr 'sqrt(2 - epoch)'", "--metric-expr", "sqrt(-1) at epoch=3"),
    case("step -n 100000 --steps-per-epoch 1000", "--epochs 100000", "limit of 10,000,000"),
    # Plateau metrics: missing, empty, non-numeric, too short, NaN.
    case("plateau --metrics missing.csv", "--metrics 'missing.csv'", "neither an existing file"),
    case(
        "plateau --metrics empty.txt",
        "--metrics 'empty.txt'",
        "holds no values",
        files={"empty.txt": ""},
    ),
    case(
        "plateau --metrics empty.csv", "--metrics 'empty.csv'", "is empty", files={"empty.csv": ""}
    ),
    case("plateau --metrics 1,2,x", "--metrics '1,2,x'", "list of numbers"),
    case(
        "plateau --metrics m.txt",
        "--metrics (value 2) 'high'",
        "not a number",
        files={"m.txt": "1\nhigh\n"},
    ),
    case("plateau --metrics 1,2,3 --epochs 10", "--metrics '3 values'", "shorter than the 10"),
    case("plateau --metrics 1,nan,3", "--metrics (value 2)", "finite"),
    case("plateau --metrics " + "x" * 5000, "--metrics 'xxxx", "(5000 characters)", "too long"),
    # Run settings torch accepts only for some schedulers, and per-group lambdas.
    case("step --fractional-epochs", "--fractional-epochs 'true'", "only applies to cosine"),
    case("step --start-epoch 5 --resume-by later", "--resume-by 'later'", "state-dict or last"),
    case("plateau --start-epoch 5 --resume-by last-epoch", "--resume-by", "state_dict only"),
    case("resume step --gamma x", "--gamma 'x'", "not a number"),
    case("resume nosuch", "nosuch", "lrplot list"),
    case("step --x-axis batch", "--x-axis 'batch'", "must be epoch or step"),
    case("lambda --lr-lambda 1 --lr-lambda 2", "--lr-lambda '1 | 2'", "2 values for 1 param"),
    case(
        "chained --schedule '[(constant:factor=0.1,exponential]'",
        "--schedule '[(constant:factor=0.1,exponential]'",
        "unclosed bracket",
    ),
    case(
        "plateau --metrics m.json", "--metrics 'm.json'", "JSON list", files={"m.json": '{"a": 1}'}
    ),
    case(
        "plateau --metrics m.csv",
        "--metrics 'm.csv'",
        "no column metric",
        files={"m.csv": "a,b\n1,2\n"},
    ),
    case("plateau --metrics 1,2 --metric-expr epoch", "--metric-expr 'epoch'", "conflicts"),
    # --optimizer: the name, its keys and values, momentum, and what torch itself refuses.
    case("step --optimizer adamm", "--optimizer 'adamm'", "not a torch.optim", "did you mean adam"),
    case("step --optimizer lbfgs", "--optimizer 'lbfgs'", "LBFGS needs a closure", "another"),
    case("step --optimizer SparseAdam", "--optimizer 'SparseAdam'", "sparse gradients only"),
    case("step --optimizer :betas=1", "--optimizer ':betas=1'", "no optimizer name"),
    case("step --optimizer adam:betas", "--optimizer 'adam:betas'", "where key=value belongs"),
    case(
        "step --optimizer adam:betaz=0.9",
        "--optimizer 'adam:betaz=0.9': betaz '0.9'",
        "not a keyword of torch.optim.Adam",
        "did you mean betas",
    ),
    case("step --optimizer adam:betas=[x,0.99]", "betas 'x'", "is not a number"),
    case(
        "step --optimizer adam:betas=0.9", "betas '0.9'", "1 value where torch.optim.Adam takes 2"
    ),
    case("step --optimizer adam:amsgrad=maybe", "amsgrad 'maybe'", "true or false"),
    case("step --optimizer adam:lr=0.1", "--optimizer 'adam:lr=0.1': lr '0.1'", "use --lr 0.1"),
    case(
        "step --optimizer adam --momentum 0.9",
        "--momentum '0.9'",
        "Adam has no momentum",
        "its beta1 is --optimizer adam:betas=[0.9,0.999]",
    ),
    case("step --optimizer rprop --momentum 0.9", "--momentum '0.9'", "Rprop has no momentum"),
    case("step --optimizer sgd:momentum=0.5 --momentum 0.9", "--momentum '0.9'", "given twice"),
    case("step --optimizer rmsprop --momentum -1", "--momentum '-1'", "RMSprop refuses a negative"),
    case("step --optimizer adamw --lr -1", "--lr '-1'", "AdamW refuses a negative lr"),
    case(
        "step --optimizer adam:betas=[1.5,0.9]",
        "--optimizer 'adam:betas=[1.5,0.9]'",
        "torch.optim.Adam refused it: Invalid beta parameter at index 0: 1.5",
    ),
    case("step --optimizer sgd:nesterov=true", "--optimizer 'sgd:nesterov=true'", "Nesterov"),
    case("cyclic --optimizer rprop", "momentum or beta1", "--optimizer 'rprop'"),
    case("compare step cosine --optimizer adamm", "optimizer 'adamm'", "did you mean adam"),
    case("resume step --optimizer lbfgs", "optimizer 'lbfgs'", "closure"),
    case(
        "render m.toml -d out",
        "figure 's': field 'optimizer' 5",
        "must be text",
        files={"m.toml": STEP + "optimizer = 5\n"},
    ),
    case(
        "render m.toml -d out",
        "figure 's': field 'momentum' 0.9",
        "Adam has no momentum",
        'optimizer = "adam:betas=[0.9,0.999]"',
        files={"m.toml": STEP + 'optimizer = "adam"\nmomentum = 0.9\n'},
    ),
    case(
        "render m.toml -d out",
        "figure 's': field 'optimizer' 'adam:betas=[2,0.9]'",
        "Invalid beta parameter",
        files={"m.toml": STEP + 'optimizer = "adam:betas=[2,0.9]"\n'},
    ),
    # Output paths.
    case("step -o missing-dir/x.png", "--output 'missing-dir/x.png'", "does not exist"),
    case(
        "step -o plain.txt/x.png",
        "--output 'plain.txt/x.png'",
        "is a file",
        files={"plain.txt": "x"},
    ),
    case(
        "step -o locked/x.png",
        "--output 'locked/x.png'",
        "cannot write",
        files={"locked/": ""},
        marks=AS_ROOT,
    ),
    case("step -o x.gif", "--output 'x.gif'", "unknown suffix '.gif'"),
    case("step -o noext", "--output 'noext'", "has no suffix"),
    case("step -o -", "--output '-'", "--format csv"),
    case("step -o - --format png", "--output '-'", "data format"),
    case("step -o - -o - --format csv", "--output '-'", "given twice"),
    case("step --format gif", "--format 'gif'", "png, svg, pdf, csv, json"),
    case("step -o sub", "--output 'sub'", "is a folder", files={"sub/": ""}),
    # --preview: its chart takes standard output, so the data cannot go there too.
    case("step --preview -o -", "--output '-'", "--preview", "-o step.csv"),
    case("step --preview -o - --format csv", "--output '-'", "holds one of the two"),
    case("compare step cosine --preview -o - --format json", "--output '-'", "-o compare.csv"),
    case(
        "hf cosine --num-warmup-steps 1 --num-training-steps 10 --preview -o - --format csv",
        "--output '-'",
        "--preview",
    ),
    case("step --preview --format gif", "--format 'gif'", "png, svg, pdf, csv, json"),
    case("step --preview -o missing-dir/x.png", "--output 'missing-dir/x.png'", "not exist"),
    case("linear --lr 0 --log-y --preview", "--log-y", "no lr above 0", "--linear-y"),
    case("descent --preview", "No such option: --preview"),
    # descent.
    case("descent --lr 0", "--lr '0'", "> 0"),
    case("descent --steps 0", "--steps '0'", ">= 1"),
    case("descent --start nan", "--start 'nan'", "finite"),
    case("descent --lr 1e300", "--lr 1e+300", "overflows float64 at step 1"),
    # render and manifests: syntax, unknown keys, duplicates, types, missing files.
    case("render", "MANIFEST", "is missing"),
    case("render missing.toml -d out", "MANIFEST 'missing.toml'", "does not exist"),
    case("render m.toml --all -d out", "MANIFEST 'm.toml'", "--all", files={"m.toml": STEP}),
    case("render --all --format gif -d out", "--format 'gif'", "unknown format 'gif'"),
    case(
        "render --all -d plain.txt/out",
        "--dir 'plain.txt/out'",
        "is under plain.txt, which is a file",
        files={"plain.txt": "x"},
    ),
    case(
        "render m.toml -d out --only nope", "--only 'nope'", "not a figure", files={"m.toml": STEP}
    ),
    case(
        "render m.toml -d out", "m.toml", "not valid TOML", files={"m.toml": "[[figure]\nname = 1"}
    ),
    case(
        "render m.toml -d out",
        "m.toml: table 'figures'",
        "not part of a manifest",
        files={"m.toml": "[[figures]]\nname = 'a'\n"},
    ),
    case(
        "render m.toml -d out",
        "m.toml: figure 's': field 'gama' 0.5",
        "did you mean gamma",
        files={"m.toml": STEP + "gama = 0.5\n"},
    ),
    case(
        "render m.toml -d out",
        "[defaults]: field 'epoch' 5",
        "did you mean epochs",
        files={"m.toml": "[defaults]\nepoch = 5\n" + STEP},
    ),
    case(
        "render m.toml -d out",
        "figure 's': field 'name' 's'",
        "earlier figure",
        files={"m.toml": STEP + "\n" + STEP},
    ),
    case(
        "render m.toml -d out",
        "figure 's': field 'epochs' 'ten'",
        "whole number",
        files={"m.toml": STEP + 'epochs = "ten"\n'},
    ),
    case(
        "render m.toml -d out",
        "figure #1: field 'name' 5",
        "file stem",
        files={"m.toml": "[[figure]]\nname = 5\n"},
    ),
    case(
        "render m.toml -d out",
        "figure 's': field 'annotate' 'yes please'",
        "true or false",
        files={"m.toml": STEP + 'annotate = "yes please"\n'},
    ),
    case(
        "render m.toml -d out",
        "figure 's': field 'kind' 'movie'",
        "curves or descent",
        files={"m.toml": STEP + 'kind = "movie"\n'},
    ),
    case(
        "render m.toml -d out",
        "figure 's': field 'metrics' 'gone.csv'",
        "neither an existing file",
        files={"m.toml": '[[figure]]\nname = "s"\nscheduler = "plateau"\nmetrics = "gone.csv"\n'},
    ),
    case(
        "render m.toml -d out",
        "curves[0].spec 'cosine:T_max=': has 'T_max='",
        "key=value",
        files={"m.toml": '[[figure]]\nname = "c"\ncurves = [{ spec = "cosine:T_max=" }]\n'},
    ),
    case(
        "render m.toml -d out",
        "m.toml",
        "no [[figure]] tables",
        files={"m.toml": "[defaults]\nepochs = 5\n"},
    ),
    case("render dir.toml -d out", "MANIFEST 'dir.toml'", "is a folder", files={"dir.toml/": ""}),
    case(
        "render m.toml -d out -q",
        "figure 'b': field 'lr_lambda' '1/(epoch-5)'",
        "zero at epoch=5",
        files={"m.toml": TWO},
    ),
    # check: the baseline folder, tolerances, and the manifest go through the same errors.
    case(
        "check m.toml --baseline nowhere",
        "--baseline 'nowhere'",
        "not an existing folder",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        "check m.toml --baseline plain.txt",
        "--baseline 'plain.txt'",
        "not an existing folder",
        files={"m.toml": STEP, "plain.txt": "x"},
    ),
    case(
        "check m.toml --baseline base --rtol nan",
        "--rtol 'nan'",
        "finite",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        "check m.toml --baseline base --image-tol -2",
        "--image-tol '-2'",
        "must be >= 0",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        "check m.toml --baseline base --prune",
        "--prune",
        "--update",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        "check gone.toml --baseline base",
        "MANIFEST 'gone.toml'",
        "does not exist",
        files={"base/": ""},
    ),
    case(
        "check m.toml --baseline base --only nope",
        "--only 'nope'",
        "not a figure",
        files={"m.toml": STEP, "base/": ""},
    ),
    # Schedulers by import path: the module, the target, its options, its own code.
    case("nosuch_pkg.Sched", "scheduler 'nosuch_pkg.Sched'", "no module named nosuch_pkg"),
    case("cat_s.Nope", "'cat_s.Nope'", "has no attribute Nope", files=USER_FILES),
    case("cat_s.Wram", "has no attribute Wram", "did you mean Warm", files=USER_FILES),
    case(
        "cat_s.CONSTANT",
        "'cat_s.CONSTANT'",
        "is an object of type int, not a scheduler",
        files=USER_FILES,
    ),
    case("cat_s.Plain", "is a class but not an LRScheduler subclass", files=USER_FILES),
    case("os.path.join", "'os.path.join'", "is part of Python itself"),
    case("cat_s.Warm", "--warmup", "is required by Warm", files=USER_FILES),
    case("cat_s.Warm --warmup x", "--warmup 'x'", "not a whole number", files=USER_FILES),
    case("cat_s.Warm --warmup 2 --bogus 1", "No such option: --bogus", files=USER_FILES),
    case("cat_s.NeedsFn", "--fn", "text cannot fill it", "factory", files=USER_FILES),
    case("cat_s.NeedsFn --fn x", "--fn 'x'", "text cannot fill", files=USER_FILES),
    case(
        "cat_s.Broken",
        "cat_s.Broken",
        "RuntimeError: k must be odd",
        "LRPLOT_DEBUG=1",
        files=USER_FILES,
    ),
    case("cat_s.BadStep", "failed while stepping: KeyError", "LRPLOT_DEBUG=1", files=USER_FILES),
    case("cat_s.not_a_scheduler", "returned an object of type int", files=USER_FILES),
    case(
        "cat_s.make_rop --metrics 1,1,1 --epochs 3",
        "--metrics '1,1,1': only applies to plateau, not cat_s.make_rop",
        "if make_rop returns a ReduceLROnPlateau, annotate its return type (-> ReduceLROnPlateau)",
        "put 'plateau' in its name",
        files=USER_FILES,
    ),
    case(
        "render m.toml -d out --allow-import cat_s",
        "field 'metrics' [1.0, 1.0]: only applies to plateau, not cat_s.make_rop",
        "annotate its return type (-> ReduceLROnPlateau)",
        files={
            **USER_FILES,
            "m.toml": ALLOW.replace("Warm", "make_rop")
            .replace("warmup", "metrics")
            .replace("3", "[1.0, 1.0]"),
        },
    ),
    case("cat_s.HasLr", "has a parameter lr", "--lr", files=USER_FILES),
    case(
        "cat_bad.X",
        "module cat_bad does not import: ValueError: no",
        "LRPLOT_DEBUG=1",
        files={"cat_bad.py": "raise ValueError('no')\n"},
    ),
    case(
        "cat_s.make --start-epoch 2 --resume-by last-epoch",
        "--resume-by 'last-epoch'",
        "make takes no last_epoch",
        files=USER_FILES,
    ),
    case("compare step cat_s.Nope", "SPEC 'cat_s.Nope'", "has no attribute", files=USER_FILES),
    case("resume cat_s.Warm", "--warmup", "is required", files=USER_FILES),
    case(
        "render m.toml -d out",
        "figure 'mine': field 'scheduler' 'cat_s.Warm'",
        "--allow-import cat_s",
        files={**USER_FILES, "m.toml": ALLOW},
    ),
    case(
        "check m.toml --baseline base",
        "figure 'mine'",
        "--allow-import cat_s",
        files={**USER_FILES, "m.toml": ALLOW, "base/": ""},
    ),
    # A target's own error names the figure it came from (its code cannot).
    case(
        "render m.toml -d out --allow-import cat_s",
        "m.toml: figure 'mine': cat_s.Broken: refused the options: RuntimeError: k must be odd",
        files={**USER_FILES, "m.toml": ALLOW.replace("Warm", "Broken").replace("warmup", "k")},
    ),
    case(
        "check m.toml --baseline base --allow-import cat_s",
        "m.toml: figure 'mine': cat_s.BadStep: failed while stepping: KeyError",
        files={
            **USER_FILES,
            "m.toml": ALLOW.split("warmup")[0].replace("Warm", "BadStep"),
            "base/": "",
        },
    ),
    case(
        "render m.toml -d out --allow-import cat_s.sub",
        "--allow-import 'cat_s.sub'",
        "top-level package",
        files={**USER_FILES, "m.toml": ALLOW},
    ),
    case("torch.save", "'torch.save'", "is a torch function, not a scheduler"),
    case("torch.optim.SGD", "is a torch class, not a scheduler"),
    case("cat_s.other_optimizer", "built its scheduler on another optimizer", files=USER_FILES),
    case("cat_s.Exits", "cat_s.Exits", "SystemExit: 0", files=USER_FILES),
    case("cat_s.HasFormat", "has a parameter format", "lrplot's own --format", files=USER_FILES),
    case("cat_s.Clash", "T_max and t_max", "both read as --t-max", files=USER_FILES),
    case("cat_s.Unfill --obj x", "--obj 'x'", "text cannot fill", "leave it out", files=USER_FILES),
    case(
        "cat_dep.f",
        "module cat_dep does not import: ModuleNotFoundError: No module named 'cat_dep_gone'",
        files={"cat_dep.py": "import cat_dep_gone\n"},
    ),
    # transformers' schedules by name.
    case("hf nope", "hf 'nope'", "is not a transformers SchedulerType", "cosine"),
    case("hf cosin", "hf 'cosin'", "did you mean cosine"),
    case("hf cosine", "--num-warmup-steps", "is required by get_cosine_schedule_with_warmup"),
    case(
        "hf cosine --num-warmup-steps 2 --num-training-steps x",
        "--num-training-steps 'x'",
        "not a whole number",
    ),
    # transformers' own checks, in the names the user typed (as torch's are).
    case(
        "hf cosine_with_min_lr --num-warmup-steps 2 --num-training-steps 10",
        "hf cosine_with_min_lr: transformers refused the options: One of --min-lr or "
        "--min-lr-rate should be set",
        "lrplot hf cosine_with_min_lr --help",
    ),
    case(
        "hf polynomial --num-warmup-steps 2 --num-training-steps 10 --lr-end 1",
        "transformers refused the options: --lr-end (1.0) must be smaller than initial lr",
    ),
    case(
        "hf warmup_stable_decay --num-warmup-steps 2 --num-decay-steps 3",
        "Either --num-training-steps or --num-stable-steps must be specified;",
    ),
    case("hf linear --num-warmup-steps 2 --num-training-steps 10 --power 2", "No such option"),
    case("hf linear --num-warmup-steps 2 --num-training-steps 0", "--num-training-steps '0'"),
    case("hf linear --num-warmup-steps -1 --num-training-steps 9", "must be >= 0"),
    case(
        "hf cosine --num-warmup-steps 2 --num-training-steps 10 --start-epoch 3 "
        "--resume-by last-epoch",
        "transformers.get_scheduler takes no last_epoch",
    ),
    # check's own inputs: baselines of another size, schema or content; --junit/--results.
    # (issue 16, part 1; render all-or-nothing and figure names follow.)
    # (Baselines of other content, FIFOs, read-only folders, full disks: test_check_inputs.py.)
    case(
        "check m.toml --baseline base --junit m.toml",
        "--junit 'm.toml'",
        "is the manifest",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        "check m.toml --baseline base --junit -",
        "--junit '-'",
        "not standard output",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        "check m.toml --baseline base --results r --junit r",
        "--junit 'r'",
        "is the --results folder",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        "check m.toml --baseline base --junit /dev/full",
        "--junit '/dev/full'",
        "is not a regular file",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        "check m.toml --baseline base --junit base/s.json",
        "--junit 'base/s.json'",
        "is in the baseline folder",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        "check m.toml --baseline base --results base",
        "--results 'base'",
        "is in the baseline folder",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        "check m.toml --baseline base --junit out",
        "--junit 'out'",
        "is a folder",
        files={"m.toml": STEP, "base/": "", "out/": ""},
    ),
    case(
        "check m.toml --baseline base --results plain.txt",
        "--results 'plain.txt'",
        "is a file",
        files={"m.toml": STEP, "base/": "", "plain.txt": "x"},
    ),
    case(
        "check m.toml --baseline base --results plain.txt/r",
        "--results 'plain.txt/r'",
        "under plain.txt, which is a file",
        files={"m.toml": STEP, "base/": "", "plain.txt": "x"},
    ),
    case(
        "check m.toml --baseline base --junit plain.txt/r.xml",
        "--junit 'plain.txt/r.xml'",
        "under plain.txt, which is a file",
        files={"m.toml": STEP, "base/": "", "plain.txt": "x"},
    ),
    case(
        f"check m.toml --baseline base --junit {'a' * 300}.xml",
        "--junit 'aaaa",
        "is too long for a file name",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        f"check m.toml --baseline base --results {'a' * 300}",
        "--results 'aaaa",
        "is too long for a file name",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        "check m.toml --baseline base --results r --junit r/summary.json",
        "--junit 'r/summary.json'",
        "is the summary.json check writes",
        files={"m.toml": STEP, "base/": ""},
    ),
    case(
        f"render m.toml -d {'a' * 300}",
        "--dir 'aaaa",
        "is too long for a file name",
        files={"m.toml": STEP},
    ),
    # Figure names: a safe file stem in full, not the contact sheet's, not another's in any case.
    case(
        "render m.toml -d out",
        "m.toml: figure #1: field 'name' 's\\n'",
        "file stem",
        files={"m.toml": STEP.replace('"s"', '"s\\n"')},
    ),
    case(
        "render m.toml -d out",
        "m.toml: figure #1: field 'name' 'a\\tb'",
        "file stem",
        files={"m.toml": STEP.replace('"s"', '"a\\tb"')},
    ),
    case(
        "render m.toml -d out --contact-sheet",
        "m.toml: figure #1: field 'name' 'index'",
        "contact sheet",
        files={"m.toml": STEP.replace('"s"', '"index"')},
    ),
    case(
        "check m.toml --baseline base",
        "m.toml: figure #1: field 'name' 'Index'",
        "contact sheet",
        files={"m.toml": STEP.replace('"s"', '"Index"'), "base/": ""},
    ),
    case(
        "render m.toml -d out",
        "m.toml: figure 'S': field 'name' 'S'",
        "differ only in case",
        files={"m.toml": STEP + STEP.replace('"s"', '"S"')},
    ),
    case(
        "render m.toml -d out",
        "m.toml: figure #1: field 'name' 'NUL.x'",
        "device name on Windows",
        files={"m.toml": STEP.replace('"s"', '"NUL.x"')},
    ),
    case(
        f"check m.toml --baseline base --results r --junit r/{'a' * 300}.xml",
        "--junit 'r/aaaa",
        "longer than 255 bytes",
        files={"m.toml": STEP, "base/": ""},
    ),
    # One option under two spellings, in a manifest table or a SPEC: refused, not merged.
    case(
        "render m.toml -d out",
        "m.toml: figure 's': field 'step_size' 4",
        "same option as 'step-size'",
        files={"m.toml": STEP + "step-size = 3\nstep_size = 4\n"},
    ),
    case(
        "render m.toml -d out",
        "m.toml: figure 'c': field 't-max' 4",
        "same option as 'T_max'",
        files={"m.toml": '[[figure]]\nname = "c"\nscheduler = "cosine"\nT_max = 3\nt-max = 4\n'},
    ),
    case(
        "check m.toml --baseline base",
        "m.toml: [defaults]: field 'steps_per_epoch' 4",
        "same option as 'steps-per-epoch'",
        files={
            "m.toml": "[defaults]\nsteps-per-epoch = 3\nsteps_per_epoch = 4\n" + STEP,
            "base/": "",
        },
    ),
    case(
        "render m.toml -d out",
        "curves[0].Label 'b'",
        "same option as 'label'",
        files={
            "m.toml": '[[figure]]\nname = "c"\n'
            'curves = [{ spec = "step", label = "a", Label = "b" }]\n'
        },
    ),
    case(
        "compare step:step-size=3,step_size=4 cosine -o x.png",
        "SPEC 'step:step-size=3,step_size=4'",
        "gives step-size and step_size, two spellings of one option",
    ),
    case(
        "sequential --schedule cosine:T_max=3,t-max=4 --schedule step -o x.png",
        "--schedule 'cosine:T_max=3,t-max=4'",
        "gives T_max and t-max",
    ),
    case(
        "step --optimizer adam:weight_decay=0.1,weight-decay=0.2 -o x.png",
        "--optimizer 'adam:weight_decay=0.1,weight-decay=0.2'",
        "gives weight_decay and weight-decay",
    ),
    #
    # Filesystem shapes, special files, closed streams, parser limits, duplicate keys.
    # (issue 16, parts 2-4.)
    # Inputs that are not regular files (a FIFO, a loop, a sparse 16 MiB file and the
    # closed streams are in tests/test_filesystem.py), and outputs of every shape.
    case("render /dev/zero -d out", "MANIFEST '/dev/zero'", "is a device", marks=POSIX),
    case("plateau --metrics /dev/zero", "--metrics '/dev/zero'", "is a device", marks=POSIX),
    case("render . -d out", "MANIFEST '.'", "is a folder", "give the .toml file"),
    case(
        "check sub --baseline base",
        "MANIFEST 'sub'",
        "is a folder",
        files={"sub/": "", "base/": ""},
    ),
    case(
        "render plain.txt/m.toml -d out",
        "is under plain.txt, which is a file",
        files={"plain.txt": "x"},
    ),
    case("render " + "n" * 300 + ".toml -d out", "MANIFEST 'nnnn", "(305 characters)", "too long"),
    case(
        "plateau --metrics plain.txt/m.csv",
        "--metrics 'plain.txt/m.csv'",
        "is under plain.txt",
        files={"plain.txt": "x"},
    ),
    case("plateau --metrics " + "n" * 300 + ".csv", "--metrics 'nnnn", "too long for a file name"),
    case(
        "render m.toml -d out",
        "figure 'p': field 'metrics'",
        "too long for a file name",
        files={
            "m.toml": '[[figure]]\nname = "p"\nscheduler = "plateau"\nmetrics = "'
            + "n" * 300
            + '"\n'
        },
    ),
    case("step -o " + "n" * 300 + ".png", "--output 'nnnn", "(304 characters)", "too long"),
    case(
        "step -o plain.txt/sub/x.png",
        "--output 'plain.txt/sub/x.png'",
        "is under plain.txt",
        files={"plain.txt": "x"},
    ),
    case("step -o /dev/null", "--output '/dev/null'", "has no suffix", "--format png", marks=POSIX),
    case("render --all -d " + "n" * 300, "--dir 'nnnn", "too long for a file name"),
    case("render --all -d plain.txt", "--dir 'plain.txt'", "is a file", files={"plain.txt": "x"}),
    case("render --all -d /dev/null", "--dir '/dev/null'", "is a device", marks=POSIX),
    # Parser limits: nesting, dotted keys, integer digits; each names the file and the limit.
    case(
        "render m.toml -d out",
        "m.toml",
        "more than 32 levels deep",
        files={"m.toml": "a = " + "[" * 100_000},
    ),
    case(
        "render m.toml -d out",
        "m.toml",
        "more than 32 levels deep",
        files={"m.toml": STEP + "x = " + "{a = " * 40 + "1" + "}" * 40},
    ),
    case(
        "render m.toml -d out",
        "m.toml",
        "dotted key of more than 32 parts",
        files={"m.toml": "a" + ".a" * 10_000 + " = 1\n"},
    ),
    case(
        "render m.toml -d out",
        "m.toml",
        "more than 4,300 digits",
        files={"m.toml": STEP + "step-size = " + "1" * 5000},
    ),
    case(
        "check m.toml --baseline base",
        "m.toml",
        "32 levels",
        files={"m.toml": "a = " + "[" * 5000, "base/": ""},
    ),
    case(
        "plateau --metrics m.json",
        "--metrics 'm.json'",
        "more than 32 levels deep",
        files={"m.json": "[" * 100_000},
    ),
    case(
        "plateau --metrics m.json",
        "--metrics 'm.json'",
        "more than 4,300 digits",
        files={"m.json": "[" + "1" * 5000 + "]"},
    ),
    case(
        "plateau --metrics m.json",
        "--metrics 'm.json'",
        "not valid JSON",
        files={"m.json": "[1, 2"},
    ),
    # json keeps the last of two equal keys without a word; TOML refuses, and so does lrplot.
    case(
        "plateau --metrics m.json",
        "--metrics 'm.json'",
        'has the key "metric" twice',
        "keep one",
        files={"m.json": '{"series": {"metric": [1, 2], "metric": [3]}}'},
    ),
    #
    # The drawing step: lr ranges, mathtext, pixel budget, panel limit.
    # (issue 16, parts 5 and 7.)
    case("step --title '$x^$'", "--title '$x^$'", "not valid mathtext", "escape each $ as \\$"),
    case(f"step --title {'W' * 401}", "--title 'WWW", "is 401 characters", "400", "shorten it"),
    case(f"step --size 1x1 --title {'W' * 100}", "--size '1x1'", "the layout collapsed"),
    case("step --lr 1e308 --linear-y", "--linear-y", "peaks at 1e+308", "too large", "--log-y"),
    # A character no font has is drawn as a box, with a raw matplotlib warning per glyph.
    case(
        "step --title '学习率 schedule'",
        "--title '学习率 schedule'",
        "font (DejaVu Sans) cannot draw: 学 (U+5B66), 习 (U+4E60), 率 (U+7387)",
        "font.sans-serif in your matplotlibrc",
    ),
    case("compare step cosine --label 学 -o c.svg", "--label '学'", "cannot draw: 学"),
    case("step --title '学 $\\eta$'", "--title '学 $\\eta$'", "cannot draw: 学"),
    case(
        "render m.toml -d out",
        "m.toml: figure 's': field 'title' '率'",
        "cannot draw",
        files={"m.toml": STEP + 'title = "率"\n'},
    ),
    case("step --title '$x^$' -o a.csv", "--title '$x^$'", "mathtext"),
    case("step --title 'a $\\frac{1$ b' -o a.svg", "--title", "mathtext"),
    case("descent --title '$x_$'", "--title '$x_$'", "mathtext"),
    case("compare step cosine --label '$a^$'", "--label '$a^$'", "mathtext"),
    case(
        "render m.toml -d out",
        "m.toml: figure 's': field 'title' '$x^$'",
        "mathtext",
        files={"m.toml": STEP + 'title = "$x^$"\n'},
    ),
    case(
        "render m.toml -d out",
        "curves[1]",
        "label",
        "mathtext",
        files={
            "m.toml": '[[figure]]\nname = "c"\ncurves = [{ spec = "step" }, '
            '{ scheduler = "cosine", label = "$\\\\sqrt{$" }]\n'
        },
    ),
    case(
        "step --size 100x100 --dpi 1200",
        "--dpi 1200",
        "--size 100x100",
        "14,400,000,000 pixels",
        "50,000,000",
        "at most 70",
    ),
    case("step --size 20x20 --dpi 400 -o a.svg", "--dpi 400", "--size 20x20", "64,000,000"),
    case(
        "render m.toml -d out",
        "m.toml: figure 's': field 'dpi' 1200",
        "size 50x50",
        "50,000,000",
        files={"m.toml": STEP + 'size = "50x50"\ndpi = 1200\n'},
    ),
    case(
        "compare step cosine exponential linear constant multistep step:step_size=2 "
        "step:step_size=3 step:step_size=4 step:step_size=5 --layout panels --dpi 1000",
        "--dpi 1000",
        "grown for 10 panels",
        "50,000,000",
    ),
    case(
        "compare " + " ".join(f"step:step_size={i}" for i in range(1, 26)) + " --layout panels",
        "--layout 'panels'",
        "at most 24",
        "25 curves",
        "--layout overlay",
    ),
    case(
        "render m.toml -d out",
        "m.toml: figure 'p': field 'layout' 'panels'",
        "at most 24",
        files={
            "m.toml": '[[figure]]\nname = "p"\nlayout = "panels"\ncurves = ['
            + ", ".join(f'{{ spec = "step:step_size={i}" }}' for i in range(1, 26))
            + "]\n"
        },
    ),
    case(
        "exponential --lr 1e-300 --gamma 1e-5 -n 8 --linear-y",
        "--linear-y",
        "peaks at 1e-300",
        "--log-y",
    ),
    case("lambda --lr-lambda 0 --log-y", "--log-y", "no lr above 0", "--linear-y"),
    case("lambda --lr-lambda 0 --log-y -o a.svg", "--log-y", "no lr above 0"),
    #
]


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _make(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        if name.endswith("/"):
            path.mkdir()
            path.chmod(0o555)  # only stops writes for a non-root user (see AS_ROOT)
        else:
            path.write_text(text)


@pytest.mark.parametrize("bad", CATALOGUE)
def test_bad_input_exits_2_with_one_clear_line(lrplot, workdir: Path, bad: Case) -> None:
    _make(workdir, bad.files)
    before = _tree(workdir)
    result = lrplot(*bad.argv)
    assert result.code == 2, result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("lrplot: error: ")
    for fragment in bad.fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert "Traceback" not in result.err
    assert result.out == ""
    assert _tree(workdir) == before


def test_the_catalogue_covers_every_command() -> None:
    from lrplot.schedulers.registry import SCHEDULERS

    commands = {p.values[0].argv[0] for p in CATALOGUE}  # type: ignore[attr-defined]
    group = typer.main.get_command(app)
    wanted = set(group.list_commands(typer.Context(group)))  # every command the app has
    assert {"check", "render", *(s.command for s in SCHEDULERS)} <= wanted
    assert wanted - commands == set()
    assert len(CATALOGUE) >= 40


def _readme_transcripts() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Errors and exit codes", 1)[1].split("\n## ", 1)[0]
    lines = section.splitlines()
    return [
        (line[2:], lines[i + 1])
        for i, line in enumerate(lines)
        if line.startswith("$ lrplot ") and lines[i + 1].startswith("lrplot: error: ")
    ]


def test_readme_has_error_transcripts() -> None:
    assert len(_readme_transcripts()) >= 6


@pytest.mark.parametrize(("command", "message"), _readme_transcripts())
def test_readme_error_transcripts_are_true(
    lrplot, workdir: Path, command: str, message: str
) -> None:
    result = lrplot(*shlex.split(command)[1:])
    assert result.code == 2
    assert result.err.splitlines() == [message]


def test_readme_rows_limit_matches_the_code() -> None:
    from lrplot.spec.rules import DEFAULT_MAX_ROWS

    section = (ROOT / "README.md").read_text().split("## Errors and exit codes", 1)[1]
    assert re.search(rf"\b{DEFAULT_MAX_ROWS:,}\b", section)
    assert "LRPLOT_MAX_ROWS" in section


# --- Nothing executes what it reads ----------------------------------------------------

_RUN_EVENTS = ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "subprocess.", "ctypes.")
_RUN_MODULES = {"subprocess", "ctypes", "socket", "pickle", "pty", "shutil", "webbrowser"}
# Typer evals lrplot's own annotation strings ("exec" events), so an exec is flagged only
# when the code it runs names something the hostile inputs below reach for.
_HOSTILE_NAMES = {"system", "eval", "exec", "__import__", "getattr", "Popen", "__class__"}
_events: list[str] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _events is None:
        return
    if event.startswith(_RUN_EVENTS):
        _events.append(event)
    elif event == "import" and str(args[0]).split(".")[0] in _RUN_MODULES:
        _events.append(f"import {args[0]}")
    elif event == "exec" and _HOSTILE_NAMES & set(getattr(args[0], "co_names", ())):
        _events.append(f"exec {args[0]!r}")


sys.addaudithook(_audit)  # permanent, but records only while a hostile case runs

HOSTILE_STEP = '[[figure]]\nname = "h"\n'
HOSTILE = [
    ["compare", "os.system"],
    ["compare", "os.system:command=touch pwned"],
    ["compare", "builtins.eval:source=1"],
    ["compare", "__import__:name=os"],
    ["compare", "step:__class__=1"],
    ["compare", "step:gamma=__class__"],
    ["compare", "lambda:lr_lambda=__import__('os').system('touch pwned')"],
    ["sequential", "--schedule", "os.system", "--schedule", "step", "--milestones", "5"],
    ["chained", "--schedule", "subprocess.Popen:args=touch pwned"],
    ["lambda", "--lr-lambda", "__import__('os').system('touch pwned')"],
    ["lambda", "--lr-lambda", "lambda e: e.__class__.__base__"],
    ["multiplicative", "--lr-lambda", "(lambda: 0).__globals__"],
    ["cyclic", "--scale-fn", "getattr(x, '__class__')"],
    ["plateau", "--metric-expr", "eval('1')"],
    ["plateau", "--metrics", "__import__('os').system('touch pwned')"],
    ["render", "m.toml", HOSTILE_STEP + 'scheduler = "os.system"\n'],
    ["render", "m.toml", HOSTILE_STEP + 'scheduler = "builtins.eval"\n'],
    ["render", "m.toml", HOSTILE_STEP + 'scheduler = "step"\n__class__ = 1\n'],
    ["render", "m.toml", HOSTILE_STEP + 'scheduler = "step"\ngamma = "__class__"\n'],
    ["render", "m.toml", HOSTILE_STEP + 'scheduler = "lambda"\nlr-lambda = "__import__(\'os\')"\n'],
    ["render", "m.toml", HOSTILE_STEP + 'curves = [{ spec = "os.system:command=ls" }]\n'],
    ["render", "m.toml", HOSTILE_STEP + 'kind = "__import__"\n'],
    [
        "render",
        "m.toml",
        '[defaults]\n__builtins__ = "eval"\n' + HOSTILE_STEP + 'scheduler = "step"\n',
    ],
    ["render", "m.toml", '[__import__]\nname = "os"\n'],
]


@pytest.mark.parametrize("argv", HOSTILE, ids=[" ".join(a)[:60] for a in HOSTILE])
def test_nothing_executes_what_it_reads(lrplot, workdir: Path, argv: list[str]) -> None:
    global _events
    # Import every module a run needs first: importing runs module code ("exec" events).
    (workdir / "w.toml").write_text('[[figure]]\nname = "w"\nscheduler = "step"\nepochs = 2\n')
    assert lrplot("render", "w.toml", "-d", "warm", "--format", "csv", "-q").code == 0
    assert lrplot(argv[0], "--help").code == 0
    if argv[0] == "render":
        (workdir / "m.toml").write_text(argv[2])
        argv = ["render", "m.toml", "-d", "out", "-q"]
    events: list[str] = []
    _events = events
    try:
        result = lrplot(*argv)
    finally:
        _events = None
    assert result.code == 2, result.err
    assert len(result.err.splitlines()) == 1
    assert events == []
    assert not (workdir / "pwned").exists()
    assert not (workdir / "out").exists()


def test_the_watch_sees_code_that_runs() -> None:
    global _events
    events: list[str] = []
    _events = events
    try:
        eval("__import__('os').getcwd()")
    finally:
        _events = None
    assert events and events[0].startswith("exec")
