"""The pytest plugin: ``lr_regression`` in a user's own project, run by pytest itself.

Each test makes a small project in pytester's folder (a training package with a factory, a
test module) and runs pytest on it, with the plugin loaded from its installed entry point.
Expected values are closed forms (StepLR's lr * gamma ** (epoch // step_size)), not a
previous run of lrplot.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

FACTORY = """
from torch.optim.lr_scheduler import StepLR

GAMMA = {gamma}


def make_scheduler(optimizer):
    return StepLR(optimizer, step_size=10, gamma=GAMMA)
"""
TWO_LINES = """
from train.schedules import make_scheduler


def test_schedule(lr_regression):
    lr_regression.check(make_scheduler, epochs=50)
"""


@pytest.fixture(scope="module", autouse=True)
def _loaded() -> None:
    """Import what a check uses before pytester's in-process runs: each run drops the
    modules it imported, and torch's extension does not survive being imported twice."""
    from lrplot.batch.pipeline import FigureSpec, realise
    from lrplot.spec.build import build_spec

    rendered = realise(FigureSpec("warm", (build_spec("plateau", epochs=3),)))
    rendered.encode("png")
    rendered.encode("json")


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project: train/schedules.py (StepLR, gamma 0.5) and tests/test_schedule.py."""
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\npythonpath = ["."]\n')
    _factory(pytester, 0.5)
    (pytester.path / "train" / "__init__.py").write_text("")
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "test_schedule.py").write_text(TWO_LINES)
    return pytester


def _factory(pytester: pytest.Pytester, gamma: float) -> None:
    (pytester.path / "train").mkdir(exist_ok=True)
    (pytester.path / "train" / "schedules.py").write_text(FACTORY.format(gamma=gamma))


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess("-W", "error", "-p", "no:cacheprovider", *args)


BASELINE = "tests/test_schedule/test_schedule.json"


def test_the_plugin_is_installed_by_its_entry_point() -> None:
    points = importlib.metadata.entry_points(group="pytest11")
    assert {p.name: p.value for p in points}.get("lrplot") == "lrplot.regress.plugin"


def test_missing_then_update_then_pass_then_a_changed_gamma_fails_at_epoch_10(project):
    before = _files(project.path)
    first = _run(project)
    first.assert_outcomes(failed=1)
    first.stdout.fnmatch_lines(
        [f"*lrplot: no baseline {BASELINE}; run pytest --lrplot-update to write it*"]
    )
    assert _files(project.path) == before  # nothing written, no results folder either

    update = _run(project, "--lrplot-update")
    update.assert_outcomes(passed=1)
    update.stdout.fnmatch_lines(["*lrplot baselines written*", BASELINE])
    lr = json.loads((project.path / BASELINE).read_text())["series"]["lr"]
    base = lr[0]
    assert lr == [base * 0.5 ** (epoch // 10) for epoch in range(50)]

    again = _run(project)
    again.assert_outcomes(passed=1)
    assert "baselines written" not in again.stdout.str()

    _factory(project, 0.1)
    kept = (project.path / BASELINE).read_bytes()
    changed = _run(project)
    changed.assert_outcomes(failed=1)
    rel = abs(base * 0.1 - base * 0.5) / (base * 0.5)
    changed.stdout.fnmatch_lines(
        [
            f"*test_schedule differs from {BASELINE}: lr at epoch 10: {base * 0.5!r} -> "
            f"{base * 0.1!r} (rel {rel:.3g}), 40 rows differ; obtained files and the diff "
            "picture are in lrplot-check-results/tests/test_schedule; if the change is "
            "intended, run pytest --lrplot-update"
        ]
    )
    assert (project.path / BASELINE).read_bytes() == kept
    results = project.path / "lrplot-check-results" / "tests" / "test_schedule"
    assert sorted(p.name for p in results.iterdir()) == [
        "test_schedule-diff.png",
        "test_schedule.json",
        "test_schedule.png",
    ]
    obtained = json.loads((results / "test_schedule.json").read_text())["series"]["lr"]
    # torch multiplies by gamma at each cut: 0.1 is not a binary fraction, so not bit for bit.
    assert obtained == pytest.approx([base * 0.1 ** (e // 10) for e in range(50)], rel=1e-12)
    assert "baselines written" not in changed.stdout.str()  # the obtained files are not

    rewritten = _run(project, "--lrplot-update")
    rewritten.assert_outcomes(passed=1)
    rewritten.stdout.fnmatch_lines(["*lrplot baselines written*", BASELINE])
    _run(project).assert_outcomes(passed=1)


def _test_module(pytester: pytest.Pytester, body: str) -> None:
    (pytester.path / "tests" / "test_schedule.py").write_text(textwrap.dedent(body))


def _baseline(pytester: pytest.Pytester, name: str) -> list[float]:
    path = pytester.path / "tests" / "test_schedule" / f"{name}.json"
    return list(json.loads(path.read_text())["series"]["lr"])


def test_a_class_with_keywords_is_called_as_python_calls_it(project):
    """torch's own defaults apply (gamma 0.1), not the demo defaults of lrplot's step."""
    _test_module(
        project,
        """
        from torch.optim.lr_scheduler import StepLR

        def test_class(lr_regression):
            lr_regression.check(StepLR, epochs=25, lr=0.2, step_size=10)

        def test_lambda(lr_regression):
            lr_regression.check(lambda opt: StepLR(opt, 5, gamma=0.5), epochs=12, lr=1.0)
        """,
    )
    _run(project, "--lrplot-update").assert_outcomes(passed=2)
    assert _baseline(project, "test_class") == [0.2 * 0.1 ** (e // 10) for e in range(25)]
    assert _baseline(project, "test_lambda") == [0.5 ** (e // 5) for e in range(12)]
    _run(project).assert_outcomes(passed=2)


def test_names_lrplot_accepts_take_their_options(project):
    _test_module(
        project,
        """
        def test_command(lr_regression):
            lr_regression.check("step", epochs=30, lr=1.0, step_size=10, gamma=0.5)

        def test_import_path(lr_regression):
            lr_regression.check("train.schedules.make_scheduler", epochs=30, lr=1.0)

        def test_two_groups(lr_regression):
            lr_regression.check("exponential", epochs=3, lr=[1.0, 0.5], gamma=0.5)

        def test_per_batch(lr_regression):
            lr_regression.check(
                "exponential", epochs=3, steps_per_epoch=4, lr=1.0, gamma=0.5
            )
        """,
    )
    _run(project, "--lrplot-update").assert_outcomes(passed=4)
    expected = [0.5 ** (e // 10) for e in range(30)]
    assert _baseline(project, "test_command") == expected
    assert _baseline(project, "test_import_path") == expected
    assert _baseline(project, "test_per_batch") == [0.5**k for k in range(12)]
    path = project.path / "tests" / "test_schedule" / "test_two_groups.json"
    series = json.loads(path.read_text())["series"]
    assert (series["lr"], series["lr_1"]) == ([1.0, 0.5, 0.25], [0.5, 0.25, 0.125])


def test_an_optimizer_and_a_plateau_metric(project):
    _test_module(
        project,
        """
        from torch.optim.lr_scheduler import ReduceLROnPlateau

        def test_plateau(lr_regression):
            lr_regression.check(
                ReduceLROnPlateau, epochs=6, lr=1.0, optimizer="AdamW",
                metrics=[1.0, 1.0, 1.0, 1.0, 1.0, 1.0], patience=1, factor=0.5,
            )
        """,
    )
    _run(project, "--lrplot-update").assert_outcomes(passed=1)
    document = json.loads((project.path / "tests/test_schedule/test_plateau.json").read_text())
    assert document["optimizer"]["name"] == "AdamW"
    # A flat metric: patience 1 means the third bad epoch (and every second after) halves it.
    assert document["series"]["lr"] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]


def test_parametrized_tests_each_have_their_baseline(project):
    _test_module(
        project,
        """
        import pytest

        @pytest.mark.parametrize("gamma", [0.5, 0.25])
        def test_gammas(lr_regression, gamma):
            lr_regression.check("exponential", epochs=4, lr=1.0, gamma=gamma)
        """,
    )
    _run(project, "--lrplot-update").assert_outcomes(passed=2)
    assert _baseline(project, "test_gammas_0_5") == [0.5**e for e in range(4)]
    assert _baseline(project, "test_gammas_0_25") == [0.25**e for e in range(4)]


def test_image_true_compares_the_png_too(project):
    _test_module(
        project,
        """
        def test_picture(lr_regression):
            lr_regression.check("step", epochs=30, step_size=10, image=True)
        """,
    )
    _run(project, "--lrplot-update").assert_outcomes(passed=1)
    png = project.path / "tests" / "test_schedule" / "test_picture.png"
    _run(project).assert_outcomes(passed=1)
    from PIL import Image

    with Image.open(png) as image:
        painted = image.convert("RGB")
    painted.paste((0, 0, 0), (0, 0, painted.width // 2, painted.height))
    painted.save(png)
    result = _run(project)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*test_picture differs from *: pixels differ from test_pic*"])
    kept = png.read_bytes()
    painted.resize((painted.width // 2, painted.height // 2)).save(png)  # another pixel size
    smaller = png.read_bytes()
    result = _run(project)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*pixels differ from test_picture.png, size 640x360 -> 1280x720 px; obtained files*"]
    )
    assert png.read_bytes() == smaller != kept  # left as it was, for the user to look at
    _run(project, "--lrplot-update").assert_outcomes(passed=1)
    _run(project).assert_outcomes(passed=1)


def test_the_baseline_folder_sits_beside_the_test_module_and_basename_names_the_file(project):
    _test_module(
        project,
        """
        def test_two(lr_regression):
            lr_regression.check("step", epochs=10, basename="warmup")
            lr_regression.check("step", epochs=20, basename="main")
        """,
    )
    _run(project, "--lrplot-update").assert_outcomes(passed=1)
    folder = project.path / "tests" / "test_schedule"
    assert sorted(p.name for p in folder.iterdir()) == ["main.json", "warmup.json"]


@pytest.mark.parametrize(
    ("call", "fragments"),
    [
        (
            '"step", epochs=10, step_sise=3',
            ["step_sise 3", "is not an option of StepLR", "did you mean step_size"],
        ),
        ('"step", epochs=0', ["epochs 0", "must be >= 1"]),
        ('"nope", epochs=5', ["target 'nope'", "is not a scheduler lrplot knows"]),
        ("StepLR, epochs=5, step_sise=3", ["StepLR", "does not take these keywords"]),
        ("len, epochs=5", ["is part of Python itself"]),
        ("lambda opt: 1 / 0, epochs=5", ["ZeroDivisionError", "check its keywords"]),
        ('"step", epochs=5, basename="a/b"', ["basename 'a/b'", "must be a file stem"]),
        ('"step", epochs=5, basename="nul"', ["basename 'nul'", "device name on Windows"]),
        ('"step", epochs=5, basename="a" * 300', ["basename 'aaaa", "must be a file stem"]),
        ('"step", epochs=5, optimizer="Adamm"', ["optimizer 'Adamm'"]),
    ],
)
def test_bad_calls_fail_in_one_line_and_write_nothing(project, call, fragments):
    _test_module(
        project,
        f"""
        from torch.optim.lr_scheduler import StepLR

        def test_bad(lr_regression):
            lr_regression.check({call})
        """,
    )
    before = _files(project.path)
    for args in ((), ("--lrplot-update",)):
        result = _run(project, *args)
        result.assert_outcomes(failed=1)
        lines = [line for line in result.stdout.lines if line.startswith("lrplot: ")]
        assert len(lines) == 1, result.stdout.str()
        for fragment in fragments:
            assert fragment in lines[0]
        assert "Traceback" not in result.stdout.str()
        assert "During handling" not in result.stdout.str()  # said once, not chained twice
        assert _files(project.path) == before


def test_the_same_basename_twice_in_one_test_fails(project):
    _test_module(
        project,
        """
        def test_twice(lr_regression):
            lr_regression.check("step", epochs=5)
            lr_regression.check("step", epochs=6)
        """,
    )
    result = _run(project, "--lrplot-update")
    result.assert_outcomes(failed=1)
    twice = "*baseline tests/test_schedule/test_twice.json is also this test's*"
    result.stdout.fnmatch_lines([twice])


@pytest.mark.slow
def test_under_xdist_the_workers_baselines_are_listed(project):
    pytest.importorskip("xdist")
    _test_module(
        project,
        """
        import pytest

        @pytest.mark.parametrize("k", range(4))
        def test_many(lr_regression, k):
            lr_regression.check("exponential", epochs=3, lr=1.0, gamma=0.5 ** (k + 1))
        """,
    )
    update = project.runpytest_subprocess("-W", "error", "-n", "2", "--lrplot-update")
    update.assert_outcomes(passed=4)
    written = [f"tests/test_schedule/test_many_{k}.json" for k in range(4)]
    update.stdout.fnmatch_lines(["*lrplot baselines written*", *written])
    for k in range(4):
        assert _baseline(project, f"test_many_{k}") == [0.5 ** ((k + 1) * e) for e in range(3)]
    project.runpytest_subprocess("-W", "error", "-n", "2").assert_outcomes(passed=4)


README = Path(__file__).resolve().parent.parent / "README.md"


def _plugin_section() -> str:
    text = README.read_text()
    start = text.index("## Figure regression in your own tests: the pytest plugin")
    return text[start : text.index("\n## ", start + 1)]


def _normalised(lines: list[str]) -> list[str]:
    return [re.sub(r" in \d+\.\d+s$", " in N s", line.rstrip()) for line in lines]


def test_the_readme_transcripts_are_what_pytest_prints(pytester) -> None:
    """The README's files, its commands, and between its two transcripts its edit."""
    section = _plugin_section()
    for code in re.findall(r"```python\n# (\S+)\n(.*?)```", section, flags=re.S):
        path = pytester.path / code[0]
        path.parent.mkdir(exist_ok=True)
        path.write_text(code[1])
    (pytester.path / "train" / "__init__.py").write_text("")
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\npythonpath = ["."]\n')
    # At 80 columns, with no CI variable (conftest.TERMINAL): pytest keeps a summary line
    # whole on a CI runner, while the README shows a developer's terminal.
    blocks = re.findall(r"```console\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2
    for number, block in enumerate(blocks):
        if number == 1:  # "Change gamma=0.5 to gamma=0.1"
            schedules = pytester.path / "train" / "schedules.py"
            schedules.write_text(schedules.read_text().replace("gamma=0.5", "gamma=0.1"))
        for command in re.split(r"^\$ ", block, flags=re.M)[1:]:
            line, *expected = command.rstrip("\n").split("\n")
            words = line.split()
            assert words[:2] == ["pytest", "-q"], line
            result = pytester.runpytest_inprocess("-p", "no:cacheprovider", *words[1:])
            assert _normalised(result.outlines) == _normalised(expected), line


def test_a_held_object_shadows_its_path_only_within_the_check() -> None:
    """The plugin's StepLR (torch's defaults) must not become the command line's afterwards."""
    from torch.optim.lr_scheduler import StepLR

    from lrplot.schedulers import held, registry

    curated = registry.find("torch.optim.lr_scheduler.StepLR")
    with held.holding(StepLR, {"step_size": 3}) as path:
        assert path == "torch.optim.lr_scheduler.StepLR"
        inside = registry.find(path)
        assert inside is not None and inside is not curated
        assert "step_size" not in {option.name for option in inside.options}
    assert not held.is_held(path)
    assert registry.find(path) is curated


def _update_then_change(project, body_before: str, body_after: str) -> None:
    _test_module(project, body_before)
    _run(project, "--lrplot-update").assert_outcomes(passed=1)
    _test_module(project, body_after)


def test_results_in_the_baseline_folder_are_refused_and_the_baseline_kept(project) -> None:
    _run(project, "--lrplot-update").assert_outcomes(passed=1)
    _factory(project, 0.1)
    before = _files(project.path)
    for folder in (".", "tests/test_schedule"):
        result = _run(project, f"--lrplot-results={folder}")
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(
            ["lrplot: --lrplot-results puts the obtained files in the baseline folder "
             "tests/test_schedule; choose a folder outside it"]
        )  # fmt: skip
        assert _files(project.path) == before
    _run(project).assert_outcomes(failed=1)  # the regression is still caught


def test_test_ids_that_read_as_one_file_name_are_refused(project) -> None:
    _test_module(
        project,
        """
        import pytest

        @pytest.mark.parametrize("g", [0.5, 0.1], ids=["a.b", "a_b"])
        def test_g(lr_regression, g):
            lr_regression.check("exponential", epochs=3, gamma=g)
        """,
    )
    result = _run(project, "--lrplot-update")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["lrplot: baseline tests/test_schedule/test_g_a_b.json is also "
         "tests/test_schedule.py::test_g?a.b?'s *give each check its own basename="]
    )  # fmt: skip


