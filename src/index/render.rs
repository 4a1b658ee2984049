//! The results of a search as `jiyu search` prints them: text for a terminal
//! ([`search_text`]) and JSON Lines ([`search_json_lines`]); the concordance's text is
//! [`super::kwic::render`].

use crate::classify::rounded_confidence;
use crate::error::{Error, Result};

use super::highlight::{ConceptHit, Snippet};
use super::search::{SearchHit, SearchResults};

/// The results as JSON Lines (`jiyu search --json`): one object a hit (id, question, text,
/// categories, confidence to three decimals or null, basis, attributes, score, snippet, the
/// character ranges of its highlights, the words matched and the categories it was found
/// through), then with facets a last line of the total and the counts of categories and bases.
pub fn search_json_lines(results: &SearchResults) -> Result<String> {
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

/// The results as text (`jiyu search`): how many answers match, then per hit its id, question,
/// categories (the first with its confidence and basis), score and snippet (matches in bold red
/// when `color`), and what found it when searching by meaning; with facets the counts of
/// categories and bases of all matching answers.
pub fn search_text(results: &SearchResults, color: bool) -> String {
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
