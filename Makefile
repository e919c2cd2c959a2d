# Two entry points on a fresh machine: `make bench` (the offline legality benchmark) and
# `make test`. Both first build .venv with Python >= 3.12 (scripts/bootstrap.sh).
.PHONY: bench test lint setup

setup:
	@scripts/bootstrap.sh

# bench exits 1 when a game is not clean (the summary names them): that is a result, not a failure
# of the run; 2 (bad input) and 3 (a game could not be measured) still fail the target.
bench: setup
	.venv/bin/autoharness bench --games paper --seeds 10 --steps 1000 --out eval/results/paper-harness; \
	  code=$$?; [ $$code -le 1 ]

test: setup
	.venv/bin/python -m pytest -q

lint: setup
	.venv/bin/ruff check .
