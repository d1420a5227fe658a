"""Project configuration: `okrcoach.toml` or `[tool.okrcoach]` in `pyproject.toml`, found by walking up.

select = ["KR", "OBJ001"]        # codes or prefixes; default: every rule
ignore = ["KR010"]
fail-on = "warning"               # suggestion | warning | error (default error)

[severity]                        # per-rule severity
KR004 = "warning"

[thresholds]
max-krs-per-objective = 5

[checkin]                         # typed and checked when the file is read (CheckinSettings)
stale-days = 14
day-first = true
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.model import InputError, Severity
from coach.rules import DEFAULT_THRESHOLDS, catalogue

CONFIG_NAMES = ("okrcoach.toml", ".okrcoach.toml", "pyproject.toml")
_KEYS = {
    "select",
    "ignore",
    "extend-select",
    "fail-on",
    "severity",
    "thresholds",
    "knowledge",
    "model",
    "cycle",
    "baselines",
    "checkin",
}
_MODEL_KEYS = {"name", "base-url", "timeout", "max-retries", "api-key-env", "concurrency", "max-tokens"}
_TABLE_KEYS = {
    "model": _MODEL_KEYS,
    "cycle": {"start", "end"},
    "baselines": {"method", "window", "day-first"},
    "checkin": {"stale-days", "day-first"},
}


@dataclass(frozen=True, slots=True)
class CheckinSettings:
    """[checkin], checked once when the config is read: the CLI and the TUI read these, not the table."""

    stale_days: int = 14  # = coach.checkin.state.DEFAULT_STALE_DAYS (a test holds them equal)
    day_first: bool = True  # 03/04 in the history is 3 April


@dataclass(frozen=True, slots=True)
class BaselineSettings:
    """[baselines] day-first, checked once when the config is read (method and window are checked by
    coach.baselines.suggest, where a flag can stand in for them)."""

    day_first: bool = True


@dataclass(slots=True)
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    fail_on: Severity = Severity.ERROR
    knowledge: dict[str, Any] = field(default_factory=dict)
    model: dict[str, Any] = field(default_factory=dict)
    cycle: dict[str, Any] = field(default_factory=dict)  # start, end (dates)
    baselines: dict[str, Any] = field(default_factory=dict)  # method (last|mean), window, day-first
    checkin: dict[str, Any] = field(default_factory=dict)  # stale-days, day-first
    source: str | None = None
    checkin_settings: CheckinSettings = field(default_factory=CheckinSettings)  # [checkin], typed
    baseline_settings: BaselineSettings = field(default_factory=BaselineSettings)  # [baselines], typed

    def enabled(self, code: str) -> bool:
        if self.select and not any(code.startswith(prefix) for prefix in self.select):
            return False
        return not any(code.startswith(prefix) for prefix in self.ignore)

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above `start` (a file or a directory)."""
    directory = start if start.is_dir() else start.parent
    for folder in [directory.resolve(), *directory.resolve().parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    import tomllib  # only where a config file is found (4 ms of a cold start)

    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError):
        return False
    except tomllib.TOMLDecodeError:
        # Broken, but meant for us: load_config then says where it is broken, instead of passing it by.
        return "tool.okrcoach" in text
    return isinstance(data.get("tool"), dict) and "okrcoach" in data["tool"]


