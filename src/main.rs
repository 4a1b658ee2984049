//! The `jiyu` binary: parses the command line and hands each subcommand to `jiyu::cmd`-style
//! functions in `src/cmd/`. All the work lives in the library.

mod cmd;

use clap::Parser;

fn main() {
    let cli = cmd::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            eprintln!("jiyu: {err}");
            std::process::exit(2);
        }
    }
}
