//! The search benchmark behind `make bench` (driven by `bench/run.sh`).
//!
//! In one run: generates N answers with `jiyu::demo::generate_answers` (JSONL with attributes,
//! and the same texts one a line), times `jiyu tokenize --count` over the texts (the speed
//! floor), `jiyu classify` (for reference) and `jiyu index` over the answers, measures the
//! index on disk, then opens the index once and times the queries of `bench/queries.tsv`
//! in-process. Prints a table with the targets of issue 4.
//!
//! Usage: search_bench --jiyu target/release/jiyu --answers 1000000 --dir target/bench
//!        --queries bench/queries.tsv [--rounds 3] [--seed 2024] [--no-classify]

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiyu::demo::{generate_answers, DEFAULT_SEED, EMPLOYEE_COUNTS, INDUSTRIES, STAGES};
use jiyu::index::{open_index, SearchRequest};
use jiyu::Analyzer;

struct Options {
    jiyu: PathBuf,
    answers: usize,
    dir: PathBuf,
    queries: PathBuf,
    rounds: usize,
    seed: u64,
    classify: bool,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("search_bench: {message}");
        std::process::exit(2);
    }
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        jiyu: PathBuf::from("target/release/jiyu"),
        answers: 1_000_000,
        dir: PathBuf::from("target/bench"),
        queries: PathBuf::from("bench/queries.tsv"),
        rounds: 3,
        seed: DEFAULT_SEED,
        classify: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--no-classify" {
            options.classify = false;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .replace('_', "")
                .parse::<usize>()
                .map_err(|_| format!("{flag}: “{value}” is not a number"))
        };
        match flag.as_str() {
            "--jiyu" => options.jiyu = PathBuf::from(&value),
            "--answers" => options.answers = number()?,
            "--dir" => options.dir = PathBuf::from(&value),
            "--queries" => options.queries = PathBuf::from(&value),
            "--rounds" => options.rounds = number()?.max(1),
            "--seed" => options.seed = number()? as u64,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(options)
}

fn run() -> Result<(), String> {
    let options = parse_options()?;
    std::fs::create_dir_all(&options.dir).map_err(|err| err.to_string())?;
    let answers = options.dir.join("answers.jsonl");
    let texts = options.dir.join("texts.txt");
    let index = options.dir.join("index");

    eprintln!("== generating {} answers", options.answers);
    let started = Instant::now();
    generate(options.answers, options.seed, &answers, &texts)?;
    let generate_time = started.elapsed();

    eprintln!("== jiyu tokenize --count (tokenize only)");
    let tokenize = timed(
        Command::new(&options.jiyu)
            .args(["tokenize", "--count", "--input"])
            .arg(&texts),
    )?;
    let classify = if options.classify {
        eprintln!("== jiyu classify (for reference)");
        let output = options.dir.join("classified.jsonl");
        let timing = timed(
            Command::new(&options.jiyu)
                .args(["classify", "--quiet", "--input"])
                .arg(&answers)
                .arg("--output")
                .arg(&output),
        )?;
        // Only its time matters; the file is as large as the input.
        let _ = std::fs::remove_file(&output);
        Some(timing)
    } else {
        None
    };
    eprintln!("== jiyu index");
    if index.exists() {
        std::fs::remove_dir_all(&index).map_err(|err| err.to_string())?;
    }
    let indexing = timed(
        Command::new(&options.jiyu)
            .args(["index", "--quiet", "--input"])
            .arg(&answers)
            .arg("--index")
            .arg(&index),
    )?;
    let size = dir_size(&index);

    eprintln!("== queries");
    let queries = read_queries(&options.queries)?;
    let analyzer = Analyzer::new(&[]).map_err(|err| err.to_string())?;
    let searcher = open_index(&index, Arc::new(analyzer)).map_err(|err| err.to_string())?;
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
        latencies[rank.clamp(1, latencies.len()) - 1]
    };

    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    let ratio = indexing.wall.as_secs_f64() / tokenize.wall.as_secs_f64();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!();
    println!(
        "jiyu search benchmark: {} answers (seed {}), {} cores; generated in {:.1} s",
        thousands(options.answers as u64),
        options.seed,
        cores,
        generate_time.as_secs_f64()
    );
    println!("{:<32} {:>24}  {:<}", "measure", "value", "target / note");
    println!("{}", "-".repeat(96));
    let row = |name: &str, value: String, note: String| {
        println!("{name:<32} {value:>24}  {note}");
    };
    row(
        "tokenize only (tokenize --count)",
        tokenize.describe(),
        format!(
            "{:.0} answers/s, max RSS {}",
            options.answers as f64 / tokenize.wall.as_secs_f64(),
            rss(tokenize.max_rss_kb)
        ),
    );
    if let Some(classify) = &classify {
        row(
            "classify (JSONL output)",
            classify.describe(),
            format!(
                "{:.2}× tokenize, max RSS {}",
                classify.wall.as_secs_f64() / tokenize.wall.as_secs_f64(),
                rss(classify.max_rss_kb)
            ),
        );
    }
    row(
        "index (classify + index)",
        indexing.describe(),
        format!(
            "{:.0} answers/s, max RSS {}",
            options.answers as f64 / indexing.wall.as_secs_f64(),
            rss(indexing.max_rss_kb)
        ),
    );
    row(
        "ratio index ÷ tokenize (wall)",
        format!("{ratio:.2}×"),
        format!("≤ 2.5× {}", verdict(ratio <= 2.5)),
    );
    if let (Some(index_cpu), Some(tokenize_cpu)) = (indexing.cpu, tokenize.cpu) {
        row(
            "ratio index ÷ tokenize (CPU)",
            format!(
                "{:.2}×",
                index_cpu.as_secs_f64() / tokenize_cpu.as_secs_f64()
            ),
            "the same, in CPU time".to_string(),
        );
    }
    row(
        "index size",
        format!("{:.1} MB", size as f64 / 1e6),
        format!(
            "{:.0} bytes/answer, {} documents",
            size as f64 / documents.max(1) as f64,
            thousands(documents)
        ),
    );
    row(
        "query p50",
        format!("{:.2} ms", ms(percentile(50.0))),
        format!("≤ 5 ms {}", verdict(ms(percentile(50.0)) <= 5.0)),
    );
    row(
        "query p99",
        format!("{:.2} ms", ms(percentile(99.0))),
        format!("≤ 50 ms {}", verdict(ms(percentile(99.0)) <= 50.0)),
    );
    row(
        "query max",
        format!("{:.2} ms", ms(latencies[latencies.len() - 1])),
        format!(
            "{} queries × {} rounds, {} matches a round",
            queries.len(),
            options.rounds,
            thousands(matches as u64)
        ),
    );
    Ok(())
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "MISSED"
    }
}

