"""The pytest plugin: the ``lr_regression`` fixture guards a schedule in a user's own tests.

Installed with lrplot (entry point ``pytest11``). The baseline of ``test_x`` in
``tests/test_sched.py`` is ``tests/test_sched/test_x.json`` (and ``.png`` with
``image=True``), as pytest-regressions places its files; ``pytest --lrplot-update`` writes
the baselines, and a difference leaves the obtained files in ``--lrplot-results``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

# Nothing of lrplot is imported here: pytest loads this module in every session of a
# project that has lrplot installed, so the fixture imports what it needs when it is used.

UPDATE_FLAG = "--lrplot-update"
_WRITTEN = "lrplot_written"  # user_properties key: reaches the controller under xdist too


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lrplot", "learning-rate schedule regression (lr_regression)")
    group.addoption(
        UPDATE_FLAG,
        action="store_true",
        help="write the baselines lr_regression.check finds missing or different",
    )
    group.addoption(
        "--lrplot-results",
        metavar="DIR",
        default="lrplot-check-results",
        help="where a failing check leaves the obtained files and the diff picture "
        "(relative to the rootdir; default lrplot-check-results)",
    )


class LrRegression:
    """What the ``lr_regression`` fixture gives a test: :meth:`check`."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request
        self._names: set[str] = set()

    def check(
        self,
        target: Any,
        *,
        epochs: int,
        steps_per_epoch: int = 1,
        lr: object = None,
        optimizer: str | None = None,
        metrics: object = None,
        basename: str | None = None,
        image: bool = False,
        **keywords: Any,
    ) -> None:
        """Run ``target`` for ``epochs`` and compare its curve with the test's baseline.

        ``target``: a factory taking the optimizer, a scheduler class (called with
        ``keywords``), or a name lrplot accepts (``"step"``, ``"pkg.mod.Sched"``,
        ``"hf/cosine"``; ``keywords`` are then its options). ``optimizer`` is
        ``NAME[:key=value,...]`` as in ``--optimizer``; ``metrics`` a list or a file, for a
        plateau schedule. ``image=True`` compares the PNG too.
        """
        from lrplot.errors import LrplotError
        from lrplot.regress.guard import Run, figure_of, judge

        name = self._basename(basename)
        request = self._request
        module = Path(str(request.node.path))
        run = Run(epochs, steps_per_epoch, lr, optimizer, metrics)
        try:
            figure = figure_of(target, keywords, run, name)
            verdict = judge(
                figure,
                module.with_suffix(""),
                self._results(module),
                image=image,
                update=bool(request.config.getoption(UPDATE_FLAG)),
                how_to_update=f"pytest {UPDATE_FLAG}",
                root=Path(str(request.config.rootpath)),
            )
        except LrplotError as error:
            pytest.fail(f"lrplot: {error}", pytrace=False)
        if verdict.failed:  # its files are the obtained ones, not baselines
            pytest.fail(f"lrplot: {verdict.message}", pytrace=False)
        for path in verdict.written:
            request.node.user_properties.append((_WRITTEN, str(path)))

    def _basename(self, given: str | None) -> str:
        name = given or re.sub(r"\W", "_", self._request.node.name).strip("_")
        if not re.fullmatch(r"[\w.-]+", name) or name.startswith("."):
            pytest.fail(f"lrplot: basename {name!r} is not a plain file name", pytrace=False)
        if name in self._names:
            pytest.fail(
                f"lrplot: baseline {name!r} is checked twice in this test; give each check "
                "its own basename=",
                pytrace=False,
            )
        self._names.add(name)
        return name

    def _results(self, module: Path) -> Path:
        root = Path(str(self._request.config.rootpath))
        folder = root / str(self._request.config.getoption("--lrplot-results"))
        try:
            return folder / module.with_suffix("").relative_to(root)
        except ValueError:  # a test module outside the rootdir
            return folder / module.stem


@pytest.fixture
def lr_regression(request: pytest.FixtureRequest) -> LrRegression:
    """Compare a learning-rate schedule with its baseline: ``lr_regression.check(...)``."""
    return LrRegression(request)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_Written(config), "lrplot-written")


class _Written:
    """Collects the baselines written (from each test's report, so from xdist's workers
    too) and lists them in the terminal summary."""

    def __init__(self, config: pytest.Config) -> None:
        self.root = Path(str(config.rootpath))
        self.paths: set[str] = set()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.paths.update(str(value) for key, value in report.user_properties if key == _WRITTEN)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        from lrplot.regress.guard import shown

        if self.paths:
            terminalreporter.section("lrplot baselines written")
            for path in sorted(self.paths):
                terminalreporter.write_line(shown(Path(path), self.root))
