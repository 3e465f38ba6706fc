//! The command line, as clap derive types.
//!
//! These types stop at the command layer: each `cmd::<name>::run` turns its
//! args into a plain options struct and calls library functions that never
//! see clap (ripgrep's low-level/high-level args split). Help text here is
//! user documentation and is snapshot-tested.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

/// Find direct quotations in news articles, attribute them to their
/// speakers, and store them in SQLite.
#[derive(Debug, Parser)]
#[command(name = "quotetrail", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The SQLite database to read or write.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "PATH",
        env = "QUOTETRAIL_DB",
        default_value = "./quotetrail.db"
    )]
    pub db: PathBuf,
    /// A speaker registry (JSON) that extends the built-in one.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE"
    )]
    pub speakers: Option<PathBuf>,
    /// Let --speakers replace the built-in registry instead of extending it.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        requires = "speakers"
    )]
    pub replace_speakers: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Ingest(IngestArgs),
    Quotes(QuotesArgs),
    Speakers(SpeakersArgs),
    Search(SearchArgs),
    Utterances(UtterancesArgs),
    Report(ReportArgs),
    Export(ExportArgs),
}

/// Read articles, find and attribute their quotations, and store them.
///
/// PATHs are .txt files or directories (searched recursively; other files
/// are skipped with a note). A manifest.tsv or manifest.csv at the root of
/// a directory gives each article's outlet, url, published date and title.
/// Re-ingesting an unchanged file does nothing; a changed file has its
/// quotations replaced.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Article files or directories.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Read article metadata from this manifest (TSV or CSV with a header:
    /// file, outlet, url, published, title) instead of the directories' own.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Group every stored quotation into utterances again, not only those
    /// this ingest touched (after changing quotetrail, or to undo the drift
    /// of word-rarity weights over many small ingests).
    #[arg(long)]
    pub regroup: bool,
    /// Threads that read and analyse articles [default: one per core].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<NonZeroUsize>,
    /// Print only problems: no notes, no progress bar, no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print who said what in the ingested articles.
    #[arg(long)]
    pub report: bool,
    /// Format of the --report listing [default: table on a terminal, else
    /// tsv].
    #[arg(long, value_enum, value_name = "FORMAT", requires = "report")]
    pub format: Option<FormatArg>,
}

/// List stored quotations, by article then position.
#[derive(Debug, Args)]
pub struct QuotesArgs {
    /// Only quotations of this speaker: a name, alias, role or surname, in
    /// any case ("putin", "Sergey Lavrov", "Kremlin spokesman").
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    /// Only quotations from this outlet.
    #[arg(long, value_name = "OUTLET")]
    pub outlet: Option<String>,
    #[command(flatten)]
    pub format: FormatOpt,
}

/// List speakers with the number of quotations attributed to them.
#[derive(Debug, Args)]
pub struct SpeakersArgs {
    #[command(flatten)]
    pub format: FormatOpt,
}

/// Full-text search in the quotations, best match first.
///
/// Plain text is searched as a phrase. Text with FTS5 operators (AND, OR,
/// NOT, NEAR, "quotes", prefix*, parentheses) is passed to SQLite's FTS5 as
/// a query.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for.
    #[arg(value_name = "TEXT")]
    pub text: String,
    #[command(flatten)]
    pub format: FormatOpt,
}

/// List utterances (statements) with their renderings (wording families)
/// and the outlets that carried each: one row per rendering.
///
/// Quotations are grouped into utterances at every ingest: trims,
/// fragments, splices and other translations of one statement belong
/// together; quotations that agree word for word share a rendering.
#[derive(Debug, Args)]
pub struct UtterancesArgs {
    /// Only utterances of this speaker: a name, alias, role or surname, in
    /// any case.
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    #[command(flatten)]
    pub format: FormatOpt,
}

/// The provenance report: for every utterance, each rendering's words,
/// the outlets that carried it, whom they credited, when it was first
/// seen, and a word-level diff against the first rendering; per speaker,
/// an outlet × rendering matrix.
///
/// --format html writes one self-contained page (no scripts, no network)
/// to stdout: `quotetrail report --format html > report.html`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Only utterances of this speaker: a name, alias, role or surname, in
    /// any case.
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    /// Report only the N utterances carried by the most quotations (0: all
    /// of them); they are shown in the usual order.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
    /// Show at most N renderings of each utterance (0: all of them): the
    /// earliest, which the differences start from, and the N-1 carried by
    /// the most quotations, in the usual order. Outlets, attributions and
    /// the matrix then cover the quotations of the renderings shown; the
    /// report says what it left out.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub renderings: usize,
    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "table")]
    pub format: ReportFormatArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    /// Text for a terminal; diffs as [-removed-]{+added+}.
    Table,
    /// The report as one JSON document.
    Json,
    /// One self-contained HTML page with the differences highlighted.
    Html,
}

/// Print every stored quotation for other programs, by article path then
/// offset.
///
/// Fields: article, outlet, start, end (byte offsets of the quoted words in
/// the article), quote, speaker, speaker_span, cue, cited, utterance,
/// rendering, form, partial, rule, confidence, published, speaker_inferred.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "jsonl")]
    pub format: ExportFormat,
}

/// `--format` for the listing commands.
#[derive(Debug, Args)]
pub struct FormatOpt {
    /// Output format [default: table on a terminal, else tsv].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
}

impl FormatOpt {
    /// The format asked for, or the default for where stdout goes.
    pub fn resolve(&self) -> Format {
        resolve(self.format)
    }
}

/// The chosen format, or the default for where stdout goes.
pub fn resolve(format: Option<FormatArg>) -> Format {
    format.map_or_else(Format::for_stdout, Format::from)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A table sized to the terminal.
    Table,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header.
    Csv,
    /// Tab-separated values with a header.
    Tsv,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Csv => Format::Csv,
            FormatArg::Tsv => Format::Tsv,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line.
    Jsonl,
    /// One JSON array.
    Json,
    /// Comma-separated values with a header.
    Csv,
}

impl From<ExportFormat> for Format {
    fn from(arg: ExportFormat) -> Format {
        match arg {
            ExportFormat::Jsonl => Format::Jsonl,
            ExportFormat::Json => Format::Json,
            ExportFormat::Csv => Format::Csv,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
