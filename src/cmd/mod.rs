//! The subcommands, one file each. Every `run` returns the process exit code; errors become
//! exit code 2 in `main`.

mod tokenize;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use jiyu::Result;

/// jiyu (自由記述) sorts the free-text answers of a survey into categories staff can read and
/// edit, counts and cross-tabulates them, and makes every answer searchable.
#[derive(Debug, Parser)]
#[command(
    name = "jiyu",
    version,
    after_help = "Example:\n  jiyu tokenize \"IT導入補助金の申請にSECURITY ACTIONの二つ星が必要\"\n\n\
                  Run `jiyu <command> --help` for the options and an example of each command."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Split text into tokens: surface, base form, part of speech, reading.
    Tokenize(tokenize::TokenizeArgs),
}

/// Options shared by every command that analyzes text.
#[derive(Debug, Args, Clone, Default)]
pub struct AnalyzerArgs {
    /// Extra user dictionary (CSV rows `surface,part of speech,reading`), added to the built-in
    /// domain terms. May be given more than once.
    #[arg(long = "user-dict", value_name = "FILE")]
    pub user_dictionaries: Vec<PathBuf>,
}

impl AnalyzerArgs {
    pub fn analyzer(&self) -> Result<jiyu::Analyzer> {
        let paths: Vec<&std::path::Path> = self
            .user_dictionaries
            .iter()
            .map(PathBuf::as_path)
            .collect();
        jiyu::Analyzer::new(&paths)
    }
}

pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Tokenize(args) => tokenize::run(args),
    }
}
