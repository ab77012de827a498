"""`python -m timeweave`: the same as the `timeweave` console script."""

from timeweave.cli.main import run

run()
