"""A small sample of scripts/fuzz.py's hostile drafts: none may crash the review or hang it.

The full run (`python scripts/fuzz.py`, 10,000 inputs) is too slow for every test run; this sample is the
same generator with its own seed, through the same CLI path (text, JSON and SARIF reports).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fuzz.py"


def _fuzz_module() -> ModuleType:
    key = "okrcoach_script_fuzz"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, SCRIPT)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


def test_a_sample_of_hostile_drafts_neither_crashes_nor_hangs() -> None:
    report = _fuzz_module().fuzz(240, seed=20261206, limit=10.0)
    assert report.tried == 240
    assert not report.crashes, report.crashes[:5]
    assert not report.hangs, report.hangs[:5]
    assert report.codes[2] and (report.codes[0] or report.codes[1])  # both refused and reviewed drafts


def test_the_generator_is_deterministic_and_covers_every_format() -> None:
    fuzz = _fuzz_module()
    first = [fuzz.generate(5, index) for index in range(8)]
    assert first == [fuzz.generate(5, index) for index in range(8)]
    assert {fmt for fmt, _ in first} == set(fuzz.FORMATS)