def test_a_missing_png_does_not_hide_a_data_difference(project) -> None:
    _run(project, "--lrplot-update").assert_outcomes(passed=1)  # JSON only
    _factory(project, 0.1)
    schedule = (project.path / "tests" / "test_schedule.py").read_text()
    (project.path / "tests" / "test_schedule.py").write_text(
        schedule.replace("epochs=50)", "epochs=50, image=True)")
    )
    result = _run(project)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*test_schedule differs from *: lr at epoch 10: *"])


def test_a_broken_baseline_names_the_plugins_fix_which_rewrites_it(project) -> None:
    (project.path / "tests" / "test_schedule").mkdir()
    (project.path / BASELINE).write_text('{"schema": 1}')
    result = _run(project)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["lrplot: baseline *test_schedule.json*pytest --lrplot-update*"])
    assert "lrplot check" not in result.stdout.str()
    _run(project, "--lrplot-update").assert_outcomes(passed=1)
    _run(project).assert_outcomes(passed=1)


def test_a_baseline_folder_that_cannot_be_made_is_one_line(project) -> None:
    (project.path / "tests" / "test_schedule").write_text("a file where the folder goes")
    (project.path / "afile").write_text("")
    for args in (["--lrplot-update"], ["--lrplot-results=afile"]):
        if args[0].startswith("--lrplot-results"):
            (project.path / "tests" / "test_schedule").unlink()
            (project.path / "tests" / "test_schedule").mkdir()
            (project.path / BASELINE).write_text("{}")  # so that the check fails and writes
            _factory(project, 0.1)
        result = _run(project, *args)
        result.assert_outcomes(failed=1)
        lines = [line for line in result.stdout.lines if line.startswith("lrplot: ")]
        assert len(lines) == 1 and "Traceback" not in result.stdout.str(), result.stdout.str()


