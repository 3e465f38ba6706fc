//! The writes of an ingest batch.
//!
//! A [`Batch`] is one IMMEDIATE transaction (it takes the write lock up
//! front, so a second writer waits, up to [`WRITE_WAIT`], instead of
//! failing half-way). [`Batch::put_articles`] writes many articles at once
//! and is all or nothing; [`Batch::put_article`] writes one inside its own
//! savepoint, so an article that fails to store is rolled back alone,
//! leaving what the database held for it before, and the batch goes on.
//! Nothing is visible to readers until [`Batch::commit`], which also fills
//! the full-text index of the batch's new quotations.
//!
//! Every statement is `prepare_cached` with bound parameters: a batch runs
//! the same handful of statements thousands of times.

use std::collections::HashSet;
use std::rc::Rc;
use std::time::Duration;

use anyhow::{Context, bail};
use rusqlite::types::Value;
use rusqlite::{
    Connection, ErrorCode, OptionalExtension, Statement, ToSql, Transaction, TransactionBehavior,
    params,
};

use crate::analyze::{Analysis, Quotation};
use crate::article::{Article, Metadata};
use crate::attribute::Speaker;
use crate::registry::Registry;

use super::{ArticleId, OutletId, SpeakerId, Store};

/// How long an ingest waits for another writer of the database before it
/// gives up: long enough for a second ingest to finish its grouping.
pub const WRITE_WAIT: Duration = Duration::from_secs(600);

/// What storing an article did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The path was not in the database.
    New,
    /// The path was there with other content: its quotations and asides
    /// were replaced.
    Changed,
    /// Same path, same content hash: nothing to do.
    Unchanged,
}

/// The outcome of storing one article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stored {
    pub article_id: ArticleId,
    pub change: Change,
    /// Quotations written (0 when unchanged).
    pub quotations: usize,
}

/// One ingest batch: a write transaction (see the module docs).
pub struct Batch<'s> {
    tx: Transaction<'s>,
    /// Quotations written but not yet in the full-text index: it is filled
    /// at [`Batch::commit`] (see there).
    unindexed: Vec<i64>,
}

/// What the database holds of an article besides its text and
/// quotations: enough to tell whether an ingest has anything to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredArticle {
    pub id: ArticleId,
    pub content_hash: String,
    pub meta: Metadata,
}

impl Store {
    /// What is stored for each of `paths`, in one read transaction: a
    /// statement on its own takes and drops SQLite's shared lock (two
    /// `fcntl` calls) and starts from a cold page cache, which was a third
    /// of the loader's time in a re-ingest of 100,000 unchanged articles.
    pub fn stored_articles<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p str>,
    ) -> anyhow::Result<Vec<Option<StoredArticle>>> {
        let tx = self.conn.unchecked_transaction()?;
        let stored = paths
            .into_iter()
            .map(|path| self.stored_article(path))
            .collect();
        tx.finish()?;
        stored
    }

    /// What is stored for `path`, if the article is there.
    fn stored_article(&self, path: &str) -> anyhow::Result<Option<StoredArticle>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.content_hash, o.name, a.url, a.published, a.title
             FROM articles AS a
             JOIN outlets AS o ON o.id = a.outlet_id
             WHERE a.path = ?1",
        )?;
        let stored = stmt.query_row([path], |row| {
            Ok(StoredArticle {
                id: row.get(0)?,
                content_hash: row.get(1)?,
                meta: Metadata {
                    outlet: row.get(2)?,
                    url: row.get(3)?,
                    published: row.get(4)?,
                    title: row.get(5)?,
                },
            })
        });
        Ok(stored.optional()?)
    }

    /// Start an ingest batch. Another process writing the database (a
    /// second ingest) is waited for, up to [`WRITE_WAIT`].
    pub fn batch(&mut self) -> anyhow::Result<Batch<'_>> {
        self.conn.busy_timeout(WRITE_WAIT)?;
        let path = &self.path;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|err| match err.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => anyhow::anyhow!(
                    "{}: another process has been writing to the database for {} minutes \
                     (another ingest?); try again when it is done",
                    path.display(),
                    WRITE_WAIT.as_secs() / 60
                ),
                _ => anyhow::Error::from(err).context("starting a write transaction"),
            })?;
        Ok(Batch {
            tx,
            unindexed: Vec::new(),
        })
    }
}

