//! Storing the grouping: the SQL side of [`crate::group`].
//!
//! [`Store::regroup`] runs at the end of every ingest, in a transaction of
//! its own. It loads every quotation as a [`Record`], works out which are
//! *dirty* (new quotations, which have no rendering yet, and the remaining
//! members of utterances that lost quotations when an article changed),
//! lets [`group::regroup`] recompute the utterances they touch, and
//! replaces exactly those utterances, their links, inferred speakers and
//! conflicts. Re-ingesting unchanged articles leaves nothing dirty and
//! writes nothing; nor does it read the memberships to find that out, as
//! the `grouping_pending` row, written with every new or changed article
//! and deleted by every grouping, says whether anything can be dirty.
//!
//! That transaction runs with foreign keys off. Every row it writes refers
//! to quotations it read in the same transaction, which holds the write
//! lock, so SQLite's checks would only look each one up again: at 100,000
//! articles, two million random reads of the quotations table, most of the
//! time storing the grouping took. Without them nothing cascades either,
//! so the deletes here name every table a cascade would have reached.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use anyhow::Context;
use rusqlite::{CachedStatement, Connection, OpenFlags, OptionalExtension, Statement, params};

use crate::group::{self, Cue, FastMap, Options, Part, QuotationId, Record};

use super::{Store, WRITE_CACHE_KIB, connect};

/// The page cache while the records are read: SQLite's default.
const READ_CACHE_KIB: i64 = 2000;

/// What a regrouping did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Regrouped {
    /// Quotations whose grouping was recomputed.
    pub quotations: usize,
    /// Utterances written.
    pub utterances: usize,
}

/// Which quotations [`Store::regroup`] recomputes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The dirty ones and what they touch (see the module docs).
    Changed,
    /// Every quotation.
    All,
}

impl Store {
    /// Recompute and store the grouping of `scope`, in one transaction
    /// (readers see the new utterances all at once, with every link and
    /// rendering), with foreign keys off for its length (see the module
    /// docs).
    pub fn regroup(&mut self, opts: &Options, scope: Scope) -> anyhow::Result<Regrouped> {
        // The pragma is a no-op inside a transaction: it is set around it.
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        let regrouped = self.batch().and_then(|batch| {
            let conn = batch.connection();
            let regrouped = regroup(conn, opts, scope)?;
            conn.execute("DELETE FROM grouping_pending", [])?;
            batch.commit()?;
            Ok(regrouped)
        });
        let restored = self.conn.pragma_update(None, "foreign_keys", "ON");
        let regrouped = regrouped?;
        restored?;
        Ok(regrouped)
    }
}

