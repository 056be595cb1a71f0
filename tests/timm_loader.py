"""Load ``timm.scheduler`` without running ``timm/__init__``, for the tests only.

timm's package imports torchvision, which does not load beside the torch CPU build these
tests install; ``timm.scheduler`` itself needs only torch. So ``timm`` is registered as a
bare package over its installed folder and its scheduler subpackage imported from there.
lrplot itself imports timm the ordinary way: with timm's package in sys.modules, it finds it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any


def load_timm_scheduler() -> Any:
    """``timm.scheduler``, imported from the installed timm (installed without its deps)."""
    if "timm" not in sys.modules:
        found = importlib.util.find_spec("timm")
        if found is None or not found.submodule_search_locations:
            raise ImportError(
                "timm is not installed: the README's test command installs it with "
                "pip install --no-deps timm"
            )
        package = types.ModuleType("timm")
        package.__path__ = list(found.submodule_search_locations)
        package.__file__ = found.origin
        sys.modules["timm"] = package
    return importlib.import_module("timm.scheduler")
