//! `quotetrail speakers`: list speakers with their quotation counts.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, SpeakersArgs};
use crate::report::{Format, Sink};
use crate::store::{SpeakerRow, Store};

pub fn run(global: &GlobalArgs, args: &SpeakersArgs) -> anyhow::Result<ExitCode> {
    let format = args.format.resolve();
    let store = super::open_existing(global)?;
    super::print(|out| speakers(&store, format, out))
}

/// Write every speaker, most quoted first, to `out`; returns how many.
pub fn speakers(
    store: &Store,
    format: Format,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<usize> {
    let mut sink = Sink::<SpeakerRow>::new(out, format);
    for row in store.speakers()? {
        sink.push(&row)?;
    }
    Ok(sink.finish()?)
}
