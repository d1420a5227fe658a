"""Widgets of the okrcoach TUI."""