impl Batch<'_> {
    /// Upsert every registry speaker (registered = 1) and replace their
    /// aliases and roles with the registry's.
    pub fn put_registry(&mut self, registry: &Registry) -> anyhow::Result<()> {
        let tx = &self.tx;
        let mut upsert = tx.prepare_cached(
            "INSERT INTO speakers (name, kind, gender, registered) VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (name) DO UPDATE
                 SET kind = excluded.kind, gender = excluded.gender, registered = 1
             RETURNING id",
        )?;
        let mut clear = tx.prepare_cached("DELETE FROM speaker_aliases WHERE speaker_id = ?1")?;
        let mut alias = tx.prepare_cached(
            "INSERT OR IGNORE INTO speaker_aliases (speaker_id, alias, kind) VALUES (?1, ?2, ?3)",
        )?;
        for entry in registry.speakers() {
            let gender = entry.gender.and_then(|g| serde_json::to_value(g).ok());
            let id: SpeakerId = upsert
                .query_row(
                    params![
                        entry.name,
                        entry.kind.as_str(),
                        gender.as_ref().and_then(|g| g.as_str())
                    ],
                    |row| row.get(0),
                )
                .with_context(|| format!("storing registry speaker {}", entry.name))?;
            clear.execute([id])?;
            for name in &entry.aliases {
                alias.execute(params![id, name, "alias"])?;
            }
            for role in &entry.roles {
                alias.execute(params![id, role, "role"])?;
            }
        }
        Ok(())
    }

    /// Store a new or changed article with its analysis, replacing any
    /// quotations and asides stored for its path, in a savepoint: if it
    /// fails, the article is left as it was and the batch can go on.
    pub fn put_article(
        &mut self,
        article: &Article,
        analysis: &Analysis,
    ) -> anyhow::Result<Stored> {
        let sp = self.tx.savepoint()?;
        let mut written = Vec::new();
        // A savepoint rolled back takes its new speakers and outlets with
        // it: ids are remembered within the savepoint only.
        let mut known = Known::default();
        let mut unwritten = Unwritten::default();
        let stored = write_article(&sp, article, analysis, &mut known, &mut unwritten)?;
        insert_quotations(&sp, unwritten, &mut known, &mut written)?;
        sp.commit()?;
        self.unindexed.extend(written);
        Ok(stored)
    }

    /// Keep an article whose content is already stored; only its metadata
    /// (outlet, url, published, title) is brought up to date, so a manifest
    /// added later still applies.
    pub fn keep_article(&mut self, article: &Article) -> anyhow::Result<Stored> {
        keep_article(&self.tx, article, &mut Known::default())
    }

    /// Store many articles as [`Batch::put_article`] (with an analysis)
    /// and [`Batch::keep_article`] (without) do, without a
    /// savepoint each: FTS5 writes its pending index to disk at every
    /// savepoint, which made a bulk ingest several times slower. All or
    /// nothing: after an `Err` the batch must be dropped (rolled back).
    pub fn put_articles<'a>(
        &mut self,
        articles: impl IntoIterator<Item = (&'a Article, Option<&'a Analysis>)>,
    ) -> anyhow::Result<Vec<Stored>> {
        let mut known = Known::default();
        let mut unwritten = Unwritten::default();
        let stored = articles
            .into_iter()
            .map(|(article, analysis)| match analysis {
                Some(analysis) => {
                    write_article(&self.tx, article, analysis, &mut known, &mut unwritten)
                }
                None => keep_article(&self.tx, article, &mut known),
            })
            .collect::<anyhow::Result<_>>()?;
        insert_quotations(&self.tx, unwritten, &mut known, &mut self.unindexed)?;
        Ok(stored)
    }

    /// The batch's transaction, for the other writers of this module.
    pub(crate) fn connection(&self) -> &Connection {
        &self.tx
    }

    /// Make the batch's writes durable and visible.
    ///
    /// The batch's new quotations enter the full-text index here, all
    /// together, rather than one by one as they are written: FTS5 writes
    /// its pending index to disk at every savepoint, and writing an
    /// article opens several (statement savepoints included), so an index
    /// kept in step cost one small segment and later merges per article,
    /// the larger part of a bulk ingest (see
    /// migrations/0003_fts_without_insert_trigger.sql).
    pub fn commit(self) -> anyhow::Result<()> {
        if !self.unindexed.is_empty() {
            let ids: Vec<Value> = self.unindexed.iter().copied().map(Value::from).collect();
            self.tx
                .prepare_cached(
                    "INSERT INTO quotations_fts (rowid, text)
                     SELECT id, text FROM quotations WHERE id IN rarray(?1)",
                )?
                .execute([Rc::new(ids)])?;
        }
        self.tx.commit().context("committing the ingest")
    }
}

