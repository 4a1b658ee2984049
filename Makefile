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

.PHONY: all deps build demo test lint bench clean screenshot

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
	@echo "== jiyu report: figures, charts, typical answers and cross-tables of the demo export"
	$(JIYU) report --input $(DEMO_INPUT) --id-column 回答者ID --text-columns $(DEMO_COLUMNS) \
		--by 業種,従業員数,取組段階 --out $(DEMO_OUT)/report
	@echo "== open $(DEMO_OUT)/report/report.html in a browser; report.md, summary.csv and crosstab.csv are beside it"
	$(JIYU) index --input $(DEMO_INPUT) --id-column 回答者ID --text-columns $(DEMO_COLUMNS) --index $(DEMO_OUT)/index
	$(JIYU) search --index $(DEMO_OUT)/index --limit 3 ランサムウェア 被害 && $(JIYU) search --index $(DEMO_OUT)/index --where 業種=建設業 --facets --limit 3 補助金

# docs/report.png, the README's picture of report.html: headless Chromium from Debian's
# `chromium` package, installed here (and only here) when missing, with a Japanese font so the
# text is not boxes.
CHROMIUM := /usr/bin/chromium
screenshot: demo
	@test -x $(CHROMIUM) || { echo "jiyu: installing Debian's chromium (for make screenshot only)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }
	@fc-list :lang=ja 2>/dev/null | grep -q . || { echo "jiyu: installing fonts-noto-cjk (Japanese glyphs)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends fonts-noto-cjk; }
	@mkdir -p docs
	profile=$$(mktemp -d) && \
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --hide-scrollbars --log-level=3 \
		--user-data-dir=$$profile \
		--screenshot=docs/report.png --window-size=1200,1600 \
		file://$(CURDIR)/$(DEMO_OUT)/report/report.html; \
	status=$$?; rm -rf "$$profile"; exit $$status
	@echo "== docs/report.png"

test: deps
	$(CARGO) test --all-targets

lint: deps
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

# Indexes BENCH_ANSWERS generated answers (default 1,000,000) and prints tokenize-only, classify
# and index times, index size and query latency p50/p99 (bench/run.sh, examples/search_bench.rs).
bench: build
	$(CARGO) build --release --example search_bench
	bench/run.sh

clean:
	$(CARGO) clean