fn regroup(conn: &Connection, opts: &Options, scope: Scope) -> anyhow::Result<Regrouped> {
    let all = scope == Scope::All;
    // Working out what is dirty reads every membership: when no quotation
    // changed since the last grouping, there is nothing to work out
    // (migrations/0005_grouping_pending.sql).
    let pending: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM grouping_pending)",
        [],
        |row| row.get(0),
    )?;
    if !all && !pending {
        return Ok(Regrouped::default());
    }
    // Utterances emptied by a changed article have no members left to
    // regroup: drop them.
    conn.execute_batch(
        "DELETE FROM renderings
         WHERE utterance_id IN (SELECT u.id FROM utterances AS u
                                WHERE NOT EXISTS (SELECT 1 FROM renderings AS r
                                                  JOIN quotation_renderings AS qr
                                                    ON qr.rendering_id = r.id
                                                  WHERE r.utterance_id = u.id));
         DELETE FROM utterances
         WHERE NOT EXISTS (SELECT 1 FROM renderings AS r WHERE r.utterance_id = utterances.id);",
    )?;
    // Reading every quotation back costs seconds on a large database; an
    // ingest of unchanged articles must not pay it.
    if !all && !anything_dirty(conn)? {
        return Ok(Regrouped::default());
    }
    // Grouping holds every record at once, and its peak memory is the
    // ingest's: the pages the ingest cached go first (SQLite frees them
    // when the cache shrinks), and reading the records, a table scan,
    // keeps few.
    conn.pragma_update(None, "cache_size", -READ_CACHE_KIB)?;
    // The ingest's analyses and page cache were freed by the threads
    // that held them, and grouping allocates on others, which cannot reuse
    // that memory: give it back. A 100k ingest peaked at 909-910 MiB
    // instead of 925-936.
    #[cfg(target_os = "linux")]
    // SAFETY: malloc_trim only returns free memory to the system.
    unsafe {
        libc::malloc_trim(0);
    }
    let records = records(conn).context("reading quotations for grouping")?;
    let previous = previous(conn)?;
    let dirty: BTreeSet<QuotationId> = if all {
        records.iter().map(|r| r.id).collect()
    } else {
        let mut dirty: BTreeSet<QuotationId> = records
            .iter()
            .map(|r| r.id)
            .filter(|id| !previous.contains_key(id))
            .collect();
        dirty.extend(shrunk_members(conn)?);
        dirty
    };
    if dirty.is_empty() {
        return Ok(Regrouped::default());
    }
    let mut writer = Writer::new(conn)?;
    let mut regrouped = Regrouped::default();
    // Each part is stored as it comes, while grouping goes on computing
    // the next (see `group::regroup`).
    group::regroup(&records, &dirty, &previous, opts, |part| match part {
        Part::Scope(scope) => {
            regrouped.quotations = scope.len();
            // With every quotation in scope, every grouping row goes: one
            // statement per table instead of several per utterance and
            // quotation.
            if scope.len() == records.len() {
                conn.execute_batch(
                    "DELETE FROM quotation_renderings;
                     DELETE FROM renderings;
                     DELETE FROM utterances;
                     DELETE FROM links;
                     DELETE FROM inferred_speakers;
                     DELETE FROM attribution_conflicts;",
                )?;
                Ok(())
            } else {
                let stale: BTreeSet<&str> = scope
                    .iter()
                    .filter_map(|id| previous.get(id).map(String::as_str))
                    .collect();
                forget(conn, &stale, &scope)
            }
        }
        Part::Links(links) => {
            // The writer's cache only now: the deletes above run while
            // blocking holds its candidate pairs, and with 64 MiB of pages
            // a 100k regroup peaked at 976-999 MiB instead of 907-926.
            conn.pragma_update(None, "cache_size", -WRITE_CACHE_KIB)?;
            writer.links(&links)
        }
        Part::Utterances(utterances) => {
            regrouped.utterances += utterances.len();
            writer.utterances(&utterances)
        }
        Part::Conflicts(conflicts) => writer.conflicts(&conflicts),
    })?;
    Ok(regrouped)
}

/// Rows a multi-row insert of the grouping writes at once. A regrouping
/// at 100k articles stores 553k memberships and 787k links, one
/// statement each, and a statement's own cost (starting it, running its
/// program, resetting it) was about as much as the row's.
const ROWS: usize = 64;

/// One insert, as a statement for a single row and one for [`ROWS`]
/// rows, built from the same text.
///
/// Both are `INSERT OR FAIL`. A statement that writes several rows and
/// may stop half-way with SQLite's default `ABORT` (a `NOT NULL`, a
/// `CHECK`, a `STRICT` column type) must be able to undo its own rows, so
/// SQLite copied every page it touched to a statement journal first, a
/// temporary file in `/var/tmp`: about 3.4 GB of writes while a 100k
/// ingest stored its grouping, which itself wrote 0.39 GB, and 1.8 s of
/// storing the links instead of 0.6-0.9 on ext4. `FAIL` keeps the
/// rows written before the failing one, which changes nothing here: an
/// error rolls the whole grouping back.
struct Inserts<'c> {
    one: CachedStatement<'c>,
    many: CachedStatement<'c>,
    columns: usize,
}

