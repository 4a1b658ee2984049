//! Starter schemes for a new survey (`jiyu init`): from the answers of a question, a scheme file
//! with candidate categories that a person edits rather than writes from a blank page.
//!
//! The candidates come from the answers' words. Each answer's content nouns are taken as
//! [`crate::suggest::content_words`] takes them (base forms, no stop words, no one-character
//! words), less a few nouns every survey uses (必要, 対応, 仕事 …) and adverbial nouns. A noun
//! found in at least two answers and in at most 15 % of them is a candidate (the most frequent
//! 60): one in more answers is the question's own topic (テレワーク in a telework survey) and
//! sorts nothing. Candidates are clustered by co-occurrence — average-linkage agglomeration on
//! the Jaccard similarity of the sets of answers they occur in, merging while the closest two
//! clusters are at least 0.2 alike. The clusters that reach the most answers not yet reached
//! become categories, greedily, up to eight (at least five when there are five clusters that
//! reach any new answer). Every other candidate joins the category whose answers it shares
//! most (Jaccard), or is listed in a comment when it shares none. Each category's rule is its
//! words joined by `|`; its examples are answers the scheme as written gives it as their
//! primary category, so `jiyu rules test` passes on the file as written.
//!
//! The same answers always give the same bytes: every choice is ordered by counts and then by
//! the words themselves, never by a hash.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::analyze::Analyzer;
use crate::classify::is_no_answer;
use crate::error::{Error, Result};
use crate::input::Answer;
use crate::normalize::normalize;
use crate::output::write_atomically;
use crate::rules::expr::Program;
use crate::rules::scheme::{Category, Scheme};
use crate::suggest::content_words;

/// Nouns that occur in the answers of any survey and name no topic of their own.
const GENERIC_NOUNS: &[&str] = &[
    "必要",
    "対応",
    "仕事",
    "業務",
    "場合",
    "問題",
    "課題",
    "状況",
    "自分",
    "今後",
    "現在",
    "部分",
    "内容",
    "関係",
    "全体",
    "方法",
    "状態",
    "気持ち",
    "以上",
    "以外",
    "可能",
    "利用",
    "使用",
    "実施",
    "検討",
];

/// How the candidate categories are found.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// At most this many categories.
    pub max_categories: usize,
    /// At least this many, when enough clusters reach an answer no other category reaches.
    pub min_categories: usize,
    /// Candidate words: the most frequent this many.
    pub max_candidates: usize,
    /// A word in more than this share of the answers is the question's topic, not a category's.
    pub max_share: f64,
    /// Clusters merge while their average Jaccard similarity is at least this.
    pub merge_similarity: f64,
    /// At most this many words in one category's rule.
    pub max_words: usize,
    /// Examples per category.
    pub examples: usize,
}

impl Default for InitOptions {
    fn default() -> InitOptions {
        InitOptions {
            max_categories: 8,
            min_categories: 5,
            max_candidates: 60,
            max_share: 0.15,
            merge_similarity: 0.2,
            max_words: 12,
            examples: 3,
        }
    }
}

/// The answers of one question, in input order.
#[derive(Debug, Clone)]
pub struct QuestionAnswers {
    pub question: String,
    pub texts: Vec<String>,
}

/// Groups answers by question, questions in order of first appearance; blank answers are left
/// out.
pub fn group_by_question<I>(answers: I) -> Result<Vec<QuestionAnswers>>
where
    I: Iterator<Item = Result<Answer>>,
{
    let mut questions: Vec<QuestionAnswers> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for answer in answers {
        let answer = answer?;
        if answer.text.trim().is_empty() {
            continue;
        }
        let at = *index.entry(answer.question.clone()).or_insert_with(|| {
            questions.push(QuestionAnswers {
                question: answer.question.clone(),
                texts: Vec::new(),
            });
            questions.len() - 1
        });
        questions[at].texts.push(answer.text);
    }
    Ok(questions)
}

/// A word and the number of answers it occurs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordCount {
    pub word: String,
    pub answers: usize,
}

/// One candidate category of a starter scheme.
#[derive(Debug, Clone)]
pub struct StarterCategory {
    pub id: String,
    pub label: String,
    /// The cluster's words, most frequent first.
    pub words: Vec<WordCount>,
    /// Words that joined because they share answers with the cluster.
    pub joined: Vec<WordCount>,
    /// Answers its rule matches, under the scheme as written.
    pub reach: usize,
    /// Answers it is the primary category of, under the scheme as written.
    pub primary: usize,
    pub examples: Vec<String>,
}

