# Each target calls scripts/dev.sh; see `make help` and README.md.
DEV := bash scripts/dev.sh

.PHONY: help setup run test lint shell pot translations bench screenshots

help:
	@$(DEV) help

setup:
	@$(DEV) setup

run:
	@$(DEV) run

test:
	@$(DEV) test

lint:
	@$(DEV) lint

shell:
	@$(DEV) shell

pot:
	@$(DEV) pot

translations:
	@$(DEV) translations

bench:
	@$(DEV) bench

screenshots:
	@$(DEV) screenshots
