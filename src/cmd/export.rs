//! `quotetrail export`: every quotation, for other programs.
//!
//! The JSON Lines export is a contract: an external scorer reads its field
//! names (see [`crate::store::QuotationRow`]).

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{ExportArgs, GlobalArgs};
use crate::report::{Format, Sink};
use crate::store::{Filter, QuotationRow, Store};

pub fn run(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let format = Format::from(args.format);
    let store = super::open_existing(global)?;
    super::print(|out| export(&store, format, out))
}

/// Write every stored quotation, by article path then offset, to `out`;
/// returns how many.
pub fn export(
    store: &Store,
    format: Format,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<usize> {
    let mut sink = Sink::<QuotationRow>::new(out, format);
    store.each_quotation(&Filter::default(), |row| Ok(sink.push(row)?))?;
    Ok(sink.finish()?)
}
