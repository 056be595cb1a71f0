"""Run the command line as ``python -m lrplot``."""

from lrplot.cli.app import run

if __name__ == "__main__":
    run()