/// A starter scheme for one question: what was found, and the scheme file's text.
#[derive(Debug, Clone)]
pub struct StarterScheme {
    pub question: String,
    pub scheme_id: String,
    /// The file name it is written to: the question, made safe for a file name, `.toml`.
    pub file_name: String,
    /// Non-blank answers.
    pub answers: usize,
    /// Of those, non-answers (特になし …), which are not clustered.
    pub non_answers: usize,
    /// Answers (non-answers aside) that some category's rule matches.
    pub sorted: usize,
    pub categories: Vec<StarterCategory>,
    /// Words in more than `max_share` of the answers, left out as the question's topic.
    pub topic_words: Vec<WordCount>,
    /// Candidate words no category took.
    pub unplaced: Vec<WordCount>,
    /// The scheme file.
    pub text: String,
}

/// Builds the starter scheme of one question from its answers.
pub fn starter_scheme(
    analyzer: &Analyzer,
    question: &str,
    texts: &[String],
    options: &InitOptions,
) -> Result<StarterScheme> {
    let excluded: BTreeSet<String> = content_words(&analyzer.analyze(question).tokens)
        .into_iter()
        .collect();
    // The content nouns of every answer that is not a non-answer.
    let mut answers: Vec<(&str, BTreeSet<String>)> = Vec::new();
    let mut non_answers = 0;
    for text in texts {
        let analysis = analyzer.analyze(text);
        if is_no_answer(&analysis.normalized.text) {
            non_answers += 1;
            continue;
        }
        let nouns: Vec<_> = analysis
            .tokens
            .iter()
            .filter(|token| {
                token.pos.starts_with("名詞") && !token.pos.starts_with("名詞,副詞可能")
            })
            .cloned()
            .collect();
        let words: BTreeSet<String> = content_words(&nouns)
            .into_iter()
            .filter(|word| {
                !GENERIC_NOUNS.contains(&word.as_str())
                    && !excluded.contains(word)
                    && is_rule_word(word)
            })
            .collect();
        answers.push((text.as_str(), words));
    }

    // In which answers each word occurs.
    let mut occurrences: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (index, (_, words)) in answers.iter().enumerate() {
        for word in words {
            occurrences.entry(word.as_str()).or_default().insert(index);
        }
    }
    let most = ((answers.len() as f64 * options.max_share).floor() as usize).max(3);
    let mut by_frequency: Vec<(&str, usize)> = occurrences
        .iter()
        .map(|(word, found)| (*word, found.len()))
        .filter(|&(_, count)| count >= 2)
        .collect();
    by_frequency.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let topic_words: Vec<WordCount> = by_frequency
        .iter()
        .filter(|&&(_, count)| count > most)
        .map(|&(word, count)| word_count(word, count))
        .collect();
    let candidates: Vec<&str> = by_frequency
        .iter()
        .filter(|&&(_, count)| count <= most)
        .take(options.max_candidates)
        .map(|&(word, _)| word)
        .collect();
    let sets: Vec<&BTreeSet<usize>> = candidates.iter().map(|word| &occurrences[word]).collect();

    let clusters = cluster(&sets, options.merge_similarity);
    let chosen = choose(&clusters, &sets, options);
    // Every other candidate joins the chosen cluster whose answers it shares most.
    let reaches: Vec<BTreeSet<usize>> =
        chosen.iter().map(|members| reach(members, &sets)).collect();
    let mut joined: Vec<Vec<usize>> = vec![Vec::new(); chosen.len()];
    let mut unplaced = Vec::new();
    let taken: BTreeSet<usize> = chosen.iter().flatten().copied().collect();
    for word in (0..candidates.len()).filter(|word| !taken.contains(word)) {
        let best = reaches
            .iter()
            .enumerate()
            .map(|(index, answers)| (jaccard(sets[word], answers), index))
            .filter(|&(similarity, index)| {
                similarity > 0.0 && chosen[index].len() + joined[index].len() < options.max_words
            })
            .fold(None, |best: Option<(f64, usize)>, item| match best {
                Some(best) if best.0 >= item.0 => Some(best),
                _ => Some(item),
            });
        match best {
            Some((_, index)) => joined[index].push(word),
            None => unplaced.push(word_count(candidates[word], sets[word].len())),
        }
    }

    let mut categories: Vec<StarterCategory> = chosen
        .iter()
        .zip(&joined)
        .enumerate()
        .map(|(index, (members, joined))| {
            let words: Vec<WordCount> = members
                .iter()
                .map(|&word| word_count(candidates[word], sets[word].len()))
                .collect();
            let joined: Vec<WordCount> = joined
                .iter()
                .map(|&word| word_count(candidates[word], sets[word].len()))
                .collect();
            let label = words
                .iter()
                .chain(&joined)
                .take(3)
                .map(|word| word.word.as_str())
                .collect::<Vec<_>>()
                .join("・");
            StarterCategory {
                id: format!("topic-{}", index + 1),
                label,
                words,
                joined,
                reach: 0,
                primary: 0,
                examples: Vec::new(),
            }
        })
        .collect();

    // Classify the answers with the scheme as written: how many it sorts, and which answers
    // each category is the primary category of.
    let scheme = compile(analyzer, question, &categories)?;
    let mut sorted = 0;
    let mut primaries: Vec<Vec<(usize, &str)>> = vec![Vec::new(); categories.len()];
    let mut reached = vec![0; categories.len()];
    for (text, _) in &answers {
        let matches = scheme.matches(&analyzer.analyze(text), text);
        for found in &matches {
            reached[found.category] += 1;
        }
        if let Some(first) = matches.first() {
            sorted += 1;
            let distinct: BTreeSet<&str> = first
                .evidence
                .iter()
                .map(|evidence| evidence.term.as_str())
                .collect();
            primaries[first.category].push((distinct.len().min(2), text));
        }
    }
    for ((category, candidates), reached) in categories.iter_mut().zip(primaries).zip(reached) {
        category.reach = reached;
        category.primary = candidates.len();
        category.examples = pick_examples(candidates, options.examples);
    }

    let scheme_id = scheme_id(question);
    let mut starter = StarterScheme {
        question: question.to_string(),
        file_name: format!("{}.toml", file_stem(question)),
        scheme_id,
        answers: texts.len(),
        non_answers,
        sorted,
        categories,
        topic_words,
        unplaced,
        text: String::new(),
    };
    starter.text = render(&starter, options);
    Ok(starter)
}

