//! The queries behind the listings: quotations (filtered or searched) and
//! speakers.
//!
//! Rows come out in a fixed order (article path, then offset; ties broken
//! by id) so two runs over the same database print the same thing. Filters
//! are bound as JSON arrays and unpacked with `json_each`, which keeps each
//! query one static, cached statement whatever the number of ids.
//!
//! A quotation listing reads on one thread and prints on another (see
//! `each_row`): SQLite's work, which must stay on the thread that owns the
//! connection, is most of a listing's time, and the rest now happens
//! beside it rather than after each row.
//!
//! Name matching ("putin", "DMITRI PESKOV", "Kremlin spokesman") happens
//! here in Rust with [`fold`], not in SQL: SQLite's `lower()` knows
//! only ASCII, and the same folding is what the registry matcher uses.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

use anyhow::{Context, anyhow, bail};
use rusqlite::types::ValueRef;
use rusqlite::{CachedStatement, Connection, ErrorCode, OptionalExtension, Row, params};
use serde::Serialize;

use crate::fold::{fold, fold_into};

use super::{ArticleId, OutletId, SpeakerId, Store};

/// One quotation as every listing and the export print it.
///
/// The field names are a contract with external readers (the scorer reads
/// `export --format jsonl`): keep them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QuotationRow {
    /// The article's path as ingested.
    pub article: String,
    pub outlet: String,
    /// Byte offsets of the quoted words (without marks) in the article text.
    pub start: i64,
    pub end: i64,
    /// Exactly the text between `start` and `end`.
    pub quote: String,
    pub speaker: Option<String>,
    /// Byte offsets of the mention the attribution rests on.
    pub speaker_span: Option<[i64; 2]>,
    /// The speech cue's text ("said").
    pub cue: Option<String>,
    /// The intermediary the article credits ("TASS").
    pub cited: Option<String>,
    /// The utterance (statement) the quotation reports: its stable key,
    /// null until the quotation is grouped.
    pub utterance: Option<String>,
    /// The rendering (wording family) of that utterance it belongs to.
    pub rendering: Option<String>,
    pub form: String,
    pub partial: bool,
    pub rule: String,
    pub confidence: f64,
    pub published: Option<String>,
    /// Whether `speaker` was taken from other articles' quotations of the
    /// same utterance (the article itself names nobody, or only a role).
    pub speaker_inferred: bool,
}

/// One speaker with the number of quotations attributed to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpeakerRow {
    pub speaker: String,
    pub kind: String,
    pub gender: Option<String>,
    /// Whether the speaker comes from the registry (else discovered).
    pub registered: bool,
    pub quotations: i64,
}

/// Which quotations to list. `None` means no restriction; an empty list
/// matches nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub speakers: Option<Vec<SpeakerId>>,
    pub outlets: Option<Vec<OutletId>>,
    pub articles: Option<Vec<ArticleId>>,
}

/// The columns and joins every quotation listing shares, as a literal so
/// `concat!` can finish each query.
///
/// Shaped by migrations/0004_listing_indexes.sql: the article's path is
/// the quotation's own copy (so `quotations_listing` can hold the listing
/// order), and the rendering's key comes with the membership (the
/// utterance's key is its first part, see [`utterance_of`]). The
/// article's outlet and date are the quotation's copies too
/// (migrations/0009_quotations_outlet.sql): the article is not looked up
/// at all. Outlets and speakers are named from [`Names`], not joined.
macro_rules! select_quotations {
    () => {
        "SELECT q.article_path, q.outlet_id, q.start, q.end, q.text, q.speaker_id,
                q.mention_start, q.mention_end, q.cue, q.cited, q.form, q.partial, q.rule,
                q.confidence, q.published, qr.rendering_key, inf.speaker_id
         FROM quotations AS q
         LEFT JOIN quotation_renderings AS qr ON qr.quotation_id = q.id
         LEFT JOIN inferred_speakers AS inf ON inf.quotation_id = q.id "
    };
}

