"""Writing drafts back, changing only what must change.

- `edits`: replace edited texts in place (`apply_edits`), re-reading the result to check it;
- `structure`: added, deleted, moved elements and changed fields as edits to the text, by format
  (`tree` for YAML and JSON, `rows` for CSV, `markdown` for Markdown; initiatives appended by
  `tree_initiatives` and `markdown_initiatives`);
- `outcome`: a key result's new text with its old one kept as an initiative (`apply_outcome`);
- `dump`: a whole Document as YAML, JSON, Markdown or CSV (new drafts, Save as, the last resort);
- `recovery`: the working state of a draft as JSON, for the TUI's recovery file.

Every file is written through `coach.io.write_atomic`.
"""