fn word_count(word: &str, answers: usize) -> WordCount {
    WordCount {
        word: word.to_string(),
        answers,
    }
}

fn jaccard(a: &BTreeSet<usize>, b: &BTreeSet<usize>) -> f64 {
    let both = a.intersection(b).count();
    let either = a.len() + b.len() - both;
    if either == 0 {
        0.0
    } else {
        both as f64 / either as f64
    }
}

/// Average-linkage clustering of the words (indices into `sets`) on the Jaccard similarity of
/// their answer sets, merging while the closest two clusters are at least `threshold` alike.
/// Each cluster lists its words in candidate order (most frequent first); clusters come in the
/// order of their first word.
fn cluster(sets: &[&BTreeSet<usize>], threshold: f64) -> Vec<Vec<usize>> {
    let similarity: Vec<Vec<f64>> = sets
        .iter()
        .map(|a| sets.iter().map(|b| jaccard(a, b)).collect())
        .collect();
    let mut clusters: Vec<Vec<usize>> = (0..sets.len()).map(|word| vec![word]).collect();
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for i in 0..clusters.len() {
            for j in i + 1..clusters.len() {
                let total: f64 = clusters[i]
                    .iter()
                    .flat_map(|&a| clusters[j].iter().map(move |&b| (a, b)))
                    .map(|(a, b)| similarity[a][b])
                    .sum();
                let average = total / (clusters[i].len() * clusters[j].len()) as f64;
                if best.is_none_or(|(best, _, _)| average > best) {
                    best = Some((average, i, j));
                }
            }
        }
        match best {
            Some((average, i, j)) if average >= threshold => {
                let merged = clusters.remove(j);
                clusters[i].extend(merged);
                clusters[i].sort_unstable();
            }
            _ => break,
        }
    }
    clusters
}

