# jiyu — the two commands a newcomer needs are `make demo` and `make test`.
# Everything a fresh machine lacks (Debian's mecab-ipadic, the IPADIC source jiyu compiles its
# dictionary from) is installed here, never by hand.

SHELL := /bin/bash
CARGO ?= cargo
IPADIC_SRC := $(or $(JIYU_IPADIC_SRC),/usr/share/mecab/dic/ipadic)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Where cargo puts what it builds: $CARGO_TARGET_DIR when set (in the environment or on make's
# command line), else target/.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
JIYU := $(TARGET_DIR)/release/jiyu
DEMO_INPUT := corpus/demo/survey.csv
DEMO_OUT := target/demo

.PHONY: all deps build demo test lint bench context-frequencies bench-venv clean screenshot fuzz model cv loop python python-venv python-wheel spark-test spark-deps bench-python bench-spark

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
		--by 業種,従業員数,取組段階 --order 従業員数=1～5名,6～20名,21～50名,51～100名,101～300名,301名以上 \
		--out $(DEMO_OUT)/report
	@echo "== open $(DEMO_OUT)/report/report.html in a browser; report.md, summary.csv and crosstab.csv are beside it"
	$(JIYU) index --input $(DEMO_INPUT) --id-column 回答者ID --text-columns $(DEMO_COLUMNS) --index $(DEMO_OUT)/index
	$(JIYU) search --index $(DEMO_OUT)/index --limit 3 ランサムウェア 被害 && $(JIYU) search --index $(DEMO_OUT)/index --where 業種=建設業 --facets --limit 3 補助金

# The README's pictures (docs/report.png of report.html, docs/network.png and docs/ca.png of two
# of its SVGs): headless Chromium from Debian's `chromium` package, installed here (and only
# here) when missing, with a Japanese font so the text is not boxes.
CHROMIUM := /usr/bin/chromium
# $(call screenshot_of,FILE,PNG,WIDTH,HEIGHT): FILE (a page or an SVG) as Chromium draws it.
define screenshot_of
	profile=$$(mktemp -d) && \
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --hide-scrollbars --log-level=3 \
		--user-data-dir=$$profile --screenshot=$(2) --window-size=$(3),$(4) \
		file://$(CURDIR)/$(1); \
	status=$$?; rm -rf "$$profile"; exit $$status
	@echo "== $(2)"
endef

screenshot: demo
	@test -x $(CHROMIUM) || { echo "jiyu: installing Debian's chromium (for make screenshot only)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }
	@fc-list :lang=ja 2>/dev/null | grep -q . || { echo "jiyu: installing fonts-noto-cjk (Japanese glyphs)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends fonts-noto-cjk; }
	@mkdir -p docs
	$(call screenshot_of,$(DEMO_OUT)/report/report.html,docs/report.png,1200,1600)
	$(call screenshot_of,$(DEMO_OUT)/report/network-1-Q6-1.svg,docs/network.png,800,600)
	$(call screenshot_of,$(DEMO_OUT)/report/ca-q1-2.svg,docs/ca.png,760,600)

test: deps
	$(CARGO) test --all-targets

# rules/model.json, the shipped model (built into the binary at the next build): trained on the
# labeled IPA answers and, at a tenth of their weight, on written answers of the demo generator
# with another seed (7) than the demo export (2024), so `make demo` classifies answers the model
# never saw. `make cv` prints the cross-validated figures of the same recipe.
MODEL_SYNTHETIC := target/model/synthetic.jsonl
GOLD := corpus/ipa-2024/labeled.jsonl

$(MODEL_SYNTHETIC): build
	@mkdir -p $(dir $@)
	$(JIYU) demo-data --labeled --seed 7 --respondents 20000 --output $@

model: build $(MODEL_SYNTHETIC)
	$(JIYU) train --gold $(GOLD) --synthetic $(MODEL_SYNTHETIC) --out rules/model.json
	$(CARGO) build --release

cv: build $(MODEL_SYNTHETIC)
	$(JIYU) eval --gold $(GOLD) --cv 5 --synthetic $(MODEL_SYNTHETIC)

# make loop: do corrections teach? On the demo export (whose generator knows every answer's
# category), a simulated person corrects the 100, then 300, least confident answers and the model
# is trained again each time; one table per setting (the shipped recipe, gold only, gold only
# with random answers corrected, rules only): accuracy over all answers and over those nobody
# corrected, calibration error and 要確認 count per round (examples/correction_loop.rs).
loop: deps
	$(CARGO) build --release --example correction_loop
	$(TARGET_DIR)/release/examples/correction_loop

lint: deps
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

# One run over BENCH_ANSWERS generated answers (default 1,000,000; e.g. `make bench
# BENCH_ANSWERS=100000`): tokenize-only, classify and index times and peak memory, the MeCab +
# Python pipeline users would otherwise write (bench/mecab_pipeline.py), the ratios with their
# targets, index size and query latency p50/p99. The table is also written to
# target/bench/results.md (bench/run.sh, bench/speed.rs). The timed commands take turns
# BENCH_REPEAT times (default 3) and the fastest run of each is reported. Its row of the Python
# package's classify_many (bench/python_classify.py, 200,000 answers) uses make python's wheel
# and venv, built here when missing.
bench: build bench-venv python-wheel
	@test -x /usr/bin/time || { echo "jiyu: installing Debian's time (peak memory for make bench)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends time; }
	JIYU=$(JIYU) CARGO="$(CARGO)" PYTHON_PACKAGE=$(PYTHON_VENV)/bin/python bench/run.sh

# dictionaries/ipadic-context-frequencies.txt: how often the tokenizer reads each row and column
# of IPADIC's connection-cost matrix on the real answers of corpus/ipa-2024 (bench/
# context_frequencies.rs). build.rs numbers the context ids most-read-first from it, so the
# cells read most sit together; tokens stay the same. Rerun after changing the dictionary.
context-frequencies: deps
	CARGO_TARGET_DIR=$(TARGET_DIR) $(CARGO) bench --quiet --bench context_frequencies -- \
		corpus/ipa-2024/labeled.jsonl dictionaries/ipadic-context-frequencies.txt

# The Python side of make bench: a venv with fugashi (its wheel bundles libmecab) and ipadic
# from PyPI. Python's venv module comes from Debian's python3-venv when the machine lacks it.
BENCH_VENV := target/bench-venv
bench-venv: $(BENCH_VENV)/.installed

$(BENCH_VENV)/.installed:
	@command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null || { \
		echo "jiyu: installing Debian's python3-venv (for make bench)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends python3-venv; }
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet fugashi ipadic
	@$(BENCH_VENV)/bin/python -c 'import fugashi, ipadic; fugashi.GenericTagger(ipadic.MECAB_ARGS)("試験")' || { \
		echo "jiyu: fugashi's wheel brought no MeCab here; installing Debian's libmecab-dev"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends libmecab-dev && \
		$(BENCH_VENV)/bin/pip install --quiet --force-reinstall --no-binary fugashi fugashi; }
	touch $@

# Fuzzes the rule-expression parser and the input readers with cargo-fuzz (libFuzzer), each
# target for FUZZ_SECONDS (default 60), one after the other (fuzz/: its own crate, built into
# fuzz/target). cargo-fuzz is installed when missing. It needs nightly's -Z flags: with a
# nightly toolchain in rustup it runs `cargo +nightly fuzz`; without one, the stable compiler
# with RUSTC_BOOTSTRAP=1, which makes it accept -Z flags (nothing else changes). New inputs go
# to fuzz/corpus/TARGET (git-ignored), fuzz/seeds/TARGET is read too, and a crash is saved in
# fuzz/artifacts/TARGET: copy it to tests/data/robustness/fuzz/TARGET, where
# tests/it/robustness.rs replays it. The summary gives executions and crashes per target.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := rule_parser input_csv input_jsonl input_xlsx
FUZZ_CARGO := $(shell rustup toolchain list 2>/dev/null | grep -q '^nightly' \
	&& echo '$(CARGO) +nightly' || echo 'RUSTC_BOOTSTRAP=1 $(CARGO)')
FUZZ_LOGS := fuzz/target/logs
fuzz: deps
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	@mkdir -p $(FUZZ_LOGS)
	@status=0; for target in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$target; \
		echo "== cargo fuzz run $$target ($(FUZZ_SECONDS) s; log: $(FUZZ_LOGS)/$$target.log)"; \
		$(FUZZ_CARGO) fuzz run $$target $(CURDIR)/fuzz/corpus/$$target $(CURDIR)/fuzz/seeds/$$target \
			-- -max_total_time=$(FUZZ_SECONDS) -timeout=60 -print_final_stats=1 \
			> $(FUZZ_LOGS)/$$target.log 2>&1 || status=1; \
		grep -E '^(==[0-9]+==|SUMMARY|thread .* panicked)' $(FUZZ_LOGS)/$$target.log | head -5; \
	done; \
	echo "== fuzz summary ($(FUZZ_SECONDS) s a target)"; \
	for target in $(FUZZ_TARGETS); do \
		runs=$$(grep -o 'stat::number_of_executed_units: [0-9]*' $(FUZZ_LOGS)/$$target.log | grep -o '[0-9]*$$'); \
		found=$$(ls fuzz/artifacts/$$target 2>/dev/null | grep -cE '^(crash|timeout|oom|leak)-'); \
		printf '  %-12s %10s executions  %3s crash inputs in fuzz/artifacts/%s\n' \
			$$target "$${runs:-?}" "$$found" $$target; \
	done; \
	exit $$status

# make e2e: the page of `jiyu serve` in headless Chromium, driven through chromedriver by
# e2e/main.rs (fantoccini): type a query and see the hit, filter by category, correct a label
# with the keyboard, restart the server and see the correction kept. Installs Debian's chromium
# and chromium-driver when missing (for this target only). Not part of `make test`.
CHROMEDRIVER := /usr/bin/chromedriver
.PHONY: e2e loadtest
e2e: build
	@test -x $(CHROMIUM) -a -x $(CHROMEDRIVER) || { \
		echo "jiyu: installing Debian's chromium and chromium-driver (for make e2e)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			chromium chromium-driver; }
	$(CARGO) build --release --example e2e
	$(TARGET_DIR)/release/examples/e2e --jiyu $(JIYU) --chromium $(CHROMIUM) --chromedriver $(CHROMEDRIVER)

# make loadtest: latency of `jiyu serve`'s /api/search (the page's search, with every filter's
# counts) under LOAD_CLIENTS (50) concurrent clients for LOAD_SECONDS (20) on loopback, with
# Debian's wrk (installed when missing) cycling through the queries of bench/queries.tsv,
# against the 1,000,000-answer index of `make bench` (LOAD_INDEX; built by `make bench`, with
# BENCH_ANSWERS answers, when missing). Prints p50/p90/p99 (e2e/loadtest.sh, e2e/loadtest.lua).
LOAD_INDEX ?= target/bench/index
LOAD_CLIENTS ?= 50
LOAD_SECONDS ?= 20
loadtest: build
	@command -v wrk >/dev/null || { echo "jiyu: installing Debian's wrk (for make loadtest)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends wrk; }
	@test -f $(LOAD_INDEX)/meta.json || $(MAKE) bench
	e2e/loadtest.sh $(JIYU) $(LOAD_INDEX) $(LOAD_CLIENTS) $(LOAD_SECONDS)

# make python: the Python package (python/: PyO3 + maturin) — its wheel is built into
# $(PYTHON_WHEELS), installed in the venv $(PYTHON_VENV) (maturin, pytest, pandas, pyarrow and
# polars from PyPI), and python/tests/ run with pytest against the release binary: every answer
# of the labeled corpus and of the demo export gets the categories and evidence of
# `jiyu classify`.
# Everything stays under the target directory. Python's venv module comes from Debian's
# python3-venv when the machine lacks it.
PYTHON_VENV := $(TARGET_DIR)/python-venv
PYTHON_WHEELS := $(TARGET_DIR)/wheels
python-venv: $(PYTHON_VENV)/.installed

$(PYTHON_VENV)/.installed:
	@command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null || { \
		echo "jiyu: installing Debian's python3-venv (for make python)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends python3-venv; }
	python3 -m venv $(PYTHON_VENV)
	$(PYTHON_VENV)/bin/pip install --quiet 'maturin>=1.5,<2' pytest pandas pyarrow polars
	touch $@

# The wheel shares the target directory, so it links the library the release build compiled.
python-wheel: build python-venv
	rm -f $(PYTHON_WHEELS)/jiyu-*.whl
	CARGO_TARGET_DIR=$(TARGET_DIR) $(PYTHON_VENV)/bin/maturin build --quiet --release \
		-m python/Cargo.toml --out $(PYTHON_WHEELS)
	$(PYTHON_VENV)/bin/pip install --quiet --force-reinstall --no-deps $(PYTHON_WHEELS)/jiyu-*.whl

python: python-wheel
	JIYU=$(abspath $(JIYU)) $(PYTHON_VENV)/bin/python -m pytest -q -p no:cacheprovider python/tests

# make bench-python: Classifier.classify_many against `jiyu classify`, per answer, on
# BENCH_PYTHON_CLASSIFY answers (default 200,000) generated like make bench's
# (bench/python_classify.py; target ≤ 1.2×).
BENCH_PYTHON_CLASSIFY ?= 200000
bench-python: python-wheel
	$(PYTHON_VENV)/bin/python bench/python_classify.py --jiyu $(JIYU) --answers $(BENCH_PYTHON_CLASSIFY)

# make spark-test: examples/spark/classify.py on Spark local[2] (pyspark from PyPI in the same
# venv; Java 17 from Debian's openjdk-17-jre-headless when `java` is missing), on the demo export
# and on a generated wide export of SPARK_RESPONDENTS respondents (560,000: about 1,000,000
# answers; CI runs this size too), each checked answer by answer against `jiyu classify`
# (examples/spark/check.py). The wall times of `jiyu classify` and of the Spark runs are
# printed; Spark's log goes to $(SPARK_DIR)/*.log.
SPARK_RESPONDENTS ?= 560000
SPARK_DIR := $(TARGET_DIR)/spark
SPARK_SUBMIT := PYSPARK_PYTHON=$(abspath $(PYTHON_VENV))/bin/python $(PYTHON_VENV)/bin/spark-submit \
	--master 'local[2]' --conf spark.ui.enabled=false
spark-deps: python-venv
	@command -v java >/dev/null || { echo "jiyu: installing Debian's openjdk-17-jre-headless (for Spark)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; }
	@test -x $(PYTHON_VENV)/bin/spark-submit || $(PYTHON_VENV)/bin/pip install --quiet pyspark

spark-test: python-wheel spark-deps
	@mkdir -p $(SPARK_DIR)
	@echo "== Spark local[2]: the demo export ($(DEMO_INPUT))"
	$(JIYU) classify --quiet --input $(DEMO_INPUT) --id-column 回答者ID --text-columns $(DEMO_COLUMNS) \
		--output-format csv --output $(SPARK_DIR)/demo-cli.csv
	@start=$$(date +%s.%N); \
	$(SPARK_SUBMIT) examples/spark/classify.py --input $(DEMO_INPUT) --encoding Shift_JIS \
		--id-column 回答者ID --text-columns $(DEMO_COLUMNS) --output $(SPARK_DIR)/demo.parquet \
		2> $(SPARK_DIR)/demo.log || { tail -20 $(SPARK_DIR)/demo.log; exit 1; }; \
	end=$$(date +%s.%N); \
	awk "BEGIN { printf \"Spark local[2] on the demo export: %.1f s (mostly start-up)\\n\", $$end - $$start }"
	$(PYTHON_VENV)/bin/python examples/spark/check.py --spark $(SPARK_DIR)/demo.parquet --cli $(SPARK_DIR)/demo-cli.csv
	@echo "== Spark local[2]: $(SPARK_RESPONDENTS) generated respondents (UTF-8 wide export)"
	$(JIYU) demo-data --respondents $(SPARK_RESPONDENTS) --seed 11 --encoding utf-8 --output $(SPARK_DIR)/generated.csv
	@start=$$(date +%s.%N); \
	$(JIYU) classify --quiet --input $(SPARK_DIR)/generated.csv --id-column 回答者ID --text-columns $(DEMO_COLUMNS) \
		--output-format csv --output $(SPARK_DIR)/generated-cli.csv || exit 1; \
	middle=$$(date +%s.%N); \
	$(SPARK_SUBMIT) examples/spark/classify.py --input $(SPARK_DIR)/generated.csv \
		--id-column 回答者ID --text-columns $(DEMO_COLUMNS) --output $(SPARK_DIR)/generated.parquet \
		2> $(SPARK_DIR)/generated.log > $(SPARK_DIR)/generated.counts || { tail -20 $(SPARK_DIR)/generated.log; exit 1; }; \
	end=$$(date +%s.%N); \
	cat $(SPARK_DIR)/generated.counts; \
	awk "BEGIN { printf \"jiyu classify: %.1f s; Spark local[2] (start-up, reading, classifying, writing Parquet, counting): %.1f s\\n\", $$middle - $$start, $$end - $$middle }"
	$(PYTHON_VENV)/bin/python examples/spark/check.py --spark $(SPARK_DIR)/generated.parquet --cli $(SPARK_DIR)/generated-cli.csv

# make bench-spark (not in CI): answers per second of Spark local[2] against `jiyu classify` on
# BENCH_SPARK_ANSWERS (default 5,000,000) answers of make bench's generator, kept in
# $(TARGET_DIR)/bench-spark/N/ for the next run. bench/spark_classify.py converts them to
# Parquet (8 files; not timed), then runs the command (JSONL in and out) and
# examples/spark/classify.py (Parquet in and out) in turns, BENCH_SPARK_REPEAT times (default 2),
# and prints the fastest of each, the ratio against the target (≥ 0.5×), Spark's start-up (both
# on 1,000 answers) and the ratio without it; then checks every answer's categories.
BENCH_SPARK_ANSWERS ?= 5000000
BENCH_SPARK_REPEAT ?= 2
bench-spark: python-wheel spark-deps $(TARGET_DIR)/bench-spark/$(BENCH_SPARK_ANSWERS)/answers.jsonl
	PYSPARK_PYTHON=$(abspath $(PYTHON_VENV))/bin/python $(PYTHON_VENV)/bin/python bench/spark_classify.py \
		--jiyu $(JIYU) --answers-dir $(TARGET_DIR)/bench-spark/$(BENCH_SPARK_ANSWERS) \
		--spark-submit $(PYTHON_VENV)/bin/spark-submit --repeat $(BENCH_SPARK_REPEAT)

$(TARGET_DIR)/bench-spark/%/answers.jsonl:
	CARGO_TARGET_DIR=$(TARGET_DIR) $(CARGO) bench --quiet --bench speed -- --generate-only --answers $* --dir $(dir $@)

clean:
	$(CARGO) clean
