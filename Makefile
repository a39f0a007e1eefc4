# Convenience wrappers; ./dev is the real entry point (see ./dev help).
.PHONY: serve test worker lint help

serve:
	./dev serve

test:
	./dev test

worker:
	./dev worker

lint:
	./dev lint

help:
	./dev help