/// The row id and content hash stored for `path`, read under the batch's
/// write lock (the loader's look-up may be out of date by then).
fn stored_hash(conn: &Connection, path: &str) -> anyhow::Result<Option<(ArticleId, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, content_hash FROM articles WHERE path = ?1")?
        .query_row([path], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

/// See [`Batch::keep_article`]: one UPDATE, no savepoint needed. The
/// outlet is looked up through `known`, as for an article written.
fn keep_article(conn: &Connection, article: &Article, known: &mut Known) -> anyhow::Result<Stored> {
    let (id, hash) = stored_hash(conn, &article.path)?
        .with_context(|| format!("{} is not stored", article.path))?;
    if hash != article.content_hash {
        bail!("{} changed since it was checked", article.path);
    }
    let outlet_id = known.outlet(conn, &article.meta.outlet)?;
    let meta = &article.meta;
    let changed = conn
        .prepare_cached(
            "UPDATE articles SET outlet_id = ?2, url = ?3, published = ?4, title = ?5
             WHERE id = ?1
               AND (outlet_id, url, published, title) IS NOT (?2, ?3, ?4, ?5)",
        )?
        .execute(params![id, outlet_id, meta.url, meta.published, meta.title])?;
    // The quotations' copies of the outlet and date follow
    // (migrations/0009_quotations_outlet.sql).
    if changed > 0 {
        conn.prepare_cached(
            "UPDATE quotations SET outlet_id = ?2, published = ?3
             WHERE article_id = ?1 AND (outlet_id, published) IS NOT (?2, ?3)",
        )?
        .execute(params![id, outlet_id, meta.published])?;
    }
    Ok(Stored {
        article_id: id,
        change: Change::Unchanged,
        quotations: 0,
    })
}

/// Write one article and its asides, and replace what was stored for its
/// path; its quotations are added to `unwritten`, for
/// [`insert_quotations`] to write once the article row is there.
fn write_article<'a>(
    conn: &Connection,
    article: &'a Article,
    analysis: &'a Analysis,
    known: &mut Known,
    unwritten: &mut Unwritten<'a>,
) -> anyhow::Result<Stored> {
    let outlet_id = known.outlet(conn, &article.meta.outlet)?;
    let meta = &article.meta;
    let (change, existing_id) = match stored_hash(conn, &article.path)? {
        // Stored since it was checked, by another ingest of the same file.
        Some((id, hash)) if hash == article.content_hash => {
            return Ok(Stored {
                article_id: id,
                change: Change::Unchanged,
                quotations: 0,
            });
        }
        Some((id, _)) => {
            conn.prepare_cached("DELETE FROM quotations WHERE article_id = ?1")?
                .execute([id])?;
            conn.prepare_cached("DELETE FROM asides WHERE article_id = ?1")?
                .execute([id])?;
            unwritten.forget(id);
            (Change::Changed, Some(id))
        }
        None => (Change::New, None),
    };
    // The next grouping has work (migrations/0005_grouping_pending.sql).
    if !known.pending {
        conn.prepare_cached("INSERT OR IGNORE INTO grouping_pending (id) VALUES (1)")?
            .execute([])?;
        known.pending = true;
    }
    // The row was looked up above, under the write lock: a plain update
    // or insert, as `last_insert_rowid` allows. An upsert with `RETURNING`
    // made SQLite open a statement journal for every article.
    let (sql, key): (&str, &dyn ToSql) = match &existing_id {
        Some(id) => (
            "UPDATE articles
             SET outlet_id = ?2, url = ?3, published = ?4, title = ?5, content_hash = ?6,
                 text = ?7, bytes = ?8, ingested_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             WHERE id = ?1",
            id,
        ),
        None => (
            "INSERT INTO articles
                 (path, outlet_id, url, published, title, content_hash, text, bytes, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            &article.path,
        ),
    };
    conn.prepare_cached(sql)?.execute(params![
        key,
        outlet_id,
        meta.url,
        meta.published,
        meta.title,
        article.content_hash,
        article.text,
        article.bytes,
    ])?;
    let article_id = existing_id.unwrap_or_else(|| ArticleId(conn.last_insert_rowid()));
    unwritten.add(article_id, outlet_id, article, &analysis.quotations);
    let mut aside = conn.prepare_cached(
        "INSERT INTO asides (article_id, start, end, text, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for a in &analysis.asides {
        let span = a.quote.span;
        aside.execute(params![
            article_id,
            span.start,
            span.end,
            span.slice(&article.text),
            a.reason
        ])?;
    }
    Ok(Stored {
        article_id,
        change,
        quotations: analysis.quotations.len(),
    })
}

/// The quotations of articles written in one call, waiting for
/// [`insert_quotations`].
#[derive(Default)]
struct Unwritten<'a> {
    quotations: Vec<Waiting<'a>>,
    /// The articles they are of.
    articles: HashSet<ArticleId>,
}

/// A quotation whose article is written and which is not yet.
struct Waiting<'a> {
    /// The article's row.
    article_id: ArticleId,
    /// The article's outlet, which the quotation's row copies.
    outlet_id: OutletId,
    article: &'a Article,
    quotation: &'a Quotation,
}

