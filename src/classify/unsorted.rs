//! Questions that no scheme sorts. Their answers are output with no category (only
//! `no-answer` for a non-answer), which is easy to miss: rules from another directory than
//! meant, or a scheme whose `questions` lack a column. [`UnsortedCheck`] watches the answers as
//! they stream past, so `classify`, `report` and `index` can warn afterwards — or, strict, stop
//! before anything is written.

use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::input::Answer;
use crate::rules::scheme::RuleSet;

/// The questions of an input that no scheme sorts, in order of first appearance, with their
/// answers.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Unsorted {
    pub questions: Vec<(String, usize)>,
}

impl Unsorted {
    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    fn add(&mut self, question: &str) {
        match self
            .questions
            .iter_mut()
            .find(|(known, _)| known == question)
        {
            Some((_, answers)) => *answers += 1,
            None => self.questions.push((question.to_string(), 1)),
        }
    }

    /// What to tell the user: which questions (with their answers) no scheme of `rules`
    /// sorts, and how to fix it.
    pub fn message(&self, rules: &RuleSet) -> String {
        let listed: Vec<String> = self
            .questions
            .iter()
            .map(|(question, answers)| {
                format!(
                    "{question} ({answers} answer{})",
                    if *answers == 1 { "" } else { "s" }
                )
            })
            .collect();
        let first = self
            .questions
            .first()
            .map_or("Q1", |(question, _)| question.as_str());
        let mut sorted: Vec<&str> = rules
            .schemes
            .iter()
            .flat_map(|scheme| scheme.questions.iter().map(String::as_str))
            .collect();
        sorted.sort_by(|a, b| crate::text::natural_cmp(a, b));
        format!(
            "no scheme of {} sorts {}: their answers get no category. The rules sort {}; give \
             the rules for these questions with --rules DIR, or add a scheme file with \
             questions = [\"{first}\"] to the rules directory",
            rules.name(),
            listed.join(", "),
            if sorted.is_empty() {
                "no question".to_string()
            } else {
                sorted.join(", ")
            }
        )
    }
}

/// An iterator of answers that passes them on unchanged and notes the questions no scheme of
/// `rules` sorts. `strict`: once the input is exhausted, if there were any, it yields one error
/// naming them all, after the last answer — the pipelines stop on it before writing or
/// committing anything.
pub struct UnsortedCheck<'a, I> {
    answers: I,
    rules: &'a RuleSet,
    found: &'a Mutex<Unsorted>,
    strict: bool,
    finished: bool,
}

impl<'a, I> UnsortedCheck<'a, I> {
    /// Watches `answers`; the questions found accumulate in `found`.
    pub fn new(answers: I, rules: &'a RuleSet, found: &'a Mutex<Unsorted>, strict: bool) -> Self {
        UnsortedCheck {
            answers,
            rules,
            found,
            strict,
            finished: false,
        }
    }
}

impl<I> Iterator for UnsortedCheck<'_, I>
where
    I: Iterator<Item = Result<Answer>>,
{
    type Item = Result<Answer>;

    fn next(&mut self) -> Option<Result<Answer>> {
        if self.finished {
            return None;
        }
        match self.answers.next() {
            Some(Ok(answer)) => {
                if self.rules.scheme_for(&answer.question).is_none() {
                    lock(self.found).add(&answer.question);
                }
                Some(Ok(answer))
            }
            Some(Err(err)) => {
                self.finished = true;
                Some(Err(err))
            }
            None => {
                self.finished = true;
                let found = lock(self.found);
                (self.strict && !found.is_empty()).then(|| {
                    Err(Error::Rules(format!(
                        "{} (--strict)",
                        found.message(self.rules)
                    )))
                })
            }
        }
    }
}

/// The list, even if a thread panicked while holding it (it is only ever appended to).
fn lock(found: &Mutex<Unsorted>) -> std::sync::MutexGuard<'_, Unsorted> {
    found
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
