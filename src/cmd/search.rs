//! `jiyu search`: finds answers in an index built by `jiyu index`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use jiyu::classify::{Basis, REVIEW_BELOW};
use jiyu::index::{check_below, open_index, parse_query, render, SearchRequest, SortBy};
use jiyu::rules::scheme::{read_outlines, RulesSource};
use jiyu::Result;

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
        render::search_json_lines(&results)?
    } else {
        render::search_text(&results, out.is_terminal())
    };
    out.write_all(text.as_bytes()).map_err(stdout_error)?;
    out.finish()?;
    Ok(0)
}
