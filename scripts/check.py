"""The project's one test command: lint, format, types, the gallery regression, the tests.

Run from the repository root as ``python scripts/check.py``; it exits non-zero on the first
failing step. pytest's "no tests collected" (exit 5) counts as a failure.
"""

from __future__ import annotations

import subprocess
import sys
import time

CODE = ["lrplot", "tests", "scripts", "benchmarks"]
STEPS: list[tuple[str, list[str]]] = [
    ("ruff lint", [sys.executable, "-m", "ruff", "check", *CODE]),
    ("ruff format", [sys.executable, "-m", "ruff", "format", "--check", *CODE]),
    ("mypy", [sys.executable, "-m", "mypy"]),
    # The guide's gallery is the baseline of lrplot's own figure regression: a change that
    # alters any of its figures fails here until the baselines are updated on purpose.
    (
        "gallery",
        [
            sys.executable,
            "-m",
            "lrplot",
            "check",
            "examples/document/figures.toml",
            "--baseline",
            "examples/document",
        ],
    ),
    ("pytest", [sys.executable, "-m", "pytest", "-W", "error", "-q"]),
]


def main() -> int:
    for name, command in STEPS:
        print(f"== {name}: {' '.join(command[2:] if command[1] == '-m' else command)}", flush=True)
        started = time.monotonic()
        code = subprocess.call(command)
        print(f"== {name}: exit {code} in {time.monotonic() - started:.1f} s", flush=True)
        if code == 5 and name == "pytest":
            print("== pytest collected no tests: that is a failure here", flush=True)
            return 1
        if code != 0:
            return code
    print("== all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
