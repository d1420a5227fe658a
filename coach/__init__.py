"""okrcoach: an offline OKR coach. The engine is headless; the CLI and TUI are thin shells over it."""

__version__ = "0.1.0"
