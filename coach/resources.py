"""What this installation has: where the shipped data folders (`knowledge/`, `prompts/`) are, in a wheel or
in a checkout, and which optional extras are installed.

In a wheel they are inside the package (`coach/_data/...`, put there by the build); in a source checkout
they sit beside the package. Both are found through importlib.resources, so zip-safe loaders work too.
"""

from __future__ import annotations

import importlib.util
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from coach.model import InputError


def data_dir(name: str) -> Traversable:
    """The shipped folder `name` ("knowledge" or "prompts")."""
    packaged = resources.files("coach").joinpath("_data").joinpath(name)
    if packaged.is_dir():
        return packaged
    checkout = Path(str(resources.files("coach"))).parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"okrcoach's {name}/ folder is missing from this installation")


# What each optional extra of `pip install 'okrcoach[...]'` brings, as the modules that must be importable for
# it to count as installed. The one place that knows the extras: every command and fallback asks here.
EXTRAS: dict[str, tuple[str, ...]] = {
    "llm": ("jinja2", "httpx", "pydantic", "openai", "langchain_core", "langchain_openai", "langchain"),
    # The ONNX embedding's files are optional within it: without them the hashing embedding is used.
    "knowledge": ("chromadb",),
    "serve": ("textual_serve",),
}


def missing_module(extra: str) -> str | None:
    """The first module of `extra` that cannot be found (None: the extra is installed). Nothing is
    imported: a module is looked up, not run."""
    for module in EXTRAS[extra]:
        try:
            if importlib.util.find_spec(module) is None:
                return module
        except (ImportError, ValueError):  # a broken parent package, a module without a spec
            return module
    return None


def install_hint(extra: str) -> str:
    return f"pip install 'okrcoach[{extra}]'"


def extra_reason(extra: str) -> str | None:
    """Why a fallback is used, in the words every fallback shows: None when `extra` is installed."""
    if missing_module(extra) is None:
        return None
    return f"the [{extra}] extra is not installed ({install_hint(extra)})"


class ExtraMissing(InputError):
    """A command that cannot run without an extra: one line naming it, exit 2 (an InputError)."""

    def __init__(self, what: str, extra: str) -> None:
        self.extra = extra
        super().__init__(what, f"needs the [{extra}] extra: {install_hint(extra)}")

    def __str__(self) -> str:
        return f"{self.file} {self.message}"


def require_extra(extra: str, what: str) -> None:
    """Raise ExtraMissing when `what` (a command, "knowledge build") cannot run for lack of `extra`."""
    if missing_module(extra) is not None:
        raise ExtraMissing(what, extra)
