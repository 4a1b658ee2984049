//! `jiyu rules check` and `jiyu rules test`.

use std::path::PathBuf;

use clap::Subcommand;

use jiyu::classify::rule_tests::test_examples;
use jiyu::classify::Classifier;
use jiyu::rules::scheme::RulesSource;
use jiyu::wording::counted;
use jiyu::Result;

use super::{announce_rules, print, AnalyzerArgs};

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Parse and compile every scheme: syntax, @references, ids, one scheme per question.
    #[command(after_help = "Example:\n  jiyu rules check rules/\n\n\
        Warns (and still succeeds) when a syn(word) has a word the thesaurus has no synonyms of.")]
    Check {
        /// The rules directory (default: ./rules when it holds scheme files, else the built-in
        /// rules).
        dir: Option<PathBuf>,
        #[command(flatten)]
        analyzer: AnalyzerArgs,
    },
    /// Classify every example and counter-example; exit 1 listing the ones that fail.
    #[command(after_help = "Example:\n  jiyu rules test rules/\n\n\
        An example must get its category as the primary label; a counter-example must not get\n\
        the category at all.")]
    Test {
        /// The rules directory (default: ./rules when it holds scheme files, else the built-in
        /// rules).
        dir: Option<PathBuf>,
        #[command(flatten)]
        analyzer: AnalyzerArgs,
    },
}

pub fn run(command: RulesCommand) -> Result<i32> {
    match command {
        RulesCommand::Check { dir, analyzer } => {
            let classifier =
                Classifier::new(analyzer.analyzer()?, &RulesSource::resolve(dir.as_deref()))?;
            let mut out = String::new();
            for scheme in &classifier.rules.schemes {
                out.push_str(&format!(
                    "ok  {:<18} {:<14} {}  {}\n",
                    scheme.id,
                    scheme.questions.join(","),
                    counted(scheme.categories.len(), "category", "categories"),
                    scheme.source
                ));
                if let Some(no_answer) = &scheme.no_answer {
                    out.push_str(&format!(
                        "    non-answers: the built-in check, plus [no_answer]: {}\n",
                        no_answer.describe()
                    ));
                }
            }
            for scheme in &classifier.rules.schemes {
                for warning in &scheme.warnings {
                    out.push_str(&format!("warning: {warning}\n"));
                }
            }
            print(&out)?;
            announce_rules(&classifier.rules, false);
            Ok(0)
        }
        RulesCommand::Test { dir, analyzer } => {
            let classifier =
                Classifier::new(analyzer.analyzer()?, &RulesSource::resolve(dir.as_deref()))?;
            let report = test_examples(&classifier);
            let mut out = String::new();
            for failure in &report.failures {
                out.push_str(&format!(
                    "FAIL {} {} {}: {}\n     got: {}\n",
                    failure.source,
                    failure.category,
                    if failure.is_example {
                        "example"
                    } else {
                        "counter-example"
                    },
                    failure.text.replace('\n', " "),
                    failure.categories.join(", ")
                ));
            }
            out.push_str(&format!(
                "{} passed, {} failed ({}, {}, rules: {})\n",
                report.examples + report.counter_examples - report.failures.len(),
                report.failures.len(),
                counted(report.examples, "example", "examples"),
                counted(
                    report.counter_examples,
                    "counter-example",
                    "counter-examples"
                ),
                classifier.rules.origin
            ));
            print(&out)?;
            announce_rules(&classifier.rules, false);
            Ok(if report.failures.is_empty() { 0 } else { 1 })
        }
    }
}
