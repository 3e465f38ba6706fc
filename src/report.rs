//! Reports: the output formats every listing shares.
//!
//! A listing is a stream of [`Record`]s written through a [`Sink`] in one of
//! five [`Format`]s: a width-aware table for people, and TSV, CSV, JSON (one
//! array) or JSON Lines for programs. Records stream: nothing but the table
//! holds more than one row in memory.
//!
//! TSV escapes rather than quotes: a tab, newline, carriage return or
//! backslash inside a field is written `\t`, `\n`, `\r`, `\\`, so every
//! record is exactly one line and `cut -f` works.

use std::io::{self, IsTerminal, Write};

use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width, presets};
use serde::Serialize;

use crate::store::{QuotationRow, SpeakerRow};

/// How a listing is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A table sized to the terminal.
    Table,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated, with a header line.
    Csv,
    /// Tab-separated, with a header line.
    Tsv,
}

impl Format {
    /// The default: a table for a person at a terminal, TSV for a pipe.
    pub fn for_stdout() -> Format {
        if io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Tsv
        }
    }
}

/// A row that can be printed in every [`Format`].
pub trait Record: Serialize {
    /// Column names for the header of CSV, TSV and tables, in order.
    const COLUMNS: &'static [&'static str];
    /// The columns a terminal table shows: a readable subset of
    /// [`Record::COLUMNS`].
    const TABLE: &'static [&'static str];
    /// The table column that should get most of the width (the quotation
    /// itself); the others are kept under a fifth each.
    const WIDE: Option<&'static str> = None;
    /// The row's cells, one per column; empty for a null.
    fn cells(&self) -> Vec<String>;
}

/// Writes a listing of `R`s in one format.
///
/// Nothing is written until the first record or [`Sink::finish`]: a query
/// that fails before its first row leaves stdout empty, not holding a
/// lone header.
pub struct Sink<'w, R: Record> {
    out: Out<'w>,
    /// For a table: which of [`Record::COLUMNS`] it shows.
    picks: Vec<usize>,
    started: bool,
    rows: usize,
    _record: std::marker::PhantomData<R>,
}

