//! The `jiyu` binary: parses the command line and hands each subcommand to its `run` function
//! in `src/cmd/` (one file a subcommand). All the work lives in the library.

mod cmd;

use clap::Parser;

/// mimalloc instead of the system allocator: answers are allocated by the reader thread and
/// freed by others, and glibc's per-thread arenas made those frees contend (its consolidation
/// showed in profiles of `classify` and `index`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = cmd::Cli::parse();
    std::process::exit(cmd::exit_code(cmd::run(cli)));
}
