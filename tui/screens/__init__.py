"""Screens of the okrcoach TUI."""
