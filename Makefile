# cinch — the two commands a fresh machine needs are `make run` and `make test`.
SWIFT      ?= swift
PREFIX     ?= /usr/local
CONFIG     ?= debug
BIN_DIR     = $(shell $(SWIFT) build -c $(CONFIG) --show-bin-path 2>/dev/null)

.PHONY: all deps build release test run lint install clean

all: build

## deps: install the system libraries (and Python tools) the build and tests need, only if missing
deps:
	@Scripts/deps.sh

build:
	$(SWIFT) build -c $(CONFIG)

release:
	$(SWIFT) build -c release

## test: every test target; committed golden files must match what the code produces
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@Scripts/check-generated.sh

## run: build, then show cinch at work on a template from templates/ (see Scripts/demo.sh)
run: deps build
	@Scripts/demo.sh "$(BIN_DIR)/cinch"

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

install: release
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 "$$($(SWIFT) build -c release --show-bin-path)/cinch" "$(DESTDIR)$(PREFIX)/bin/cinch"

clean:
	rm -rf .build
