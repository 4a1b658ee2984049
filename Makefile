# jiyu — the two commands a newcomer needs are `make demo` and `make test`.
# Everything a fresh machine lacks (Debian's mecab-ipadic, the IPADIC source jiyu compiles its
# dictionary from) is installed here, never by hand.

SHELL := /bin/bash
CARGO ?= cargo
IPADIC_SRC := $(or $(JIYU_IPADIC_SRC),/usr/share/mecab/dic/ipadic)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
JIYU := target/release/jiyu
DEMO_INPUT := corpus/demo/survey.csv
DEMO_OUT := target/demo

.PHONY: all deps build demo test lint bench clean

all: build

# The IPADIC source (EUC-JP CSV from MeCab) that build.rs compiles into the binary.
deps: $(IPADIC_SRC)/matrix.def

$(IPADIC_SRC)/matrix.def:
	@echo "jiyu: installing Debian's mecab-ipadic (the IPADIC source jiyu compiles its dictionary from)"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends mecab-ipadic
	@test -f $@ || { echo "jiyu: $@ is still missing; set JIYU_IPADIC_SRC to an IPADIC source directory"; exit 1; }

build: deps
	$(CARGO) build --release

demo: build
	@mkdir -p $(DEMO_OUT)
	@echo "== tokens in the demo export's free-text answers"
	$(JIYU) tokenize --input corpus/ipa-2024/texts.txt --count

test: deps
	$(CARGO) test --all-targets

lint: deps
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

bench: build
	@echo "make bench: benchmarks arrive with the search and scale issues"

clean:
	$(CARGO) clean
