//! `quotetrail ingest`: the whole pipeline, from files to the database.
//!
//! Articles are collected and sorted first, then taken in chunks: each
//! chunk is loaded and analysed in parallel (rayon), and the results, still
//! in path order, are written from this thread into the one transaction of
//! the batch. Nothing parallel touches the connection, and the output is
//! the same whatever the number of threads.
//!
//! An article whose stored content hash matches is not analysed again. A
//! bad article (unreadable, binary, or failing to store) is reported as
//! `path: problem` and the batch goes on; the exit code then says that
//! something failed.

use std::collections::HashSet;
use std::fmt;
use std::io::{Write, stderr};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use rayon::prelude::*;

use crate::analyze::{Analysis, analyze};
use crate::article::{self, Loaded, Manifest, ManifestRow, Problem};
use crate::cli::{GlobalArgs, IngestArgs};
use crate::registry::Registry;
use crate::report::{Format, Sink};
use crate::store::{ArticleId, Change, Filter, OpenMode, QuotationRow, Store};

/// Articles analysed in parallel before their results are written: enough
/// to keep every core busy, few enough to bound memory on a large corpus.
const CHUNK: usize = 256;

/// What to ingest.
#[derive(Clone, Debug, Default)]
pub struct IngestOptions {
    /// Article files and directories.
    pub paths: Vec<PathBuf>,
    /// An explicit manifest; without one, each directory's own
    /// `manifest.tsv`/`manifest.csv` is read.
    pub manifest: Option<PathBuf>,
    /// Regroup every stored quotation, not only what this ingest touched.
    pub regroup: bool,
}

/// What an ingest did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub failed: usize,
    /// Quotations written (from new and changed articles).
    pub quotations: usize,
    /// Quotations whose grouping was recomputed, and the utterances they
    /// now form.
    pub regrouped: usize,
    pub utterances: usize,
    /// The ids of the articles stored or kept, in path order.
    pub articles: Vec<ArticleId>,
    pub elapsed: Duration,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ingest: {} new, {} changed, {} unchanged, {} failed; {} quotations; {:.2} s",
            self.new,
            self.changed,
            self.unchanged,
            self.failed,
            self.quotations,
            self.elapsed.as_secs_f64()
        )
    }
}

