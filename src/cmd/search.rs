//! `quotetrail search`: full-text search in the quotations (SQLite FTS5).
//!
//! People type words, not FTS5 queries: `search "below zero,"` must not
//! fail on the comma. So text without FTS5 operators is searched as one
//! phrase; text with them is handed to FTS5 as written, and a syntax error
//! there is reported as such.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;

use crate::cli::{GlobalArgs, SearchArgs};
use crate::report::{Format, Sink};
use crate::store::{QuotationRow, Store};

pub fn run(global: &GlobalArgs, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let format = args.format.resolve();
    let store = super::open_existing(global)?;
    super::print(|out| search(&store, &args.text, format, out))
}

/// Write the quotations matching `text`, best first, to `out`; returns how
/// many.
pub fn search(
    store: &Store,
    text: &str,
    format: Format,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<usize> {
    if text.trim().is_empty() {
        bail!("nothing to search for: the search text is empty");
    }
    let query = fts_query(text);
    let mut sink = Sink::<QuotationRow>::new(out, format);
    store.search(&query, |row| Ok(sink.push(row)?))?;
    Ok(sink.finish()?)
}

/// The FTS5 query for what the user typed: as written if it uses FTS5
/// operators, else the whole text as one phrase.
///
/// ```
/// use quotetrail::cmd::search::fts_query;
/// assert_eq!(fts_query("below zero,"), "\"below zero,\"");
/// assert_eq!(fts_query("hope* AND contacts"), "hope* AND contacts");
/// ```
pub fn fts_query(text: &str) -> String {
    let operator = text.contains(['"', '*', '^', '(', ')'])
        || text
            .split_whitespace()
            .any(|w| matches!(w, "AND" | "OR" | "NOT" | "NEAR"));
    if operator {
        text.to_string()
    } else {
        format!("\"{}\"", text.trim())
    }
}
