//! One module per CLI command (jj's `commands/<cmd>.rs`).
//!
//! Each module has a `run` that takes the clap args, builds a plain options
//! struct, opens what it needs and calls a function that does the work on
//! that struct: the work functions never see clap types, so they can be
//! called from tests and other front ends. [`run`] dispatches; `main` prints
//! the error chain once.

pub mod export;
pub mod ingest;
pub mod quotes;
pub mod report;
pub mod search;
pub mod speakers;
pub mod utterances;

use std::io::{self, BufWriter, Stdout, Write};
use std::process::ExitCode;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::registry::Registry;
use crate::store::{OpenMode, Store};

/// Run the command `cli` names. `Ok` carries the exit code: a command can
/// finish and still report that something failed (an ingest with a bad
/// article).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let global = &cli.global;
    match &cli.command {
        Command::Ingest(args) => ingest::run(global, args),
        Command::Quotes(args) => quotes::run(global, args),
        Command::Speakers(args) => speakers::run(global, args),
        Command::Search(args) => search::run(global, args),
        Command::Utterances(args) => utterances::run(global, args),
        Command::Report(args) => report::run(global, args),
        Command::Export(args) => export::run(global, args),
    }
}

/// Open the database of `--db` for a listing: it must exist.
fn open_existing(global: &GlobalArgs) -> anyhow::Result<Store> {
    Store::open(&global.db, OpenMode::Existing)
}

/// The speaker registry: the built-in one, extended or replaced by
/// `--speakers`.
fn registry(global: &GlobalArgs) -> anyhow::Result<Registry> {
    match &global.speakers {
        Some(path) => Registry::load(path, !global.replace_speakers),
        None => Ok(Registry::default()),
    }
}

/// How much of a listing is gathered before it is written to stdout.
/// With `BufWriter`'s 8 KiB (and stdout's line buffer behind it), the
/// 20 MB of `quotes --speaker putin` at 100k took 2,180 writes.
const STDOUT_BUFFER: usize = 64 * 1024;

/// Buffered stdout. Not locked for the whole listing, so the thread that
/// prints a listing's rows (`store::read`) can own it; each write of the
/// buffer locks it. Callers flush it themselves so a write error (a closed
/// pipe) is seen instead of lost on drop.
fn stdout() -> BufWriter<Stdout> {
    BufWriter::with_capacity(STDOUT_BUFFER, io::stdout())
}

/// Write a listing to stdout and flush it: the last step of every listing
/// command.
fn print<F>(write: F) -> anyhow::Result<ExitCode>
where
    F: FnOnce(&mut (dyn Write + Send)) -> anyhow::Result<usize>,
{
    let mut out = stdout();
    write(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
