# The two commands: `make run` and `make test` (see README.md). Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Builds are shared between clones (CI builds a fresh clone on the same machine).
export CARGO_TARGET_DIR ?= $(HOME)/.cache/adronx/target
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export LEPTOS_SITE_ROOT ?= $(CURDIR)/target/site
export ADRONX_ADDR ?= 127.0.0.1:3000
export ADRONX_DATA_DIR ?= $(CURDIR)/data

.PHONY: run build test test-rust test-e2e lint tools tools-test bench fmt

## Set up what is missing, build the release site, and serve it on the embedded store in ./data.
run: tools build
	$(CARGO_TARGET_DIR)/release/adronx serve

build:
	cargo leptos build --release
	bash scripts/build-public.sh
	bash scripts/precompress.sh
	bash scripts/wasm-budget.sh

## Set up what is missing and run every test: unit, API, contract, browser.
test: tools-test
	bash scripts/test.sh

test-rust:
	cargo test -p app --features ssr
	cargo test -p server

test-e2e: build
	bash scripts/e2e.sh

lint:
	cargo fmt --all -- --check
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p frontend -p frontend-public -p frontend-account --target wasm32-unknown-unknown -- -D warnings

bench:
	cargo bench -p server

fmt:
	cargo fmt --all

tools:
	bash scripts/install-tools.sh build

tools-test:
	bash scripts/install-tools.sh test
