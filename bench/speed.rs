//! The benchmark behind `make bench` (driven by `bench/run.sh`): the speed and memory of
//! tokenize, classify and index against their targets, the MeCab + Python pipeline beside them,
//! and the index's size and query latency.
//!
//! In one run, over the same N deterministic answers (`jiyu::demo::generate_answers`; JSONL with
//! the survey's three attributes, and the same texts one a line):
//!
//! 1. `jiyu tokenize --count` over the texts: the speed floor;
//! 2. `jiyu classify` over the answers (JSONL out), then again over the first N/10 answers, to
//!    show whether peak memory grows with the input;
//! 3. `jiyu index` over the answers, then over the first N/10 (peak memory again);
//! 4. `bench/mecab_pipeline.py` (MeCab through fugashi + ipadic, keyword sets per category in
//!    Python, JSONL out) over the answers, or the first `--python-answers` of them;
//! 5. the queries of `bench/queries.tsv` against the index, in-process (p50/p99), by meaning
//!    as `jiyu search` runs them (synonyms, and the categories of `--rules`);
//! 6. the Python package's `Classifier.classify_many` against `jiyu classify` per answer
//!    (`bench/python_classify.py` with `--python-package`, the venv of `make python`).
//!
//! Each command runs under `/usr/bin/time -v` (peak memory: "Maximum resident set size"; user
//! and system CPU time), and every jiyu command on one copy of the binary taken at the start, so
//! a build that replaces it meanwhile cannot mix two binaries into one table. Both classifiers'
//! primary categories are also compared with the category each answer was generated for, so a
//! speed ratio never hides a strawman.
//!
//! The table (Markdown, with each target and ✓/✗) goes to standard output and to
//! `<dir>/results.md`.
//!
//! Usage: cargo bench --bench speed -- --jiyu target/release/jiyu --answers 1000000
//!        --dir target/bench --queries bench/queries.tsv [--rules rules]
//!        [--python target/bench-venv/bin/python] [--python-answers N] [--rounds 3]
//!        [--seed 2024] [--generate-only]
//!
//! Under `cargo test`, which runs it without cargo bench's `--bench`, it does nothing.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiyu::demo::{generate_answers, DEFAULT_SEED, EMPLOYEE_COUNTS, INDUSTRIES, STAGES};
use jiyu::index::{open_index, IndexOptions};
use jiyu::text::display_width;
use jiyu::Analyzer;

#[path = "queries.rs"]
mod queries;
use queries::read_queries;

// The targets `make bench` checks (the README lists them). Tokenize-only is the floor every
// ratio is read against, not a target.
/// Classify against the MeCab + Python pipeline: answers a second, wall time.
const MECAB_SPEEDUP_TARGET: f64 = 8.0;
/// The same per CPU second (user + system), so two cores against one process is no excuse.
const MECAB_CPU_SPEEDUP_TARGET: f64 = 4.0;
/// The rules' own cost: classify against classify with a scheme for no question.
const RULES_RATIO_TARGET: f64 = 1.3;
/// Index against tokenize-only.
const INDEX_RATIO_TARGET: f64 = 3.5;
const CLASSIFY_RSS_TARGET_MB: f64 = 100.0;
const INDEX_RSS_TARGET_MB: f64 = 300.0;
/// Peak memory counts as flat when 10× the answers raise it by less than this share.
const FLAT_GROWTH: f64 = 0.25;

struct Options {
    jiyu: PathBuf,
    python: PathBuf,
    rules: PathBuf,
    answers: usize,
    python_answers: Option<usize>,
    dir: PathBuf,
    queries: PathBuf,
    rounds: usize,
    /// Times tokenize, classify (with and without rules), index and the MeCab pipeline each
    /// run, taking turns; the fastest run of each is reported.
    repeat: usize,
    seed: u64,
    generate_only: bool,
    /// The Python of `make python`'s venv, where the `jiyu` package is installed.
    python_package: PathBuf,
}