/// The answers in which a word of `members` occurs.
fn reach(members: &[usize], sets: &[&BTreeSet<usize>]) -> BTreeSet<usize> {
    members
        .iter()
        .flat_map(|&word| sets[word].iter().copied())
        .collect()
}

/// The clusters that become categories: each time the one that reaches the most answers no
/// chosen cluster reaches yet (then the one that reaches most answers in all, then the earlier).
fn choose(
    clusters: &[Vec<usize>],
    sets: &[&BTreeSet<usize>],
    options: &InitOptions,
) -> Vec<Vec<usize>> {
    let reaches: Vec<BTreeSet<usize>> = clusters
        .iter()
        .map(|members| reach(members, sets))
        .collect();
    let mut reached: BTreeSet<usize> = BTreeSet::new();
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < options.max_categories {
        let best = (0..clusters.len())
            .filter(|index| !chosen.contains(index))
            .map(|index| {
                let new = reaches[index].difference(&reached).count();
                (new, reaches[index].len(), index)
            })
            .fold(
                None,
                |best: Option<(usize, usize, usize)>, item| match best {
                    Some(best) if (best.0, best.1) >= (item.0, item.1) => Some(best),
                    _ => Some(item),
                },
            );
        let Some((new, _, index)) = best else {
            break;
        };
        if new == 0 || (new < 2 && chosen.len() >= options.min_categories) {
            break;
        }
        chosen.push(index);
        reached.extend(reaches[index].iter().copied());
    }
    chosen
        .into_iter()
        .map(|index| clusters[index].clone())
        .collect()
}

