"""The command line, and only it imports Typer: the group with its one error boundary, the
scheduler commands generated from the registry, render/check, and the shared options."""

from lrplot.cli.app import app, main, run

__all__ = ["app", "main", "run"]
