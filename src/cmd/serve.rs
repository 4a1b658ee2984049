//! `jiyu serve`: the web page for staff (search, browse, correct); parses the options and hands
//! them to [`jiyu::serve::run`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use jiyu::serve::{run as serve, ServeOptions};
use jiyu::Result;

use super::{announce_rules, AnalyzerArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu serve --index survey.idx --overrides corrections.csv\n  \
    jiyu serve --index survey.idx --overrides corrections.csv --bind 0.0.0.0:8080 \\\n    \
    --token \"$(openssl rand -hex 16)\"\n\n\
    Open the address it prints in a browser: a search box with results as you type (the query\n\
    syntax of `jiyu search`), filters with counts, each answer with the words that put it in its\n\
    categories, a category chart and a CSV download of the hits, and a review mode that walks\n\
    through answers (the unclassified ones, or any filter) with the keyboard: number keys toggle\n\
    categories, Enter saves, j/k move. Each correction is written at once to --overrides FILE\n\
    (created when missing; the format `classify`, `report` and `index --overrides` read) and\n\
    shown in the page; without --overrides the page is read-only.\n\n\
    The server listens on 127.0.0.1 unless told otherwise; any other address needs --token, and\n\
    then every request must carry it (`Authorization: Bearer T`, or open /?token=T once).")]
pub struct ServeArgs {
    /// The index directory (built by `jiyu index`).
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Where corrections are saved (CSV: id, categories joined by |, note); created when missing.
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// A secret every request must carry; required to listen beyond loopback. Also read from
    /// the environment variable JIYU_TOKEN (which, unlike an argument, `ps` does not show).
    #[arg(long, value_name = "T")]
    pub token: Option<String>,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: ServeArgs) -> Result<i32> {
    let classifier = Arc::new(args.rules.classifier(&args.analyzer)?);
    announce_rules(&classifier.rules, false);
    serve(
        ServeOptions {
            index: args.index,
            overrides: args.overrides,
            bind: args.bind,
            token: args
                .token
                .or_else(|| std::env::var("JIYU_TOKEN").ok())
                .filter(|token| !token.is_empty()),
        },
        classifier,
    )?;
    Ok(0)
}
