"""The pytest plugin: the ``lr_regression`` fixture guards a schedule in a user's own tests.

Installed with lrplot (entry point ``pytest11``). The baseline of ``test_x`` in
``tests/test_sched.py`` is ``tests/test_sched/test_x.json`` (and ``.png`` with
``image=True``), as pytest-regressions places its files, and of ``TestA.test_x`` there
``tests/test_sched/TestA.test_x.json``; ``pytest --lrplot-update`` writes the baselines, and
a difference leaves the obtained files in ``--lrplot-results``.
"""

from __future__ import annotations

import re
import warnings
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
        from lrplot.regress.guard import Run
        from lrplot.regress.places import within

        request = self._request
        module = Path(str(request.node.path))
        baseline, results = module.with_suffix(""), self._results(module)
        name = self._basename(basename, baseline)
        if within(results, baseline):  # the obtained files would overwrite the baselines
            pytest.fail(
                f"lrplot: --lrplot-results puts the obtained files in the baseline folder "
                f"{self._shown(baseline)}; choose a folder outside it",
                pytrace=False,
            )
        run = Run(epochs, steps_per_epoch, lr, optimizer, metrics)
        verdict = self._judge(target, keywords, run, name, baseline, results, image)
        for note in verdict.notes:  # the target's own warnings, and lrplot's notes on the run
            warnings.warn(f"lrplot: {note}", UserWarning, stacklevel=2)
        if verdict.failed:  # its files are the obtained ones, not baselines
            pytest.fail(f"lrplot: {verdict.message}", pytrace=False)
        for path in verdict.written:
            request.node.user_properties.append((_WRITTEN, str(path)))

    def _judge(self, target: Any, keywords: dict[str, Any], *where: Any) -> Any:
        """guard.judge, with every error lrplot or the file system raises as one line."""
        from lrplot.errors import LrplotError
        from lrplot.regress.baseline import Broken
        from lrplot.regress.guard import figure_of, judge

        run, name, baseline, results, image = where
        config = self._request.config
        try:
            with figure_of(target, keywords, run, name) as figure:
                return judge(
                    figure,
                    baseline,
                    results,
                    image=image,
                    update=bool(config.getoption(UPDATE_FLAG)),
                    how_to_update=f"pytest {UPDATE_FLAG}",
                    root=Path(str(config.rootpath)),
                )
        except Broken as error:
            problem = f"baseline {error.value}: {error.problem}; pytest {UPDATE_FLAG} rewrites it"
        except LrplotError as error:
            problem = str(error)
        except OSError as error:
            problem = f"cannot write {error.filename}: {error.strerror}"
        pytest.fail(f"lrplot: {problem}", pytrace=False)  # outside except: no chained repeat

    def _basename(self, given: str | None, baseline: Path) -> str:
        """The file stem: ``basename``, or :func:`default_name`; each claimed once."""
        from lrplot.batch.names import figure_name
        from lrplot.errors import InputError

        node = self._request.node
        name = given if given is not None else default_name(node)
        try:
            figure_name(name, "basename")
            refused = ""
        except InputError as error:
            refused = f"lrplot: {error}" + ("" if given else "; give basename=")
        if refused:  # outside the except: pytest would print the message twice, chained
            pytest.fail(refused, pytrace=False)
        session = self._request.config.pluginmanager.get_plugin(_SESSION)
        assert isinstance(session, _Session)
        owner = session.claimed.setdefault(str(baseline / name).lower(), node.nodeid)
        if owner != node.nodeid or name in self._names:
            other = "this test" if owner == node.nodeid else owner
            pytest.fail(
                f"lrplot: baseline {self._shown(baseline / name)}.json is also {other}'s "
                "(test ids can read the same as file names); give each check its own basename=",
                pytrace=False,
            )
        self._names.add(name)
        return name

    def _shown(self, path: Path) -> str:
        from lrplot.regress.guard import shown

        return shown(path, Path(str(self._request.config.rootpath)))

    def _results(self, module: Path) -> Path:
        root = Path(str(self._request.config.rootpath))
        folder = root / str(self._request.config.getoption("--lrplot-results"))
        try:
            return folder / module.with_suffix("").relative_to(root)
        except ValueError:  # a test module outside the rootdir
            return folder / module.stem


def default_name(node: pytest.Item) -> str:
    """``test_x``, or in a class ``TestA.test_x`` (nested: ``TestA.TestB.test_x``): each part
    made a file stem's letters, digits, '_' and '-', so '.' only joins a class to its test."""
    parts = [n.name for n in node.listchain() if isinstance(n, pytest.Class)] + [node.name]
    return ".".join(re.sub(r"[^A-Za-z0-9_-]", "_", part).strip("_") for part in parts)


@pytest.fixture
def lr_regression(request: pytest.FixtureRequest) -> LrRegression:
    """Compare a learning-rate schedule with its baseline: ``lr_regression.check(...)``."""
    return LrRegression(request)


_SESSION = "lrplot-session"


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_Session(config), _SESSION)


class _Session:
    """The baselines claimed (one test each) and written (from each test's report, so from
    xdist's workers too), listed in the terminal summary."""

    def __init__(self, config: pytest.Config) -> None:
        self.root = Path(str(config.rootpath))
        self.paths: set[str] = set()
        self.claimed: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.paths.update(str(value) for key, value in report.user_properties if key == _WRITTEN)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        from lrplot.regress.guard import shown

        if self.paths:
            terminalreporter.section("lrplot baselines written")
            for path in sorted(self.paths):
                terminalreporter.write_line(shown(Path(path), self.root))
