//! `jiyu search`: finds answers in an index built by `jiyu index`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use jiyu::index::{open_index, SearchHit, SearchRequest, SearchResults, Snippet};
use jiyu::{Error, Result};

use super::AnalyzerArgs;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu search --index answers.idx ランサムウェア\n  \
    jiyu search --index answers.idx --question Q10-1 信頼\n  \
    jiyu search --index survey.idx --where 業種=建設業 --facets 補助金\n  \
    jiyu search --index answers.idx -- 'メール OR 電話 -迷惑 \"情報漏洩\"'\n\n\
    Query: words are ANDed; A OR B matches either; -word excludes; \"…\" is a phrase. Words match\n\
    whatever the notation (ＩＳＭＳ = isms, ｾｷｭﾘﾃｨｰ = セキュリティ, 漏えい = 漏洩, 受けた = 受ける) and\n\
    inside compounds (メール finds 迷惑メール); a one-character word matches whole words only.\n\
    Write `--` before the query when one of its arguments starts with - (-word), or quote the\n\
    whole query. An empty query lists every answer the filters allow. Repeating a filter widens\n\
    it (either value); different filters narrow.\n\n\
    Output: per hit its id, question, categories and score, then a snippet with the matched\n\
    words highlighted (in colour on a terminal). --json writes JSON Lines: id, question, text,\n\
    categories, attributes, score, snippet, highlights (character ranges of the snippet);\n\
    with --facets a last line {\"total\": N, \"facets\": {category: answers}}.")]
pub struct SearchArgs {
    /// The index directory (built by `jiyu index`).
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// The query; several arguments are joined with spaces.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// Only answers of this question (repeat for several).
    #[arg(long, value_name = "Q")]
    pub question: Vec<String>,
    /// Only answers in this category (repeat for several).
    #[arg(long, value_name = "ID")]
    pub category: Vec<String>,
    /// Only answers with this attribute value, NAME=VALUE (repeatable).
    #[arg(long = "where", value_name = "NAME=VALUE", value_parser = parse_filter)]
    pub filters: Vec<(String, String)>,
    /// Hits to show, best first.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// JSON Lines, one hit a line.
    #[arg(long)]
    pub json: bool,
    /// Also count the categories of all matching answers.
    #[arg(long)]
    pub facets: bool,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

fn parse_filter(text: &str) -> std::result::Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(format!(
            "“{text}” is not NAME=VALUE (for example 業種=建設業)"
        )),
    }
}

pub fn run(args: SearchArgs) -> Result<i32> {
    let analyzer = Arc::new(args.analyzer.analyzer()?);
    let searcher = open_index(&args.index, analyzer)?;
    let request = SearchRequest {
        query: args.query.join(" "),
        questions: args.question.clone(),
        categories: args.category.clone(),
        filters: args.filters.clone(),
        limit: args.limit,
        facets: args.facets,
    };
    let results = searcher.search(&request)?;
    for warning in &results.warnings {
        eprintln!("jiyu: {warning}");
    }
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let text = if args.json {
        json_lines(&results)?
    } else {
        plain(&results, color)
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|err| Error::io("standard output", err))?;
    Ok(0)
}

fn json_lines(results: &SearchResults) -> Result<String> {
    let mut out = String::new();
    for hit in &results.hits {
        let attributes: serde_json::Map<String, serde_json::Value> = hit
            .attributes
            .iter()
            .map(|(name, value)| (name.clone(), serde_json::Value::String(value.clone())))
            .collect();
        let highlights: Vec<[usize; 2]> = hit
            .snippet
            .char_highlights()
            .into_iter()
            .map(|range| [range.start, range.end])
            .collect();
        let line = serde_json::json!({
            "id": hit.id,
            "question": hit.question,
            "text": hit.text,
            "categories": hit.categories,
            "attributes": attributes,
            "score": (f64::from(hit.score) * 1e4).round() / 1e4,
            "snippet": hit.snippet.text,
            "highlights": highlights,
        });
        out.push_str(
            &serde_json::to_string(&line)
                .map_err(|err| Error::Usage(format!("cannot encode JSON: {err}")))?,
        );
        out.push('\n');
    }
    if !results.facets.is_empty() {
        let facets: serde_json::Map<String, serde_json::Value> = results
            .facets
            .iter()
            .map(|(category, count)| (category.clone(), serde_json::Value::from(*count)))
            .collect();
        let line = serde_json::json!({ "total": results.total, "facets": facets });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    Ok(out)
}

fn plain(results: &SearchResults, color: bool) -> String {
    let mut out = match results.total {
        1 => "1 answer matches".to_string(),
        n => format!("{n} answers match"),
    };
    if !results.hits.is_empty() && results.hits.len() < results.total {
        out.push_str(&format!(" (the best {} shown)", results.hits.len()));
    }
    out.push('\n');
    for hit in &results.hits {
        out.push_str(&hit_lines(hit, color));
    }
    if !results.facets.is_empty() {
        out.push_str("\ncategories of all matching answers:\n");
        let width = results
            .facets
            .iter()
            .map(|(category, _)| category.chars().count())
            .max()
            .unwrap_or(0);
        for (category, count) in &results.facets {
            out.push_str(&format!("  {category:<width$}  {count:>7}\n"));
        }
    }
    out
}

fn hit_lines(hit: &SearchHit, color: bool) -> String {
    let categories = if hit.categories.is_empty() {
        String::new()
    } else {
        format!("  [{}]", hit.categories.join(", "))
    };
    let id = if color {
        format!("\x1b[1m{}\x1b[0m", hit.id)
    } else {
        hit.id.clone()
    };
    format!(
        "\n{id}  {}{categories}  score {:.2}\n  {}\n",
        hit.question,
        hit.score,
        highlighted(&hit.snippet, color)
    )
}

/// The snippet, its matches in bold red on a terminal.
fn highlighted(snippet: &Snippet, color: bool) -> String {
    if !color {
        return snippet.text.clone();
    }
    let mut out = String::with_capacity(snippet.text.len() + 16);
    let mut at = 0;
    for range in &snippet.highlights {
        out.push_str(&snippet.text[at..range.start]);
        out.push_str("\x1b[1;31m");
        out.push_str(&snippet.text[range.clone()]);
        out.push_str("\x1b[0m");
        at = range.end;
    }
    out.push_str(&snippet.text[at..]);
    out
}
