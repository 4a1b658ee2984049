//! The classify pipeline: streams answers through the classifier in parallel chunks, keeps
//! input order ([`map_in_order`], which the index build shares too), applies the staff's
//! overrides, and counts categories per question for the summary table, with the answers that
//! need review and the labels the model gave.

use std::sync::mpsc::sync_channel;

use indicatif::ProgressBar;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analyze::Analysis;
use crate::classify::{Basis, Classification, Classifier, NO_ANSWER, REVIEW_BELOW};
use crate::error::Result;
use crate::input::Answer;
use crate::overrides::Overrides;
use crate::rules::scheme::UNCLASSIFIED;
use crate::wording::{agree, counted};

/// Answers handled together: enough to keep every core busy, few enough that memory stays
/// flat however long the input is.
const CHUNK: usize = 4096;

/// Chunks waiting between two stages: the reader may run this far ahead of the workers, and
/// the workers this far ahead of the sink.
const CHUNKS_IN_FLIGHT: usize = 2;

/// An answer with its categories.
#[derive(Debug, Clone)]
pub struct Classified {
    pub answer: Answer,
    pub classification: Classification,
    /// True when the categories come from an overrides file, not from the rules.
    pub overridden: bool,
}

/// Classifies every answer of `answers` and hands them to `sink` in input order.
pub fn classify_stream<I, F>(
    answers: I,
    classifier: &Classifier,
    progress: &ProgressBar,
    sink: F,
) -> Result<()>
where
    I: Iterator<Item = Result<Answer>> + Send,
    F: FnMut(Classified) -> Result<()>,
{
    classify_stream_with(answers, classifier, None, progress, sink)
}

/// [`classify_stream`], with the labels of `overrides` replacing jiyu's for the answers they
/// name. An override whose id never came by is an error once the input is exhausted, after
/// `sink` has seen every answer: a caller writing through
/// [`crate::output::write_atomically`] then leaves no output behind.
pub fn classify_stream_with<I, F>(
    answers: I,
    classifier: &Classifier,
    overrides: Option<&Overrides>,
    progress: &ProgressBar,
    mut sink: F,
) -> Result<()>
where
    I: Iterator<Item = Result<Answer>> + Send,
    F: FnMut(Classified) -> Result<()>,
{
    classify_stream_extracting(
        answers,
        classifier,
        overrides,
        progress,
        |_, _| (),
        |item, ()| sink(item),
    )
}

/// [`classify_stream_with`], with `extract` also run on each answer and its analysis on the
/// classifying threads (the answer is analyzed once for both), and its result handed to `sink`
/// beside the classified answer.
pub fn classify_stream_extracting<I, X, E, F>(
    answers: I,
    classifier: &Classifier,
    overrides: Option<&Overrides>,
    progress: &ProgressBar,
    extract: E,
    mut sink: F,
) -> Result<()>
where
    I: Iterator<Item = Result<Answer>> + Send,
    X: Send,
    E: Fn(&Answer, &Analysis) -> X + Sync,
    F: FnMut(Classified, X) -> Result<()>,
{
    let mut session = overrides.map(Overrides::session);
    map_in_order(
        answers,
        |answer| {
            let analysis = classifier.analyzer.analyze(&answer.text);
            let classification =
                classifier.classify_analysis(&answer.question, &answer.text, &analysis);
            let extracted = extract(&answer, &analysis);
            (
                Classified {
                    answer,
                    classification,
                    overridden: false,
                },
                extracted,
            )
        },
        progress,
        |(mut item, extracted)| {
            // In input order, on one thread: applying is a lookup, and the session must see
            // every id to tell which the input lacked.
            if let Some(session) = session.as_mut() {
                session.apply(&mut item, &classifier.rules)?;
            }
            sink(item, extracted)
        },
    )?;
    if let Some(session) = session {
        session.finish()?;
    }
    Ok(())
}

/// Runs `work` on every answer on rayon's threads and hands the results to `sink` on the
/// calling thread, in input order.
///
/// Three stages overlap: a reader thread parses the next chunks of input, a chunk is spread
/// over the cores, and the calling thread sinks the chunk before it. Reading and writing are
/// serial work; done in turn with the parallel part they left cores idle (the profile of
/// `classify` showed one core of two busy during them). A read error reaches `sink`'s caller
/// in its place in the input, after every answer before it has been sunk; an error of `sink`
/// stops the other stages.
pub(crate) fn map_in_order<I, T, W, S>(
    answers: I,
    work: W,
    progress: &ProgressBar,
    mut sink: S,
) -> Result<()>
where
    I: Iterator<Item = Result<Answer>> + Send,
    T: Send,
    W: Fn(Answer) -> T + Sync,
    S: FnMut(T) -> Result<()>,
{
    std::thread::scope(|scope| {
        let (chunk_sender, chunks) = sync_channel::<Result<Vec<Answer>>>(CHUNKS_IN_FLIGHT);
        let (result_sender, results) = sync_channel::<Result<Vec<T>>>(CHUNKS_IN_FLIGHT);
        scope.spawn(move || {
            let mut answers = answers;
            loop {
                // Sized up front: grown by collect, the vector was reallocated several times
                // a chunk, each time on fresh pages.
                let mut read = Vec::with_capacity(CHUNK);
                let mut failure = None;
                for answer in answers.by_ref().take(CHUNK) {
                    match answer {
                        Ok(answer) => read.push(answer),
                        Err(err) => {
                            failure = Some(err);
                            break;
                        }
                    }
                }
                let chunk = failure.map_or(Ok(read), Err);
                let done = chunk.as_ref().map_or(true, |chunk| chunk.len() < CHUNK);
                let empty = chunk.as_ref().is_ok_and(Vec::is_empty);
                // A closed channel means a later stage stopped on an error: stop reading.
                if (!empty && chunk_sender.send(chunk).is_err()) || done {
                    break;
                }
            }
        });
        let work = &work;
        scope.spawn(move || {
            for chunk in chunks {
                let results = chunk.map(|chunk| chunk.into_par_iter().map(work).collect());
                if result_sender.send(results).is_err() {
                    break;
                }
            }
        });
        for results in results {
            let results = results?;
            progress.inc(results.len() as u64);
            for result in results {
                sink(result)?;
            }
        }
        Ok(())
    })
}

