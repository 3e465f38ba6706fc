//! `quotetrail ingest`: the whole pipeline, from files to the database.
//!
//! Articles are collected and sorted first, then taken in chunks. A loader
//! thread loads and analyses each chunk in parallel (rayon, `--jobs`
//! threads) while this thread writes the previous one: the results, still
//! in path order, go into one transaction per [`CHUNKS_PER_COMMIT`]
//! chunks. Nothing parallel touches the writing connection, and the
//! output is the same whatever the number of threads.
//!
//! Each transaction is committed before the next starts, so an ingest
//! that is killed keeps every transaction it finished, and no article is
//! ever half stored. Grouping runs last, in a transaction of its own; it
//! finds its work in the database (quotations that belong to no rendering
//! yet), so a rerun after a crash groups what the killed run stored.
//!
//! An article whose stored content hash matches is not analysed again. A
//! bad article (unreadable, binary, or failing to store) is reported as
//! `path: problem` and the batch goes on; the exit code then says that
//! something failed.

use std::collections::HashSet;
use std::fmt;
use std::io::{IsTerminal, Write};
use std::num::NonZeroUsize;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::analyze::{Analysis, Scratch, analyze_with};
use crate::article::{self, Article, Loaded, Manifest, ManifestRow, Problem, Source};
use crate::cli::{GlobalArgs, IngestArgs};
use crate::registry::Registry;
use crate::report::{Format, Sink};
use crate::store::{
    ArticleId, Change, Checkpointer, Filter, OpenMode, QuotationRow, Scope, Store, Stored,
    StoredArticle,
};

/// Articles analysed and handed to the writer at a time: enough that
/// every core has work, few enough that memory stays flat on a large
/// corpus. When a chunk was also a transaction, 1,024 took 7.1-7.3 s to
/// store 100k articles against 7.7-8.2 s for 512.
const CHUNK: usize = 1024;

/// Chunks written in one transaction. Each commit writes every page it
/// touched to the log, and a chunk's quotations come from some 400
/// speakers, each appended to its own part of `quotations_listing`, so
/// those pages went to the log (and were copied into the file) at every
/// chunk: at 100k articles an ingest wrote 2.8 GB for a 0.7 GB database,
/// 2.0 GB with four chunks a transaction (0.4-0.5 s less system time).
/// The chunks are still written as they come, so analysing and writing
/// overlap as before; a killed ingest loses at most four chunks' work.
const CHUNKS_PER_COMMIT: usize = 4;

/// Chunks whose files are read ahead (see `article::prefetch`): with the
/// page cache dropped, the 100k ingest phase took 9.8-10.2 s with four
/// against 10.7-11.2 s with two.
const AHEAD: usize = 4;

/// What to ingest, and how.
#[derive(Clone, Debug, Default)]
pub struct IngestOptions {
    /// Article files and directories.
    pub paths: Vec<PathBuf>,
    /// An explicit manifest; without one, each directory's own
    /// `manifest.tsv`/`manifest.csv` is read.
    pub manifest: Option<PathBuf>,
    /// Regroup every stored quotation, not only what this ingest touched.
    pub regroup: bool,
    /// Threads that load and analyse articles; `None`: one per core.
    pub jobs: Option<NonZeroUsize>,
    /// Only problems on stderr: no notes, no progress bar.
    pub quiet: bool,
    /// Show a progress bar (only ever drawn on a terminal).
    pub progress: bool,
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
    /// Distinct speakers those quotations were attributed to.
    pub speakers: usize,
    /// Quotations whose grouping was recomputed, and the utterances they
    /// now form.
    pub regrouped: usize,
    pub utterances: usize,
    /// Bytes of the articles read.
    pub bytes: usize,
    /// The ids of the articles stored or kept, in path order.
    pub articles: Vec<ArticleId>,
    pub elapsed: Duration,
    /// The part of `elapsed` spent grouping.
    pub grouping: Duration,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ingest: {} new, {} changed, {} unchanged, {} failed; \
             {} quotations, {} speakers; {} regrouped into {} utterances; \
             {:.2} s ({:.2} s grouping)",
            self.new,
            self.changed,
            self.unchanged,
            self.failed,
            self.quotations,
            self.speakers,
            self.regrouped,
            self.utterances,
            self.elapsed.as_secs_f64(),
            self.grouping.as_secs_f64()
        )
    }
}