/// The utterance of a rendering: a rendering's key is its utterance's key,
/// `/` and a slug of its label (`u2b40bbdeea4e/tass`, see
/// [`crate::group::Rendering::id`]).
fn utterance_of(rendering: &str) -> &str {
    rendering
        .split_once('/')
        .map_or(rendering, |(utterance, _)| utterance)
}

/// Set `field` to `value`, reusing the field's allocation.
fn set(field: &mut String, value: &str) {
    field.clear();
    field.push_str(value);
}

/// Set an optional `field` to `value`, reusing the field's allocation.
fn set_opt(field: &mut Option<String>, value: Option<&str>) {
    match (field.as_mut(), value) {
        (Some(f), Some(v)) => set(f, v),
        (None, Some(v)) => *field = Some(v.to_owned()),
        (_, None) => *field = None,
    }
}

/// The number of columns of [`select_quotations!`].
const COLUMNS: usize = 17;

/// The names a listing prints for the outlet and speaker ids of its
/// rows, where joining `outlets` and `speakers` was a lookup per listed
/// row (two for an inferred speaker). Held by the printing thread.
///
/// Every outlet is read at once (a few hundred rows). Speakers are many
/// more (ten thousand at 100k articles, most named once), and a listing
/// names few of them thousands of times, so the reading thread looks
/// each up the first time it meets it ([`SpeakerLookup`]) and hands the
/// name over with the batch that needs it.
struct Names {
    outlets: HashMap<OutletId, String>,
    /// Speakers met so far; an id with no row (as the join's null was)
    /// is not here.
    speakers: HashMap<SpeakerId, String>,
}

impl Names {
    fn new(conn: &Connection) -> rusqlite::Result<Names> {
        let mut stmt = conn.prepare_cached("SELECT id, name FROM outlets")?;
        let outlets = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Names {
            outlets,
            speakers: HashMap::new(),
        })
    }

    fn outlet(&self, id: OutletId) -> &str {
        // articles.outlet_id is a foreign key: every id is there.
        self.outlets.get(&id).map_or("", String::as_str)
    }

    /// The name of speaker `id`, if there is one.
    fn speaker(&self, id: SpeakerId) -> Option<&str> {
        self.speakers.get(&id).map(String::as_str)
    }
}

/// The speakers a listing has met, on the reading thread: each one's
/// name is looked up the first time, inside the listing's own read so it
/// sees the same state of the database, and handed to the printing
/// thread's [`Names`] with the batch whose rows name it.
struct SpeakerLookup<'c> {
    /// Whether each speaker met has a row.
    named: HashMap<SpeakerId, bool>,
    /// The last speaker met, asked about again without hashing: a
    /// listing by speaker meets the same one row after row.
    last: Option<(SpeakerId, bool)>,
    name: CachedStatement<'c>,
}

impl<'c> SpeakerLookup<'c> {
    fn new(conn: &'c Connection) -> rusqlite::Result<SpeakerLookup<'c>> {
        Ok(SpeakerLookup {
            named: HashMap::new(),
            last: None,
            name: conn.prepare_cached("SELECT name FROM speakers WHERE id = ?1")?,
        })
    }

    /// Whether speaker `id` has a name; met for the first time, its name
    /// goes into `batch`.
    fn meet(&mut self, id: SpeakerId, batch: &mut Batch) -> rusqlite::Result<bool> {
        if let Some((last, named)) = self.last
            && last == id
        {
            return Ok(named);
        }
        let named = match self.named.entry(id) {
            Entry::Occupied(known) => *known.get(),
            Entry::Vacant(new) => {
                let name: Option<String> =
                    self.name.query_row([id], |row| row.get(0)).optional()?;
                let named = name.is_some();
                batch.speakers.extend(name.map(|name| (id, name)));
                *new.insert(named)
            }
        };
        self.last = Some((id, named));
        Ok(named)
    }
}

/// A value of a listed row as SQLite gave it, copied out of the row for
/// the printing thread: text is a range of its [`Batch::text`], not yet
/// checked to be UTF-8.
#[derive(Clone, Copy, Debug)]
enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text { start: usize, end: usize },
    Blob,
}

