//! Writes `dictionaries/ipadic-context-frequencies.txt`: how often the tokenizer reads each row
//! and each column of IPADIC's connection-cost matrix while analyzing the real answers of
//! `corpus/ipa-2024/labeled.jsonl` (`make context-frequencies`).
//!
//! `build.rs` hands the file to lindera's dictionary builder, which renumbers the context ids
//! most-read-first, so the cells the tokenizer reads most sit together at the top left of the
//! 3.4 MB matrix instead of spread over it. Renumbering relabels every id consistently (the
//! user dictionary's too, when the segmenter is made): tokens are the same, only fewer cache
//! lines are touched. The counts come from real answers only, never from the generated answers
//! `make bench` times.
//!
//! Every edge the lattice keeps counts once for its left id (the row read when it is added)
//! and, for its right id, once per edge starting where it ends (the column read for each of
//! those). The lattice's edges expose their ids only through `Debug` (lindera 6.2), which this
//! reads; a change of that format stops this program with a message, never the build. The
//! dictionary analyzed is jiyu's own, renumbered already when the file existed: counts are
//! mapped back through the permutation its metadata keeps, so the file is always in IPADIC's
//! own numbering, as lindera expects.
//!
//! Usage: cargo bench --bench context_frequencies -- corpus/ipa-2024/labeled.jsonl OUT

use std::borrow::Cow;

use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera_dictionary::viterbi::Lattice;

fn main() {
    // `cargo test --all-targets` runs this without --bench: it must do nothing then.
    if !std::env::args().any(|arg| arg == "--bench") {
        eprintln!("context_frequencies: run by `make context-frequencies`");
        return;
    }
    if let Err(message) = run() {
        eprintln!("context_frequencies: {message}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let paths: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let [corpus, out] = paths.as_slice() else {
        return Err("usage: context_frequencies CORPUS.jsonl OUT".into());
    };
    let system = jiyu::dictionary::system_dictionary().map_err(|err| err.to_string())?;
    let user = jiyu::dictionary::user_dictionary(&system, &[]).map_err(|err| err.to_string())?;
    let map = system.metadata.context_id_map.clone();
    let matrix = &system.connection_cost_matrix;
    let (forward, backward) = (matrix.forward_size as usize, matrix.backward_size as usize);
    let segmenter = Segmenter::new(Mode::Normal, system, Some(user.dictionary));

    let answers = jiyu::input::read_all(
        std::path::Path::new(corpus),
        &jiyu::input::InputOptions::default(),
    )
    .map_err(|err| err.to_string())?;
    let mut rows = vec![0u64; backward];
    let mut columns = vec![0u64; forward];
    let mut lattice = Lattice::default();
    for answer in &answers {
        let normalized = jiyu::normalize::normalize(&answer.text);
        segmenter
            .segment_with_lattice(Cow::Borrowed(normalized.text.as_str()), &mut lattice)
            .map_err(|err| err.to_string())?;
        let mut edges = Vec::new();
        for end in 0..=lattice.char_len() {
            for edge in lattice.edges_at_char(end) {
                let shown = format!("{edge:?}");
                let field = |name| debug_field(&shown, name);
                edges.push((
                    field("start_char")?,
                    end,
                    field("left_id")?,
                    field("right_id")?,
                ));
            }
        }
        let mut starting_at = vec![0u64; lattice.char_len() + 2];
        for &(start, ..) in &edges {
            starting_at[start] += 1;
        }
        for &(_, end, left, right) in &edges {
            rows[left] += 1;
            columns[right] += starting_at.get(end).copied().unwrap_or(0);
        }
    }
    // Back to IPADIC's numbering: the count of original id `old` is the count of `map(old)`.
    if let Some(map) = map {
        rows = (0..backward)
            .map(|old| rows[usize::from(map.map_left(old as u16))])
            .collect();
        columns = (0..forward)
            .map(|old| columns[usize::from(map.map_right(old as u16))])
            .collect();
    }
    let line = |counts: &[u64]| {
        counts
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let file = format!(
        "{backward} {forward}\n{}\n{}\n",
        line(&rows),
        line(&columns)
    );
    std::fs::write(out, file).map_err(|err| format!("{out}: {err}"))?;
    eprintln!(
        "context_frequencies: {} answers of {corpus} -> {out}",
        answers.len()
    );
    Ok(())
}

/// The number after `name: ` in an edge's `Debug` text.
fn debug_field(shown: &str, name: &str) -> Result<usize, String> {
    let key = format!("{name}: ");
    shown
        .find(&key)
        .map(|at| &shown[at + key.len()..])
        .and_then(|rest| {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            rest[..digits].parse().ok()
        })
        .ok_or_else(|| format!("lindera's Edge no longer shows `{name}` in {shown}"))
}