def test_the_targets_own_warnings_reach_pytest(project) -> None:
    """A factory that warns fails under -W error, as any code under test would."""
    (project.path / "train" / "schedules.py").write_text(
        textwrap.dedent(
            """
            import warnings
            from torch.optim.lr_scheduler import StepLR

            def make_scheduler(optimizer):
                warnings.warn("gamma is deprecated", DeprecationWarning)
                return StepLR(optimizer, step_size=10, gamma=0.5)
            """
        )
    )
    result = _run(project, "--lrplot-update")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*UserWarning: lrplot: *gamma is deprecated*"])


CLASSES = """
class TestA:
    def test_x(self, lr_regression):
        lr_regression.check("exponential", epochs=3, lr=1.0, gamma=0.5)

    class TestInner:
        def test_x(self, lr_regression):
            lr_regression.check("exponential", epochs=3, lr=1.0, gamma=0.25)


class TestB:
    def test_x(self, lr_regression):
        lr_regression.check("exponential", epochs=3, lr=1.0, gamma=0.1)


def test_x(lr_regression):
    lr_regression.check("exponential", epochs=3, lr=1.0, gamma=0.75)
"""
#: The baseline of each test above, by the gamma it checks (lr 1.0: lr at epoch e is gamma**e).
CLASS_BASELINES = {
    "TestA.test_x": 0.5,
    "TestA.TestInner.test_x": 0.25,
    "TestB.test_x": 0.1,
    "test_x": 0.75,  # outside a class: the name it always had
}