/// How many rows the reading thread hands the printing thread at a time:
/// enough that handing over costs nothing per row, few enough that the
/// first rows are printed at once.
const BATCH_ROWS: usize = 256;

/// How many batches exist at once: one being filled, one being printed,
/// and two waiting, so neither thread waits on the other's every hiccup.
/// They are handed back and forth, so a listing allocates for these rows
/// only, whatever its length.
const BATCHES: usize = 4;

/// Rows read from SQLite, handed to the printing thread and handed back
/// to be filled again, keeping their allocations.
///
/// What the reading thread does per row is all a listing's time that
/// cannot be shared, so a batch holds the values as SQLite gave them:
/// checking the text is UTF-8, naming outlets and speakers and filling a
/// [`QuotationRow`] happen on the printing thread (`read_quotation_row`).
#[derive(Default)]
struct Batch {
    /// The rows' values, [`COLUMNS`] a row.
    values: Vec<Value>,
    /// The bytes of the rows' text values, one after the other.
    text: Vec<u8>,
    /// The speakers the rows name that the listing met for the first
    /// time, with their names (see [`SpeakerLookup`]).
    speakers: Vec<(SpeakerId, String)>,
}

impl Batch {
    /// Copy a row of [`select_quotations!`] into the batch, and meet its
    /// speakers: the inferred one, else the article's own (as
    /// `read_quotation_row` names them).
    fn push(&mut self, row: &Row<'_>, speakers: &mut SpeakerLookup<'_>) -> rusqlite::Result<()> {
        for i in 0..COLUMNS {
            let value = match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::Integer(n),
                ValueRef::Real(x) => Value::Real(x),
                ValueRef::Text(text) => {
                    let start = self.text.len();
                    self.text.extend_from_slice(text);
                    Value::Text {
                        start,
                        end: self.text.len(),
                    }
                }
                ValueRef::Blob(_) => Value::Blob,
            };
            self.values.push(value);
        }
        let first = self.values.len() - COLUMNS;
        let speaker = |values: &[Value], i| match values.get(first + i) {
            Some(&Value::Integer(id)) => Some(SpeakerId(id)),
            _ => None,
        };
        let (inferred, own) = (speaker(&self.values, 16), speaker(&self.values, 5));
        let inferred = match inferred {
            Some(id) => speakers.meet(id, self)?,
            None => false,
        };
        if !inferred && let Some(id) = own {
            speakers.meet(id, self)?;
        }
        Ok(())
    }

    fn len(&self) -> usize {
        self.values.len() / COLUMNS
    }

    fn clear(&mut self) {
        self.values.clear();
        self.text.clear();
        self.speakers.clear();
    }

    /// Each row's values.
    fn rows(&self) -> impl Iterator<Item = Listed<'_>> {
        self.values.chunks_exact(COLUMNS).map(|values| Listed {
            values,
            text: &self.text,
        })
    }
}

/// One row of a [`Batch`], read column by column with the checks
/// rusqlite's `Row::get` made: the wrong type is an error naming the
/// column, never a panic.
struct Listed<'b> {
    values: &'b [Value],
    text: &'b [u8],
}

impl<'b> Listed<'b> {
    fn value(&self, i: usize) -> Value {
        self.values.get(i).copied().unwrap_or(Value::Null)
    }

    fn wrong(&self, i: usize, wanted: &str) -> anyhow::Error {
        anyhow!(
            "column {i} of a listed quotation is {:?}, not {wanted}",
            self.value(i)
        )
    }