pub fn run(global: &GlobalArgs, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let opts = IngestOptions {
        paths: args.paths.clone(),
        manifest: args.manifest.clone(),
        regroup: args.regroup,
        jobs: args.jobs,
        quiet: args.quiet,
        progress: !args.quiet,
    };
    let registry = super::registry(global)?;
    let summary = ingest(&global.db, &registry, &opts)?;
    if !args.quiet {
        eprintln!("{summary}");
    }
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

/// One loaded article with what the writer has to do with it, or why it
/// could not be loaded or analysed.
type Outcome = Result<(Loaded, Work), Problem>;

/// What storing a loaded article takes.
enum Work {
    /// New or changed content: store it with its analysis.
    Store(Analysis),
    /// The content stored, other metadata (a manifest row changed): bring
    /// the article's row up to date.
    Refresh,
    /// Content and metadata as stored: nothing to write. A re-ingest of an
    /// unchanged corpus is all this, and opens no write transaction.
    Unchanged(ArticleId),
}

/// Ingest `opts.paths` into the database at `db` (created if missing).
/// Problems with single articles go to stderr and into
/// [`Summary::failed`], and so do manifests that cannot be read (their
/// articles are stored without metadata). An `Err` means the ingest as a
/// whole failed (a database that cannot be opened or written); what was
/// committed before such a failure stays stored.
pub fn ingest(db: &Path, registry: &Registry, opts: &IngestOptions) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let collection = article::collect(&opts.paths);
    let feedback = Feedback::new(opts);
    for note in &collection.skipped {
        feedback.note(note);
    }
    for problem in &collection.failed {
        feedback.problem(problem);
    }
    summary.failed += collection.failed.len();

    // A manifest that cannot be read is a failure of the run, but not of
    // its articles: they are stored without its metadata, and a rerun with
    // the manifest mended brings that up to date.
    let paths = match &opts.manifest {
        Some(path) => std::slice::from_ref(path),
        None => collection.manifests.as_slice(),
    };
    let manifests: Vec<Option<Manifest>> = paths
        .iter()
        .map(|path| match Manifest::read(path) {
            Ok(manifest) => Some(manifest),
            Err(err) => {
                feedback.problem(format_args!(
                    "{err:#}; its articles are stored without outlet, date or title"
                ));
                summary.failed += 1;
                None
            }
        })
        .collect();
    let sources = &collection.sources;
    let rows = manifest_rows(&manifests, opts.manifest.is_some(), sources, &feedback);
    if sources.is_empty() && collection.failed.is_empty() {
        feedback.problem("quotetrail: no .txt articles found");
    }

    let mut store = Store::open(db, OpenMode::Create)?;
    let mut batch = store.batch()?;
    batch.put_registry(registry)?;
    batch.commit()?;

    let mut pool = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("analyze-{i}"));
    if let Some(jobs) = opts.jobs {
        pool = pool.num_threads(jobs.get());
    }
    let pool = pool.build().context("starting the analysis threads")?;
    feedback.start(sources.len());
    let mut speakers = foldhash::HashSet::default();
    // The writer is the thread the ingest waits for: the log's
    // checkpoints run beside it (see store::checkpoint).
    let checkpointer = store.checkpoint_in_background()?;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        // Up to three chunks analysed ahead of the one being written: the
        // cores analyse while SQLite writes, and go on while the writer
        // commits or waits for a checkpoint (with one, the 100k ingest
        // phase took 7.8-9.1 s against 7.1-9.2 s in three interleaved
        // runs). Memory holds eight chunks at most, four of them in the
        // writer's open transaction.
        let (results, received) = sync_channel::<Vec<Outcome>>(3);
        let loader = std::thread::Builder::new()
            .name("loader".into())
            .spawn_scoped(scope, move || -> anyhow::Result<()> {
                // A connection of the loader's own, to look up what is stored.
                let stored = Store::open(db, OpenMode::Lookup)?;
                let lookup = |chunk: &[Source]| {
                    stored.stored_articles(chunk.iter().map(|source| source.path.as_str()))
                };
                article::prefetch(&sources[..sources.len().min(AHEAD * CHUNK)]);
                let mut known = match sources.chunks(CHUNK).next() {
                    Some(first) => lookup(first)?,
                    None => Vec::new(),
                };
                for (i, (chunk, chunk_rows)) in
                    sources.chunks(CHUNK).zip(rows.chunks(CHUNK)).enumerate()
                {
                    // The files of the chunks ahead are asked for while this
                    // one is analysed, by one of its threads: on the
                    // loader's own thread, asking for 1,024 files delayed
                    // every chunk, and a cached re-ingest (whose loader is
                    // its critical path) took 1.9-2.2 s at 100k instead of
                    // 1.5-1.6. Uncached, one takes 3.3-4.1 s against
                    // 7.8-8.8 s without read-ahead.
                    let ahead = sources.chunks(CHUNK).nth(i + AHEAD).unwrap_or_default();
                    let next = sources.chunks(CHUNK).nth(i + 1);
                    let mut outcomes = Vec::new();
                    // Meanwhile this thread looks the next chunk up: a
                    // re-ingest of 100k unchanged articles took 1.98-2.05 s
                    // with the look-ups in turn with the analysis, and
                    // 1.72-1.89 s with them beside it.
                    let next_known = pool.in_place_scope(|analysis| {
                        analysis.spawn(|_| {
                            rayon::join(
                                || article::prefetch(ahead),
                                || {
                                    outcomes = chunk
                                        .par_iter()
                                        .zip(chunk_rows)
                                        .zip(&known)
                                        .map_init(
                                            Scratch::default,
                                            |scratch, ((source, row), known)| {
                                                load_and_analyze(
                                                    source,
                                                    *row,
                                                    known.as_ref(),
                                                    registry,
                                                    scratch,
                                                )
                                            },
                                        )
                                        .collect::<Vec<Outcome>>();
                                },
                            );
                        });
                        next.map(lookup).transpose()
                    });
                    if results.send(outcomes).is_err() {
                        break; // the writer stopped; it reports why
                    }
                    // A failed look-up stops the loader after this chunk
                    // is handed over, as it did before its analysis.
                    known = next_known?.unwrap_or_default();
                }
                Ok(())
            })
            .context("starting the article loader")?;
        let mut tally = Tally {
            feedback: &feedback,
            summary: &mut summary,
            speakers: &mut speakers,
        };
        let written = write_chunks(&mut store, &checkpointer, received, &mut tally);
        // The loader stops when the channel's receiver is gone.
        let loaded = loader
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the article loader stopped unexpectedly")));
        written.and(loaded)
    })?;
    if let Err(err) = checkpointer.finish(&store) {
        feedback.note(format_args!(
            "quotetrail: {err:#}; the log is checkpointed as usual from here on"
        ));
    }
    summary.speakers = speakers.len();
    feedback.grouping();
    let grouping = Instant::now();

    let scope = if opts.regroup {
        Scope::All
    } else {
        Scope::Changed
    };
    let grouped = store
        .regroup(&crate::group::Options::default(), scope)
        .context("grouping quotations into utterances")?;
    feedback.finish();
    summary.regrouped = grouped.quotations;
    summary.utterances = grouped.utterances;
    summary.grouping = grouping.elapsed();
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Load one article and analyse it in `scratch`, unless its content is
/// the one stored (`known`).
fn load_and_analyze(
    source: &Source,
    row: Option<&ManifestRow>,
    known: Option<&StoredArticle>,
    registry: &Registry,
    scratch: &mut Scratch,
) -> Outcome {
    let loaded = article::load(source, row)?;
    let work = match known {
        Some(known) if known.content_hash == loaded.article.content_hash => {
            if known.meta == loaded.article.meta {
                Work::Unchanged(known.id)
            } else {
                Work::Refresh
            }
        }
        _ => Work::Store(analyze_guarded(&loaded, registry, scratch)?),
    };
    Ok((loaded, work))
}

