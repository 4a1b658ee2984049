//! `jiyu search`: finds answers in an index built by `jiyu index`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use jiyu::classify::{Basis, REVIEW_BELOW};
use jiyu::index::highlight::ConceptHit;
use jiyu::index::{
    check_below, open_index, parse_query, SearchHit, SearchRequest, SearchResults, Snippet, SortBy,
};
use jiyu::output::rounded_confidence;
use jiyu::rules::scheme::{read_outlines, RulesSource};
use jiyu::{Error, Result};

use super::{stdout_error, AnalyzerArgs, Stdout};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu search --index answers.idx ランサムウェア\n  \
    jiyu search --index answers.idx --question Q10-1 信頼\n  \
    jiyu search --index survey.idx --where 業種=建設業 --facets 補助金\n  \
    jiyu search --index answers.idx -- 'メール OR 電話 -迷惑 \"情報漏洩\"'\n  \
    jiyu search --index survey.idx --question Q6-1 --below 0.5 --sort confidence   # to review\n  \
    jiyu search --index survey.idx --basis model --facets\n\n\
    Query: words are ANDed; A OR B matches either; -word excludes; \"…\" is a phrase. Words match\n\
    whatever the notation (ＩＳＭＳ = isms, ｾｷｭﾘﾃｨｰ = セキュリティ, 漏えい = 漏洩, 受けた = 受ける) and\n\
    inside compounds (メール finds 迷惑メール); a one-character word matches whole words only.\n\
    By meaning: each word (not a \"phrase\") also finds its synonyms (the thesaurus: Sudachi's\n\
    synonym dictionary and dictionaries/synonyms.tsv; コスト finds 費用) and the answers of the\n\
    categories it names (a word of a category's label or rule: 忙しい finds 人材不足、多忙).\n\
    Answers with the words as typed come first, then those found through synonyms, then those\n\
    found only through a category (marked カテゴリ『…』に該当). -word excludes its synonyms too.\n\
    --exact searches the words as typed only.\n\
    Write `--` before the query when one of its arguments starts with - (-word), or quote the\n\
    whole query. An empty query lists every answer the filters allow. Repeating a filter widens\n\
    it (either value); different filters narrow.\n\n\
    Confidence and basis: every answer of a question a scheme sorts has a confidence (0-1, how\n\
    sure jiyu is of its first category; 0 for unclassified, 1 for a correction) and a basis:\n\
    rules (rule words matched), model (the learned model's estimate), default (a catch-all rule),\n\
    override (a correction), no-answer, none (unclassified, or a question without a scheme).\n\
    --below 0.5 lists the answers to review (要確認); answers without a confidence never pass.\n\n\
    Output: per hit its id, question, [categories], the first with its confidence and basis\n\
    ([education 0.87 rules, awareness]), and score, then a snippet with the matched words\n\
    highlighted (in colour on a terminal). --json writes JSON Lines: id, question, text,\n\
    categories, confidence (three decimals, or null), basis, attributes, score, snippet,\n\
    highlights (character ranges of the snippet); with --facets a last line\n\
    {\"total\": N, \"facets\": {category: answers}, \"bases\": {basis: answers}}. Each hit also has\n\
    matched (the words found; a synonym with the word it stands for) and concepts (the\n\
    categories it was found through).")]
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
    /// Only answers whose first category rests on one of these bases: rules, model, default,
    /// override, no-answer, none (comma-separated or repeated).
    #[arg(long, value_name = "BASES", value_delimiter = ',', value_parser = parse_basis)]
    pub basis: Vec<Basis>,
    /// Only answers whose confidence is below P (0 < P ≤ 1): the answers to review.
    #[arg(long, value_name = "P", value_parser = parse_below)]
    pub below: Option<f64>,
    /// Order of the hits: relevance (best match first) or confidence (least confident first).
    #[arg(long, value_name = "ORDER", default_value = "relevance", value_parser = parse_sort)]
    pub sort: SortBy,
    /// Hits to show, best first.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// JSON Lines, one hit a line.
    #[arg(long)]
    pub json: bool,
    /// Also count the categories and the bases of all matching answers.
    #[arg(long)]
    pub facets: bool,
    /// The words as typed only: no synonyms, no categories named by the words.
    #[arg(long)]
    pub exact: bool,
    /// The rules the index was classified with, whose categories query words can name
    /// (default: ./rules when it exists, else the built-in rules).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
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

fn parse_basis(text: &str) -> std::result::Result<Basis, String> {
    Basis::parse(text.trim()).ok_or_else(|| {
        let names: Vec<&str> = Basis::ALL.iter().map(|basis| basis.as_str()).collect();
        format!("“{text}” is not a basis; bases: {}", names.join(", "))
    })
}

fn parse_below(text: &str) -> std::result::Result<f64, String> {
    let bound: f64 = text.trim().parse().map_err(|_| {
        format!("“{text}” is not a number; give a confidence above 0 and at most 1 (e.g. {REVIEW_BELOW})")
    })?;
    check_below(bound)
}