    fn opt_text(&self, i: usize) -> anyhow::Result<Option<&'b str>> {
        match self.value(i) {
            Value::Null => Ok(None),
            Value::Text { start, end } => {
                let bytes = self.text.get(start..end).unwrap_or_default();
                let text = std::str::from_utf8(bytes)
                    .with_context(|| format!("column {i} of a listed quotation"))?;
                Ok(Some(text))
            }
            _ => Err(self.wrong(i, "text")),
        }
    }

    fn text(&self, i: usize) -> anyhow::Result<&'b str> {
        self.opt_text(i)?.ok_or_else(|| self.wrong(i, "text"))
    }

    fn opt_int(&self, i: usize) -> anyhow::Result<Option<i64>> {
        match self.value(i) {
            Value::Null => Ok(None),
            Value::Integer(n) => Ok(Some(n)),
            _ => Err(self.wrong(i, "an integer")),
        }
    }

    fn int(&self, i: usize) -> anyhow::Result<i64> {
        self.opt_int(i)?.ok_or_else(|| self.wrong(i, "an integer"))
    }

    /// A real, or an integer taken as one (as rusqlite reads an `f64`).
    fn real(&self, i: usize) -> anyhow::Result<f64> {
        match self.value(i) {
            Value::Real(x) => Ok(x),
            Value::Integer(n) => Ok(n as f64),
            _ => Err(self.wrong(i, "a number")),
        }
    }
}

/// Fill `out` from a listed row (the columns of [`select_quotations!`]),
/// reusing its strings: a listing of 50,000 rows then allocates for the
/// first rows only.
fn read_quotation_row(
    row: &Listed<'_>,
    names: &Names,
    out: &mut QuotationRow,
) -> anyhow::Result<()> {
    set(&mut out.article, row.text(0)?);
    set(&mut out.outlet, names.outlet(OutletId(row.int(1)?)));
    out.start = row.int(2)?;
    out.end = row.int(3)?;
    set(&mut out.quote, row.text(4)?);
    // The speaker inferred across articles, else the article's own.
    let inferred = row.opt_int(16)?.and_then(|id| names.speaker(SpeakerId(id)));
    out.speaker_inferred = inferred.is_some();
    let speaker = match inferred {
        Some(name) => Some(name),
        None => row.opt_int(5)?.and_then(|id| names.speaker(SpeakerId(id))),
    };
    set_opt(&mut out.speaker, speaker);
    out.speaker_span = match (row.opt_int(6)?, row.opt_int(7)?) {
        (Some(s), Some(e)) => Some([s, e]),
        _ => None,
    };
    set_opt(&mut out.cue, row.opt_text(8)?);
    set_opt(&mut out.cited, row.opt_text(9)?);
    set(&mut out.form, row.text(10)?);
    out.partial = row.int(11)? != 0;
    set(&mut out.rule, row.text(12)?);
    out.confidence = row.real(13)?;
    set_opt(&mut out.published, row.opt_text(14)?);
    let rendering = row.opt_text(15)?;
    set_opt(&mut out.utterance, rendering.map(utterance_of));
    set_opt(&mut out.rendering, rendering);
    Ok(())
}

/// Call `each` on every row `rows` yields, in order; returns how many
/// there were.
///
/// Two threads share the work: this one steps the statement and copies
/// each row into a [`Batch`], another fills a [`QuotationRow`] from it and
/// calls `each` (for a listing: formats and writes it). SQLite's part is
/// most of a listing, so the rest happens while the next rows are read.
/// The statement, the connection and the speaker look-ups stay on this
/// thread, so every row comes from the one read transaction, as before.
///
/// Either side's error stops the other: when `each` fails (stdout closed),
/// the printer lets go of its channels and the reader stops at its next
/// batch; when reading fails, the printer prints the rows read before the
/// error and stops. The error returned is the printer's if it failed,
/// since then the reader only stopped because of it.
fn each_row(
    mut rows: rusqlite::Rows<'_>,
    mut speakers: SpeakerLookup<'_>,
    mut names: Names,
    mut each: impl FnMut(&QuotationRow) -> anyhow::Result<()> + Send,
    on_error: impl Fn(rusqlite::Error) -> anyhow::Error,
) -> anyhow::Result<usize> {
    std::thread::scope(|scope| {
        let (full, to_print) = sync_channel::<Batch>(BATCHES);
        let (empty, to_fill) = channel::<Batch>();
        let printer = std::thread::Builder::new()
            .name("listing printer".into())
            .spawn_scoped(scope, move || -> anyhow::Result<()> {
                let mut current = QuotationRow::default();
                for mut batch in to_print {
                    names.speakers.extend(batch.speakers.drain(..));
                    for row in batch.rows() {
                        read_quotation_row(&row, &names, &mut current)?;
                        each(&current)?;
                    }
                    // The reader gone, the batch is not needed again.
                    let _ = empty.send(batch);
                }
                Ok(())
            })
            .context("starting the listing's printer thread")?;
        let read = read_batches(&mut rows, &mut speakers, full, to_fill, &on_error);
        let printed = printer
            .join()
            .unwrap_or_else(|_| Err(anyhow!("the listing's printer thread stopped unexpectedly")));
        printed.and(read)
    })
}

