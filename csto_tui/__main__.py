"""``python -m csto_tui`` does what the ``csto-tui`` command does."""

from .cli import run

if __name__ == "__main__":
    run()