fn parse_sort(text: &str) -> std::result::Result<SortBy, String> {
    match text.trim() {
        "relevance" => Ok(SortBy::Relevance),
        "confidence" => Ok(SortBy::Confidence),
        _ => Err(format!(
            "“{text}” is not an order; give relevance or confidence"
        )),
    }
}

pub fn run(args: SearchArgs) -> Result<i32> {
    let analyzer = Arc::new(args.analyzer.analyzer()?);
    let query = args.query.join(" ");
    // The rules are read only when a word could name one of their categories.
    let names_categories =
        !args.exact && parse_query(&query).is_ok_and(|parsed| !parsed.groups.is_empty());
    let mut searcher = open_index(&args.index, analyzer)?;
    if names_categories {
        let schemes = read_outlines(&RulesSource::resolve(args.rules.as_deref()))?;
        searcher = searcher.with_schemes(&schemes);
    }
    let request = SearchRequest {
        query,
        questions: args.question.clone(),
        categories: args.category.clone(),
        filters: args.filters.clone(),
        bases: args.basis.clone(),
        below: args.below,
        limit: args.limit,
        sort: args.sort,
        facets: args.facets,
        by_meaning: !args.exact,
    };
    let results = searcher.search(&request)?;
    for warning in &results.warnings {
        eprintln!("jiyu: {warning}");
    }
    let mut out = Stdout::lock();
    let text = if args.json {
        json_lines(&results)?
    } else {
        plain(&results, out.is_terminal())
    };
    out.write_all(text.as_bytes()).map_err(stdout_error)?;
    out.finish()?;
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
            "confidence": hit.confidence.map(rounded_confidence),
            "basis": hit.basis.as_str(),
            "attributes": attributes,
            "score": (f64::from(hit.score) * 1e4).round() / 1e4,
            "snippet": hit.snippet.text,
            "highlights": highlights,
            "matched": hit.matched.iter().map(|found| serde_json::json!({
                "word": found.word,
                "synonym_of": found.synonym_of,
            })).collect::<Vec<_>>(),
            "concepts": hit.concepts.iter().map(concept_json).collect::<Vec<_>>(),
        });
        out.push_str(
            &serde_json::to_string(&line)
                .map_err(|err| Error::Encode(format!("cannot encode JSON: {err}")))?,
        );
        out.push('\n');
    }
    if !results.facets.is_empty() {
        let facets: serde_json::Map<String, serde_json::Value> = results
            .facets
            .iter()
            .map(|(category, count)| (category.clone(), serde_json::Value::from(*count)))
            .collect();
        let bases: serde_json::Map<String, serde_json::Value> = results
            .bases
            .iter()
            .map(|(basis, count)| (basis.as_str().to_string(), serde_json::Value::from(*count)))
            .collect();
        let line = serde_json::json!({ "total": results.total, "facets": facets, "bases": bases });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    Ok(out)
}

/// A category a hit was found through, as JSON.
fn concept_json(concept: &ConceptHit) -> serde_json::Value {
    serde_json::json!({
        "category": concept.category,
        "label": concept.label,
        "query_word": concept.query_word,
        "via": concept.via,
        "mark": concept.marker(),
    })
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
    if !results.bases.is_empty() {
        out.push_str("\nbases of all matching answers:\n");
        for (basis, count) in &results.bases {
            out.push_str(&format!("  {:<9}  {count:>7}\n", basis.as_str()));
        }
    }
    out
}

fn hit_lines(hit: &SearchHit, color: bool) -> String {
    // The first category carries the confidence and basis (they are about it).
    let categories = match hit.categories.split_first() {
        None => String::new(),
        Some((first, rest)) => {
            let confidence = hit.confidence.map_or(String::new(), |confidence| {
                format!(" {:.2}", rounded_confidence(confidence))
            });
            let mut shown = format!("{first}{confidence} {}", hit.basis.as_str());
            for category in rest {
                shown.push_str(", ");
                shown.push_str(category);
            }
            format!("  [{shown}]")
        }
    };
    let id = if color {
        format!("\x1b[1m{}\x1b[0m", hit.id)
    } else {
        hit.id.clone()
    };
    let mut lines = format!(
        "\n{id}  {}{categories}  score {:.2}\n  {}\n",
        hit.question,
        hit.score,
        highlighted(&hit.snippet, color)
    );
    // Searching by meaning: what found the answer when it was not the words as typed.
    let synonyms: Vec<String> = hit
        .matched
        .iter()
        .filter_map(|found| {
            let of = found.synonym_of.as_ref()?;
            Some(format!("{} (for {of})", found.word))
        })
        .collect();
    if !synonyms.is_empty() {
        lines.push_str(&format!("  synonyms: {}\n", synonyms.join(", ")));
    }
    for concept in &hit.concepts {
        lines.push_str(&format!("  {} ({})\n", concept.marker(), why(concept)));
    }
    lines
}

/// Why a query word names a category, in a few words.
fn why(concept: &ConceptHit) -> String {
    let word = &concept.query_word;
    if concept.via == *word {
        format!("{word} is in its label")
    } else {
        format!("{word}: its synonym {} is in the label", concept.via)
    }
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
