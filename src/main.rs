//! The `quotetrail` binary: parse the command line, run the command, print
//! the error chain once. Everything else is in the library.

use std::io;
use std::process::ExitCode;

use clap::Parser;
use quotetrail::cli::Cli;

fn main() -> ExitCode {
    // clap prints usage errors itself and exits with 2.
    let cli = Cli::parse();
    match quotetrail::cmd::run(cli) {
        Ok(code) => code,
        // `quotetrail export | head` closes our stdout early: that is the
        // reader being done, not an error (ripgrep does the same).
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("quotetrail: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