/// A chunk's articles, its problems and notes reported, each with the
/// work the loader found for it.
type Chunk = Vec<(Article, Work)>;

/// Sort a chunk's outcomes out: report its problems (counted as failed,
/// and done) and notes, keep its articles.
fn sort_out(outcomes: Vec<Outcome>, tally: &mut Tally) -> Chunk {
    let mut articles = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        match outcome {
            Ok((loaded, work)) => {
                for note in &loaded.notes {
                    tally.feedback.note(note);
                }
                articles.push((loaded.article, work));
            }
            Err(problem) => {
                tally.feedback.problem(&problem);
                tally.feedback.advance(1);
                tally.summary.failed += 1;
            }
        }
    }
    articles
}

/// The articles of `chunk` that are written: stored with their analysis,
/// or kept with their metadata refreshed (no analysis).
fn writes(chunk: &Chunk) -> Vec<(&Article, Option<&Analysis>)> {
    chunk
        .iter()
        .filter_map(|(article, work)| match work {
            Work::Store(analysis) => Some((article, Some(analysis))),
            Work::Refresh => Some((article, None)),
            Work::Unchanged(_) => None,
        })
        .collect()
}

/// Write the chunks as they come, [`CHUNKS_PER_COMMIT`] to a
/// transaction, and tally each once its transaction is committed. A
/// chunk of unchanged articles opens no transaction, so a re-ingest of
/// an unchanged corpus writes nothing.
///
/// If a chunk fails to store, its transaction is rolled back, and its
/// chunks are written again one transaction each, article by article in
/// a savepoint each, so a bad article costs only itself. The `Err` is a
/// failure of the database as a whole: what was committed stays.
fn write_chunks(
    store: &mut Store,
    checkpointer: &Checkpointer,
    chunks: impl IntoIterator<Item = Vec<Outcome>>,
    tally: &mut Tally,
) -> anyhow::Result<()> {
    let mut chunks = chunks.into_iter();
    while let Some(outcomes) = chunks.next() {
        let chunk = sort_out(outcomes, tally);
        if chunk
            .iter()
            .all(|(_, work)| matches!(work, Work::Unchanged(_)))
        {
            tally.chunk(&chunk, Vec::new());
            continue;
        }
        // The chunks written in this transaction, with what each stored.
        let mut written: Vec<(Chunk, Vec<Stored>)> = Vec::new();
        let mut failed = None;
        {
            let mut batch = store.batch()?;
            let mut next = Some(chunk);
            while let Some(chunk) = next.take() {
                match batch.put_articles(writes(&chunk)) {
                    Ok(stored) => written.push((chunk, stored)),
                    Err(_) => {
                        failed = Some(chunk);
                        break;
                    }
                }
                if written.len() < CHUNKS_PER_COMMIT {
                    next = chunks.next().map(|outcomes| sort_out(outcomes, tally));
                }
            }
            if failed.is_none() {
                batch.commit()?;
                checkpointer.committed();
            }
            // A failed batch is rolled back as it is dropped here.
        }
        if let Some(failed) = failed {
            for chunk in written.into_iter().map(|(chunk, _)| chunk).chain([failed]) {
                let stored = write_one_by_one(store, checkpointer, &writes(&chunk))?;
                tally.chunk(&chunk, stored);
            }
        } else {
            for (chunk, stored) in written {
                tally.chunk(&chunk, stored.into_iter().map(Ok).collect());
            }
        }
    }
    Ok(())
}

