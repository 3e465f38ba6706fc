//! `quotetrail utterances`: list utterances with their renderings and the
//! outlets that carried each, one row per rendering.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, UtterancesArgs};
use crate::provenance::{RenderingRow, rows};
use crate::report::{Format, Sink};

use crate::store::{OpenMode, Selection, Store};

/// What to list and how.
#[derive(Clone, Debug)]
pub struct UtterancesOptions {
    /// A forgiving speaker name (see [`Store::find_speakers`]).
    pub speaker: Option<String>,
    pub format: Format,
}

pub fn run(global: &GlobalArgs, args: &UtterancesArgs) -> anyhow::Result<ExitCode> {
    let opts = UtterancesOptions {
        speaker: args.speaker.clone(),
        format: args.format.resolve(),
    };
    // Every membership of the utterances, scattered over the file.
    let store = Store::open(&global.db, OpenMode::Scattered)?;
    super::print(|out| utterances(&store, &opts, out))
}

/// Write the renderings of the utterances `opts` selects to `out`;
/// returns how many rows.
pub fn utterances(
    store: &Store,
    opts: &UtterancesOptions,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<usize> {
    let speakers = super::report::speaker_ids(store, opts.speaker.as_deref())?;
    let views = store.utterances(Selection {
        speakers: speakers.as_deref(),
        limit: None,
        renderings: None,
    })?;
    let mut sink = Sink::<RenderingRow>::new(out, opts.format);
    for row in rows(&views) {
        sink.push(&row)?;
    }
    Ok(sink.finish()?)
}
