"""`python -m coach.cli` runs the command line as the `okrcoach` script does."""

from coach.cli import main

raise SystemExit(main())
