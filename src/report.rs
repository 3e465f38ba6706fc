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

use std::borrow::Cow;
use std::fmt;
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
    /// The row's cells, one per column; empty text for a null. Borrowed
    /// from the record where it holds the text, and numbers kept as
    /// numbers: a listing of 50,000 rows should neither copy every field
    /// to print it nor allocate a string for each number.
    fn cells(&self) -> Vec<Cell<'_>>;
}

/// One cell of a [`Record`], printed by its [`Display`](fmt::Display)
/// form. Only text can hold a character TSV or CSV must escape.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    Real(f64),
    Bool(bool),
    /// Two offsets, printed `start-end`.
    Span([i64; 2]),
}

impl fmt::Display for Cell<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Text(text) => f.write_str(text),
            Cell::Int(n) => write!(f, "{n}"),
            Cell::Real(x) => write!(f, "{x}"),
            Cell::Bool(b) => write!(f, "{b}"),
            Cell::Span([start, end]) => write!(f, "{start}-{end}"),
        }
    }
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(text: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Cell<'_> {
    fn from(text: String) -> Self {
        Cell::Text(Cow::Owned(text))
    }
}

impl Cell<'_> {
    /// Append the cell as printed to `out`; text as it is, unescaped.
    /// Integers and flags are written without `fmt`, which was most of
    /// what formatting a row of `quotes` cost beside its text.
    fn write_raw(&self, out: &mut Vec<u8>) {
        let mut digits = itoa::Buffer::new();
        match self {
            Cell::Text(text) => out.extend_from_slice(text.as_bytes()),
            Cell::Int(n) => out.extend_from_slice(digits.format(*n).as_bytes()),
            // Writing to a Vec cannot fail.
            Cell::Real(x) => {
                let _ = write!(out, "{x}");
            }
            Cell::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Cell::Span([start, end]) => {
                out.extend_from_slice(digits.format(*start).as_bytes());
                out.push(b'-');
                out.extend_from_slice(digits.format(*end).as_bytes());
            }
        }
    }
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
    /// TSV and JSON: the record being written, handed to `out` whole. A
    /// field at a time through `dyn Write` was a good part of a large
    /// listing's time.
    line: Vec<u8>,
    _record: std::marker::PhantomData<R>,
}