/// Read every row of `rows` into batches sent to `full`, taking empty
/// ones back from `to_fill`; returns how many rows were read. Stops early,
/// without an error, when the printer is gone: it says why.
fn read_batches(
    rows: &mut rusqlite::Rows<'_>,
    speakers: &mut SpeakerLookup<'_>,
    full: SyncSender<Batch>,
    to_fill: Receiver<Batch>,
    on_error: impl Fn(rusqlite::Error) -> anyhow::Error,
) -> anyhow::Result<usize> {
    let mut made = 1;
    let mut batch = Batch::default();
    let mut n = 0;
    while let Some(row) = rows.next().map_err(&on_error)? {
        batch.push(row, speakers)?;
        n += 1;
        if batch.len() == BATCH_ROWS {
            if full.send(batch).is_err() {
                return Ok(n);
            }
            batch = match to_fill.try_recv() {
                Ok(batch) => batch,
                Err(_) if made < BATCHES => {
                    made += 1;
                    Batch::default()
                }
                Err(_) => match to_fill.recv() {
                    Ok(batch) => batch,
                    Err(_) => return Ok(n),
                },
            };
            batch.clear();
        }
    }
    if batch.len() > 0 {
        // A printer gone has its own error to report.
        let _ = full.send(batch);
    }
    Ok(n)
}

fn json_ids<T: Serialize>(ids: &Option<Vec<T>>) -> anyhow::Result<Option<String>> {
    Ok(ids.as_ref().map(serde_json::to_string).transpose()?)
}

/// The listing query for `filter`: its parameters are the JSON lists of
/// speaker, outlet and article ids (null for no restriction).
///
/// Each filter is `?N IS NULL OR …`, which SQLite answers by scanning
/// every quotation; so the statement is chosen by the filter that can
/// drive the query through an index (a speaker's quotations, an ingest's
/// articles, an outlet's articles), and the others are checked on the
/// rows it finds.
fn listing_sql(filter: &Filter) -> &'static str {
    macro_rules! filtered {
        ($driver:literal, $speakers:literal) => {
            concat!(
                select_quotations!(),
                "WHERE ",
                $driver,
                $speakers,
                "
                   AND (?2 IS NULL OR q.outlet_id IN (SELECT value FROM json_each(?2)))
                   AND (?3 IS NULL OR q.article_id IN (SELECT value FROM json_each(?3)))
                 ORDER BY q.article_path, q.start, q.id"
            )
        };
        ($driver:literal) => {
            filtered!(
                $driver,
                "
                   AND (?1 IS NULL OR q.speaker_id IN (SELECT value FROM json_each(?1)))"
            )
        };
    }
    match &filter.speakers {
        // One speaker (the usual case): quotations_listing holds their
        // rows in the order asked for, so SQLite streams them without
        // sorting. Several speakers' rows come from several ranges of
        // the index and are sorted together.
        Some(ids) if ids.len() == 1 => {
            filtered!("q.speaker_id = json_extract(?1, '$[0]')", "")
        }
        Some(_) => filtered!("q.speaker_id IN (SELECT value FROM json_each(?1))", ""),
        None if filter.articles.is_some() => {
            filtered!("q.article_id IN (SELECT value FROM json_each(?3))")
        }
        None if filter.outlets.is_some() => filtered!(
            "q.article_id IN (SELECT id FROM articles
                              WHERE outlet_id IN (SELECT value FROM json_each(?2)))"
        ),
        None => filtered!("1"),
    }
}