/// Write `articles` (with an analysis: store them; without: refresh
/// their metadata) in one transaction, each in a savepoint of its own.
/// The outer `Err` is a failure of the batch as a whole.
fn write_one_by_one(
    store: &mut Store,
    checkpointer: &Checkpointer,
    articles: &[(&Article, Option<&Analysis>)],
) -> anyhow::Result<Vec<anyhow::Result<Stored>>> {
    if articles.is_empty() {
        return Ok(Vec::new());
    }
    let mut batch = store.batch()?;
    let stored = articles
        .iter()
        .map(|&(article, analysis)| match analysis {
            Some(analysis) => batch.put_article(article, analysis),
            None => batch.keep_article(article),
        })
        .collect();
    batch.commit()?;
    checkpointer.committed();
    Ok(stored)
}

/// What an ingest counts as its chunks are committed.
struct Tally<'a> {
    feedback: &'a Feedback,
    summary: &'a mut Summary,
    speakers: &'a mut foldhash::HashSet<String>,
}

impl Tally<'_> {
    /// Count a committed chunk: `stored` holds what each of its written
    /// articles ([`writes`]) stored, in order.
    fn chunk(&mut self, chunk: &Chunk, stored: Vec<anyhow::Result<Stored>>) {
        let summary = &mut *self.summary;
        let mut stored = stored.into_iter();
        for (article, work) in chunk {
            summary.bytes += article.bytes;
            let stored = match work {
                Work::Unchanged(id) => Ok(Stored {
                    article_id: *id,
                    change: Change::Unchanged,
                    quotations: 0,
                }),
                Work::Store(_) | Work::Refresh => stored.next().unwrap_or_else(|| {
                    Err(anyhow::anyhow!(
                        "the batch returned fewer articles than it was given"
                    ))
                }),
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
                    let Work::Store(analysis) = work else {
                        continue;
                    };
                    for speaker in analysis
                        .quotations
                        .iter()
                        .filter_map(|q| q.attribution.speaker.as_ref())
                    {
                        if !self.speakers.contains(&speaker.name) {
                            self.speakers.insert(speaker.name.clone());
                        }
                    }
                }
                Err(err) => {
                    self.feedback
                        .problem(format_args!("{}: {err:#}", article.path));
                    summary.failed += 1;
                }
            }
        }
        self.feedback.advance(chunk.len());
    }
}