impl<'c> Inserts<'c> {
    /// An insert into `into` (`t (c, ...)`) with `columns` parameters a
    /// row, then `tail`.
    fn new(
        conn: &'c Connection,
        into: &str,
        columns: usize,
        tail: &str,
    ) -> rusqlite::Result<Inserts<'c>> {
        let insert = format!("INSERT OR FAIL INTO {into} VALUES");
        let row = format!("({})", vec!["?"; columns].join(", "));
        let rows = vec![row.as_str(); ROWS].join(", ");
        Ok(Inserts {
            one: conn.prepare_cached(&format!("{insert} {row} {tail}"))?,
            many: conn.prepare_cached(&format!("{insert} {rows} {tail}"))?,
            columns,
        })
    }

    /// Insert `rows`, [`ROWS`] at a time and the rest one by one; `bind`
    /// binds a row's columns from parameter `at` on.
    fn rows<R>(
        &mut self,
        rows: &[R],
        bind: impl Fn(&mut Statement, usize, &R) -> rusqlite::Result<()>,
    ) -> anyhow::Result<()> {
        let mut chunks = rows.chunks_exact(ROWS);
        for chunk in &mut chunks {
            for (k, row) in chunk.iter().enumerate() {
                bind(&mut self.many, 1 + k * self.columns, row)?;
            }
            self.many.raw_execute()?;
        }
        for row in chunks.remainder() {
            bind(&mut self.one, 1, row)?;
            self.one.raw_execute()?;
        }
        Ok(())
    }
}

/// Delete the `stale` utterances and every link, inferred speaker and
/// conflict of the quotations in `scope`.
fn forget(conn: &Connection, stale: &BTreeSet<&str>, scope: &[QuotationId]) -> anyhow::Result<()> {
    let mut members = conn.prepare_cached(
        "DELETE FROM quotation_renderings
         WHERE rendering_id IN (SELECT r.id FROM renderings AS r
                                JOIN utterances AS u ON u.id = r.utterance_id
                                WHERE u.key = ?1)",
    )?;
    let mut renderings = conn.prepare_cached(
        "DELETE FROM renderings WHERE utterance_id = (SELECT id FROM utterances WHERE key = ?1)",
    )?;
    let mut utterance = conn.prepare_cached("DELETE FROM utterances WHERE key = ?1")?;
    for key in stale {
        members.execute([key])?;
        renderings.execute([key])?;
        utterance.execute([key])?;
    }
    let mut forget_links =
        conn.prepare_cached("DELETE FROM links WHERE quotation_a = ?1 OR quotation_b = ?1")?;
    let mut forget_inferred =
        conn.prepare_cached("DELETE FROM inferred_speakers WHERE quotation_id = ?1")?;
    let mut forget_conflicts = conn.prepare_cached(
        "DELETE FROM attribution_conflicts WHERE quotation_id = ?1 OR other_id = ?1",
    )?;
    for id in scope {
        forget_links.execute([id.0])?;
        forget_inferred.execute([id.0])?;
        forget_conflicts.execute([id.0])?;
    }
    Ok(())
}

/// Whether any quotation waits for grouping: one in no rendering yet (new,
/// or stored by an ingest that was stopped before it grouped), or one in an
/// utterance that lost members.
fn anything_dirty(conn: &Connection) -> anyhow::Result<bool> {
    let ungrouped: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM quotations AS q
                        WHERE NOT EXISTS (SELECT 1 FROM quotation_renderings AS qr
                                          WHERE qr.quotation_id = q.id))",
        [],
        |row| row.get(0),
    )?;
    Ok(ungrouped || !shrunk_members(conn)?.is_empty())
}

/// Every stored quotation as grouping sees it, in table (id) order:
/// grouping sorts them by content itself, and an `ORDER BY` here would
/// make SQLite sort every row, texts and all, before the first comes back.
///
/// The quotations table is read alone, front to back. Each article's
/// outlet and date (from `articles_listing`, migrations/0007: the
/// article's row holds its text, 450 MB at 100,000 articles), each
/// outlet's name and each speaker's are read once beforehand and looked
/// up in memory: joined, they were three index look-ups per quotation,
/// 1.6 million at 100,000 articles. A quotation whose article or outlet
/// is missing is left out, as the joins left it out.
///
/// A file's quotations are read in two halves of the id range at once, the
/// upper one on a second connection and thread: the scan and the decoding
/// of its rows took 0.7-0.9 s on one core at 100k articles, while the
/// other waited. The second connection reads the last commit, which is
/// what the caller's transaction sees of the quotations: it holds the
/// write lock, and grouping changes no quotation.
pub(crate) fn records(conn: &Connection) -> anyhow::Result<Vec<Record>> {
    let names = Names::read(conn)?;
    let (first, last): (Option<i64>, Option<i64>) =
        conn.query_row("SELECT min(id), max(id) FROM quotations", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(Vec::new());
    };
    let middle = first + (last - first) / 2;
    let Some(other) = second_reader(conn)? else {
        return read_records(conn, &names, first, last);
    };
    let names = &names;
    std::thread::scope(|threads| {
        let upper = threads.spawn(move || read_records(&other, names, middle + 1, last));
        let mut records = read_records(conn, names, first, middle)?;
        let upper = upper
            .join()
            .map_err(|_| anyhow::anyhow!("the second reader of the quotations stopped"))??;
        records.extend(upper);
        Ok(records)
    })
}

