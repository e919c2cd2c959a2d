# Two entry points on a fresh machine: `make bench` (the offline legality benchmark) and
# `make test`. Both first build .venv with Python >= 3.12 (scripts/bootstrap.sh).
.PHONY: bench test lint setup

setup:
	@scripts/bootstrap.sh

bench: setup
	.venv/bin/autoharness bench --games paper --seeds 10 --steps 1000 --out eval/results/paper-harness

test: setup
	.venv/bin/python -m pytest -q

lint: setup
	.venv/bin/ruff check .
