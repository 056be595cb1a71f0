"""Composition and readability: SPEC strings, sequential/chained, param groups, resume,
the momentum panel, --annotate and the y scale."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler as sched

from lrplot import FigureStyle, build_spec, figure_for, simulate
from lrplot.errors import InputError
from lrplot.spec.grammar import parse_spec

# ---------------------------------------------------------------- SPEC grammar


@pytest.mark.parametrize(
    ("text", "name", "options"),
    [
        ("cosine", "cosine", {}),
        ("cosine:T_max=95", "cosine", {"T_max": "95"}),
        (
            "multistep:milestones=[30,80],gamma=0.5",
            "multistep",
            {"milestones": "[30,80]", "gamma": "0.5"},
        ),
        (
            "lambda:lr_lambda=max(0.1, 0.95 ** epoch)",
            "lambda",
            {"lr_lambda": "max(0.1, 0.95 ** epoch)"},
        ),
        ("StepLR: step-size = 10 , gamma=0.5", "StepLR", {"step-size": "10", "gamma": "0.5"}),
        (
            "onecycle:max_lr=[0.1,0.2],three_phase=true",
            "onecycle",
            {"max_lr": "[0.1,0.2]", "three_phase": "true"},
        ),
    ],
)
def test_spec_parser_accepts(text: str, name: str, options: dict[str, str]) -> None:
    parsed = parse_spec(text)
    assert (parsed.name, parsed.options) == (name, options)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "no scheduler name"),
        (":gamma=1", "no scheduler name"),
        ("step:", "nothing after ':'"),
        ("step:gamma", "where key=value belongs"),
        ("step:gamma=", "where key=value belongs"),
        ("step:=0.5", "where key=value belongs"),
        ("step:gamma=0.5,,step_size=3", "empty item"),
        ("multistep:milestones=[30,80", "unclosed bracket"),
        ("multistep:milestones=30,80]", "unmatched ']'"),
        ("lambda:lr_lambda=max(0.1, 0.9", "unclosed bracket"),
        ("step:gamma=0.5,gamma=0.1", "gives gamma twice"),
        ("x" * 2001, "longer than"),
    ],
)
def test_spec_parser_rejects(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_spec(text, "--schedule")
    assert fragment in str(caught.value) and "--schedule" in str(caught.value)


def test_spec_values_are_checked_with_the_spec_named() -> None:
    with pytest.raises(InputError) as caught:
        build_spec("sequential", {"schedulers": ["linear", "cosine:T_max=abc"], "milestones": "5"})
    message = str(caught.value)
    assert "--schedule 'cosine:T_max=abc': T_max" in message and "'abc'" in message


def test_spec_unknown_key_is_named() -> None:
    with pytest.raises(InputError) as caught:
        build_spec("chained", {"schedulers": ["exponential:gama=0.9"]})
    assert "gama" in str(caught.value) and "did you mean gamma" in str(caught.value)


# ---------------------------------------------------------------- sequential / chained


def _oracle(build, rows: int, lr: float = 0.001) -> list[float]:
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = build(optimizer)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the oracle's own construction order is torch's
        for _ in range(rows):
            out.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
    return out


def test_sequential_default_equals_oracle() -> None:
    def build(opt):
        warm = sched.LinearLR(opt, start_factor=0.1, total_iters=5)
        cosine = sched.CosineAnnealingLR(opt, T_max=95)
        return sched.SequentialLR(opt, schedulers=[warm, cosine], milestones=[5])

    assert simulate(build_spec("sequential")).lr.tolist() == _oracle(build, 100)


def test_sequential_three_children_equals_oracle() -> None:
    def build(opt):
        return sched.SequentialLR(
            opt,
            schedulers=[
                sched.ConstantLR(opt, factor=0.5, total_iters=3),
                sched.StepLR(opt, step_size=4, gamma=0.5),
                sched.ExponentialLR(opt, gamma=0.9),
            ],
            milestones=[10, 30],
        )

    spec = build_spec(
        "sequential",
        {
            "schedulers": [
                "constant:factor=0.5,total_iters=3",
                "step:step_size=4,gamma=0.5",
                "exponential:gamma=0.9",
            ],
            "milestones": "10,30",
        },
        epochs=50,
    )
    assert simulate(spec).lr.tolist() == _oracle(build, 50)


def test_chained_default_equals_oracle() -> None:
    def build(opt):
        return sched.ChainedScheduler(
            [
                sched.ConstantLR(opt, factor=0.1, total_iters=20),
                sched.ExponentialLR(opt, gamma=0.9),
            ],
            optimizer=opt,
        )

    assert simulate(build_spec("chained")).lr.tolist() == _oracle(build, 100)


def test_composite_json_params_record_the_children() -> None:
    params = simulate(build_spec("chained")).params
    assert [child["scheduler"] for child in params["schedulers"]] == ["ConstantLR", "ExponentialLR"]
    assert params["schedulers"][1]["params"] == {"gamma": 0.9}


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"milestones": "5,10"}, "has 2 milestones for 2 schedules"),
        (
            {"schedulers": ["linear", "cosine", "step"], "milestones": "50,10"},
            "strictly increasing",
        ),
        ({"milestones": "0"}, "torch would skip the first child"),
        ({"schedulers": ["plateau", "cosine"]}, "ReduceLROnPlateau cannot be a child"),
        ({"schedulers": ["nosuch", "cosine"]}, "is not a scheduler"),
    ],
)
def test_sequential_rejects(options: dict[str, object], fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        build_spec("sequential", options)
    assert fragment in str(caught.value)


# ---------------------------------------------------------------- param groups


def test_two_param_groups(lrplot, workdir: Path) -> None:
    result = lrplot("step", "--lr", "0.1", "--lr", "0.01", "-n", "12", "-o", "g.csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO((workdir / "g.csv").read_text())))
    assert list(rows[0]) == ["step", "epoch", "lr", "lr_1"]
    assert [float(r["lr"]) for r in rows][10] == pytest.approx(0.05)
    assert [float(r["lr_1"]) for r in rows][10] == pytest.approx(0.005)


def test_two_groups_draw_two_lines_with_a_legend() -> None:
    curve = simulate(build_spec("cosine", lr=[0.1, 0.01]))
    figure = figure_for([curve], FigureStyle())
    axes = figure.axes[0]
    assert len(axes.get_lines()) == 2
    assert axes.get_legend() is not None
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["group 0", "group 1"]


def test_per_group_lists_for_cyclic_and_onecycle() -> None:
    cyclic = simulate(
        build_spec("cyclic", {"base_lr": "1e-4,1e-3", "max_lr": "[1e-3,1e-2]"}, lr=["0.1", "0.2"])
    )
    assert cyclic.series["lr"][0] == 1e-4 and cyclic.series["lr_1"][0] == 1e-3
    assert cyclic.series["lr"].max() <= 1e-3 and cyclic.series["lr_1"].max() <= 1e-2
    onecycle = simulate(build_spec("onecycle", {"max_lr": "0.1,0.2"}, lr=[1, 1]))
    assert onecycle.series["lr_1"].max() == pytest.approx(0.2)


# ---------------------------------------------------------------- resume


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("step", {}),
        ("multistep", {"milestones": "20,40"}),
        ("exponential", {"gamma": "0.9"}),
        ("cosine", {"T_max": "30"}),
        ("cosine-restarts", {}),
        ("onecycle", {}),
        ("lambda", {}),
    ],
)
def test_resumed_tail_equals_fresh_tail(command: str, options: dict[str, str]) -> None:
    fresh = simulate(build_spec(command, options, epochs=10 if command == "onecycle" else 60))
    start = 4 if command == "onecycle" else 25
    resumed = simulate(
        build_spec(command, options, start_epoch=start, epochs=10 if command == "onecycle" else 60)
    )
    spe = fresh.steps_per_epoch
    assert resumed.series["step"][0] == start * spe
    assert resumed.epoch[0] == start
    np.testing.assert_allclose(resumed.lr, fresh.lr[start * spe :], rtol=1e-12, atol=0)


@pytest.mark.parametrize("command", ["multiplicative", "cyclic", "linear", "polynomial"])
def test_resume_equals_fresh_for_the_other_resumable_classes(command: str) -> None:
    fresh = simulate(build_spec(command, epochs=40))
    resumed = simulate(build_spec(command, start_epoch=7, epochs=40))
    assert resumed.lr.tolist() == fresh.lr[7:].tolist()


def test_resume_of_warm_restarts_with_t_mult_differs_as_in_torch() -> None:
    # torch rebuilds CosineAnnealingWarmRestarts from last_epoch with T_i = T_0: with
    # T_mult > 1 the period it resumes in is wrong unless its state_dict is loaded. lrplot
    # shows what torch does (README: "Resume"), and this test pins that.
    options = {"T_0": 10, "T_mult": 2}
    fresh = simulate(build_spec("cosine-restarts", options, epochs=60))
    by = {"start_epoch": 25, "epochs": 60, "resume_by": "last-epoch"}
    resumed = simulate(build_spec("cosine-restarts", options, **by))
    assert resumed.lr.tolist() != fresh.lr[25:].tolist()
    assert resumed.resume == {"epoch": 25, "by": "last-epoch", "diverges_at": 25.0}
    loaded = simulate(build_spec("cosine-restarts", options, start_epoch=25, epochs=60))
    assert loaded.lr.tolist() == fresh.lr[25:].tolist()  # its state_dict keeps T_i
    resumed_t1 = simulate(build_spec("cosine-restarts", {"T_0": 10}, **by))
    fresh_t1 = simulate(build_spec("cosine-restarts", {"T_0": 10}, epochs=60))
    assert resumed_t1.lr.tolist() == fresh_t1.lr[25:].tolist()


@pytest.mark.parametrize("command", ["plateau", "sequential", "chained"])
def test_resume_refused_where_torch_resumes_from_a_state_dict(command: str) -> None:
    with pytest.raises(InputError) as caught:
        build_spec(command, start_epoch=5, resume_by="last-epoch")
    assert "--resume-by" in str(caught.value) and "state_dict only" in str(caught.value)
    assert simulate(build_spec(command, start_epoch=5, epochs=8)).rows == 3  # by state_dict


def test_resume_past_the_end_is_refused() -> None:
    with pytest.raises(InputError, match="must be below --epochs"):
        build_spec("step", start_epoch=100)


# ---------------------------------------------------------------- momentum panel


def test_momentum_panel_and_no_momentum() -> None:
    curve = simulate(build_spec("onecycle"))
    assert len(figure_for([curve], FigureStyle()).axes) == 2
    assert len(figure_for([curve], FigureStyle(momentum_panel=False)).axes) == 1
    assert len(figure_for([simulate(build_spec("step"))], FigureStyle()).axes) == 1


# ---------------------------------------------------------------- --annotate


def _marks(command: str, options: dict[str, object] | None = None, **common: object):
    return [m.epoch for m in simulate(build_spec(command, options, **common)).marks]


def test_annotate_positions() -> None:
    assert _marks("step") == [10, 20, 30, 40, 50, 60, 70, 80, 90]
    assert _marks("step", {"step_size": 30}, steps_per_epoch=2) == [15, 30, 45, 60, 75, 90]
    assert _marks("multistep") == [30, 80]
    assert _marks("cosine-restarts", {"T_0": 10, "T_mult": 2}) == [10, 30, 70]
    assert _marks("sequential") == [5]


def test_annotate_plateau_marks_each_cut_with_the_metric() -> None:
    metric = [1.0, 0.5] + [0.5] * 10
    curve = simulate(build_spec("plateau", {"patience": 2}, metrics=metric))
    cuts = [k for k in range(1, curve.rows) if curve.lr[k] < curve.lr[k - 1]]
    assert [m.epoch for m in curve.marks] == cuts == [5, 8, 11]
    assert curve.marks[0].text == "cut, metric 0.5"


def test_annotate_draws_lines_and_labels() -> None:
    curve = simulate(build_spec("step"))
    plain = figure_for([curve], FigureStyle()).axes[0]
    marked = figure_for([curve], FigureStyle(annotate=True)).axes[0]
    assert len(marked.get_lines()) == len(plain.get_lines()) + 9
    assert [t.get_text() for t in marked.texts][:2] == ["\u00d70.5 every 10", "\u00d70.5"]


# ---------------------------------------------------------------- y scale


def _scale(name: str, **options: object) -> str:
    return str(
        figure_for([simulate(build_spec(name, options))], FigureStyle()).axes[0].get_yscale()
    )


def test_auto_log_scale_when_the_lr_spans_decades_and_hugs_the_floor() -> None:
    # The rule: log when the lr spans two decades or more and over a quarter of the run lies
    # below a tenth of the peak. Each case is worked out from its closed form.
    exponential = figure_for([simulate(build_spec("exponential"))], FigureStyle()).axes[0]
    assert exponential.get_yscale() == "log"  # 1e-4 x 0.5 ** epoch: 30 decades
    assert "log scale: spans" in exponential.get_ylabel()  # the figure says why
    assert _scale("step") == "log"  # 0.5 ** (epoch // 10): below 1/10 from epoch 40 on, 60%
    assert _scale("step", gamma="0.9") == "linear"  # 0.9 ** 9 = 0.39: never below a tenth
    assert _scale("cosine", T_max="100") == "linear"  # below a tenth only over its last 20%
    assert _scale("multistep") == "linear"  # 1, 0.5, 0.25 of the peak
    # one cut by 0.1 sits at a tenth, not below it: plain to see on a linear axis
    assert _scale("multistep", milestones="40", gamma="0.1") == "linear"
    assert _scale("multistep", milestones="40,60", gamma="0.1") == "log"  # 1e-2 from 60: 40%


def test_log_y_flags_override() -> None:
    curve = simulate(build_spec("exponential"))
    assert figure_for([curve], FigureStyle(log_y=False)).axes[0].get_yscale() == "linear"
    forced = figure_for([simulate(build_spec("step"))], FigureStyle(log_y=True)).axes[0]
    assert forced.get_yscale() == "log" and "log scale" not in forced.get_ylabel()


# ---------------------------------------------------------------- command line


def test_sequential_from_the_command_line(lrplot, workdir: Path) -> None:
    result = lrplot(
        "sequential",
        "--schedule",
        "linear:start_factor=0.1,total_iters=5",
        "--schedule",
        "cosine:T_max=95",
        "--milestones",
        "5",
        "-o",
        "w.json",
    )
    assert result.code == 0, result.err
    assert (workdir / "w.json").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["sequential", "--schedule", "cosine:T_max=[95"], "--schedule"),
        (["sequential", "--milestones", "5,6"], "--milestones"),
        (["chained", "--schedule", "plateau"], "cannot be a child"),
        (["step", "--start-epoch", "-1"], "--start-epoch"),
        (["plateau", "--start-epoch", "3", "--resume-by", "last-epoch"], "--resume-by"),
        (["step", "--start-epoch", "3", "--resume-by", "checkpoint"], "--resume-by"),
    ],
)
def test_composition_bad_input(lrplot, args: list[str], fragment: str) -> None:
    result = lrplot(*args)
    assert result.code == 2 and fragment in result.err and len(result.err.splitlines()) == 1
