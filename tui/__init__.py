"""The Textual terminal UI (issue 8). Empty for now: the engine and CLI come first."""