def _class_baselines_hold(project) -> None:
    folder = project.path / "tests" / "test_schedule"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.json" for n in CLASS_BASELINES)
    for name, gamma in CLASS_BASELINES.items():
        lr = _baseline(project, name)  # torch multiplies by gamma each epoch: approx for 0.1
        assert lr == pytest.approx([gamma**e for e in range(3)], rel=1e-12)


def test_methods_of_two_classes_with_one_name_each_have_their_baseline(project) -> None:
    _test_module(project, CLASSES)
    update = _run(project, "--lrplot-update")
    update.assert_outcomes(passed=4)
    update.stdout.fnmatch_lines(
        ["*lrplot baselines written*"]
        + [f"tests/test_schedule/{name}.json" for name in sorted(CLASS_BASELINES)]
    )
    _class_baselines_hold(project)
    _run(project).assert_outcomes(passed=4)
    kept = _files(project.path)
    _run(project, "-k", "TestB", "--lrplot-update").assert_outcomes(passed=1, deselected=3)
    assert _files(project.path) == kept  # TestA's baseline is not TestB's to overwrite


@pytest.mark.slow
def test_under_xdist_two_classes_with_one_method_name_each_have_their_baseline(project):
    pytest.importorskip("xdist")
    _test_module(project, CLASSES)
    update = project.runpytest_subprocess("-W", "error", "-n", "2", "--lrplot-update")
    update.assert_outcomes(passed=4)
    _class_baselines_hold(project)
    project.runpytest_subprocess("-W", "error", "-n", "2").assert_outcomes(passed=4)


