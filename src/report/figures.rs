//! The heading and figures line of one question, the same in `report.html` and `report.md`:
//! its answers, the blank cells (無回答（空欄）, with their share of the respondents asked), the
//! non-answers (無回答・特になし), the unclassified answers, the answers that need review
//! (要確認), those the model labeled and those labeled by the overrides file, each with its
//! share of the question's answers.

use super::text::{count, percent_of, ratio};
use super::{QuestionReport, Report};
use crate::classify::Basis;

/// A count and its share of the question's answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    pub count: usize,
    /// `count` ÷ the question's answers (0 when there are none).
    pub share: f64,
}

impl Figure {
    fn of(count: usize, answers: usize) -> Figure {
        Figure {
            count,
            share: ratio(count, answers),
        }
    }

    /// The share as the report prints it: `22.6%`.
    pub fn percent(&self) -> String {
        percent_of(self.share)
    }
}

/// What the report shows at the top of a question.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionFigures {
    /// `Q6-1 特設サイト・支援サイトにあるとよい情報` (the question alone when it has no scheme
    /// title); not escaped.
    pub heading: String,
    /// Answers to the question, non-answers included: the whole that shares are taken of.
    pub answers: usize,
    /// The respondents asked the question (answers and blank cells); `None` when the input has
    /// no respondent rows (a long export or JSONL).
    pub respondents: Option<usize>,
    /// Respondents who left the cell blank, with their share of `respondents`; `None` with it.
    pub blank: Option<Figure>,
    /// Answers that are `no-answer`.
    pub no_answer: Figure,
    /// Answers that are `unclassified`; `None` for a question without a scheme.
    pub unclassified: Option<Figure>,
    /// Answers whose confidence is below the review threshold; `None` for a question without
    /// a scheme none of whose answers needs review.
    pub needs_review: Option<Figure>,
    /// Answers whose primary category the model gave; `None` without a model or for a
    /// question without a scheme.
    pub from_model: Option<Figure>,
    /// Answers labeled by the overrides file; `None` when no overrides file was applied.
    pub overridden: Option<Figure>,
}

/// The heading and figures of `question`, one of `report`'s questions.
pub fn question_figures(report: &Report, question: &QuestionReport) -> QuestionFigures {
    let answers = question.answers;
    let respondents = report.counts_blanks.then(|| question.respondents());
    QuestionFigures {
        heading: heading(question),
        answers,
        respondents,
        blank: respondents.map(|respondents| Figure::of(question.blank, respondents)),
        no_answer: Figure::of(question.count(crate::classify::NO_ANSWER), answers),
        unclassified: question
            .scheme
            .as_ref()
            .map(|_| Figure::of(question.count(crate::rules::scheme::UNCLASSIFIED), answers)),
        needs_review: (question.scheme.is_some() || question.needs_review > 0)
            .then(|| Figure::of(question.needs_review, answers)),
        from_model: (report.model_origin.is_some() && question.scheme.is_some())
            .then(|| Figure::of(question.from_model, answers)),
        overridden: report
            .overrides_path
            .as_ref()
            .map(|_| Figure::of(question.overridden, answers)),
    }
}

/// One figure of the line at the top of a question, as both renderers print it: `label`, the
/// count (emphasized unless `emphasized` is false), `件`, then `detail` in parentheses if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureItem {
    /// `無回答・特になし`; not escaped.
    pub label: String,
    pub count: usize,
    /// `22.6%`, or `回答者 5,577人の 10.0%` for the blank cells; not escaped.
    pub detail: Option<String>,
    /// The HTML class of the figure (`needs-review`, `model`, `override`), if any.
    pub class: Option<&'static str>,
    pub emphasized: bool,
}

impl QuestionFigures {
    /// The figures in the order the report prints them: the answers, the blank cells, the
    /// non-answers, the unclassified answers, those to review, those the model labeled and those
    /// the overrides file labeled — each when the question has it.
    pub fn items(&self) -> Vec<FigureItem> {
        let item = |label: &str, figure: Figure, class: Option<&'static str>| FigureItem {
            label: label.to_string(),
            count: figure.count,
            detail: Some(figure.percent()),
            class,
            emphasized: true,
        };
        let mut items = vec![FigureItem {
            label: "回答".to_string(),
            count: self.answers,
            detail: None,
            class: None,
            emphasized: true,
        }];
        if let (Some(respondents), Some(blank)) = (self.respondents, self.blank) {
            items.push(FigureItem {
                detail: Some(format!(
                    "回答者 {}人の {}",
                    count(respondents),
                    blank.percent()
                )),
                ..item("無回答（空欄）", blank, None)
            });
        }
        items.push(item("無回答・特になし", self.no_answer, None));
        if let Some(unclassified) = self.unclassified {
            items.push(item("分類できなかった回答", unclassified, None));
        }
        if let Some(needs_review) = self.needs_review {
            items.push(item("要確認", needs_review, Some("needs-review")));
        }
        if let Some(from_model) = self.from_model {
            items.push(item(Basis::Model.label(), from_model, Some("model")));
        }
        if let Some(overridden) = self.overridden {
            items.push(FigureItem {
                detail: None,
                emphasized: false,
                ..item("修正ファイルによる分類", overridden, Some("override"))
            });
        }
        items
    }
}