impl Store {
    /// Call `each` on every quotation that passes `filter`, ordered by
    /// article path then start offset; returns how many there were.
    /// Streaming, so an export of a large database holds a few hundred
    /// rows at a time, filled again and again; `each` runs on a thread of
    /// its own while the next rows are read (see `each_row`).
    pub fn each_quotation(
        &self,
        filter: &Filter,
        each: impl FnMut(&QuotationRow) -> anyhow::Result<()> + Send,
    ) -> anyhow::Result<usize> {
        let names = Names::new(&self.conn)?;
        let speakers = SpeakerLookup::new(&self.conn)?;
        let mut stmt = self.conn.prepare_cached(listing_sql(filter))?;
        let params = params![
            json_ids(&filter.speakers)?,
            json_ids(&filter.outlets)?,
            json_ids(&filter.articles)?
        ];
        each_row(
            stmt.query(params)?,
            speakers,
            names,
            each,
            anyhow::Error::new,
        )
    }

    /// Quotations whose text matches the FTS5 query `query`, best match
    /// first (bm25), ties in path and offset order. Bad FTS5 syntax is an
    /// error that says so.
    pub fn search(
        &self,
        query: &str,
        each: impl FnMut(&QuotationRow) -> anyhow::Result<()> + Send,
    ) -> anyhow::Result<usize> {
        let names = Names::new(&self.conn)?;
        let speakers = SpeakerLookup::new(&self.conn)?;
        let mut stmt = self.conn.prepare_cached(concat!(
            select_quotations!(),
            "JOIN quotations_fts ON quotations_fts.rowid = q.id
             WHERE quotations_fts MATCH ?1
             ORDER BY quotations_fts.rank, q.article_path, q.start, q.id"
        ))?;
        // The statement itself is static and prepared above, so a plain
        // SQL error from running it comes from the FTS5 query text
        // ("fts5: syntax error near ...", "unterminated string").
        let invalid = |err: rusqlite::Error| -> anyhow::Error {
            match err {
                rusqlite::Error::SqliteFailure(e, message) if e.code == ErrorCode::Unknown => {
                    let why = message.unwrap_or_else(|| e.to_string());
                    anyhow::anyhow!(
                        "invalid search {query:?}: {why} \
                         (put text in double quotes to search for it as it is)"
                    )
                }
                err => anyhow::Error::new(err).context(format!("searching for {query:?}")),
            }
        };
        let rows = stmt.query([query]).map_err(invalid)?;
        each_row(rows, speakers, names, each, invalid)
    }

