"""The command line's conventions: --version, shell completion, a misspelt option's hint."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest

from lrplot import __version__

ROOT = Path(__file__).resolve().parent.parent


def test_version_names_lrplot_torch_and_matplotlib(lrplot) -> None:
    result = lrplot("--version")
    assert result.code == 0, result.err
    torch, matplotlib = (importlib.metadata.version(d) for d in ("torch", "matplotlib"))
    assert result.out == f"lrplot {__version__} (torch {torch}, matplotlib {matplotlib})\n"
    assert result.err == ""


def test_the_version_is_the_projects() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    found = re.search(r'^version = "(.*)"$', pyproject, flags=re.M)
    assert found and found[1] == __version__


def test_version_says_when_a_library_is_missing(lrplot, monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.metadata.version

    def version(distribution: str) -> str:
        if distribution == "matplotlib":
            raise importlib.metadata.PackageNotFoundError(distribution)
        return real(distribution)

    monkeypatch.setattr(importlib.metadata, "version", version)
    result = lrplot("--version")
    assert result.code == 0
    assert result.out.endswith(", matplotlib not installed)\n")
