//! The provenance report: for every statement of a speaker, each rendering
//! (wording family), its words, the outlets that carried it, whom they
//! credited, when it was first seen, and how the renderings differ word by
//! word; and per speaker an outlet × rendering matrix.
//!
//! Built from [`UtteranceView`]s (the store's nested read of the
//! grouping) into a [`Report`], a plain serialisable value, then written
//! as a terminal table, JSON, or one self-contained HTML page (inline CSS,
//! no script, no network; every string from an article escaped). The
//! `utterances` listing is [`RenderingRow`]s through the ordinary
//! [`crate::report::Sink`].

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::group::{Piece, diff_words};
use crate::report::{Cell, Record, opt};
use crate::store::utterances::{AttributionNote, Omitted, RenderingView, UtteranceView};

/// How `report` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Json,
    Html,
}

/// The whole report: one section per speaker.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub speakers: Vec<SpeakerSection>,
}

/// One speaker's utterances and matrix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpeakerSection {
    /// `None` for utterances no quotation names a speaker for.
    pub speaker: Option<String>,
    pub utterances: Vec<UtteranceReport>,
    pub matrix: Matrix,
}

/// One utterance: its renderings and their differences.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UtteranceReport {
    pub utterance: String,
    pub first_seen: Option<String>,
    pub quotations: usize,
    pub renderings: Vec<RenderingReport>,
    /// Word-level diffs between renderings (each against the first).
    pub diffs: Vec<Diff>,
    /// Speakers inferred across outlets, and attributions that disagree.
    pub attributions: Vec<AttributionNote>,
    /// Renderings left out by `report --renderings`, with the quotations
    /// that carry them (`quotations` and the count of renderings include
    /// them; outlets, attributions and the matrix do not). Absent when
    /// nothing was left out.
    #[serde(skip_serializing_if = "Omitted::is_empty")]
    pub omitted: Omitted,
}

/// One rendering as the report shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderingReport {
    pub rendering: String,
    pub label: String,
    pub credited: Option<String>,
    /// For an uncredited rendering: the label of the rendering it likely
    /// comes from.
    pub likely_source: Option<String>,
    pub first_seen: Option<String>,
    pub words: String,
    pub outlets: Vec<OutletUse>,
}

/// An outlet that carried a rendering.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutletUse {
    pub outlet: String,
    pub articles: Vec<String>,
    /// Whom its articles credited for the words.
    pub credited: Option<String>,
    pub quotations: usize,
}

/// The word-level differences from one rendering's words to another's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diff {
    pub from: String,
    pub to: String,
    pub pieces: Vec<Piece>,
}

/// Which outlet carried which rendering of a speaker's utterances:
/// `cells[o][r]` quotations of rendering `renderings[r]` in outlet
/// `outlets[o]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Matrix {
    pub outlets: Vec<String>,
    pub renderings: Vec<String>,
    pub labels: Vec<String>,
    pub cells: Vec<Vec<usize>>,
}

/// Build the report from the stored utterances (already in report order).
pub fn build(utterances: &[UtteranceView]) -> Report {
    let mut speakers: Vec<SpeakerSection> = Vec::new();
    for u in utterances {
        if speakers.last().is_none_or(|s| s.speaker != u.speaker) {
            speakers.push(SpeakerSection {
                speaker: u.speaker.clone(),
                utterances: Vec::new(),
                matrix: Matrix::default(),
            });
        }
        let Some(section) = speakers.last_mut() else {
            continue;
        };
        section.utterances.push(utterance_report(u));
        let m = &mut section.matrix;
        for r in &u.renderings {
            m.renderings.push(r.rendering.clone());
            m.labels.push(r.label.clone());
            for q in &r.quotations {
                if !m.outlets.contains(&q.outlet) {
                    m.outlets.push(q.outlet.clone());
                }
            }
        }
    }
    for section in &mut speakers {
        let m = &mut section.matrix;
        m.outlets.sort();
        m.cells = vec![vec![0; m.renderings.len()]; m.outlets.len()];
        for u in utterances.iter().filter(|u| u.speaker == section.speaker) {
            for r in &u.renderings {
                let Some(col) = m.renderings.iter().position(|k| *k == r.rendering) else {
                    continue;
                };
                for q in &r.quotations {
                    if let Some(row) = m.outlets.iter().position(|o| *o == q.outlet) {
                        m.cells[row][col] += 1;
                    }
                }
            }
        }
    }
    Report { speakers }
}