    /// Every speaker with their quotation count, most quoted first, then by
    /// name.
    pub fn speakers(&self) -> anyhow::Result<Vec<SpeakerRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.name, s.kind, s.gender, s.registered, count(q.id) AS quotations
             FROM speakers AS s
             LEFT JOIN quotations AS q ON q.speaker_id = s.id
             GROUP BY s.id
             ORDER BY quotations DESC, s.name",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(SpeakerRow {
                speaker: row.get(0)?,
                kind: row.get(1)?,
                gender: row.get(2)?,
                registered: row.get(3)?,
                quotations: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ids of the speakers `name` designates, forgivingly: a speaker's
    /// name, alias or role in any case and with or without accents, or a
    /// surname alone ("putin", "Sergey Lavrov", "DMITRI PESKOV", "Kremlin
    /// spokesman"). Empty when nobody matches.
    pub fn find_speakers(&self, name: &str) -> anyhow::Result<Vec<SpeakerId>> {
        let wanted = fold(name.trim());
        if wanted.is_empty() {
            bail!("the speaker name is empty");
        }
        // Names are read borrowed, each table on its own: every listing
        // by speaker starts here, and a join of the ten thousand speakers
        // of a large database with their aliases, each name copied, cost
        // more than a small listing itself. Each is folded into one
        // buffer, not a new string.
        let mut ids = BTreeSet::new();
        let mut folded = String::new();
        let mut stmt = self.conn.prepare_cached("SELECT id, name FROM speakers")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            folded.clear();
            fold_into(row.get_ref(1)?.as_str()?, &mut folded);
            let surname = folded.split_whitespace().next_back().unwrap_or_default();
            if surname == wanted || folded == wanted {
                ids.insert(row.get::<_, SpeakerId>(0)?);
            }
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT speaker_id, alias FROM speaker_aliases")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            folded.clear();
            fold_into(row.get_ref(1)?.as_str()?, &mut folded);
            if folded == wanted {
                ids.insert(row.get::<_, SpeakerId>(0)?);
            }
        }
        Ok(ids.into_iter().collect())
    }

    /// The ids of the outlets named `name`, compared folded ("Arise.TV").
    pub fn find_outlets(&self, name: &str) -> anyhow::Result<Vec<OutletId>> {
        let wanted = fold(name.trim());
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name FROM outlets ORDER BY id")?;
        let rows = stmt.query_map([], |row| {
            Ok((row.get::<_, OutletId>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut ids = Vec::new();
        for row in rows {
            let (id, outlet) = row?;
            if fold(&outlet) == wanted {
                ids.push(id);
            }
        }
        Ok(ids)
    }
}

#[cfg(test)]
impl Store {
    /// What SQLite plans for `sql`, one step a line (its parameters
    /// bound to null: the plan does not depend on them), for tests that
    /// a query is answered through the indexes it was written for.
    pub(crate) fn query_plan(&self, sql: &str) -> Vec<String> {
        let mut stmt = self
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let nulls = std::iter::repeat_n(rusqlite::types::Null, stmt.parameter_count());
        stmt.query_map(rusqlite::params_from_iter(nulls), |row| row.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_speakers_listing_is_index_lookups_without_a_sort() {
        let store = Store::open_in_memory().unwrap();
        let filter = Filter {
            speakers: Some(vec![SpeakerId(1)]),
            ..Filter::default()
        };
        let plan = store.query_plan(listing_sql(&filter));
        let step = "SEARCH q USING INDEX quotations_listing (speaker_id=?)";
        assert!(plan.iter().any(|s| s == step), "{step} not in {plan:#?}");
        // The article's outlet and date are the quotation's copies.
        assert!(!plan.iter().any(|s| s.contains("articles")), "{plan:#?}");
        // The only scans are of the bound id lists.
        let scans_a_table = |s: &String| s.starts_with("SCAN") && !s.contains("json_each");
        assert!(
            !plan
                .iter()
                .any(|s| scans_a_table(s) || s.contains("TEMP B-TREE")),
            "{plan:#?}"
        );
    }

    /// A store holding `n` quotations by Putin in one article, starting
    /// at 0, 1, ...
    fn store_with(n: usize) -> Store {
        let store = Store::open_in_memory().unwrap();
        let conn = store.connection();
        conn.execute_batch(
            "INSERT INTO outlets (id, name) VALUES (1, 'tass');
             INSERT INTO articles (id, path, outlet_id, published, content_hash, text, bytes,
                                   ingested_at)
                 VALUES (1, 'a.txt', 1, NULL, 'h', 'text', 4, '2025-01-03T00:00:00Z');
             INSERT INTO speakers (id, name, kind, registered)
                 VALUES (1, 'Vladimir Putin', 'person', 1);",
        )
        .unwrap();
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
             INSERT INTO quotations (article_id, start, end, text, form, partial, speaker_id,
                                     rule, confidence, paragraph, article_path, outlet_id)
             SELECT 1, i, i + 1, 'q' || i, 'marked', 0, 1, 'after', 0.9, 0, 'a.txt', 1 FROM n",
            [n],
        )
        .unwrap();
        store
    }

    #[test]
    fn rows_come_in_order_across_batches() {
        let n = BATCH_ROWS * BATCHES * 2 + 7;
        let store = store_with(n);
        let mut starts = Vec::new();
        let listed = store
            .each_quotation(&Filter::default(), |row| {
                starts.push(row.start);
                assert_eq!(row.quote, format!("q{}", row.start));
                assert_eq!(row.speaker.as_deref(), Some("Vladimir Putin"));
                Ok(())
            })
            .unwrap();
        assert_eq!(listed, n);
        assert!(starts.iter().copied().eq(0..n as i64), "{starts:?}");
    }

    #[test]
    fn a_printing_error_stops_the_reading_and_is_the_error() {
        let store = store_with(BATCH_ROWS * BATCHES * 4);
        let mut printed = 0;
        let err = store
            .each_quotation(&Filter::default(), |_| {
                if printed == BATCH_ROWS + 3 {
                    return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe).into());
                }
                printed += 1;
                Ok(())
            })
            .unwrap_err();
        assert_eq!(
            printed,
            BATCH_ROWS + 3,
            "nothing is printed after the error"
        );
        // Still an io::Error, so `main` can tell a closed stdout.
        let io = err.downcast_ref::<std::io::Error>().map(|e| e.kind());
        assert_eq!(io, Some(std::io::ErrorKind::BrokenPipe), "{err:#}");
    }

    #[test]
    fn a_printer_that_panics_is_an_error_not_a_panic() {
        let store = store_with(BATCH_ROWS * 3);
        let err = store
            .each_quotation(&Filter::default(), |row| {
                assert!(row.start < 10, "the printer stops");
                Ok(())
            })
            .unwrap_err();
        assert!(err.to_string().contains("stopped unexpectedly"), "{err:#}");
    }

    #[test]
    fn a_listed_speaker_is_the_inferred_one_else_the_articles() {
        let store = Store::open_in_memory().unwrap();
        store
            .connection()
            .execute_batch(
                "INSERT INTO outlets (id, name) VALUES (1, 'tass');
                 INSERT INTO articles (id, path, outlet_id, published, content_hash, text, bytes,
                                       ingested_at)
                     VALUES (1, 'a.txt', 1, '2025-01-02', 'h', 'text', 4, '2025-01-03T00:00:00Z');
                 INSERT INTO speakers (id, name, kind, registered)
                     VALUES (1, 'Vladimir Putin', 'person', 1), (2, 'official', 'person', 0);
                 INSERT INTO quotations (id, article_id, start, end, text, form, partial,
                                         speaker_id, rule, confidence, paragraph, article_path,
                                         outlet_id, published)
                     VALUES (1, 1, 0, 1, 'a', 'marked', 0, 1, 'after', 0.9, 0, 'a.txt', 1,
                             '2025-01-02'),
                            (2, 1, 2, 3, 'b', 'marked', 0, 2, 'after', 0.9, 0, 'a.txt', 1,
                             '2025-01-02'),
                            (3, 1, 4, 5, 'c', 'marked', 0, NULL, 'after', 0.9, 0, 'a.txt', 1,
                             '2025-01-02');
                 INSERT INTO inferred_speakers (quotation_id, speaker_id, was, evidence_id)
                     VALUES (2, 1, 'official', 1);",
            )
            .unwrap();
        let mut listed = Vec::new();
        store
            .each_quotation(&Filter::default(), |row| {
                listed.push((
                    row.outlet.clone(),
                    row.published.clone(),
                    row.speaker.clone(),
                    row.speaker_inferred,
                ));
                Ok(())
            })
            .unwrap();
        let putin = Some("Vladimir Putin".to_string());
        let (tass, date) = ("tass".to_string(), Some("2025-01-02".to_string()));
        assert_eq!(
            listed,
            [
                (tass.clone(), date.clone(), putin.clone(), false),
                (tass.clone(), date.clone(), putin, true),
                (tass, date, None, false),
            ]
        );
    }
}