/// The rule of a category: its words, then the words that joined it.
fn rule_source(category: &StarterCategory) -> String {
    let words = |words: &[WordCount]| {
        words
            .iter()
            .map(|word| word.word.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    if category.joined.is_empty() {
        words(&category.words)
    } else {
        format!("{} | {}", words(&category.words), words(&category.joined))
    }
}

/// The scheme as the file says it, compiled, to classify the answers with.
fn compile(analyzer: &Analyzer, question: &str, categories: &[StarterCategory]) -> Result<Scheme> {
    let rules: Vec<(String, String)> = categories
        .iter()
        .map(|category| (category.id.clone(), rule_source(category)))
        .collect();
    let program = Program::compile(analyzer, &rules)
        .map_err(|err| Error::Rules(format!("starter scheme of {question}: {err}")))?;
    Ok(Scheme {
        id: scheme_id(question),
        title: question.to_string(),
        questions: vec![question.to_string()],
        categories: categories
            .iter()
            .zip(rules)
            .map(|(category, (id, rule))| Category {
                id,
                label: category.label.clone(),
                rule,
                priority: 0,
                examples: Vec::new(),
                counter_examples: Vec::new(),
                parent: None,
            })
            .collect(),
        groups: Vec::new(),
        source: format!("starter scheme of {question}"),
        program,
        warnings: Vec::new(),
        no_answer: None,
    })
}

/// Up to `count` examples among the answers a category is primary for: those with two distinct
/// matched words first, then a readable length (10–60 characters), then input order; one of
/// each text.
fn pick_examples(mut candidates: Vec<(usize, &str)>, count: usize) -> Vec<String> {
    let length_cost = |text: &str| {
        let length = text.chars().count();
        if length < 10 {
            10 - length
        } else {
            length.saturating_sub(60)
        }
    };
    // A stable sort keeps input order among equals.
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(length_cost(a.1).cmp(&length_cost(b.1))));
    let mut examples: Vec<String> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (_, text) in candidates {
        if examples.len() == count {
            break;
        }
        if seen.insert(normalize(text).text.trim().to_string()) {
            examples.push(text.to_string());
        }
    }
    examples
}

/// Whether `word` can stand in a rule as a bare word: no white space, no character the rule
/// language reads as an operator, and not one of its keywords.
fn is_rule_word(word: &str) -> bool {
    const RESERVED: [&str; 7] = ["and", "or", "not", "near", "seq", "neg", "pos"];
    !word.is_empty()
        && !RESERVED.contains(&word.to_ascii_lowercase().as_str())
        && word.chars().all(|ch| {
            !ch.is_whitespace()
                && !ch.is_control()
                && !"&|!(),:#@\"/'＆｜！（），：＃＠＂“”".contains(ch)
        })
}

/// A scheme id from a question: lower-case ASCII letters and digits, other runs as `-`
/// (`Q6-1` → `q6-1`); `question` when nothing is left.
pub fn scheme_id(question: &str) -> String {
    let mut id = String::new();
    for ch in question.chars() {
        if ch.is_ascii_alphanumeric() {
            id.push(ch.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    if id.is_empty() {
        "question".to_string()
    } else {
        id.to_string()
    }
}

/// A file name (without extension) from a question: the question with characters that file
/// systems refuse (path separators, `<>:"|?*`, control characters) and white space as `_`.
pub fn file_stem(question: &str) -> String {
    let stem: String = question
        .trim()
        .chars()
        .map(|ch| {
            if ch.is_control() || ch.is_whitespace() || "/\\<>:\"|?*".contains(ch) {
                '_'
            } else {
                ch
            }
        })
        .collect();
    let stem = stem.trim_start_matches('.');
    if stem.is_empty() {
        "question".to_string()
    } else {
        stem.to_string()
    }
}

/// `text` as a TOML basic string, quotes included.
fn toml_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for ch in text.chars() {
        match ch {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            ch if ch.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", ch as u32);
            }
            ch => quoted.push(ch),
        }
    }
    quoted.push('"');
    quoted
}

/// `words` as `word (count)`, comma-separated.
fn word_list(words: &[WordCount]) -> String {
    words
        .iter()
        .map(|word| format!("{} ({})", word.word, word.answers))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rule words joined by ` | `, at most eight on a line.
fn rule_lines(words: &[WordCount], first: bool) -> String {
    let mut out = String::new();
    for (index, chunk) in words.chunks(8).enumerate() {
        let lead = if first && index == 0 { "  " } else { "  | " };
        let line = chunk
            .iter()
            .map(|word| word.word.as_str())
            .collect::<Vec<_>>()
            .join(" | ");
        let _ = writeln!(out, "{lead}{line}");
    }
    out
}

/// The scheme file: TOML with comments that say what to edit.
fn render(starter: &StarterScheme, options: &InitOptions) -> String {
    let mut out = String::new();
    let clustered = starter.answers - starter.non_answers;
    let _ = writeln!(
        out,
        "# A starter scheme for {}, written by `jiyu init` from its {} answers",
        starter.question, starter.answers
    );
    let _ = writeln!(
        out,
        "# ({} non-answers such as 特になし left out: jiyu gives them `no-answer` by itself).",
        starter.non_answers
    );
    let _ = writeln!(
        out,
        "# The categories are guesses: groups of nouns that occur in the same answers. As written,\n\
         # the rules sort {} of the other {} answers. Make it yours:\n\
         #   1. read each category's examples; give it a `label` (the report's heading) and an `id`\n\
         #      (a-z, 0-9 and -) that say what it is about, and the scheme a `title`;\n\
         #   2. merge categories that are one topic, split one that mixes two, drop words that do\n\
         #      not belong, add the words your respondents use for the same thing;\n\
         #   3. check: `jiyu rules check DIR`, `jiyu rules test DIR` (every example must get its\n\
         #      category first), `jiyu suggest` (the words of answers no rule sorts) and\n\
         #      `jiyu eval --gold FILE` on answers you labeled yourself.\n\
         # The rule language (words, \"literals\", &, |, !, near(), neg(), @category …) is described\n\
         # in the README of jiyu's rules directory.",
        starter.sorted, clustered
    );
    out.push('\n');
    let _ = writeln!(out, "[scheme]");
    let _ = writeln!(out, "id = {}", toml_string(&starter.scheme_id));
    let _ = writeln!(
        out,
        "title = {}   # the question as the report titles it: write its wording",
        toml_string(&starter.question)
    );
    let _ = writeln!(out, "questions = [{}]", toml_string(&starter.question));
    if starter.categories.is_empty() {
        let _ = writeln!(
            out,
            "\n# No noun occurs in two of these answers, so there is nothing to group: write the\n\
             # categories by hand, one block each:\n\
             #\n\
             # [[category]]\n\
             # id = \"a-topic\"\n\
             # label = \"見出し\"\n\
             # rule = '''\n\
             #   word | other-word\n\
             # '''\n\
             # examples = [\"an answer that must get this category first\"]"
        );
    }
    for category in &starter.categories {
        out.push('\n');
        let _ = writeln!(
            out,
            "# {} answers contain one of these words; {} of them get this category first.",
            category.reach, category.primary
        );
        let _ = writeln!(out, "[[category]]");
        let _ = writeln!(
            out,
            "id = {}   # rename: what the answers are about",
            toml_string(&category.id)
        );
        let _ = writeln!(
            out,
            "label = {}   # rename: the report's heading",
            toml_string(&category.label)
        );
        let _ = writeln!(out, "rule = '''");
        let _ = writeln!(out, "  # words that occur together in answers");
        out.push_str(&rule_lines(&category.words, true));
        if !category.joined.is_empty() {
            let _ = writeln!(out, "  # words that often come with them");
            out.push_str(&rule_lines(&category.joined, false));
        }
        let _ = writeln!(out, "'''");
        if category.examples.is_empty() {
            let _ = writeln!(
                out,
                "examples = []   # no answer gets it first: merge it into another category?"
            );
        } else {
            let _ = writeln!(
                out,
                "# Answers it sorts first. Keep the ones that belong here: `jiyu rules test` checks them."
            );
            let _ = writeln!(out, "examples = [");
            for example in &category.examples {
                let _ = writeln!(out, "  {},", toml_string(example));
            }
            let _ = writeln!(out, "]");
        }
    }
    if !starter.unplaced.is_empty() || !starter.topic_words.is_empty() {
        out.push('\n');
    }
    if !starter.unplaced.is_empty() {
        let _ = writeln!(
            out,
            "# Frequent words no category took (answers): {}",
            word_list(&starter.unplaced)
        );
    }
    if !starter.topic_words.is_empty() {
        let _ = writeln!(
            out,
            "# Words in more than {:.0} % of the answers, left out as the question's own topic: {}",
            options.max_share * 100.0,
            word_list(&starter.topic_words)
        );
    }
    out
}

/// Writes one starter scheme per question into `dir` (created when missing). An existing file
/// is replaced only with `force`; without it, nothing is written when any file exists. Each
/// file is written whole or not at all.
pub fn write_starter_schemes(
    dir: &Path,
    schemes: &[StarterScheme],
    force: bool,
) -> Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for scheme in schemes {
        let mut path = dir.join(&scheme.file_name);
        // Two questions whose names differ only in characters a file name cannot hold.
        let mut n = 2;
        while paths.contains(&path) {
            path = dir.join(format!("{}-{n}.toml", file_stem(&scheme.question)));
            n += 1;
        }
        paths.push(path);
    }
    if !force {
        let existing: Vec<String> = paths
            .iter()
            .filter(|path| path.exists())
            .map(|path| path.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(Error::Usage(format!(
                "{} already exists; nothing was written (give --force to replace it, or --out \
                 another directory)",
                existing.join(", ")
            )));
        }
    }
    std::fs::create_dir_all(dir).map_err(|err| Error::io(dir, err))?;
    for (scheme, path) in schemes.iter().zip(&paths) {
        write_atomically(path, |out| {
            out.write_all(scheme.text.as_bytes())
                .map_err(|err| Error::io(path, err))
        })?;
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_ids_and_file_names_come_from_the_question() {
        assert_eq!(scheme_id("Q6-1"), "q6-1");
        assert_eq!(scheme_id("Q5 テレワークの課題"), "q5");
        assert_eq!(scheme_id("自由記述"), "question");
        assert_eq!(file_stem("Q6-1"), "Q6-1");
        assert_eq!(file_stem("Q5 テレワーク/課題"), "Q5_テレワーク_課題");
        assert_eq!(file_stem("../x"), "_x");
    }

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_control_characters() {
        assert_eq!(toml_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(toml_string("一行目\n二行目"), r#""一行目\n二行目""#);
        let parsed: toml::Value =
            toml::from_str(&format!("x = {}", toml_string("\u{1}\t\"引用\""))).unwrap();
        assert_eq!(parsed["x"].as_str(), Some("\u{1}\t\"引用\""));
    }

    #[test]
    fn rule_words_exclude_operators_and_keywords() {
        assert!(is_rule_word("VPN"));
        assert!(is_rule_word("押印"));
        assert!(!is_rule_word("near"));
        assert!(!is_rule_word("A&B"));
        assert!(!is_rule_word("a/b"));
    }
}