fn utterance_report(u: &UtteranceView) -> UtteranceReport {
    let renderings: Vec<RenderingReport> = u.renderings.iter().map(rendering_report).collect();
    let diffs = match u.renderings.split_first() {
        Some((first, rest)) => rest
            .iter()
            .map(|r| Diff {
                from: first.rendering.clone(),
                to: r.rendering.clone(),
                pieces: focus(diff_words(&first.text, &r.text)),
            })
            .collect(),
        None => Vec::new(),
    };
    UtteranceReport {
        utterance: u.utterance.clone(),
        first_seen: u.first_seen.clone(),
        quotations: u
            .renderings
            .iter()
            .map(|r| r.quotations.len())
            .sum::<usize>()
            + u.omitted.quotations,
        renderings,
        diffs,
        attributions: u.notes.clone(),
        omitted: u.omitted,
    }
}

/// One attribution note in words.
fn note_line(n: &AttributionNote) -> String {
    let quote: String = n.quote.chars().take(60).collect();
    let ellipsis = if quote.len() < n.quote.len() {
        "…"
    } else {
        ""
    };
    match n.kind.as_str() {
        "inferred" => format!(
            "{}: “{quote}{ellipsis}” is {}'s: {}",
            n.outlet,
            n.speaker.as_deref().unwrap_or("?"),
            n.note
        ),
        _ => format!(
            "{}: “{quote}{ellipsis}”: attribution conflict with {}: {}",
            n.outlet, n.other_outlet, n.note
        ),
    }
}

/// A diff narrowed to where the two wordings overlap: words only one side
/// has beyond the first and last shared words become `…`, except the words
/// exchanged right at the edge (a headline's "raises" for "inspire"),
/// shortened to the last (or first) three.
fn focus(pieces: Vec<Piece>) -> Vec<Piece> {
    let same = |p: &Piece| matches!(p, Piece::Same(_));
    let (Some(first), Some(last)) = (pieces.iter().position(same), pieces.iter().rposition(same))
    else {
        return pieces;
    };
    let edge = |part: &[Piece], leading: bool| -> Vec<Piece> {
        let removed = part.iter().any(|p| matches!(p, Piece::Removed(_)));
        let added = part.iter().any(|p| matches!(p, Piece::Added(_)));
        if !(removed && added) {
            return if part.is_empty() {
                Vec::new()
            } else {
                vec![Piece::Same("…".into())]
            };
        }
        let shorten = |s: &str| -> String {
            let words: Vec<&str> = s.split_whitespace().collect();
            if words.len() <= 3 {
                s.to_string()
            } else if leading {
                format!("… {}", words[words.len() - 3..].join(" "))
            } else {
                format!("{} …", words[..3].join(" "))
            }
        };
        part.iter()
            .map(|p| match p {
                Piece::Removed(s) => Piece::Removed(shorten(s)),
                Piece::Added(s) => Piece::Added(shorten(s)),
                Piece::Same(s) => Piece::Same(s.clone()),
            })
            .collect()
    };
    let mut out = edge(&pieces[..first], true);
    out.extend(pieces[first..=last].iter().cloned());
    out.extend(edge(&pieces[last + 1..], false));
    out
}

fn rendering_report(r: &RenderingView) -> RenderingReport {
    let mut outlets: Vec<OutletUse> = Vec::new();
    for q in &r.quotations {
        let i = match outlets.iter().position(|o| o.outlet == q.outlet) {
            Some(i) => i,
            None => {
                outlets.push(OutletUse {
                    outlet: q.outlet.clone(),
                    articles: Vec::new(),
                    credited: None,
                    quotations: 0,
                });
                outlets.len() - 1
            }
        };
        let o = &mut outlets[i];
        o.quotations += 1;
        if !o.articles.contains(&q.article) {
            o.articles.push(q.article.clone());
        }
        if o.credited.is_none() {
            o.credited = q.cited.clone();
        }
    }
    RenderingReport {
        rendering: r.rendering.clone(),
        label: r.label.clone(),
        credited: r.credited.clone(),
        likely_source: r.source_label.clone(),
        first_seen: r.first_seen.clone(),
        words: r.text.clone(),
        outlets,
    }
}

/// Write `report` in `format`.
pub fn write(report: &Report, format: ReportFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)
        }
        ReportFormat::Table => write_text(report, out),
        ReportFormat::Html => out.write_all(html(report).as_bytes()),
    }
}

fn or_unknown(date: &Option<String>) -> &str {
    date.as_deref().unwrap_or("date unknown")
}

