"""Where the shipped data folders (`knowledge/`, `prompts/`) are, in a wheel or in a checkout.

In a wheel they are inside the package (`coach/_data/...`, put there by the build); in a source checkout
they sit beside the package. Both are found through importlib.resources, so zip-safe loaders work too.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def data_dir(name: str) -> Traversable:
    """The shipped folder `name` ("knowledge" or "prompts")."""
    packaged = resources.files("coach").joinpath("_data").joinpath(name)
    if packaged.is_dir():
        return packaged
    checkout = Path(str(resources.files("coach"))).parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"okrcoach's {name}/ folder is missing from this installation")
