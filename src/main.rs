//! The `jiyu` binary: parses the command line and hands each subcommand to `jiyu::cmd`-style
//! functions in `src/cmd/`. All the work lives in the library.

mod cmd;

use clap::Parser;

/// mimalloc instead of the system allocator: answers are allocated by the reader thread and
/// freed by others, and glibc's per-thread arenas made those frees contend (its consolidation
/// showed in profiles of `classify` and `index`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
