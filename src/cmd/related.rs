//! `jiyu related`: the synonyms and the co-occurring words of a word, to widen a search or a rule.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use jiyu::index::{open_index, related, Related, RelatedRequest};
use jiyu::{Error, Result};

use super::{print, AnalyzerArgs};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu related --index answers.idx コスト\n  \
    jiyu related --index answers.idx --json --limit 10 研修\n  \
    jiyu related --index answers.idx --question Q10-1 信頼   # within one question's answers\n\n\
    Synonyms: the words search by meaning adds to the word (the thesaurus: Sudachi's synonym\n\
    dictionary and dictionaries/synonyms.tsv), each with the answers it finds there.\n\
    Co-occurring words: the content words (nouns, verbs, adjectives; base forms) of the answers\n\
    that contain the word, ranked by the Jaccard coefficient over answers: answers with both ÷\n\
    answers with either (KH Coder's 関連語検索). --json prints one object: word, answers,\n\
    synonyms [{word, same_lexeme, group, answers}], cooccurring [{word, shared, answers,\n\
    jaccard}], sampled.")]
pub struct RelatedArgs {
    /// The index directory (built by `jiyu index`).
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// The word.
    #[arg(value_name = "WORD")]
    pub word: String,
    /// Co-occurring words to list.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Only words that share at least N answers with the word.
    #[arg(long = "min-shared", value_name = "N", default_value_t = 2)]
    pub min_shared: usize,
    /// Only the answers of this question count (repeat for several).
    #[arg(long, value_name = "Q")]
    pub question: Vec<String>,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: RelatedArgs) -> Result<i32> {
    let searcher = open_index(&args.index, Arc::new(args.analyzer.analyzer()?))?;
    let found = related(
        &searcher,
        &RelatedRequest {
            word: args.word.clone(),
            limit: args.limit,
            min_shared: args.min_shared,
            questions: args.question.clone(),
        },
    )?;
    let text = if args.json {
        serde_json::to_string(&jiyu::index::related::to_json(&found))
            .map_err(|err| Error::Usage(format!("cannot encode JSON: {err}")))?
            + "\n"
    } else {
        plain(&found)
    };
    print(&text)?;
    Ok(0)
}

fn plain(found: &Related) -> String {
    let mut out = format!(
        "{}: {} answer{}{}\n",
        found.word,
        found.answers,
        if found.answers == 1 { "" } else { "s" },
        if found.sampled {
            " (co-occurrences counted on the first answers, scaled)"
        } else {
            ""
        }
    );
    out.push_str("\nsynonyms (thesaurus; answers each finds):\n");
    if found.synonyms.is_empty() {
        out.push_str("  (none)\n");
    }
    let width = found
        .synonyms
        .iter()
        .map(|synonym| jiyu::text::display_width(&synonym.word))
        .max()
        .unwrap_or(0);
    for synonym in &found.synonyms {
        let pad = width - jiyu::text::display_width(&synonym.word);
        out.push_str(&format!(
            "  {}{}  {:>7}  {}{}\n",
            synonym.word,
            " ".repeat(pad),
            synonym.answers,
            synonym.source,
            if synonym.same_lexeme {
                ", another spelling"
            } else {
                ""
            }
        ));
    }
    out.push_str(
        "\nco-occurring words (Jaccard over answers; answers with both, with the word):\n",
    );
    if found.cooccurring.is_empty() {
        out.push_str("  (none)\n");
    }
    let width = found
        .cooccurring
        .iter()
        .map(|other| jiyu::text::display_width(&other.word))
        .max()
        .unwrap_or(0);
    for other in &found.cooccurring {
        let pad = width - jiyu::text::display_width(&other.word);
        out.push_str(&format!(
            "  {}{}  {:.3}  {:>7}  {:>7}\n",
            other.word,
            " ".repeat(pad),
            other.jaccard,
            other.shared,
            other.answers
        ));
    }
    out
}