ROP_FACTORIES = """
import functools

from torch.optim.lr_scheduler import ReduceLROnPlateau


def make_rop(optimizer, factor=0.5):
    return ReduceLROnPlateau(optimizer, patience=1, factor=factor)


def make_annotated(optimizer) -> ReduceLROnPlateau:
    return ReduceLROnPlateau(optimizer, patience=1, factor=0.5)


def make_plateau(optimizer, factor=0.5):
    return ReduceLROnPlateau(optimizer, patience=1, factor=factor)


bound_plateau = functools.partial(make_plateau, factor=0.5)
"""


def test_metrics_on_a_plateau_factory_lrplot_did_not_see_say_the_fix_that_works(project):
    """lrplot guesses a factory's kind from its return annotation, else its name: an
    unannotated make_rop with metrics is refused, naming both ways; each way then passes."""
    (project.path / "train" / "schedules.py").write_text(ROP_FACTORIES)
    _test_module(
        project,
        """
        from train.schedules import bound_plateau, make_annotated, make_plateau, make_rop

        def test_guessed(lr_regression):
            lr_regression.check(make_rop, epochs=6, lr=1.0, metrics=[1.0] * 6)

        def test_annotated(lr_regression):
            lr_regression.check(make_annotated, epochs=6, lr=1.0, metrics=[1.0] * 6)

        def test_named(lr_regression):
            lr_regression.check(make_plateau, epochs=6, lr=1.0, metrics=[1.0] * 6)

        def test_partial(lr_regression):
            lr_regression.check(bound_plateau, epochs=6, lr=1.0, metrics=[1.0] * 6)
        """,
    )
    result = _run(project, "--lrplot-update")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        ["lrplot: metrics [[]1.0, 1.0, 1.0, 1.0, 1.0, 1.0]: only applies to plateau, not "
         "train.schedules.make_rop; if make_rop returns a ReduceLROnPlateau, annotate its "
         "return type (-> ReduceLROnPlateau) or, unannotated, put 'plateau' in its name "
         "(lrplot judges a factory by these); else drop it"]
    )  # fmt: skip
    # A flat metric, patience 1: the third bad epoch halves the lr, and every second after.
    for name in ("test_annotated", "test_named", "test_partial"):
        assert _baseline(project, name) == [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]