def load_config(path: Path | None) -> Config:
    """Read a config file; `None` gives the defaults. Mistakes raise InputError naming the file."""
    if path is None:
        return Config()
    import tomllib

    name = str(path)
    text = ""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise InputError(name, f"cannot read config: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(name, "config is not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        message, line, col = _toml_error(exc, text)
        raise InputError(name, f"invalid TOML: {message}", line=line, col=col) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("okrcoach", {})
    return config_from_mapping(data, name)


def _toml_error(exc: ValueError, text: str) -> tuple[str, int | None, int | None]:
    """tomllib's message and the line and column it points at: "Unclosed array (at line 3, column 16)";
    "(at end of document)" is where the text ends."""
    import re

    message = str(exc)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if found:
        return message[: found.start()], int(found.group(1)), int(found.group(2))
    found = re.search(r"\s*\(at end of document\)\s*$", message)
    if found:
        lines = text.split("\n")
        return message[: found.start()], len(lines), len(lines[-1]) + 1
    return message, None, None


def config_from_mapping(data: dict[str, Any], name: str) -> Config:
    rules = catalogue()
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise InputError(name, f"unknown config key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    config = Config(source=name)

    def codes(key: str) -> list[str]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(name, f"{key} must be a list of rule codes or prefixes")
        out = [v.strip().upper() for v in value]
        for prefix in out:
            if not any(code.startswith(prefix) for code in rules):
                raise InputError(name, f"{key}: {prefix!r} matches no rule code (see 'okrcoach rules')")
        return out

    config.select = codes("select") + codes("extend-select")
    config.ignore = codes("ignore")
    if "fail-on" in data:
        try:
            config.fail_on = Severity.parse(str(data["fail-on"]))
        except ValueError as exc:
            raise InputError(name, f"fail-on: {exc}") from None
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise InputError(name, '[severity] must be a table of CODE = "suggestion|warning|error"')
    for code, level in severity.items():
        if code.upper() not in rules:
            raise InputError(name, f"[severity]: {code!r} is not a rule code")
        try:
            config.severity[code.upper()] = Severity.parse(str(level))
        except ValueError as exc:
            raise InputError(name, f"[severity] {code}: {exc}") from None
    thresholds = data.get("thresholds", {})
    if not isinstance(thresholds, dict):
        raise InputError(name, "[thresholds] must be a table")
    for key, value in thresholds.items():
        if key not in DEFAULT_THRESHOLDS:
            known = ", ".join(DEFAULT_THRESHOLDS)
            raise InputError(name, f"[thresholds]: unknown threshold {key!r} (known: {known})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise InputError(name, f"[thresholds] {key} must be a non-negative number")
        if key.endswith("-similarity") and not 0 < value <= 1:
            raise InputError(name, f"[thresholds] {key} must be a share above 0 and at most 1 (0.85 is 85%)")
        config.thresholds[key] = float(value)
    knowledge = data.get("knowledge", {})
    if not isinstance(knowledge, dict):
        raise InputError(name, "[knowledge] must be a table")
    config.knowledge = dict(knowledge)
    if any("key" in str(k) and k != "api-key-env" for k in data.get("model") or {}):
        raise InputError(name, "[model]: put the API key in the environment, not in a file")
    for table, allowed in _TABLE_KEYS.items():
        values = data.get(table, {})
        if not isinstance(values, dict):
            raise InputError(name, f"[{table}] must be a table")
        unknown_keys = sorted(set(values) - allowed)
        if unknown_keys:
            raise InputError(
                name, f"[{table}]: unknown key {unknown_keys[0]!r} (known: {', '.join(sorted(allowed))})"
            )
        setattr(config, table, {k: str(v) if table == "cycle" else v for k, v in values.items()})
    config.checkin_settings = _checkin_settings(config.checkin, name)
    config.baseline_settings = BaselineSettings(_day_first(config.baselines, "baselines", name))
    return config


def _day_first(table: dict[str, Any], section: str, name: str) -> bool:
    value = table.get("day-first", True)
    if not isinstance(value, bool):  # "false" is a string, and bool("false") is True
        raise InputError(name, f"[{section}] day-first must be true or false")
    return value


def _checkin_settings(table: dict[str, Any], name: str) -> CheckinSettings:
    stale = table.get("stale-days", CheckinSettings().stale_days)
    if isinstance(stale, bool) or not isinstance(stale, int) or stale < 1:
        raise InputError(name, "[checkin] stale-days must be a whole number of days, 1 or more")
    return CheckinSettings(stale, _day_first(table, "checkin", name))


def config_path_for(
    input_path: str | None, *, config_file: str | None = None, no_config: bool = False
) -> Path | None:
    """Which config file applies to an input: none (`--no-config`), the one named (`--config`, which must
    exist), or the nearest one above the input (the current folder for stdin or a new draft)."""
    if no_config:
        return None
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise InputError(config_file, "config file does not exist")
        return path
    start = Path(input_path) if input_path and input_path != "-" and Path(input_path).exists() else Path.cwd()
    return find_config(start)


def config_for_input(
    input_path: str | None, *, config_file: str | None = None, no_config: bool = False
) -> Config:
    """The Config for one input file, as every command finds it."""
    return load_config(config_path_for(input_path, config_file=config_file, no_config=no_config))


class ConfigResolver:
    """Per-input configs for a multi-file command, each config file read once, with --select/--ignore applied.

    `select` and `ignore` are validated against the catalogue up front (an unknown code is an InputError).
    """

    def __init__(
        self, *, config_file: str | None, no_config: bool, select: list[str], ignore: list[str]
    ) -> None:
        for key, codes in (("select", select), ("ignore", ignore)):
            if codes:
                config_from_mapping({key: codes}, f"--{key}")
        self.config_file, self.no_config = config_file, no_config
        self.select, self.ignore = select, ignore
        self.cache: dict[str | None, Config] = {}

    def __call__(self, input_path: str) -> Config:
        found = config_path_for(input_path, config_file=self.config_file, no_config=self.no_config)
        key = str(found) if found else None
        if key not in self.cache:
            config = load_config(found)
            if self.select:
                config.select = self.select
            if self.ignore:
                config.ignore = config.ignore + self.ignore
            self.cache[key] = config
        return self.cache[key]
