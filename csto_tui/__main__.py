"""``python -m csto_tui`` does what the ``csto-tui`` command does."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
