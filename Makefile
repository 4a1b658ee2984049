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

DEMO_COLUMNS := Q6-1,Q7-2,Q10-1,Q9,Q10,Q12,Q13-1,Q14,Q15

demo: build
	@mkdir -p $(DEMO_OUT)
	@echo "== jiyu classify: the demo export ($(DEMO_INPUT), Shift_JIS, 5,577 respondents)"
	$(JIYU) classify --input $(DEMO_INPUT) --id-column 回答者ID --text-columns $(DEMO_COLUMNS) \
		--output $(DEMO_OUT)/labeled.jsonl
	$(JIYU) classify --quiet --input $(DEMO_INPUT) --id-column 回答者ID --text-columns $(DEMO_COLUMNS) \
		--output-format csv --output $(DEMO_OUT)/labeled.csv
	@echo "== labeled answers: $(DEMO_OUT)/labeled.jsonl and $(DEMO_OUT)/labeled.csv (for Excel)"
	@echo "== how the rules agree with the report's authors on the labeled sample"
	$(JIYU) eval --gold corpus/ipa-2024/labeled.jsonl | grep -E '^(==|Q6-1|all schemes)'

test: deps
	$(CARGO) test --all-targets

lint: deps
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

bench: build
	@echo "make bench: benchmarks arrive with the search and scale issues"

clean:
	$(CARGO) clean