/// How an ingest talks to the user, on stderr: problems always, notes
/// unless `--quiet`, and a progress bar with articles/s and an ETA when
/// stderr is a terminal. Messages are printed above the bar.
struct Feedback {
    quiet: bool,
    bar: Option<ProgressBar>,
}

impl Feedback {
    fn new(opts: &IngestOptions) -> Feedback {
        let bar = (opts.progress && !opts.quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg:9} [{bar:30}] {human_pos}/{human_len} articles, \
                     {per_sec:.0} ({elapsed} elapsed, ETA {eta})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar
        });
        Feedback {
            quiet: opts.quiet,
            bar,
        }
    }

    fn print(&self, message: &dyn fmt::Display) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{message}")),
            None => eprintln!("{message}"),
        }
    }

    fn problem(&self, message: impl fmt::Display) {
        self.print(&message);
    }

    fn note(&self, message: impl fmt::Display) {
        if !self.quiet {
            self.print(&message);
        }
    }

    fn start(&self, articles: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(articles as u64);
            bar.set_message("ingesting");
        }
    }

    fn advance(&self, articles: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(articles as u64);
        }
    }

    fn grouping(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message("grouping");
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Analyse one article. A panic in the analysis is a bug, but it should
/// cost one article, not the batch: it becomes that article's problem.
fn analyze_guarded(
    loaded: &Loaded,
    registry: &Registry,
    scratch: &mut Scratch,
) -> Result<Analysis, Problem> {
    let text = &loaded.article.text;
    // After a panic the buffers may hold anything: the next analysis
    // clears each before it fills it.
    catch_unwind(AssertUnwindSafe(|| analyze_with(text, registry, scratch))).map_err(|panic| {
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
    manifests: &'m [Option<Manifest>],
    explicit: bool,
    sources: &[Source],
    feedback: &Feedback,
) -> Vec<Option<&'m ManifestRow>> {
    let mut used = HashSet::new();
    let rows = sources
        .iter()
        .map(|source| {
            let m = if explicit { Some(0) } else { source.manifest };
            let manifest = manifests.get(m?)?.as_ref()?;
            let r = manifest.row_for(source)?;
            used.insert((m, r));
            manifest.rows.get(r)
        })
        .collect();
    for (m, manifest) in manifests.iter().enumerate() {
        let Some(manifest) = manifest else { continue };
        for warning in &manifest.warnings {
            feedback.problem(warning);
        }
        for (r, row) in manifest.rows.iter().enumerate() {
            if !used.contains(&(Some(m), r)) {
                feedback.problem(format_args!(
                    "{}: {} is not among the ingested articles",
                    manifest.path.display(),
                    row.file
                ));
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
    out: &mut (dyn Write + Send),
) -> anyhow::Result<usize> {
    let filter = Filter {
        articles: Some(articles.to_vec()),
        ..Filter::default()
    };
    let mut sink = Sink::<QuotationRow>::new(out, format);
    store.each_quotation(&filter, |row| Ok(sink.push(row)?))?;
    Ok(sink.finish()?)
}