/// `Q6-1 特設サイト・支援サイトにあるとよい情報`: the question, then its scheme's title if any.
pub fn heading(question: &QuestionReport) -> String {
    match &question.title {
        Some(title) => format!("{} {}", question.question, title),
        None => question.question.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::CategoryReport;

    fn category(id: &str, count: usize, overridden: usize, is_heading: bool) -> CategoryReport {
        CategoryReport {
            id: id.to_string(),
            label: id.to_string(),
            count,
            overridden,
            from_model: 0,
            examples: Vec::new(),
            is_heading,
        }
    }

    fn question(
        name: &str,
        scheme: Option<&str>,
        answers: usize,
        overridden: usize,
        categories: Vec<CategoryReport>,
    ) -> QuestionReport {
        QuestionReport {
            question: name.to_string(),
            scheme: scheme.map(str::to_string),
            title: scheme.map(|_| "あるとよい情報".to_string()),
            answers,
            blank: 0,
            overridden,
            needs_review: 0,
            from_model: 0,
            categories,
            nets: Vec::new(),
            review: Vec::new(),
            crosstabs: Vec::new(),
            words: None,
            network: None,
        }
    }

    fn report(overrides_path: Option<&str>, questions: Vec<QuestionReport>) -> Report {
        Report {
            title: None,
            source: "survey.csv".to_string(),
            rules_origin: "built-in".to_string(),
            overrides_path: overrides_path.map(str::to_string),
            overridden: questions.iter().map(|q| q.overridden).sum(),
            answers: questions.iter().map(|q| q.answers).sum(),
            counts_blanks: false,
            blank: 0,
            model_origin: None,
            review_below: crate::classify::REVIEW_BELOW,
            needs_review: questions.iter().map(|q| q.needs_review).sum(),
            from_model: questions.iter().map(|q| q.from_model).sum(),
            by: Vec::new(),
            examples: 5,
            min_n: crate::report::DEFAULT_MIN_N,
            link: None,
            questions,
        }
    }

    #[test]
    fn figures_and_shares_of_a_small_report() {
        let mut sorted = question(
            "Q6-1",
            Some("site"),
            8,
            2,
            vec![
                category("cases", 3, 1, true),
                category("money", 2, 1, true),
                category(crate::rules::scheme::UNCLASSIFIED, 1, 0, false),
                category(crate::classify::NO_ANSWER, 2, 0, false),
            ],
        );
        sorted.needs_review = 3;
        sorted.from_model = 2;
        let unsorted = question(
            "Q9",
            None,
            4,
            0,
            vec![category(crate::classify::NO_ANSWER, 1, 0, false)],
        );
        let empty = question("Q10", None, 0, 0, Vec::new());
        let with_overrides = report(
            Some("corrections.csv"),
            vec![sorted.clone(), unsorted, empty],
        );

        let figures = question_figures(&with_overrides, &with_overrides.questions[0]);
        assert_eq!(figures.heading, "Q6-1 あるとよい情報");
        assert_eq!(figures.answers, 8);
        assert_eq!(
            figures.no_answer,
            Figure {
                count: 2,
                share: 0.25
            }
        );
        assert_eq!(
            figures.unclassified,
            Some(Figure {
                count: 1,
                share: 0.125
            })
        );
        assert_eq!(
            figures.overridden,
            Some(Figure {
                count: 2,
                share: 0.25
            })
        );
        assert_eq!(figures.no_answer.percent(), "25.0%");
        assert_eq!(figures.unclassified.unwrap().percent(), "12.5%");
        assert_eq!(
            figures.needs_review,
            Some(Figure {
                count: 3,
                share: 0.375
            })
        );
        // No model: no model figure; no respondent rows: no blank figure.
        assert_eq!(figures.from_model, None);
        assert_eq!((figures.respondents, figures.blank), (None, None));

        // No scheme: no unclassified figure, the heading is the question alone.
        let figures = question_figures(&with_overrides, &with_overrides.questions[1]);
        assert_eq!(figures.heading, "Q9");
        assert_eq!(figures.answers, 4);
        assert_eq!(
            figures.no_answer,
            Figure {
                count: 1,
                share: 0.25
            }
        );
        assert_eq!(figures.unclassified, None);
        assert_eq!(figures.needs_review, None);
        assert_eq!(
            figures.overridden,
            Some(Figure {
                count: 0,
                share: 0.0
            })
        );

        // No answers: every share is 0, not NaN.
        let figures = question_figures(&with_overrides, &with_overrides.questions[2]);
        assert_eq!(figures.answers, 0);
        assert_eq!(
            figures.no_answer,
            Figure {
                count: 0,
                share: 0.0
            }
        );
        assert_eq!(figures.no_answer.percent(), "0.0%");

        // Respondent rows: the blank cells, their share of the respondents asked.
        let mut wide = report(None, vec![sorted.clone()]);
        wide.counts_blanks = true;
        wide.questions[0].blank = 2;
        let figures = question_figures(&wide, &wide.questions[0]);
        assert_eq!(figures.respondents, Some(10));
        assert_eq!(
            figures.blank,
            Some(Figure {
                count: 2,
                share: 0.2
            })
        );
        assert_eq!(
            figures.no_answer.share, 0.25,
            "still a share of the answers"
        );

        // No overrides file: no overridden figure; a model: its figure.
        let mut without_overrides = report(None, vec![sorted]);
        without_overrides.model_origin = Some("model.json".to_string());
        let figures = question_figures(&without_overrides, &without_overrides.questions[0]);
        assert_eq!(figures.overridden, None);
        assert_eq!(
            figures.from_model,
            Some(Figure {
                count: 2,
                share: 0.25
            })
        );
        assert_eq!(
            figures.unclassified,
            Some(Figure {
                count: 1,
                share: 0.125
            })
        );
    }
}