fn main() {
    // `cargo bench` adds --bench; `cargo test --all-targets` runs this without it, and then it
    // must not start a run of minutes.
    if !std::env::args().any(|arg| arg == "--bench") {
        eprintln!("bench: run by `make bench` (cargo bench --bench speed -- OPTIONS)");
        return;
    }
    if let Err(message) = run() {
        eprintln!("bench: {message}");
        std::process::exit(2);
    }
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        jiyu: PathBuf::from("target/release/jiyu"),
        python: PathBuf::from("target/bench-venv/bin/python"),
        rules: PathBuf::from("rules"),
        answers: 1_000_000,
        python_answers: None,
        dir: PathBuf::from("target/bench"),
        queries: PathBuf::from("bench/queries.tsv"),
        rounds: 3,
        repeat: 3,
        seed: DEFAULT_SEED,
        generate_only: false,
        python_package: PathBuf::from("target/python-venv/bin/python"),
    };
    let mut args = std::env::args().skip(1).filter(|arg| arg != "--bench");
    while let Some(flag) = args.next() {
        if flag == "--generate-only" {
            options.generate_only = true;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .replace(['_', ','], "")
                .parse::<usize>()
                .map_err(|_| format!("{flag}: “{value}” is not a number"))
        };
        match flag.as_str() {
            "--jiyu" => options.jiyu = PathBuf::from(&value),
            "--python" => options.python = PathBuf::from(&value),
            "--python-package" => options.python_package = PathBuf::from(&value),
            "--rules" => options.rules = PathBuf::from(&value),
            "--answers" => options.answers = number()?.max(1),
            "--python-answers" => {
                let n = number()?;
                options.python_answers = (n > 0).then_some(n);
            }
            "--dir" => options.dir = PathBuf::from(&value),
            "--queries" => options.queries = PathBuf::from(&value),
            "--rounds" => options.rounds = number()?.max(1),
            "--repeat" => options.repeat = number()?.max(1),
            "--seed" => options.seed = number()? as u64,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(options)
}

/// The files of one run, all under `--dir`.
struct Files {
    answers: PathBuf,
    texts: PathBuf,
    /// The category each answer was generated for (`no-answer` for 特になし …), one a line.
    truth: PathBuf,
    /// The first N/10 answers.
    small: PathBuf,
    /// The first answer, and its text.
    one: PathBuf,
    one_text: PathBuf,
    classified: PathBuf,
    classified_small: PathBuf,
    mecab: PathBuf,
    index: PathBuf,
    results: PathBuf,
}

impl Files {
    fn new(dir: &Path) -> Files {
        Files {
            answers: dir.join("answers.jsonl"),
            texts: dir.join("texts.txt"),
            truth: dir.join("truth.txt"),
            small: dir.join("answers-tenth.jsonl"),
            one: dir.join("answers-one.jsonl"),
            one_text: dir.join("texts-one.txt"),
            classified: dir.join("classified.jsonl"),
            classified_small: dir.join("classified-tenth.jsonl"),
            mecab: dir.join("mecab.jsonl"),
            index: dir.join("index"),
            results: dir.join("results.md"),
        }
    }
}

fn run() -> Result<(), String> {
    let options = parse_options()?;
    std::fs::create_dir_all(&options.dir).map_err(|err| err.to_string())?;
    let files = Files::new(&options.dir);
    let small_count = (options.answers / 10).max(1);

    eprintln!("== generating {} answers", thousands(options.answers));
    let started = Instant::now();
    generate(options.answers, small_count, options.seed, &files)?;
    let generate_time = started.elapsed();
    if options.generate_only {
        eprintln!(
            "== {} answers in {} ({:.1} s)",
            thousands(options.answers),
            files.answers.display(),
            generate_time.as_secs_f64()
        );
        return Ok(());
    }
    let load_before = load_average();
    let label = build_label(&options.jiyu);
    // Every command of the run uses this copy, even if a build replaces the binary meanwhile.
    let jiyu = &options.dir.join("jiyu-under-test");
    std::fs::copy(&options.jiyu, jiyu)
        .map_err(|err| format!("{}: {err}", options.jiyu.display()))?;
    let rules = options.rules.as_os_str();

    eprintln!("== start-up: jiyu tokenize and classify of one answer");
    let tokenize_one = timed(
        "tokenize-one",
        &options.dir,
        jiyu,
        &[
            "tokenize".into(),
            "--count".into(),
            "--input".into(),
            files.one_text.clone().into(),
        ],
    )?;
    let classify_one_output = options.dir.join("classified-one.jsonl");
    let classify_one = timed(
        "classify-one",
        &options.dir,
        jiyu,
        &[
            "classify".into(),
            "--quiet".into(),
            "--rules".into(),
            rules.into(),
            "--input".into(),
            files.one.clone().into(),
            "--output".into(),
            classify_one_output.clone().into(),
        ],
    )?;
    let _ = std::fs::remove_file(&classify_one_output);

    let classify_args = |rules: &Path, input: &Path, output: &Path| -> Vec<OsString> {
        vec![
            "classify".into(),
            "--quiet".into(),
            "--rules".into(),
            rules.into(),
            "--input".into(),
            input.into(),
            "--output".into(),
            output.into(),
        ]
    };
    // The rules alone: what the model (rules/model.json beside the rules) adds to classify.
    let classified_no_model = options.dir.join("classified-no-model.jsonl");
    let mut classify_no_model_args =
        classify_args(&options.rules, &files.answers, &classified_no_model);
    classify_no_model_args.push("--no-model".into());
    let index_args = |input: &Path, index: &Path| -> Vec<OsString> {
        vec![
            "index".into(),
            "--quiet".into(),
            "--rules".into(),
            rules.into(),
            "--input".into(),
            input.into(),
            "--index".into(),
            index.into(),
        ]
    };
    let python_count = options
        .python_answers
        .map_or(options.answers, |n| n.min(options.answers));
    let python = python_ready(&options.python);
    if let Err(reason) = &python {
        eprintln!("== MeCab + Python pipeline skipped: {reason}");
    }
    let mut mecab_args: Vec<OsString> = vec![
        Path::new("bench/mecab_pipeline.py").into(),
        "--rules".into(),
        rules.into(),
        "--input".into(),
        files.answers.clone().into(),
        "--output".into(),
        files.mecab.clone().into(),
    ];
    if python_count < options.answers {
        mecab_args.extend(["--limit".into(), python_count.to_string().into()]);
    }

    // The floor of classify's own work: a scheme for a question no answer has, so every answer
    // is read, analyzed, checked for a non-answer and written, and no rule is evaluated.
    let no_rules = options.dir.join("no-rules");
    std::fs::create_dir_all(&no_rules).map_err(|err| err.to_string())?;
    std::fs::write(no_rules.join("none.toml"), NO_RULES_SCHEME).map_err(|err| err.to_string())?;
    let classified_no_rules = options.dir.join("classified-no-rules.jsonl");

    // The measures take turns, `--repeat` times, and each keeps its fastest run: on a
    // shared virtual machine one run of the same command varies by ±15 %, and a slow spell
    // then slows every measure of a round alike instead of one.
    let (mut tokenize, mut classify, mut indexing, mut mecab) = (None, None, None, None);
    let mut classify_no_rules = None;
    let mut classify_no_model = None;
    for round in 1..=options.repeat {
        let of = format!("(round {round} of {})", options.repeat);
        let dir = &options.dir;
        eprintln!("== jiyu tokenize --count (tokenize only) {of}");
        let tokenize_args: [OsString; 4] = [
            "tokenize".into(),
            "--count".into(),
            "--input".into(),
            files.texts.clone().into(),
        ];
        time_into(&mut tokenize, "tokenize", dir, jiyu, &tokenize_args)?;
        eprintln!("== jiyu classify {of}");
        let args = classify_args(&options.rules, &files.answers, &files.classified);
        time_into(&mut classify, "classify", dir, jiyu, &args)?;
        eprintln!("== jiyu classify --no-model {of}");
        time_into(
            &mut classify_no_model,
            "classify-no-model",
            dir,
            jiyu,
            &classify_no_model_args,
        )?;
        eprintln!("== jiyu classify without rules {of}");
        let args = classify_args(&no_rules, &files.answers, &classified_no_rules);
        time_into(
            &mut classify_no_rules,
            "classify-no-rules",
            dir,
            jiyu,
            &args,
        )?;
        eprintln!("== jiyu index {of}");
        if files.index.exists() {
            std::fs::remove_dir_all(&files.index).map_err(|err| err.to_string())?;
        }
        let args = index_args(&files.answers, &files.index);
        time_into(&mut indexing, "index", dir, jiyu, &args)?;
        if python.is_ok() {
            eprintln!(
                "== MeCab (fugashi + ipadic) + Python keyword sets, {} answers {of}",
                thousands(python_count)
            );
            time_into(&mut mecab, "mecab", dir, &options.python, &mecab_args)?;
        }
    }
    let fastest = |timing: Option<Timing>| timing.expect("--repeat is at least 1");
    let (tokenize, classify, indexing) = (fastest(tokenize), fastest(classify), fastest(indexing));
    let classify_no_rules = fastest(classify_no_rules);
    let classify_no_model = fastest(classify_no_model);
    let _ = std::fs::remove_file(&classified_no_rules);
    let _ = std::fs::remove_file(&classified_no_model);
    let mecab = python.map(|()| fastest(mecab));
    let tokens: u64 = tokenize.stdout.trim().parse().unwrap_or(0);
    let size = dir_size(&files.index);

    eprintln!(
        "== jiyu classify, the first {} answers (memory)",
        thousands(small_count)
    );
    let classify_small = timed(
        "classify-tenth",
        &options.dir,
        jiyu,
        &classify_args(&options.rules, &files.small, &files.classified_small),
    )?;
    let _ = std::fs::remove_file(&files.classified_small);
    eprintln!(
        "== jiyu index, the first {} answers (memory)",
        thousands(small_count)
    );
    let small_index = options.dir.join("index-tenth");
    if small_index.exists() {
        std::fs::remove_dir_all(&small_index).map_err(|err| err.to_string())?;
    }
    let indexing_small = timed(
        "index-tenth",
        &options.dir,
        jiyu,
        &index_args(&files.small, &small_index),
    )?;
    let _ = std::fs::remove_dir_all(&small_index);

    eprintln!("== agreement with the generated categories");
    let agreement = agree(
        &files,
        if mecab.is_ok() { python_count } else { 0 },
        options.answers,
    )?;
    let _ = std::fs::remove_file(&files.classified);
    let _ = std::fs::remove_file(&files.mecab);

    eprintln!("== queries");
    let queries = read_queries(&options.queries)?;
    let analyzer = Analyzer::new(&[]).map_err(|err| err.to_string())?;
    let schemes = jiyu::rules::scheme::read_outlines(&jiyu::rules::scheme::RulesSource::Directory(
        options.rules.clone(),
    ))
    .map_err(|err| err.to_string())?;
    let searcher = open_index(&files.index, Arc::new(analyzer))
        .map_err(|err| err.to_string())?
        .with_schemes(&schemes);
    let documents = searcher.num_docs();
    // One untimed pass: the first touch of each posting list reads it from disk.
    let mut matches = 0usize;
    for request in &queries {
        matches += searcher
            .search(request)
            .map_err(|err| err.to_string())?
            .total;
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(queries.len() * options.rounds);
    for _ in 0..options.rounds {
        for request in &queries {
            let started = Instant::now();
            let results = searcher.search(request).map_err(|err| err.to_string())?;
            latencies.push(started.elapsed());
            std::hint::black_box(results);
        }
    }
    latencies.sort();
    let percentile = |p: f64| {
        let rank = ((p / 100.0) * latencies.len() as f64).ceil() as usize;
        ms(latencies[rank.clamp(1, latencies.len()) - 1])
    };
    let classify_many = measure_classify_many(&options, jiyu);
    let load_after = load_average();

    // The table.
    let n = options.answers as f64;
    let mut table = Table::default();
    table.row(
        "tokenize only (`tokenize --count`)",
        tokenize.describe(),
        "",
        None,
        format!(
            "{} answers/s, {:.1} tokens/answer, peak {}",
            rate(n, tokenize.wall),
            tokens as f64 / n,
            mb(tokenize.max_rss_kb)
        ),
    );
    table.row(
        "classify without rules",
        classify_no_rules.describe(),
        "",
        None,
        format!(
            "a scheme for no question: reading, analysis, non-answer check, JSONL out; {:.2}× tokenize",
            ratio(classify_no_rules.wall, tokenize.wall)
        ),
    );
    table.row(
        "classify (JSONL out)",
        classify.describe(),
        "",
        None,
        format!(
            "{} answers/s, peak {}",
            rate(n, classify.wall),
            mb(classify.max_rss_kb)
        ),
    );
    table.row(
        "index (classify + index)",
        indexing.describe(),
        "",
        None,
        format!(
            "{} answers/s, peak {}",
            rate(n, indexing.wall),
            mb(indexing.max_rss_kb)
        ),
    );
    table.row(
        "classify ÷ tokenize",
        format!("{:.2}×", ratio(classify.wall, tokenize.wall)),
        "",
        None,
        cpu_ratio_note(&classify, &tokenize),
    );
    let index_ratio = ratio(indexing.wall, tokenize.wall);
    table.row(
        "index ÷ tokenize",
        format!("{index_ratio:.2}×"),
        format!("≤ {INDEX_RATIO_TARGET}×"),
        Some(index_ratio <= INDEX_RATIO_TARGET),
        cpu_ratio_note(&indexing, &tokenize),
    );
    table.row(
        "classify --no-model (rules alone)",
        classify_no_model.describe(),
        "",
        None,
        format!(
            "{} answers/s, peak {}",
            rate(n, classify_no_model.wall),
            mb(classify_no_model.max_rss_kb)
        ),
    );
    table.row(
        "classify ÷ classify --no-model",
        format!("{:.2}×", ratio(classify.wall, classify_no_model.wall)),
        "",
        None,
        "what the learned model adds (word model, combiner, the model's evidence)".to_string(),
    );
    let rules_ratio = ratio(classify.wall, classify_no_rules.wall);
    table.row(
        "classify ÷ classify without rules",
        format!("{rules_ratio:.2}×"),
        format!("≤ {RULES_RATIO_TARGET}×"),
        Some(rules_ratio <= RULES_RATIO_TARGET),
        format!(
            "the rules' own cost: rules, model, evidence and categories; {}",
            cpu_ratio_note(&classify, &classify_no_rules)
        ),
    );
    match &mecab {
        Ok(mecab) => {
            let p = python_count as f64;
            table.row(
                "MeCab + Python pipeline",
                mecab.describe(),
                "",
                None,
                format!(
                    "{} answers{}, {} answers/s, one process, peak {}",
                    thousands(python_count),
                    if python_count < options.answers {
                        " (the first; compared per answer)"
                    } else {
                        ""
                    },
                    rate(p, mecab.wall),
                    mb(mecab.max_rss_kb)
                ),
            );
            // Per-answer throughput: the same as the wall-time ratio when both ran on all N.
            let speedup = (n / classify.wall.as_secs_f64()) / (p / mecab.wall.as_secs_f64());
            table.row(
                "classify vs MeCab + Python, wall",
                format!("{speedup:.1}× faster"),
                format!("≥ {MECAB_SPEEDUP_TARGET}×"),
                Some(speedup >= MECAB_SPEEDUP_TARGET),
                "answers a second, wall time".to_string(),
            );
            let cpu_speedup = classify
                .cpu()
                .zip(mecab.cpu())
                .map(|(jiyu_cpu, mecab_cpu)| (mecab_cpu / p) / (jiyu_cpu / n));
            table.row(
                "classify vs MeCab + Python, per CPU second",
                cpu_speedup.map_or("?".to_string(), |speedup| format!("{speedup:.1}×")),
                format!("≥ {MECAB_CPU_SPEEDUP_TARGET}×"),
                Some(cpu_speedup.is_some_and(|speedup| speedup >= MECAB_CPU_SPEEDUP_TARGET)),
                "answers per CPU second (user + system)".to_string(),
            );
        }
        Err(reason) => {
            for (measure, target) in [
                ("classify vs MeCab + Python, wall", MECAB_SPEEDUP_TARGET),
                (
                    "classify vs MeCab + Python, per CPU second",
                    MECAB_CPU_SPEEDUP_TARGET,
                ),
            ] {
                table.row(
                    measure,
                    "not measured".to_string(),
                    format!("≥ {target}×"),
                    Some(false),
                    reason.clone(),
                );
            }
        }
    }
    classify_many_row(&mut table, &classify_many);
    let peak_full = kb_to_mb(classify.max_rss_kb);
    let peak_small = kb_to_mb(classify_small.max_rss_kb);
    let (peak_value, peak_ok, peak_note) = match (peak_small, peak_full) {
        (Some(small), Some(full)) => {
            let growth = (full - small) / small;
            let flat = growth < FLAT_GROWTH;
            (
                format!("{full:.0} MB"),
                full.max(small) <= CLASSIFY_RSS_TARGET_MB && flat,
                format!(
                    "{small:.0} MB at {} answers → {full:.0} MB at {} ({} for 10× the answers: {})",
                    thousands(small_count),
                    thousands(options.answers),
                    if (growth * 100.0).abs() < 0.5 {
                        "±0%".to_string()
                    } else {
                        format!("{:+.0}%", growth * 100.0)
                    },
                    if flat { "flat" } else { "grows" }
                ),
            )
        }
        _ => (
            "?".to_string(),
            false,
            "no /usr/bin/time: `apt-get install time`".to_string(),
        ),
    };
    table.row(
        "classify peak memory",
        peak_value,
        format!("≤ {CLASSIFY_RSS_TARGET_MB:.0} MB, flat"),
        Some(peak_ok),
        peak_note,
    );
    match (
        kb_to_mb(indexing_small.max_rss_kb),
        kb_to_mb(indexing.max_rss_kb),
    ) {
        (Some(small), Some(full)) => table.row(
            "index peak memory",
            format!("{full:.0} MB"),
            format!("≤ {INDEX_RSS_TARGET_MB:.0} MB"),
            Some(full <= INDEX_RSS_TARGET_MB),
            format!(
                "{small:.0} MB at {} answers → {full:.0} MB at {}: the writer's buffer ({} MB \
                 by default) fills, then stays; plus an 8-byte hash of each id seen",
                thousands(small_count),
                thousands(options.answers),
                IndexOptions::default().memory_budget >> 20
            ),
        ),
        _ => table.row(
            "index peak memory",
            "?".to_string(),
            format!("≤ {INDEX_RSS_TARGET_MB:.0} MB"),
            Some(false),
            "no /usr/bin/time: `apt-get install time`".to_string(),
        ),
    }
    table.row(
        "start-up (one answer)",
        format!(
            "{:.2} s / {:.2} s",
            tokenize_one.wall.as_secs_f64(),
            classify_one.wall.as_secs_f64()
        ),
        "",
        None,
        format!(
            "tokenize / classify: dictionary and rules loaded, in every time above; peak {} / {}",
            mb(tokenize_one.max_rss_kb),
            mb(classify_one.max_rss_kb)
        ),
    );
    table.row(
        "index size",
        format!("{:.1} MB", size as f64 / 1e6),
        "",
        None,
        format!(
            "{:.0} bytes/answer, {} documents",
            size as f64 / documents.max(1) as f64,
            thousands(documents as usize)
        ),
    );
    let (p50, p99) = (percentile(50.0), percentile(99.0));
    table.row(
        "query p50",
        format!("{p50:.2} ms"),
        "",
        None,
        format!(
            "{} queries × {} rounds, in-process, by meaning (the page's target is `make \
             loadtest`'s p99)",
            queries.len(),
            options.rounds
        ),
    );
    table.row(
        "query p99",
        format!("{p99:.2} ms"),
        "",
        None,
        format!(
            "max {:.2} ms, {} matches a round",
            ms(latencies[latencies.len() - 1]),
            thousands(matches)
        ),
    );
    table.row(
        "primary = generated category",
        agreement.describe_jiyu(),
        "",
        None,
        agreement.describe_mecab(),
    );

    let heading = format!(
        "jiyu benchmark: {} answers (seed {}), {} cores, load {} → {}; {}; generated in {:.1} s",
        thousands(options.answers),
        options.seed,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load_before,
        load_after,
        label,
        generate_time.as_secs_f64()
    );
    let runs = match options.repeat {
        1 => "one run each".to_string(),
        n => format!("the fastest of {n} runs each, the commands taking turns"),
    };
    let markdown = format!(
        "{heading}\n\n{}\nTimes are wall clock (CPU time, user + system, in brackets) of tokenize, \
         classify (with and without rules), index and the MeCab pipeline: {runs}; ratios are of \
         wall times measured in this run. Peak memory is /usr/bin/time's maximum resident set size.\n",
        table.render()
    );
    println!();
    print!("{markdown}");
    let _ = std::fs::remove_file(jiyu);
    std::fs::write(&files.results, &markdown)
        .map_err(|err| format!("{}: {err}", files.results.display()))?;
    eprintln!("== written to {}", files.results.display());
    Ok(())
}

/// Rows of measure, value, target, verdict and note, rendered as an aligned Markdown table.
#[derive(Default)]
struct Table {
    rows: Vec<[String; 5]>,
}

impl Table {
    fn row(
        &mut self,
        measure: &str,
        value: String,
        target: impl Into<String>,
        ok: Option<bool>,
        note: String,
    ) {
        let verdict = match ok {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "",
        };
        self.rows.push([
            measure.to_string(),
            value,
            target.into(),
            verdict.to_string(),
            note,
        ]);
    }

    fn render(&self) -> String {
        let header = ["measure", "value", "target", "", "note"].map(String::from);
        let mut widths = [0usize; 5];
        for row in std::iter::once(&header).chain(&self.rows) {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(display_width(cell));
            }
        }
        let line = |row: &[String; 5]| {
            let cells: Vec<String> = row
                .iter()
                .zip(widths)
                .enumerate()
                .map(|(column, (cell, width))| {
                    let pad = " ".repeat(width - display_width(cell));
                    // Values right-aligned, the rest left-aligned.
                    if column == 1 {
                        format!("{pad}{cell}")
                    } else {
                        format!("{cell}{pad}")
                    }
                })
                .collect();
            format!("| {} |\n", cells.join(" | "))
        };
        let mut out = line(&header);
        let rule: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(column, &width)| {
                if column == 1 {
                    format!("{}:", "-".repeat(width + 1))
                } else {
                    "-".repeat(width + 2)
                }
            })
            .collect();
        out.push_str(&format!("|{}|\n", rule.join("|")));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn rate(count: f64, time: Duration) -> String {
    thousands((count / time.as_secs_f64()).round() as usize)
}

fn cpu_ratio_note(timing: &Timing, tokenize: &Timing) -> String {
    match (timing.cpu(), tokenize.cpu()) {
        (Some(a), Some(b)) => format!("wall; {:.2}× in CPU time", a / b),
        _ => "wall".to_string(),
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, ch) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn kb_to_mb(kb: Option<u64>) -> Option<f64> {
    kb.map(|kb| kb as f64 / 1024.0)
}

fn mb(kb: Option<u64>) -> String {
    kb_to_mb(kb).map_or("? MB".to_string(), |mb| format!("{mb:.0} MB"))
}

/// The 1-minute load average, from /proc/loadavg.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".to_string())
}

/// Which jiyu was measured: the commit, whether the work tree differs from it, the binary's age.
fn build_label(jiyu: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "?".to_string());
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|status| !status.is_empty());
    let built = std::fs::metadata(jiyu)
        .and_then(|meta| meta.modified())
        .ok()
        .and_then(|time| time.elapsed().ok())
        .map_or(String::new(), |age| {
            format!(", binary built {} min ago", age.as_secs() / 60)
        });
    format!(
        "jiyu at {commit}{}{built}",
        if dirty { " + uncommitted changes" } else { "" }
    )
}

