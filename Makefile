# cinch — the two commands a fresh machine needs are `make run` and `make test`.
SWIFT      ?= swift
PREFIX     ?= /usr/local
CONFIG     ?= debug
BIN_DIR     = $(shell $(SWIFT) build -c $(CONFIG) --show-bin-path 2>/dev/null)

.PHONY: all deps build release test run lint install clean bench bench-smoke bench-profile bench-deps

all: build

## deps: install the system libraries (and Python tools) the build and tests need, only if missing
deps:
	@Scripts/deps.sh

build:
	$(SWIFT) build -c $(CONFIG)

# Release builds link the Swift runtime and Foundation statically: a process starts in ~10 ms
# instead of ~27 ms (measured on this 2-core machine), which is most of a `cinch ssm get-parameter`.
# libcurl is not linked: CCurlLoader loads it on the first AWS request, so a start leaves it and
# its ~30 libraries out (~10 M instructions, ~8 ms). Nothing may import FoundationNetworking,
# whose module would link libcurl (LibcurlLoadingTests would see it); libcrypto is loaded the same
# way, on the thread that opens the store (Sources/COpenSSL). Linked by lld (the toolchain's), the
# executable exports no symbols (the static-stdlib default exports its ~16,700, which the loader
# searched on every lookup by another library) and packs its ~99,000 relative relocations
# (DT_RELR, glibc 2.36 or later): `cinch --version` 20.2 M → 19.3 M instructions, −40 page faults.
RELEASE_FLAGS = -c release --static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker --no-export-dynamic \
  -Xlinker -z -Xlinker pack-relative-relocs -Xswiftc -Xclang-linker -Xswiftc -static-libgcc
# libyaml, SQLite and the C++ runtime are linked from their static archives too, where Debian's
# -dev packages have them (Scripts/static-libs.sh says how): each shared library costs every
# process its loading and relocation, ~1.4 ms of a `cinch ssm get-parameter` here.
STATIC_LIBS   = $(CURDIR)/.build/static-libs
RELEASE_BUILD = Scripts/static-libs.sh "$(STATIC_LIBS)" && \
  PKG_CONFIG_PATH="$(STATIC_LIBS)$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH}" $(SWIFT) build $(RELEASE_FLAGS)

release: deps
	$(RELEASE_BUILD) --product cinch

## test: every test target; committed golden files must match what the code produces. A run that
## hangs ends after CINCH_TEST_DEADLINE seconds (default 1800) with the stacks of what was running.
test: deps
	$(SWIFT) build --build-tests
	Scripts/test-watchdog.sh $(SWIFT) test --skip-build
	@Scripts/check-generated.sh

## run: build, then show cinch at work on a template from templates/ (see Scripts/demo.sh)
run: deps build
	@Scripts/demo.sh "$(BIN_DIR)/cinch"

## bench: release build, generated templates, every benchmark side by side with cfn-lint and the C floor;
## prints the table and writes Docs/Performance.md (minutes). BUILD_TIME=1 also times a clean debug build.
bench: deps bench-deps
	$(RELEASE_BUILD) --product cinch
	python3 Benchmarks/run.py --cinch "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/cinch" --write-docs $(if $(BUILD_TIME),--build-time)

## bench-smoke: the harness on the smallest template, one run each (seconds); proves it still runs, writes no docs
bench-smoke: deps
	$(SWIFT) build -c $(CONFIG) --product cinch
	python3 Benchmarks/run.py --smoke --cinch "$(BIN_DIR)/cinch"

## bench-profile: callgrind instruction counts of `cinch parse` vs the floor (SIZE=10000 by default)
bench-profile: deps
	$(RELEASE_BUILD) --product cinch
	python3 Benchmarks/run.py --cinch "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/cinch" --profile $(or $(SIZE),10000)

# cfn-lint for the bench only (never for `make test`): from PATH, else into Benchmarks/out/venv from PyPI.
bench-deps:
	@command -v cfn-lint >/dev/null 2>&1 || [ -x Benchmarks/out/venv/bin/cfn-lint ] || \
	  { python3 -m venv Benchmarks/out/venv && Benchmarks/out/venv/bin/pip install --quiet cfn-lint; } || \
	  echo "bench: cfn-lint could not be installed; its rows will say so" >&2

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

install: release
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/cinch" "$(DESTDIR)$(PREFIX)/bin/cinch"

clean:
	rm -rf .build
