//! Self-testing rule files: every `examples` answer must get its category as the primary label,
//! and no `counter_examples` answer may get the category at all — from the rules alone, so a
//! model never hides what the rules themselves do.

use crate::classify::Classifier;

/// An example or counter-example the rules get wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub scheme: String,
    pub source: String,
    pub category: String,
    /// `true` for an example, `false` for a counter-example.
    pub is_example: bool,
    pub text: String,
    /// What the answer got instead.
    pub categories: Vec<String>,
}

/// Counts of a rules test.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExampleReport {
    pub examples: usize,
    pub counter_examples: usize,
    pub failures: Vec<ExampleFailure>,
}

/// Classifies every example and counter-example of every scheme.
pub fn test_examples(classifier: &Classifier) -> ExampleReport {
    let mut report = ExampleReport::default();
    for scheme in &classifier.rules.schemes {
        // An example is classified as an answer to the scheme's first question.
        let Some(question) = scheme.questions.first() else {
            continue;
        };
        for category in &scheme.categories {
            for (texts, is_example) in [
                (&category.examples, true),
                (&category.counter_examples, false),
            ] {
                for text in texts {
                    let classification = classifier.classify_by_rules(question, text);
                    let passed = if is_example {
                        report.examples += 1;
                        classification.primary() == Some(category.id.as_str())
                    } else {
                        report.counter_examples += 1;
                        !classification.categories.contains(&category.id)
                    };
                    if !passed {
                        report.failures.push(ExampleFailure {
                            scheme: scheme.id.clone(),
                            source: scheme.source.clone(),
                            category: category.id.clone(),
                            is_example,
                            text: text.clone(),
                            categories: classification.categories,
                        });
                    }
                }
            }
        }
    }
    report
}