enum Out<'w> {
    Table(&'w mut (dyn Write + Send), Box<Table>),
    Csv(Box<csv::Writer<&'w mut (dyn Write + Send)>>),
    Tsv(&'w mut (dyn Write + Send)),
    Json(&'w mut (dyn Write + Send)),
    Jsonl(&'w mut (dyn Write + Send)),
}

impl<'w, R: Record> Sink<'w, R> {
    /// A listing on `out`.
    pub fn new(out: &'w mut (dyn Write + Send), format: Format) -> Sink<'w, R> {
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
            line: Vec::new(),
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
                self.line.clear();
                write_tsv(&mut self.line, R::COLUMNS);
                out.write_all(&self.line)
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
                        .map(|&i| cells.get(i).map(|c| c.to_string()).unwrap_or_default()),
                );
            }
            Out::Csv(writer) => {
                for cell in record.cells() {
                    self.line.clear();
                    cell.write_raw(&mut self.line);
                    writer.write_field(&self.line).map_err(csv_io)?;
                }
                // An empty record after the fields ends the line.
                writer
                    .write_record(std::iter::empty::<&[u8]>())
                    .map_err(csv_io)?;
            }
            Out::Tsv(out) => {
                self.line.clear();
                write_tsv_cells(&mut self.line, &record.cells());
                out.write_all(&self.line)?;
            }
            Out::Json(out) => {
                self.line.clear();
                self.line
                    .extend_from_slice(if self.rows == 0 { b"\n" } else { b",\n" });
                serde_json::to_writer(&mut self.line, record)?;
                out.write_all(&self.line)?;
            }
            Out::Jsonl(out) => {
                self.line.clear();
                serde_json::to_writer(&mut self.line, record)?;
                self.line.push(b'\n');
                out.write_all(&self.line)?;
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

/// One TSV line of a record: text escaped, numbers written as they are.
fn write_tsv_cells(line: &mut Vec<u8>, cells: &[Cell<'_>]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(b'\t');
        }
        match cell {
            Cell::Text(text) => write_escaped_tsv(line, text),
            other => other.write_raw(line),
        }
    }
    line.push(b'\n');
}

/// One TSV line, each field escaped as it is written.
fn write_tsv<S: AsRef<str>>(line: &mut Vec<u8>, cells: &[S]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(b'\t');
        }
        write_escaped_tsv(line, cell.as_ref());
    }
    line.push(b'\n');
}

/// Whether `b` is one of the characters TSV escapes. The four are ASCII,
/// so a byte equal to one of them is that character, never part of a
/// longer UTF-8 sequence.
fn tsv_special(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | b'\\')
}

/// Write `field` escaped for TSV (see the module docs): the text between
/// the characters to escape goes out as it is, in one piece.
fn write_escaped_tsv(line: &mut Vec<u8>, field: &str) {
    let mut rest = field.as_bytes();
    // Almost no field has anything to escape: asked of the whole field
    // without stopping early, the question compiles to a vector loop.
    if !rest.iter().fold(false, |any, &b| any | tsv_special(b)) {
        line.extend_from_slice(rest);
        return;
    }
    while let Some(at) = rest.iter().position(|&b| tsv_special(b)) {
        let (plain, tail) = rest.split_at(at);
        line.extend_from_slice(plain);
        let Some((&b, after)) = tail.split_first() else {
            break;
        };
        line.extend_from_slice(match b {
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            _ => b"\\\\",
        });
        rest = after;
    }
    line.extend_from_slice(rest);
}

/// Escape one TSV field (see the module docs).
///
/// ```
/// assert_eq!(quotetrail::report::escape_tsv("a\tb\\c\nd"), "a\\tb\\\\c\\nd");
/// ```
pub fn escape_tsv(field: &str) -> String {
    let mut out = Vec::with_capacity(field.len());
    write_escaped_tsv(&mut out, field);
    // Escaping keeps UTF-8 valid.
    String::from_utf8(out).unwrap_or_default()
}

/// An optional text as a cell: empty for a null.
pub(crate) fn opt(value: &Option<String>) -> Cell<'_> {
    Cell::from(value.as_deref().unwrap_or_default())
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

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::from(self.article.as_str()),
            Cell::from(self.outlet.as_str()),
            Cell::Int(self.start),
            Cell::Int(self.end),
            Cell::from(self.quote.as_str()),
            opt(&self.speaker),
            self.speaker_span.map_or(Cell::from(""), Cell::Span),
            opt(&self.cue),
            opt(&self.cited),
            opt(&self.utterance),
            opt(&self.rendering),
            Cell::from(self.form.as_str()),
            Cell::Bool(self.partial),
            Cell::from(self.rule.as_str()),
            Cell::Real(self.confidence),
            opt(&self.published),
            Cell::Bool(self.speaker_inferred),
        ]
    }
}

impl Record for SpeakerRow {
    const COLUMNS: &'static [&'static str] =
        &["speaker", "kind", "gender", "registered", "quotations"];
    const TABLE: &'static [&'static str] = Self::COLUMNS;

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::from(self.speaker.as_str()),
            Cell::from(self.kind.as_str()),
            opt(&self.gender),
            Cell::Bool(self.registered),
            Cell::Int(self.quotations),
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
    fn cells_are_written_as_they_display() {
        let cells = [
            Cell::from("a\tb"),
            Cell::Int(0),
            Cell::Int(-42),
            Cell::Int(i64::MAX),
            Cell::Real(0.9),
            Cell::Real(1.0),
            Cell::Real(0.1 + 0.2),
            Cell::Bool(true),
            Cell::Bool(false),
            Cell::Span([3, 17]),
        ];
        for cell in cells {
            let mut raw = Vec::new();
            cell.write_raw(&mut raw);
            assert_eq!(String::from_utf8(raw).unwrap(), cell.to_string());
        }
        assert_eq!(Cell::Real(1.0).to_string(), 1.0_f64.to_string());
        assert_eq!(Cell::Span([3, 17]).to_string(), "3-17");
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