/// Writes `count` generated answers as JSONL (with the three attributes of the survey, drawn
/// deterministically), the first `small` of them again to their own file, their texts one a
/// line and the categories they were generated for one a line.
fn generate(count: usize, small: usize, seed: u64, files: &Files) -> Result<(), String> {
    let create = |path: &Path| {
        std::fs::File::create(path)
            .map(|file| BufWriter::with_capacity(1 << 20, file))
            .map_err(|err| format!("{}: {err}", path.display()))
    };
    let mut jsonl = create(&files.answers)?;
    let mut jsonl_small = create(&files.small)?;
    let mut jsonl_one = create(&files.one)?;
    let mut text_one = create(&files.one_text)?;
    let mut lines = create(&files.texts)?;
    let mut truth = create(&files.truth)?;
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    let write = |out: &mut BufWriter<std::fs::File>, line: &str| {
        out.write_all(line.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .map_err(|err| err.to_string())
    };
    for (index, answer) in generate_answers(count, seed).enumerate() {
        let industry = pick(&INDUSTRIES, &mut state);
        let employees = pick(&EMPLOYEE_COUNTS, &mut state);
        let stage = pick(&STAGES, &mut state);
        let record = serde_json::json!({
            "id": format!("A{:07}", index + 1),
            "question": answer.question,
            "text": answer.text,
            "業種": industry,
            "従業員数": employees,
            "取組段階": stage,
        })
        .to_string();
        write(&mut jsonl, &record)?;
        if index < small {
            write(&mut jsonl_small, &record)?;
        }
        let text = answer.text.replace(['\r', '\n'], " ");
        if index == 0 {
            write(&mut jsonl_one, &record)?;
            write(&mut text_one, &text)?;
        }
        write(&mut lines, &text)?;
        write(&mut truth, answer.category.unwrap_or("no-answer"))?;
    }
    for mut out in [jsonl, jsonl_small, jsonl_one, text_one, lines, truth] {
        out.flush().map_err(|err| err.to_string())?;
    }
    Ok(())
}

/// A choice weighted by the survey's counts (splitmix64 numbers).
fn pick(choices: &[(&'static str, u32)], state: &mut u64) -> &'static str {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let total: u64 = choices.iter().map(|(_, count)| u64::from(*count)).sum();
    let mut draw = z % total.max(1);
    for (name, count) in choices {
        if draw < u64::from(*count) {
            return name;
        }
        draw -= u64::from(*count);
    }
    choices[0].0
}

struct Timing {
    wall: Duration,
    user: Option<f64>,
    system: Option<f64>,
    max_rss_kb: Option<u64>,
    stdout: String,
}

impl Timing {
    /// User + system seconds: steadier than wall time on a busy machine.
    fn cpu(&self) -> Option<f64> {
        Some(self.user? + self.system?)
    }

    fn describe(&self) -> String {
        match self.cpu() {
            Some(cpu) => format!("{:.2} s ({cpu:.2} s CPU)", self.wall.as_secs_f64()),
            None => format!("{:.2} s", self.wall.as_secs_f64()),
        }
    }
}

/// A scheme for a question no generated answer has (`classify without rules`).
const NO_RULES_SCHEME: &str = r#"[scheme]
id = "none"
title = "no answer is sorted by this scheme"
questions = ["no-such-question"]

[[category]]
id = "never"
label = "never"
rule = '"no-such-question"'
"#;

/// Runs `program args` under [`timed`] and keeps in `fastest` whichever of it and the run
/// already there took less wall time.
fn time_into(
    fastest: &mut Option<Timing>,
    label: &str,
    dir: &Path,
    program: &Path,
    args: &[OsString],
) -> Result<(), String> {
    let run = timed(label, dir, program, args)?;
    if fastest.as_ref().is_none_or(|best| run.wall < best.wall) {
        *fastest = Some(run);
    }
    Ok(())
}

/// Runs `program args` to completion under `/usr/bin/time -v` (its report goes to
/// `<dir>/time-<label>.txt`), or bare when /usr/bin/time is missing.
fn timed(label: &str, dir: &Path, program: &Path, args: &[OsString]) -> Result<Timing, String> {
    let time = Path::new("/usr/bin/time");
    let report = dir.join(format!("time-{label}.txt"));
    let mut command = if time.exists() {
        let mut command = Command::new(time);
        command.arg("-v").arg("-o").arg(&report).arg(program);
        command
    } else {
        Command::new(program)
    };
    command.args(args).stdin(Stdio::null());
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|err| format!("cannot run {}: {err}", program.display()))?;
    let wall = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "{} {} failed ({}): {}",
            program.display(),
            args.iter()
                .map(|arg| arg.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let report = if time.exists() {
        std::fs::read_to_string(&report).unwrap_or_default()
    } else {
        String::new()
    };
    let field = |name: &str| {
        report
            .lines()
            .filter_map(|line| line.trim().strip_prefix(name))
            .filter_map(|rest| rest.trim().strip_prefix(':'))
            .next_back()
            .and_then(|value| value.trim().parse::<f64>().ok())
    };
    Ok(Timing {
        wall,
        user: field("User time (seconds)"),
        system: field("System time (seconds)"),
        max_rss_kb: field("Maximum resident set size (kbytes)").map(|kb| kb as u64),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    })
}

/// Whether `python` can import fugashi and ipadic (`make bench-venv` installs them).
fn python_ready(python: &Path) -> Result<(), String> {
    let hint = "run `make bench-venv` (fugashi + ipadic from PyPI)";
    if !python.exists() {
        return Err(format!("{} is missing: {hint}", python.display()));
    }
    let status = Command::new(python)
        .args(["-c", "import fugashi, ipadic"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|err| format!("{}: {err}", python.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} cannot import fugashi: {hint}",
            python.display()
        ))
    }
}

/// How often each classifier's primary category is the one the answer was generated for.
struct Agreement {
    answers: usize,
    jiyu: usize,
    mecab_answers: usize,
    mecab: usize,
    /// jiyu's hits on the answers the MeCab pipeline saw.
    jiyu_on_mecab: usize,
}

impl Agreement {
    fn describe_jiyu(&self) -> String {
        format!("jiyu {:.1}%", percent(self.jiyu, self.answers))
    }

    fn describe_mecab(&self) -> String {
        if self.mecab_answers == 0 {
            return "how often the primary category is the one generated".to_string();
        }
        format!(
            "MeCab + Python {:.1}% (jiyu {:.1}% on the same {} answers)",
            percent(self.mecab, self.mecab_answers),
            percent(self.jiyu_on_mecab, self.mecab_answers),
            thousands(self.mecab_answers)
        )
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

#[derive(serde::Deserialize)]
struct Primary {
    primary: Option<String>,
}

fn agree(files: &Files, mecab_answers: usize, answers: usize) -> Result<Agreement, String> {
    let open = |path: &Path| {
        std::fs::File::open(path)
            .map(|file| BufReader::with_capacity(1 << 20, file).lines())
            .map_err(|err| format!("{}: {err}", path.display()))
    };
    let primary = |line: std::io::Result<String>, path: &Path| -> Result<Option<String>, String> {
        let line = line.map_err(|err| format!("{}: {err}", path.display()))?;
        serde_json::from_str::<Primary>(&line)
            .map(|record| record.primary)
            .map_err(|err| format!("{}: {err}", path.display()))
    };
    let mut truth = open(&files.truth)?;
    let mut jiyu = open(&files.classified)?;
    let mut mecab = if mecab_answers > 0 {
        Some(open(&files.mecab)?)
    } else {
        None
    };
    let mut agreement = Agreement {
        answers: 0,
        jiyu: 0,
        mecab_answers: 0,
        mecab: 0,
        jiyu_on_mecab: 0,
    };
    for index in 0..answers {
        let (Some(expected), Some(line)) = (truth.next(), jiyu.next()) else {
            return Err(format!(
                "{} has {index} answers, not {answers}",
                files.classified.display()
            ));
        };
        let expected = expected.map_err(|err| err.to_string())?;
        let jiyu_hit = primary(line, &files.classified)?.as_deref() == Some(expected.as_str());
        agreement.answers += 1;
        agreement.jiyu += usize::from(jiyu_hit);
        if index < mecab_answers {
            if let Some(line) = mecab.as_mut().and_then(Iterator::next) {
                let hit = primary(line, &files.mecab)?.as_deref() == Some(expected.as_str());
                agreement.mecab_answers += 1;
                agreement.mecab += usize::from(hit);
                agreement.jiyu_on_mecab += usize::from(jiyu_hit);
            }
        }
    }
    Ok(agreement)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .map(|entry| match entry.metadata() {
                    Ok(meta) if meta.is_dir() => dir_size(&entry.path()),
                    Ok(meta) => meta.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// `Classifier.classify_many` may cost at most this many times `jiyu classify`'s time per answer.
const CLASSIFY_MANY_RATIO_TARGET: f64 = 1.2;
/// The answers `bench/python_classify.py` generates for the classify_many row (fewer when the
/// run has fewer).
const CLASSIFY_MANY_ANSWERS: usize = 200_000;

/// The fastest wall times of `bench/python_classify.py --json`.
#[derive(serde::Deserialize)]
struct ClassifyMany {
    answers: usize,
    cli: f64,
    python: f64,
    repeat: usize,
}

/// Runs `bench/python_classify.py` (classify_many and `jiyu classify` taking turns on the same
/// generated answers) with the venv of `make python`; why not, when that venv or its `jiyu`
/// package is missing.
fn measure_classify_many(options: &Options, jiyu: &Path) -> Result<ClassifyMany, String> {
    let python = &options.python_package;
    let hint = "run `make python` (the package's wheel in its venv)";
    if !python.exists() {
        return Err(format!("{} is missing: {hint}", python.display()));
    }
    eprintln!("== Python Classifier.classify_many against jiyu classify");
    let answers = CLASSIFY_MANY_ANSWERS.min(options.answers);
    let output = Command::new(python)
        .arg("bench/python_classify.py")
        .arg("--json")
        .arg("--jiyu")
        .arg(jiyu)
        .args(["--answers", &answers.to_string()])
        .args(["--repeat", &options.repeat.to_string()])
        .arg("--dir")
        .arg(&options.dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("cannot run {}: {err}", python.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "bench/python_classify.py failed ({hint}): {}",
            stderr.lines().last().unwrap_or("").trim()
        ));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|err| format!("bench/python_classify.py --json: {err}"))
}

fn classify_many_row(table: &mut Table, measured: &Result<ClassifyMany, String>) {
    let target = format!("≤ {CLASSIFY_MANY_RATIO_TARGET}×");
    match measured {
        Ok(m) => {
            let ratio = m.python / m.cli;
            let per_answer = |seconds: f64| seconds / m.answers.max(1) as f64 * 1e6;
            table.row(
                "Python classify_many ÷ classify",
                format!("{ratio:.2}×"),
                target,
                Some(ratio <= CLASSIFY_MANY_RATIO_TARGET),
                format!(
                    "per answer: {:.1} µs against {:.1} µs (`jiyu classify`) on {} generated \
                     answers, fastest of {} (bench/python_classify.py)",
                    per_answer(m.python),
                    per_answer(m.cli),
                    thousands(m.answers),
                    m.repeat
                ),
            );
        }
        Err(reason) => table.row(
            "Python classify_many ÷ classify",
            "not measured".to_string(),
            target,
            None,
            reason.clone(),
        ),
    }
}