impl<'a> Unwritten<'a> {
    fn add(
        &mut self,
        article_id: ArticleId,
        outlet_id: OutletId,
        article: &'a Article,
        quotations: &'a [Quotation],
    ) {
        self.articles.insert(article_id);
        self.quotations
            .extend(quotations.iter().map(|quotation| Waiting {
                article_id,
                outlet_id,
                article,
                quotation,
            }));
    }

    /// Drop what waits for article `id`: it is being written again, and
    /// its new version replaces the old, as its stored quotations are.
    fn forget(&mut self, id: ArticleId) {
        if self.articles.remove(&id) {
            self.quotations.retain(|q| q.article_id != id);
        }
    }
}

/// Insert the `unwritten` quotations, one speaker's after another, each
/// speaker's in listing order (article path, then offset); the ids
/// written are pushed to `written`.
///
/// Why by speaker: a listing of one speaker (`quotes --speaker`) finds
/// their quotations through `quotations_listing` and reads each row from
/// the table. Written in article order, a speaker with a tenth of the
/// quotations had a row on most of the table's pages, and the listing
/// read nearly the whole table, 16 KiB a page for a 250-byte row. Written
/// by speaker, the rows a chunk of articles holds for one speaker sit on a
/// few pages in a row, in the order the listing reads them. Each row also
/// carries its article's path, the listings' order, which
/// `quotations_listing` holds (migrations/0004_listing_indexes.sql), and
/// its article's outlet and date, which the listings print
/// (migrations/0009_quotations_outlet.sql).
fn insert_quotations(
    conn: &Connection,
    unwritten: Unwritten<'_>,
    known: &mut Known,
    written: &mut Vec<i64>,
) -> anyhow::Result<()> {
    // Speakers are looked up (or created) in article order, as they come.
    let mut ordered = unwritten
        .quotations
        .into_iter()
        .map(|q| {
            let speaker = match &q.quotation.attribution.speaker {
                Some(speaker) => Some(known.speaker(conn, speaker)?),
                None => None,
            };
            Ok((speaker, q))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    ordered.sort_by(|(a, qa), (b, qb)| {
        a.cmp(b)
            .then_with(|| qa.article.path.cmp(&qb.article.path))
            .then_with(|| {
                qa.quotation
                    .quote
                    .span
                    .start
                    .cmp(&qb.quotation.quote.span.start)
            })
    });
    // Taken from the cache once, not once per quotation: the cache finds
    // a statement by hashing its text, 300 bytes here.
    let mut insert = conn.prepare_cached(
        "INSERT INTO quotations
             (article_id, start, end, text, form, partial, speaker_id,
              mention_start, mention_end, mention_text, cue, cue_start, cue_end,
              cited, rule, confidence, paragraph, article_path, outlet_id, published)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20)",
    )?;
    written.reserve(ordered.len());
    for (speaker_id, q) in ordered {
        insert_quotation(&mut insert, speaker_id, &q)?;
        written.push(conn.last_insert_rowid());
    }
    Ok(())
}

/// Insert one quotation with `insert`, [`insert_quotations`]'s statement.
fn insert_quotation(
    insert: &mut Statement,
    speaker_id: Option<SpeakerId>,
    q: &Waiting<'_>,
) -> anyhow::Result<()> {
    let Waiting {
        article_id,
        outlet_id,
        article,
        quotation,
    } = q;
    let text = &article.text;
    let quote = &quotation.quote;
    let attribution = &quotation.attribution;
    let mention = attribution.mention;
    let cue = attribution.cue;
    // SQLite stores NaN as NULL, which the NOT NULL column would refuse and
    // so lose the article; a confidence that is not a number says nothing.
    let confidence = if attribution.confidence.is_finite() {
        attribution.confidence
    } else {
        0.0
    };
    insert.execute(params![
        article_id,
        quote.span.start,
        quote.span.end,
        quote.span.slice(text),
        quote.form.as_str(),
        attribution.partial,
        speaker_id,
        mention.map(|m| m.start),
        mention.map(|m| m.end),
        mention.map(|m| m.slice(text)),
        cue.map(|c| c.slice(text)),
        cue.map(|c| c.start),
        cue.map(|c| c.end),
        attribution.cited,
        attribution.rule,
        confidence,
        quote.paragraph,
        article.path,
        outlet_id,
        article.meta.published,
    ])?;
    Ok(())
}

fn outlet_id(conn: &Connection, name: &str) -> anyhow::Result<OutletId> {
    conn.prepare_cached("INSERT INTO outlets (name) VALUES (?1) ON CONFLICT (name) DO NOTHING")?
        .execute([name])?;
    Ok(conn
        .prepare_cached("SELECT id FROM outlets WHERE name = ?1")?
        .query_row([name], |row| row.get(0))?)
}

/// What one transaction, or one savepoint, has looked up or written
/// already. A chunk of articles names the same few hundred speakers
/// thousands of times and the same few outlets a thousand times: looking
/// a speaker up took two statements per quotation, a tenth of the
/// writer's time, and the outlet and the pending mark three of the
/// writer's dozen statements per article. A speaker or outlet row, once
/// there, is never changed by an ingest, so within the transaction that
/// looked it up its id stays true.
#[derive(Default)]
struct Known {
    speakers: foldhash::HashMap<String, SpeakerId>,
    outlets: foldhash::HashMap<String, OutletId>,
    /// Whether `grouping_pending` is marked.
    pending: bool,
}

impl Known {
    fn speaker(&mut self, conn: &Connection, speaker: &Speaker) -> anyhow::Result<SpeakerId> {
        if let Some(&id) = self.speakers.get(&speaker.name) {
            return Ok(id);
        }
        let id = speaker_id(conn, speaker)?;
        self.speakers.insert(speaker.name.clone(), id);
        Ok(id)
    }

    fn outlet(&mut self, conn: &Connection, name: &str) -> anyhow::Result<OutletId> {
        if let Some(&id) = self.outlets.get(name) {
            return Ok(id);
        }
        let id = outlet_id(conn, name)?;
        self.outlets.insert(name.to_string(), id);
        Ok(id)
    }
}

/// The id of a quotation's speaker, creating a discovered speaker
/// (registered = 0) the first time its name is seen. A registry speaker is
/// already there from [`Batch::put_registry`].
fn speaker_id(conn: &Connection, speaker: &Speaker) -> anyhow::Result<SpeakerId> {
    conn.prepare_cached(
        "INSERT INTO speakers (name, kind, gender, registered) VALUES (?1, ?2, NULL, ?3)
         ON CONFLICT (name) DO NOTHING",
    )?
    .execute(params![
        speaker.name,
        speaker.kind.as_str(),
        speaker.registered
    ])?;
    Ok(conn
        .prepare_cached("SELECT id FROM speakers WHERE name = ?1")?
        .query_row([&speaker.name], |row| row.get(0))?)
}
