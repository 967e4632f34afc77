# Each target calls scripts/dev.sh; see `make help` and README.md.
DEV := bash scripts/dev.sh

.PHONY: help setup run test lint shell pot

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