pub fn run(global: &GlobalArgs, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let opts = IngestOptions {
        paths: args.paths.clone(),
        manifest: args.manifest.clone(),
        regroup: args.regroup,
    };
    let registry = super::registry(global)?;
    let summary = ingest(&global.db, &registry, &opts)?;
    eprintln!("{summary}");
    if args.report {
        let format = crate::cli::resolve(args.format);
        let store = Store::open(&global.db, OpenMode::Existing)?;
        super::print(|out| report(&store, &summary.articles, format, out))?;
    }
    Ok(if summary.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Ingest `opts.paths` into the database at `db` (created if missing).
/// Problems with single articles go to stderr and into
/// [`Summary::failed`]; an `Err` means the batch as a whole failed (a bad
/// manifest, a database that cannot be opened or written) and nothing of it
/// was stored.
pub fn ingest(
    db: &std::path::Path,
    registry: &Registry,
    opts: &IngestOptions,
) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let collection = article::collect(&opts.paths);
    // Not locked for the whole run: a panicking worker thread must be able
    // to print its message.
    let mut messages = stderr();
    for note in &collection.skipped {
        let _ = writeln!(messages, "{note}");
    }
    for problem in &collection.failed {
        let _ = writeln!(messages, "{problem}");
    }
    summary.failed += collection.failed.len();

    // Manifests are read before the database is touched: a bad one stops
    // the ingest before anything is created.
    let manifests = match &opts.manifest {
        Some(path) => vec![Manifest::read(path)?],
        None => collection
            .manifests
            .iter()
            .map(|path| Manifest::read(path))
            .collect::<anyhow::Result<Vec<_>>>()?,
    };
    let sources = &collection.sources;
    let rows = manifest_rows(&manifests, opts.manifest.is_some(), sources, &mut messages);
    if sources.is_empty() && collection.failed.is_empty() {
        let _ = writeln!(messages, "quotetrail: no .txt articles found");
    }

    let mut store = Store::open(db, OpenMode::Create)?;
    let mut batch = store.batch()?;
    batch.put_registry(registry)?;
    for (chunk, chunk_rows) in sources.chunks(CHUNK).zip(rows.chunks(CHUNK)) {
        let known = chunk
            .iter()
            .map(|source| batch.content_hash(&source.path))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let results: Vec<Result<(Loaded, Option<Analysis>), Problem>> = chunk
            .par_iter()
            .zip(chunk_rows)
            .zip(&known)
            .map(|((source, row), known)| {
                let loaded = article::load(source, *row)?;
                let analysis = if known.as_deref() == Some(loaded.article.content_hash.as_str()) {
                    None
                } else {
                    Some(analyze_guarded(&loaded, registry)?)
                };
                Ok((loaded, analysis))
            })
            .collect();
        for result in results {
            let (loaded, analysis) = match result {
                Ok(ok) => ok,
                Err(problem) => {
                    let _ = writeln!(messages, "{problem}");
                    summary.failed += 1;
                    continue;
                }
            };
            for note in &loaded.notes {
                let _ = writeln!(messages, "{note}");
            }
            let article = &loaded.article;
            let stored = match &analysis {
                Some(analysis) => batch.put_article(article, analysis),
                None => batch.keep_article(article),
            };
            match stored {
                Ok(stored) => {
                    match stored.change {
                        Change::New => summary.new += 1,
                        Change::Changed => summary.changed += 1,
                        Change::Unchanged => summary.unchanged += 1,
                    }
                    summary.quotations += stored.quotations;
                    summary.articles.push(stored.article_id);
                }
                Err(err) => {
                    let _ = writeln!(messages, "{}: {err:#}", article.path);
                    summary.failed += 1;
                }
            }
        }
    }
    // Grouping runs inside the batch's transaction: readers never see new
    // quotations without their utterances.
    let options = crate::group::Options::default();
    let grouped = if opts.regroup {
        batch.regroup_all(&options)
    } else {
        batch.regroup(&options)
    }
    .context("grouping quotations into utterances")?;
    summary.regrouped = grouped.quotations;
    summary.utterances = grouped.utterances;
    batch.commit()?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Analyse one article. A panic in the analysis is a bug, but it should
/// cost one article, not the batch: it becomes that article's problem.
fn analyze_guarded(loaded: &Loaded, registry: &Registry) -> Result<Analysis, Problem> {
    let text = &loaded.article.text;
    catch_unwind(AssertUnwindSafe(|| analyze(text, registry))).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Problem {
            path: loaded.article.path.clone(),
            message: format!("internal error while analysing, skipped ({what})"),
        }
    })
}

/// Each source's manifest row, and a warning for every row that names no
/// ingested article. With an explicit manifest every source is looked up
/// in it; otherwise in the manifest of its directory.
fn manifest_rows<'m>(
    manifests: &'m [Manifest],
    explicit: bool,
    sources: &[article::Source],
    messages: &mut dyn Write,
) -> Vec<Option<&'m ManifestRow>> {
    let mut used = HashSet::new();
    let rows = sources
        .iter()
        .map(|source| {
            let m = if explicit { Some(0) } else { source.manifest };
            let manifest = manifests.get(m?)?;
            let r = manifest.row_for(source)?;
            used.insert((m, r));
            manifest.rows.get(r)
        })
        .collect();
    for (m, manifest) in manifests.iter().enumerate() {
        for warning in &manifest.warnings {
            let _ = writeln!(messages, "{warning}");
        }
        for (r, row) in manifest.rows.iter().enumerate() {
            if !used.contains(&(Some(m), r)) {
                let _ = writeln!(
                    messages,
                    "{}: {} is not among the ingested articles",
                    manifest.path.display(),
                    row.file
                );
            }
        }
    }
    rows
}

/// Who said what in `articles`: their quotations, by article then offset.
pub fn report(
    store: &Store,
    articles: &[ArticleId],
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    let filter = Filter {
        articles: Some(articles.to_vec()),
        ..Filter::default()
    };
    let mut sink = Sink::<QuotationRow>::new(out, format);
    store.each_quotation(&filter, |row| Ok(sink.push(&row)?))?;
    Ok(sink.finish()?)
}