/// A read-only connection to `conn`'s database file; `None` for a
/// database in memory, which has no second connection.
fn second_reader(conn: &Connection) -> anyhow::Result<Option<Connection>> {
    let Some(path) = conn.path().filter(|path| !path.is_empty()) else {
        return Ok(None);
    };
    let other = connect(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("opening {path} a second time to read its quotations"))?;
    Ok(Some(other))
}

/// What a record names by id: outlets, speakers, and each article's
/// outlet and date.
struct Names {
    /// Speaker id → name, registered.
    speakers: FastMap<i64, (Arc<str>, bool)>,
    /// Article id → outlet, publication date.
    articles: FastMap<i64, (Arc<str>, Option<Arc<str>>)>,
}

impl Names {
    fn read(conn: &Connection) -> anyhow::Result<Names> {
        let mut strings = Interner::default();
        let mut outlets: FastMap<i64, Arc<str>> = FastMap::default();
        let mut stmt = conn.prepare_cached("SELECT id, name FROM outlets")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            outlets.insert(row.get(0)?, strings.intern(row.get_ref(1)?.as_str()?));
        }
        let mut speakers = FastMap::default();
        let mut stmt = conn.prepare_cached("SELECT id, name, registered FROM speakers")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let name = strings.intern(row.get_ref(1)?.as_str()?);
            speakers.insert(row.get(0)?, (name, row.get(2)?));
        }
        let mut articles = FastMap::default();
        let mut stmt = conn.prepare_cached(
            "SELECT id, outlet_id, published FROM articles INDEXED BY articles_listing",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let Some(outlet) = outlets.get(&row.get::<_, i64>(1)?) else {
                continue;
            };
            let published = row.get_ref(2)?.as_str_or_null()?.map(|s| strings.intern(s));
            articles.insert(row.get(0)?, (Arc::clone(outlet), published));
        }
        Ok(Names { speakers, articles })
    }
}

/// The records of the quotations with ids from `first` to `last`.
fn read_records(
    conn: &Connection,
    names: &Names,
    first: i64,
    last: i64,
) -> anyhow::Result<Vec<Record>> {
    let mut strings = Interner::default();
    let mut stmt = conn.prepare_cached(
        "SELECT id, article_id, article_path, paragraph, start, speaker_id, mention_text, rule,
                cue_start, cue, partial, cited, text
         FROM quotations WHERE id BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([first, last])?;
    let mut records = Vec::new();
    // Quotations come article by article: the path is shared without a
    // look-up while the article stays the same.
    let mut article: Option<(i64, Arc<str>)> = None;
    while let Some(row) = rows.next()? {
        let article_id: i64 = row.get(1)?;
        let Some((outlet, published)) = names.articles.get(&article_id) else {
            continue;
        };
        let path = match &article {
            Some((id, path)) if *id == article_id => Arc::clone(path),
            _ => {
                let path = strings.intern(row.get_ref(2)?.as_str()?);
                article = Some((article_id, Arc::clone(&path)));
                path
            }
        };
        let mut shared = |i: usize| -> rusqlite::Result<Option<Arc<str>>> {
            Ok(row.get_ref(i)?.as_str_or_null()?.map(|s| strings.intern(s)))
        };
        let cue = match (row.get::<_, Option<i64>>(8)?, shared(9)?) {
            (Some(start), Some(text)) => Some(Cue {
                start: usize::try_from(start).unwrap_or(0),
                text,
            }),
            _ => None,
        };
        let speaker = row
            .get::<_, Option<i64>>(5)?
            .and_then(|id| names.speakers.get(&id));
        records.push(Record {
            id: QuotationId(row.get(0)?),
            article: path,
            outlet: Arc::clone(outlet),
            published: published.clone(),
            paragraph: u32::try_from(row.get::<_, i64>(3)?).unwrap_or(u32::MAX),
            start: usize::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
            speaker: speaker.map(|(name, _)| Arc::clone(name)),
            speaker_registered: speaker.is_some_and(|&(_, registered)| registered),
            mention: shared(6)?,
            rule: shared(7)?.unwrap_or_default(),
            cue,
            partial: row.get(10)?,
            cited: shared(11)?,
            text: row.get(12)?,
        });
    }
    Ok(records)
}

/// One copy of each string many records share.
#[derive(Default)]
struct Interner(foldhash::HashSet<Arc<str>>);

impl Interner {
    fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(shared) = self.0.get(s) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(s);
        self.0.insert(Arc::clone(&shared));
        shared
    }
}

