"""Baselines from the team's own data, never invented.

- `metrics`: read the metrics a team already exports (CSV, long or wide);
- `suggest`: match each key result to a series and propose its starting value, with provenance.
"""