/// The terminal form: sections, indented renderings, diffs in git's
/// word-diff notation (`[-removed-]{+added+}`), and the matrix.
fn write_text(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for section in &report.speakers {
        let who = section.speaker.as_deref().unwrap_or("(speaker unknown)");
        writeln!(out, "== {who} ==")?;
        for u in &section.utterances {
            writeln!(
                out,
                "\nutterance {} · first seen {} · {} quotation{} · {} rendering{}",
                u.utterance,
                or_unknown(&u.first_seen),
                u.quotations,
                plural(u.quotations),
                u.renderings.len() + u.omitted.renderings,
                plural(u.renderings.len() + u.omitted.renderings)
            )?;
            for (n, r) in u.renderings.iter().enumerate() {
                let mut head = format!("  [{}] {}", n + 1, r.label);
                if let Some(c) = &r.credited {
                    let _ = write!(head, " · credited: {c}");
                }
                if let Some(s) = &r.likely_source {
                    let _ = write!(head, " · likely source: {s}");
                }
                let _ = write!(head, " · first seen {}", or_unknown(&r.first_seen));
                writeln!(out, "{head}")?;
                writeln!(out, "      id: {}", r.rendering)?;
                let outlets: Vec<String> = r
                    .outlets
                    .iter()
                    .map(|o| match &o.credited {
                        Some(c) => format!("{} (credits {c})", o.outlet),
                        None => o.outlet.clone(),
                    })
                    .collect();
                writeln!(out, "      outlets: {}", outlets.join(", "))?;
                writeln!(out, "      words: “{}”", r.words)?;
            }
            for d in &u.diffs {
                let label = |key: &str| {
                    u.renderings
                        .iter()
                        .find(|r| r.rendering == key)
                        .map_or(key.to_string(), |r| r.label.clone())
                };
                writeln!(
                    out,
                    "  differences, {} → {}:\n      {}",
                    label(&d.from),
                    label(&d.to),
                    word_diff(&d.pieces)
                )?;
            }
            for n in &u.attributions {
                writeln!(out, "  attribution: {}", note_line(n))?;
            }
            if let Some(line) = omitted_line(&u.omitted) {
                writeln!(out, "  {line}")?;
            }
        }
        let m = &section.matrix;
        if !m.outlets.is_empty() {
            writeln!(out, "\n  outlet × rendering ({who}):")?;
            write_matrix(m, out)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The outlet × rendering matrix as the text form draws it: a header of
/// labels over utterances, a row per outlet, `·` for none.
fn write_matrix(m: &Matrix, out: &mut dyn Write) -> io::Result<()> {
    let header = std::iter::once(Cow::Borrowed("outlet")).chain(
        m.renderings
            .iter()
            .zip(&m.labels)
            .map(|(key, label)| Cow::Owned(format!("{label}\n{}", short_utterance(key)))),
    );
    let rows = m.outlets.iter().zip(&m.cells).map(|(outlet, counts)| {
        std::iter::once(Cow::Borrowed(outlet.as_str()))
            .chain(counts.iter().map(|&c| match c {
                0 => Cow::Borrowed("·"),
                c => Cow::Owned(c.to_string()),
            }))
            .collect()
    });
    let table: Vec<Vec<Cow<'_, str>>> = std::iter::once(header.collect()).chain(rows).collect();
    out.write_all(&draw_table(&table))
}

/// Draw `rows` (the first is the header) as comfy-table draws a table
/// with the `UTF8_FULL_CONDENSED` preset and no width limit, which it
/// did for the matrix until that was a third of `report --speaker
/// putin`'s time at 100k (240 outlets × 900 renderings, several strings
/// allocated per cell). The text form's tests compare the two.
///
/// Each column is as wide as its widest line (at least 1) plus a space
/// either side; a cell may hold several lines, which stack in its row,
/// the row's other cells left blank. Widths are display columns, as
/// comfy-table measures them. Every line ends in a newline. Drawn as
/// bytes, so padding is a fill rather than a character at a time.
fn draw_table(rows: &[Vec<Cow<'_, str>>]) -> Vec<u8> {
    // Each cell measured once: its width if it is one line (nearly all
    // are), else `None` and its lines measured as they are drawn.
    let measured: Vec<Vec<Option<usize>>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| (!cell.contains('\n')).then(|| display_width(cell)))
                .collect()
        })
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![1; columns];
    for (row, sizes) in rows.iter().zip(&measured) {
        for ((width, cell), size) in widths.iter_mut().zip(row).zip(sizes) {
            let widest = match size {
                Some(w) => *w,
                None => cell.split('\n').map(display_width).max().unwrap_or(0),
            };
            *width = (*width).max(widest);
        }
    }
    let mut text = Vec::new();
    let spaces = |text: &mut Vec<u8>, n: usize| text.resize(text.len() + n, b' ');
    let rule = |text: &mut Vec<u8>, [left, fill, cross, right]: [&str; 4]| {
        text.extend_from_slice(left.as_bytes());
        for (i, &width) in widths.iter().enumerate() {
            if i > 0 {
                text.extend_from_slice(cross.as_bytes());
            }
            text.extend_from_slice(fill.repeat(width + 2).as_bytes());
        }
        text.extend_from_slice(right.as_bytes());
        text.push(b'\n');
    };
    rule(&mut text, ["┌", "─", "┬", "┐"]);
    for (r, (row, sizes)) in rows.iter().zip(&measured).enumerate() {
        let height = row.iter().map(|c| c.split('\n').count()).max().unwrap_or(1);
        for n in 0..height {
            text.extend_from_slice("│".as_bytes());
            for (i, &width) in widths.iter().enumerate() {
                if i > 0 {
                    text.extend_from_slice("┆".as_bytes());
                }
                let (line, used) = match (row.get(i), sizes.get(i).copied().flatten()) {
                    (Some(cell), Some(w)) if n == 0 => (cell.as_ref(), w),
                    (Some(cell), None) => {
                        let line = cell.split('\n').nth(n).unwrap_or_default();
                        (line, display_width(line))
                    }
                    _ => ("", 0),
                };
                text.push(b' ');
                text.extend_from_slice(line.as_bytes());
                spaces(&mut text, width - used + 1);
            }
            text.extend_from_slice("│\n".as_bytes());
        }
        if r == 0 {
            rule(&mut text, ["╞", "═", "╪", "╡"]);
        }
    }
    rule(&mut text, ["└", "─", "┴", "┘"]);
    text
}

/// How many columns `line` takes on a terminal, as comfy-table measures
/// it; printable ASCII (most of a table) without a look-up per character.
fn display_width(line: &str) -> usize {
    if line.bytes().all(|b| matches!(b, b' '..=b'~')) {
        line.len()
    } else {
        line.width()
    }
}

/// What `report --renderings` left out of an utterance, in words.
fn omitted_line(omitted: &Omitted) -> Option<String> {
    (!omitted.is_empty()).then(|| {
        format!(
            "… {} more rendering{} ({} quotation{}) not shown: --renderings 0 for all",
            omitted.renderings,
            plural(omitted.renderings),
            omitted.quotations,
            plural(omitted.quotations)
        )
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The utterance part of a rendering key.
fn short_utterance(rendering: &str) -> &str {
    rendering.split('/').next().unwrap_or(rendering)
}

/// A diff in git's word-diff notation.
fn word_diff(pieces: &[Piece]) -> String {
    let parts: Vec<String> = pieces
        .iter()
        .map(|p| match p {
            Piece::Same(s) => s.clone(),
            Piece::Removed(s) => format!("[-{s}-]"),
            Piece::Added(s) => format!("{{+{s}+}}"),
        })
        .collect();
    parts.join(" ")
}

/// Escape text for HTML element content and attribute values.
///
/// ```
/// assert_eq!(quotetrail::provenance::escape("<b a=\"x\">&'"), "&lt;b a=&quot;x&quot;&gt;&amp;&#39;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "
body{font:16px/1.5 Georgia,'Times New Roman',serif;color:#1d1d1f;background:#faf9f6;margin:0}
main{max-width:960px;margin:0 auto;padding:24px 32px 64px}
h1{font:600 28px/1.2 system-ui,sans-serif;margin:8px 0 4px}
.lede{color:#555;margin:0 0 24px;font-family:system-ui,sans-serif;font-size:14px}
h2{font:600 22px/1.3 system-ui,sans-serif;border-bottom:2px solid #1d1d1f;padding-bottom:4px;margin-top:40px}
.utterance{background:#fff;border:1px solid #ddd;border-radius:8px;padding:16px 20px;margin:20px 0;box-shadow:0 1px 2px rgba(0,0,0,.05)}
.meta{font:13px/1.4 system-ui,sans-serif;color:#666}
.rendering{border-left:4px solid #8a9;padding:6px 0 6px 14px;margin:14px 0}
.rendering.r1{border-color:#c96}.rendering.r2{border-color:#79c}.rendering.r3{border-color:#b7b}
.label{font:600 15px system-ui,sans-serif}
.badge{display:inline-block;font:12px system-ui,sans-serif;background:#eef;border-radius:10px;padding:1px 8px;margin:0 4px 0 0;color:#335}
.badge.src{background:#fde9d9;color:#733}
blockquote{margin:6px 0;font-size:17px;quotes:'“' '”'}
blockquote::before{content:open-quote}blockquote::after{content:close-quote}
.outlets{font:13px system-ui,sans-serif;color:#444}
.diff{background:#f6f6f3;border-radius:6px;padding:10px 14px;margin-top:12px;font-size:15px}
.diff h4{margin:0 0 6px;font:600 13px system-ui,sans-serif;color:#555}
del{background:#fbd3d0;color:#8b1a12;text-decoration:line-through}
ins{background:#cdeccf;color:#14571c;text-decoration:none}
table{border-collapse:collapse;font:14px system-ui,sans-serif;margin:12px 0}
th,td{border:1px solid #ccc;padding:4px 10px;text-align:center}
th:first-child,td:first-child{text-align:left}
td.on{background:#dfeee0;font-weight:600}
th small{display:block;color:#777;font-weight:400}
.note{font:13px system-ui,sans-serif;color:#7a4b00;background:#fff6e0;border-radius:4px;padding:4px 8px}
";

/// The report as one self-contained HTML page.
pub fn html(report: &Report) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>quotetrail: who said what, in whose words</title>\n<style>");
    h.push_str(CSS);
    h.push_str("</style>\n</head>\n<body>\n<main>\n<h1>Who said what, in whose words</h1>\n");
    h.push_str(
        "<p class=\"lede\">Each statement (utterance) with its renderings: the wordings \
         outlets carried, whom they credited, and how the wordings differ \
         (<del>only in the first</del> <ins>only in the other</ins>).</p>\n",
    );
    for section in &report.speakers {
        let who = section.speaker.as_deref().unwrap_or("Speaker unknown");
        let _ = writeln!(h, "<section>\n<h2>{}</h2>", escape(who));
        for u in &section.utterances {
            let _ = writeln!(
                h,
                "<div class=\"utterance\">\n<div class=\"meta\">utterance {} · first seen {} · \
                 {} quotation{} · {} rendering{}</div>",
                escape(&u.utterance),
                escape(or_unknown(&u.first_seen)),
                u.quotations,
                plural(u.quotations),
                u.renderings.len() + u.omitted.renderings,
                plural(u.renderings.len() + u.omitted.renderings)
            );
            for (k, r) in u.renderings.iter().enumerate() {
                let _ = writeln!(h, "<div class=\"rendering r{}\">", k % 4);
                let _ = write!(h, "<span class=\"label\">{}</span> ", escape(&r.label));
                if let Some(c) = &r.credited {
                    let _ = write!(h, "<span class=\"badge\">credited: {}</span>", escape(c));
                }
                if let Some(s) = &r.likely_source {
                    let _ = write!(
                        h,
                        "<span class=\"badge src\">likely source: {}</span>",
                        escape(s)
                    );
                }
                let _ = writeln!(
                    h,
                    "<span class=\"meta\">first seen {}</span>",
                    escape(or_unknown(&r.first_seen))
                );
                let _ = writeln!(h, "<blockquote>{}</blockquote>", escape(&r.words));
                let outlets: Vec<String> = r
                    .outlets
                    .iter()
                    .map(|o| {
                        let mut s = format!("<b>{}</b>", escape(&o.outlet));
                        if let Some(c) = &o.credited {
                            let _ = write!(s, " (credits {})", escape(c));
                        }
                        s
                    })
                    .collect();
                let _ = writeln!(
                    h,
                    "<div class=\"outlets\">carried by {}</div>\n</div>",
                    outlets.join(", ")
                );
            }
            for d in &u.diffs {
                let label = |key: &str| {
                    u.renderings
                        .iter()
                        .find(|r| r.rendering == key)
                        .map_or(key.to_string(), |r| r.label.clone())
                };
                let _ = write!(
                    h,
                    "<div class=\"diff\"><h4>{} → {}</h4>",
                    escape(&label(&d.from)),
                    escape(&label(&d.to))
                );
                for p in &d.pieces {
                    match p {
                        Piece::Same(s) => {
                            let _ = write!(h, "{} ", escape(s));
                        }
                        Piece::Removed(s) => {
                            let _ = write!(h, "<del>{}</del> ", escape(s));
                        }
                        Piece::Added(s) => {
                            let _ = write!(h, "<ins>{}</ins> ", escape(s));
                        }
                    }
                }
                h.push_str("</div>\n");
            }
            for n in &u.attributions {
                let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(&note_line(n)));
            }
            if let Some(line) = omitted_line(&u.omitted) {
                let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(&line));
            }
            h.push_str("</div>\n");
        }
        let m = &section.matrix;
        if !m.outlets.is_empty() {
            let _ = write!(
                h,
                "<h3 class=\"meta\">Which outlet carried which rendering ({})</h3>\n<table>\n<tr><th>outlet</th>",
                escape(who)
            );
            for (k, l) in m.renderings.iter().zip(&m.labels) {
                let _ = write!(
                    h,
                    "<th>{}<small>{}</small></th>",
                    escape(l),
                    escape(short_utterance(k))
                );
            }
            h.push_str("</tr>\n");
            for (o, row) in m.outlets.iter().zip(&m.cells) {
                let _ = write!(h, "<tr><td>{}</td>", escape(o));
                for &c in row {
                    if c == 0 {
                        h.push_str("<td></td>");
                    } else {
                        let _ = write!(h, "<td class=\"on\">{c}</td>");
                    }
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</table>\n");
        }
        h.push_str("</section>\n");
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// One rendering as the `utterances` listing prints it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderingRow {
    pub utterance: String,
    pub speaker: Option<String>,
    pub rendering: String,
    pub label: String,
    pub credited: Option<String>,
    pub source: Option<String>,
    pub outlets: Vec<String>,
    pub quotations: usize,
    pub first_seen: Option<String>,
    pub words: String,
}

/// The listing rows of `utterances`: one per rendering.
pub fn rows(utterances: &[UtteranceView]) -> Vec<RenderingRow> {
    utterances
        .iter()
        .flat_map(|u| {
            u.renderings.iter().map(|r| RenderingRow {
                utterance: u.utterance.clone(),
                speaker: u.speaker.clone(),
                rendering: r.rendering.clone(),
                label: r.label.clone(),
                credited: r.credited.clone(),
                source: r.source.clone(),
                outlets: r.outlets().into_iter().map(str::to_string).collect(),
                quotations: r.quotations.len(),
                first_seen: r.first_seen.clone(),
                words: r.text.clone(),
            })
        })
        .collect()
}

impl Record for RenderingRow {
    const COLUMNS: &'static [&'static str] = &[
        "utterance",
        "speaker",
        "rendering",
        "label",
        "credited",
        "source",
        "outlets",
        "quotations",
        "first_seen",
        "words",
    ];
    const TABLE: &'static [&'static str] = &["speaker", "utterance", "label", "outlets", "words"];
    const WIDE: Option<&'static str> = Some("words");

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::from(self.utterance.as_str()),
            opt(&self.speaker),
            Cell::from(self.rendering.as_str()),
            Cell::from(self.label.as_str()),
            opt(&self.credited),
            opt(&self.source),
            Cell::from(self.outlets.join(", ")),
            Cell::from(self.quotations.to_string()),
            opt(&self.first_seen),
            Cell::from(self.words.as_str()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_drawn_as_comfy_table_draws_them() {
        let table: &[&[&str]] = &[
            &[
                "outlet",
                "TASS\nu0123",
                "a wide label\nu4567",
                "東京\nu89ab",
                "\n",
            ],
            &["arise.tv", "·", "12", "3", ""],
            &["two\nlines", "·", "·", "1000", "·"],
            &["e\u{301}mile ✨", "1"],
        ];
        let rows: Vec<Vec<Cow<'_, str>>> = table
            .iter()
            .map(|row| row.iter().map(|&c| Cow::Borrowed(c)).collect())
            .collect();
        let mut comfy = comfy_table::Table::new();
        comfy.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
        comfy.set_header(table[0].to_vec());
        for row in &table[1..] {
            comfy.add_row(row.to_vec());
        }
        assert_eq!(
            String::from_utf8(draw_table(&rows)).unwrap(),
            format!("{comfy}\n")
        );
    }

    #[test]
    fn printable_ascii_is_one_column_a_character() {
        let printable: Vec<char> = (b' '..=b'~').map(char::from).collect();
        for &a in &printable {
            for &b in &printable {
                let pair = format!("{a}{b}");
                assert_eq!(display_width(&pair), pair.width(), "{pair:?}");
            }
        }
    }
}