/// Category counts per question, and per question the answers whose confidence is below
/// [`REVIEW_BELOW`] (要確認) and those whose primary category the model gave.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Questions in order of first appearance.
    pub questions: Vec<QuestionSummary>,
    /// Looked up for every answer: FxHash, as for the tokens.
    index: FxHashMap<String, usize>,
}

#[derive(Debug, Clone)]
pub struct QuestionSummary {
    pub question: String,
    pub scheme: Option<String>,
    /// Number of answers.
    pub answers: usize,
    /// Answers whose categories contain each category id.
    pub counts: FxHashMap<String, usize>,
    /// Answers whose categories came from an overrides file.
    pub overridden: usize,
    /// Answers whose confidence is below [`REVIEW_BELOW`]
    /// ([`Classification::needs_review`]).
    pub needs_review: usize,
    /// Answers whose primary category the model gave ([`Basis::Model`]).
    pub from_model: usize,
}

impl Summary {
    pub fn add(&mut self, item: &Classified) {
        let question = &item.answer.question;
        let index = match self.index.get(question) {
            Some(&index) => index,
            None => {
                self.questions.push(QuestionSummary {
                    question: question.clone(),
                    scheme: item.classification.scheme.clone(),
                    answers: 0,
                    counts: FxHashMap::default(),
                    overridden: 0,
                    needs_review: 0,
                    from_model: 0,
                });
                self.index
                    .insert(question.clone(), self.questions.len() - 1);
                self.questions.len() - 1
            }
        };
        let summary = &mut self.questions[index];
        summary.answers += 1;
        summary.overridden += usize::from(item.overridden);
        summary.needs_review += usize::from(item.classification.needs_review(REVIEW_BELOW));
        summary.from_model += usize::from(item.classification.basis == Basis::Model);
        for category in &item.classification.categories {
            match summary.counts.get_mut(category) {
                Some(count) => *count += 1,
                None => {
                    summary.counts.insert(category.clone(), 1);
                }
            }
        }
    }

    /// Answers of every question whose confidence is below [`REVIEW_BELOW`].
    pub fn needs_review(&self) -> usize {
        self.questions
            .iter()
            .map(|question| question.needs_review)
            .sum()
    }

    /// Answers of every question whose primary category the model gave.
    pub fn from_model(&self) -> usize {
        self.questions
            .iter()
            .map(|question| question.from_model)
            .sum()
    }

    /// A plain-text table: per question, each category's count and share of the answers; for a
    /// question a scheme sorts, a line with the answers that need review and the labels from the
    /// model; last, the totals of those two.
    pub fn render(&self, classifier: &Classifier) -> String {
        let mut out = String::new();
        for question in &self.questions {
            let scheme = classifier.rules.scheme_for(&question.question);
            out.push_str(&format!(
                "{}  ({}{}{})\n",
                question.question,
                counted(question.answers, "answer", "answers"),
                scheme.map_or(", no scheme".to_string(), |scheme| format!(
                    ", scheme {}",
                    scheme.id
                )),
                match question.overridden {
                    0 => String::new(),
                    n => format!(", {} from overrides", counted(n, "label", "labels")),
                }
            ));
            if scheme.is_some() || question.needs_review > 0 {
                out.push_str(&format!(
                    "  要確認 {} ({:.1}%) · model {} ({:.1}%)\n",
                    question.needs_review,
                    100.0 * question.needs_review as f64 / question.answers.max(1) as f64,
                    question.from_model,
                    100.0 * question.from_model as f64 / question.answers.max(1) as f64,
                ));
            }
            let mut ids: Vec<String> = scheme
                .map(|scheme| scheme.categories.iter().map(|c| c.id.clone()).collect())
                .unwrap_or_default();
            ids.push(UNCLASSIFIED.to_string());
            ids.push(NO_ANSWER.to_string());
            for id in ids {
                let count = question.counts.get(&id).copied().unwrap_or(0);
                if count == 0 && (id == UNCLASSIFIED || scheme.is_none()) {
                    continue;
                }
                let share = 100.0 * count as f64 / question.answers.max(1) as f64;
                out.push_str(&format!(
                    "  {:<22} {:>7} {:>6.1}%  {}\n",
                    id,
                    count,
                    share,
                    classifier.rules.label(scheme, &id)
                ));
            }
        }
        if !self.questions.is_empty() {
            out.push_str(&format!(
                "{} {} review (confidence below {REVIEW_BELOW}); {} from the model\n",
                counted(self.needs_review(), "answer", "answers"),
                agree(self.needs_review(), "needs", "need"),
                counted(self.from_model(), "label", "labels")
            ));
        }
        out
    }
}