/// Each grouped quotation's utterance key.
fn previous(conn: &Connection) -> anyhow::Result<HashMap<QuotationId, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT qr.quotation_id, u.key
         FROM quotation_renderings AS qr
         JOIN renderings AS r ON r.id = qr.rendering_id
         JOIN utterances AS u ON u.id = r.utterance_id",
    )?;
    let rows = stmt.query_map([], |row| Ok((QuotationId(row.get(0)?), row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The remaining members of utterances that hold fewer quotations than
/// when they were grouped.
fn shrunk_members(conn: &Connection) -> anyhow::Result<Vec<QuotationId>> {
    let mut stmt = conn.prepare_cached(
        "WITH counts AS (
             SELECT r.utterance_id, count(*) AS n
             FROM quotation_renderings AS qr
             JOIN renderings AS r ON r.id = qr.rendering_id
             GROUP BY r.utterance_id)
         SELECT qr.quotation_id
         FROM utterances AS u
         JOIN counts AS c ON c.utterance_id = u.id
         JOIN renderings AS r ON r.utterance_id = u.id
         JOIN quotation_renderings AS qr ON qr.rendering_id = r.id
         WHERE c.n <> u.quotations",
    )?;
    let rows = stmt.query_map([], |row| Ok(QuotationId(row.get(0)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Inserts a grouping's parts: utterances, renderings, memberships,
/// links, inferred speakers and conflicts.
struct Writer<'c> {
    conn: &'c Connection,
    utterance: CachedStatement<'c>,
    rendering: CachedStatement<'c>,
    source: CachedStatement<'c>,
    inferred: CachedStatement<'c>,
    members: Inserts<'c>,
    /// Speakers' row ids by name, looked up once each: a few thousand
    /// speakers name a quarter of a million utterances at 100k articles.
    speakers: foldhash::HashMap<String, Option<i64>>,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection) -> anyhow::Result<Writer<'c>> {
        Ok(Writer {
            conn,
            utterance: conn.prepare_cached(
                "INSERT INTO utterances (key, speaker_id, quotations, first_seen)
                 VALUES (?1, ?2, ?3, ?4)",
            )?,
            rendering: conn.prepare_cached(
                "INSERT INTO renderings
                     (key, utterance_id, position, label, credited, text, first_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?,
            source: conn.prepare_cached(
                "UPDATE renderings SET source_id = (SELECT id FROM renderings WHERE key = ?2)
                 WHERE key = ?1",
            )?,
            inferred: conn.prepare_cached(
                "INSERT INTO inferred_speakers (quotation_id, speaker_id, was, evidence_id)
                 VALUES (?1, ?2, ?3, ?4)",
            )?,
            // The rendering's key goes with each membership: the listings
            // read it there (see migrations/0004_listing_indexes.sql).
            members: Inserts::new(
                conn,
                "quotation_renderings (quotation_id, rendering_id, rendering_key)",
                3,
                "",
            )?,
            speakers: foldhash::HashMap::default(),
        })
    }

    /// The row id of the speaker named `name`, if there is one.
    fn speaker_id(&mut self, name: &str) -> anyhow::Result<Option<i64>> {
        if let Some(&id) = self.speakers.get(name) {
            return Ok(id);
        }
        let id = self
            .conn
            .prepare_cached("SELECT id FROM speakers WHERE name = ?1")?
            .query_row([name], |row| row.get(0))
            .optional()?;
        self.speakers.insert(name.to_string(), id);
        Ok(id)
    }

    fn utterances(&mut self, utterances: &[group::Utterance]) -> anyhow::Result<()> {
        // Memberships (quotation, rendering, rendering key).
        let mut members: Vec<(i64, i64, &str)> = Vec::new();
        for u in utterances {
            let count = u.quotations().count() as i64;
            // Plain inserts and `last_insert_rowid`: `RETURNING` makes
            // SQLite open a statement journal for every row.
            let speaker = match &u.speaker {
                Some(name) => self.speaker_id(name)?,
                None => None,
            };
            self.utterance
                .execute(params![u.id, speaker, count, u.first_seen])
                .with_context(|| format!("storing utterance {}", u.id))?;
            let utterance_id = self.conn.last_insert_rowid();
            for (position, r) in u.renderings.iter().enumerate() {
                self.rendering.execute(params![
                    r.id,
                    utterance_id,
                    position as i64,
                    r.label,
                    r.credited,
                    r.text,
                    r.first_seen
                ])?;
                let rendering_id = self.conn.last_insert_rowid();
                members.extend(
                    r.quotations
                        .iter()
                        .map(|q| (q.0, rendering_id, r.id.as_str())),
                );
            }
            for r in &u.renderings {
                if let Some(src) = &r.source {
                    self.source.execute(params![r.id, src])?;
                }
            }
            for i in &u.inferred {
                // A speaker with no row (there is none) gets no row.
                if let Some(speaker) = self.speaker_id(&i.speaker)? {
                    self.inferred
                        .execute(params![i.quotation.0, speaker, i.was, i.evidence.0])?;
                }
            }
        }
        // In quotation order, the table's own: in utterance order each
        // membership went to a random page.
        members.sort_unstable();
        self.members
            .rows(&members, |stmt, at, &(quotation, rendering, key)| {
                stmt.raw_bind_parameter(at, quotation)?;
                stmt.raw_bind_parameter(at + 1, rendering)?;
                stmt.raw_bind_parameter(at + 2, key)
            })
    }

    fn links(&mut self, links: &[group::Link]) -> anyhow::Result<()> {
        let mut insert = Inserts::new(
            self.conn,
            "links (quotation_a, quotation_b, kind, score)",
            4,
            "ON CONFLICT DO NOTHING",
        )?;
        let links: Vec<&group::Link> = links.iter().filter(|l| l.a != l.b).collect();
        insert.rows(&links, |stmt, at, l| {
            stmt.raw_bind_parameter(at, l.a.0)?;
            stmt.raw_bind_parameter(at + 1, l.b.0)?;
            stmt.raw_bind_parameter(at + 2, l.relation.as_str())?;
            stmt.raw_bind_parameter(at + 3, l.score)
        })
    }

    fn conflicts(&mut self, conflicts: &[group::Conflict]) -> anyhow::Result<()> {
        let mut conflict = self.conn.prepare_cached(
            "INSERT INTO attribution_conflicts
                 (quotation_id, speaker, other_id, other_speaker, note)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for c in conflicts {
            conflict.execute(params![
                c.quotation.0,
                c.speaker,
                c.other.0,
                c.other_speaker,
                c.note
            ])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_inserted_in_full_statements_and_one_by_one() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY, name TEXT NOT NULL)")
            .unwrap();
        let mut insert = Inserts::new(&conn, "t (n, name)", 2, "").unwrap();
        // Two full statements and a remainder.
        let rows: Vec<(i64, String)> = (0..2 * ROWS as i64 + 5)
            .map(|n| (n, format!("row {n}")))
            .collect();
        insert
            .rows(&rows, |stmt, at, (n, name)| {
                stmt.raw_bind_parameter(at, n)?;
                stmt.raw_bind_parameter(at + 1, name)
            })
            .unwrap();
        let stored: Vec<(i64, String)> = conn
            .prepare("SELECT n, name FROM t ORDER BY n")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(stored, rows);
    }
}