fn thousands(n: u64) -> String {
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

fn rss(kb: Option<u64>) -> String {
    kb.map_or("?".to_string(), |kb| format!("{} MB", kb / 1024))
}

/// Writes `count` generated answers as JSONL (with the three attributes of the survey, drawn
/// deterministically) and their texts one a line.
fn generate(count: usize, seed: u64, answers: &Path, texts: &Path) -> Result<(), String> {
    let create = |path: &Path| {
        std::fs::File::create(path)
            .map(BufWriter::new)
            .map_err(|err| format!("{}: {err}", path.display()))
    };
    let mut jsonl = create(answers)?;
    let mut lines = create(texts)?;
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
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
        });
        let write = |out: &mut BufWriter<std::fs::File>, line: String| {
            out.write_all(line.as_bytes())
                .and_then(|()| out.write_all(b"\n"))
                .map_err(|err| err.to_string())
        };
        write(&mut jsonl, record.to_string())?;
        write(&mut lines, answer.text.replace(['\r', '\n'], " "))?;
    }
    jsonl.flush().map_err(|err| err.to_string())?;
    lines.flush().map_err(|err| err.to_string())
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
    /// User + system time, when /usr/bin/time is there: steadier than wall time on a busy
    /// machine.
    cpu: Option<Duration>,
    max_rss_kb: Option<u64>,
}

impl Timing {
    fn describe(&self) -> String {
        match self.cpu {
            Some(cpu) => format!(
                "{:.2} s ({:.2} s CPU)",
                self.wall.as_secs_f64(),
                cpu.as_secs_f64()
            ),
            None => format!("{:.2} s", self.wall.as_secs_f64()),
        }
    }
}

/// Runs `command` to completion (through /usr/bin/time when present, for the peak memory).
fn timed(command: &mut Command) -> Result<Timing, String> {
    let use_time = Path::new("/usr/bin/time").exists();
    let mut command = if use_time {
        let mut wrapped = Command::new("/usr/bin/time");
        wrapped.args(["-f", "maxrss=%M cpu=%U %S"]);
        wrapped.arg(command.get_program());
        wrapped.args(command.get_args());
        wrapped
    } else {
        std::mem::replace(command, Command::new("true"))
    };
    let started = Instant::now();
    let output = command
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|err| format!("cannot run jiyu: {err}"))?;
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("{:?} failed: {stderr}", command));
    }
    // The last line /usr/bin/time wrote: "maxrss=KB cpu=USER SYSTEM".
    let stats: Vec<&str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("maxrss="))
        .next_back()
        .map(|line| line.split([' ', '=']).collect())
        .unwrap_or_default();
    let number = |index: usize| stats.get(index).and_then(|value| value.parse::<f64>().ok());
    let max_rss_kb = number(0).map(|kb| kb as u64);
    let cpu = match (number(2), number(3)) {
        (Some(user), Some(system)) => Some(Duration::from_secs_f64(user + system)),
        _ => None,
    };
    Ok(Timing {
        wall,
        cpu,
        max_rss_kb,
    })
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

/// The queries of `bench/queries.tsv` as search requests (20 hits each, as `jiyu search`).
fn read_queries(path: &Path) -> Result<Vec<SearchRequest>, String> {
    let file = std::fs::File::open(path).map_err(|err| format!("{}: {err}", path.display()))?;
    let mut requests = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line.map_err(|err| err.to_string())?;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut columns = line.split('\t');
        let mut request = SearchRequest {
            query: columns.next().unwrap_or_default().to_string(),
            limit: 20,
            ..SearchRequest::default()
        };
        for filter in columns.filter(|column| !column.is_empty()) {
            let (name, value) = filter
                .split_once('=')
                .ok_or_else(|| format!("{}: “{filter}” is not NAME=VALUE", path.display()))?;
            match name {
                "question" => request.questions.push(value.to_string()),
                "category" => request.categories.push(value.to_string()),
                _ => request.filters.push((name.to_string(), value.to_string())),
            }
        }
        requests.push(request);
    }
    Ok(requests)
}