enum Out<'w> {
    Table(&'w mut dyn Write, Box<Table>),
    Csv(Box<csv::Writer<&'w mut dyn Write>>),
    Tsv(&'w mut dyn Write),
    Json(&'w mut dyn Write),
    Jsonl(&'w mut dyn Write),
}

impl<'w, R: Record> Sink<'w, R> {
    /// A listing on `out`.
    pub fn new(out: &'w mut dyn Write, format: Format) -> Sink<'w, R> {
        let picks: Vec<usize> = R::TABLE
            .iter()
            .filter_map(|c| R::COLUMNS.iter().position(|k| k == c))
            .collect();
        let out = match format {
            Format::Table => {
                let mut table = Table::new();
                table
                    .load_preset(presets::UTF8_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_header(picks.iter().map(|&i| R::COLUMNS[i]));
                // Not a terminal (`--format table | less`): wrap to a width
                // that reads well rather than not at all.
                if table.width().is_none() {
                    table.set_width(100);
                }
                if let Some(wide) = R::WIDE {
                    let narrow = ColumnConstraint::UpperBoundary(Width::Percentage(18));
                    for (column, &i) in table.column_iter_mut().zip(&picks) {
                        if R::COLUMNS[i] != wide {
                            column.set_constraint(narrow);
                        }
                    }
                }
                Out::Table(out, Box::new(table))
            }
            Format::Csv => Out::Csv(Box::new(csv::Writer::from_writer(out))),
            Format::Tsv => Out::Tsv(out),
            Format::Json => Out::Json(out),
            Format::Jsonl => Out::Jsonl(out),
        };
        Sink {
            out,
            picks,
            started: false,
            rows: 0,
            _record: std::marker::PhantomData,
        }
    }

    /// Write what comes before the first record: a header or `[`.
    fn start(&mut self) -> io::Result<()> {
        if std::mem::replace(&mut self.started, true) {
            return Ok(());
        }
        match &mut self.out {
            Out::Csv(writer) => writer.write_record(R::COLUMNS).map_err(csv_io),
            Out::Tsv(out) => {
                let header: Vec<String> = R::COLUMNS.iter().map(|c| c.to_string()).collect();
                write_tsv(*out, &header)
            }
            Out::Json(out) => out.write_all(b"["),
            Out::Table(..) | Out::Jsonl(_) => Ok(()),
        }
    }

    /// Write one record.
    pub fn push(&mut self, record: &R) -> io::Result<()> {
        self.start()?;
        match &mut self.out {
            Out::Table(_, table) => {
                let cells = record.cells();
                table.add_row(
                    self.picks
                        .iter()
                        .map(|&i| cells.get(i).cloned().unwrap_or_default()),
                );
            }
            Out::Csv(writer) => writer.write_record(record.cells()).map_err(csv_io)?,
            Out::Tsv(out) => write_tsv(*out, &record.cells())?,
            Out::Json(out) => {
                out.write_all(if self.rows == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *out, record)?;
            }
            Out::Jsonl(out) => {
                serde_json::to_writer(&mut *out, record)?;
                out.write_all(b"\n")?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Finish the listing (close the JSON array, print the table) and
    /// flush; returns how many records were written.
    pub fn finish(mut self) -> io::Result<usize> {
        self.start()?;
        match self.out {
            Out::Table(out, table) => writeln!(out, "{table}")?,
            Out::Csv(mut writer) => writer.flush()?,
            Out::Tsv(out) | Out::Jsonl(out) => out.flush()?,
            Out::Json(out) => {
                out.write_all(if self.rows == 0 { b"]\n" } else { b"\n]\n" })?;
                out.flush()?;
            }
        }
        Ok(self.rows)
    }
}

/// csv wraps I/O errors in its own type; unwrap them so a broken pipe is
/// still recognisable as one.
fn csv_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        kind => io::Error::other(format!("writing CSV: {kind:?}")),
    }
}

fn write_tsv(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| escape_tsv(c)).collect();
    writeln!(out, "{}", line.join("\t"))
}

/// Escape one TSV field (see the module docs).
///
/// ```
/// assert_eq!(quotetrail::report::escape_tsv("a\tb\\c\nd"), "a\\tb\\\\c\\nd");
/// ```
pub fn escape_tsv(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    for c in field.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

impl Record for QuotationRow {
    const COLUMNS: &'static [&'static str] = &[
        "article",
        "outlet",
        "start",
        "end",
        "quote",
        "speaker",
        "speaker_span",
        "cue",
        "cited",
        "utterance",
        "rendering",
        "form",
        "partial",
        "rule",
        "confidence",
        "published",
        "speaker_inferred",
    ];
    const TABLE: &'static [&'static str] = &["speaker", "quote", "outlet", "article", "start"];
    const WIDE: Option<&'static str> = Some("quote");

    fn cells(&self) -> Vec<String> {
        vec![
            self.article.clone(),
            self.outlet.clone(),
            self.start.to_string(),
            self.end.to_string(),
            self.quote.clone(),
            opt(&self.speaker),
            self.speaker_span
                .map(|[s, e]| format!("{s}-{e}"))
                .unwrap_or_default(),
            opt(&self.cue),
            opt(&self.cited),
            opt(&self.utterance),
            opt(&self.rendering),
            self.form.clone(),
            self.partial.to_string(),
            self.rule.clone(),
            self.confidence.to_string(),
            opt(&self.published),
            self.speaker_inferred.to_string(),
        ]
    }
}

impl Record for SpeakerRow {
    const COLUMNS: &'static [&'static str] =
        &["speaker", "kind", "gender", "registered", "quotations"];
    const TABLE: &'static [&'static str] = Self::COLUMNS;

    fn cells(&self) -> Vec<String> {
        vec![
            self.speaker.clone(),
            self.kind.clone(),
            opt(&self.gender),
            self.registered.to_string(),
            self.quotations.to_string(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speaker(name: &str) -> SpeakerRow {
        SpeakerRow {
            speaker: name.into(),
            kind: "person".into(),
            gender: None,
            registered: false,
            quotations: 2,
        }
    }

    fn render(format: Format, rows: &[SpeakerRow]) -> String {
        let mut buf = Vec::new();
        let mut sink = Sink::new(&mut buf, format);
        for row in rows {
            sink.push(row).unwrap();
        }
        sink.finish().unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn tsv_escapes_and_csv_quotes() {
        let rows = [speaker("A\tB \"C\"")];
        assert_eq!(
            render(Format::Tsv, &rows),
            "speaker\tkind\tgender\tregistered\tquotations\nA\\tB \"C\"\tperson\t\tfalse\t2\n"
        );
        assert_eq!(
            render(Format::Csv, &rows),
            "speaker,kind,gender,registered,quotations\n\"A\tB \"\"C\"\"\",person,,false,2\n"
        );
    }

    #[test]
    fn json_is_one_array_even_when_empty() {
        assert_eq!(render(Format::Json, &[]), "[]\n");
        let two: serde_json::Value =
            serde_json::from_str(&render(Format::Json, &[speaker("a"), speaker("b")])).unwrap();
        assert_eq!(two.as_array().unwrap().len(), 2);
        assert_eq!(render(Format::Jsonl, &[speaker("a")]).lines().count(), 1);
    }
}
