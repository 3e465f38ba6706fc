//! `quotetrail quotes`: list stored quotations, optionally of one speaker or
//! one outlet.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, QuotesArgs};
use crate::report::{Format, Sink};
use crate::store::{Filter, QuotationRow, Store};

/// What to list and how.
#[derive(Clone, Debug)]
pub struct QuotesOptions {
    /// A forgiving speaker name (see [`Store::find_speakers`]).
    pub speaker: Option<String>,
    /// An outlet name, compared without case or accents.
    pub outlet: Option<String>,
    pub format: Format,
}

pub fn run(global: &GlobalArgs, args: &QuotesArgs) -> anyhow::Result<ExitCode> {
    let opts = QuotesOptions {
        speaker: args.speaker.clone(),
        outlet: args.outlet.clone(),
        format: args.format.resolve(),
    };
    let store = super::open_existing(global)?;
    super::print(|out| quotes(&store, &opts, out))
}

/// Write the quotations `opts` selects to `out`; returns how many. A name
/// that matches no speaker or outlet is noted on stderr and lists nothing.
pub fn quotes(
    store: &Store,
    opts: &QuotesOptions,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<usize> {
    let mut filter = Filter::default();
    if let Some(name) = &opts.speaker {
        let ids = store.find_speakers(name)?;
        if ids.is_empty() {
            eprintln!("quotetrail: no speaker matches {name:?} (see `quotetrail speakers`)");
        }
        filter.speakers = Some(ids);
    }
    if let Some(name) = &opts.outlet {
        let ids = store.find_outlets(name)?;
        if ids.is_empty() {
            eprintln!("quotetrail: no outlet is named {name:?}");
        }
        filter.outlets = Some(ids);
    }
    let mut sink = Sink::<QuotationRow>::new(out, opts.format);
    store.each_quotation(&filter, |row| Ok(sink.push(row)?))?;
    Ok(sink.finish()?)
}
