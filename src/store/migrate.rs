//! Schema migrations, tracked by `PRAGMA user_version`.
//!
//! The shape is cargo's `util/sqlite.rs`: an ordered list of SQL files
//! compiled into the binary, applied in one EXCLUSIVE transaction from the
//! database's `user_version` up to the end of the list, which then becomes
//! the new `user_version`. Either every pending migration applies or none
//! does. Never edit or remove a shipped migration (the version is its
//! position in the list); add `migrations/NNNN_name.sql` and a line here.

use anyhow::{Context, bail};
use rusqlite::{Connection, TransactionBehavior};

/// The migrations, in order: (name, SQL).
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_core", include_str!("../../migrations/0001_core.sql")),
    (
        "0002_grouping",
        include_str!("../../migrations/0002_grouping.sql"),
    ),
    (
        "0003_fts_without_insert_trigger",
        include_str!("../../migrations/0003_fts_without_insert_trigger.sql"),
    ),
    (
        "0004_listing_indexes",
        include_str!("../../migrations/0004_listing_indexes.sql"),
    ),
    (
        "0005_grouping_pending",
        include_str!("../../migrations/0005_grouping_pending.sql"),
    ),
    (
        "0006_fts_automerge",
        include_str!("../../migrations/0006_fts_automerge.sql"),
    ),
    (
        "0007_articles_listing",
        include_str!("../../migrations/0007_articles_listing.sql"),
    ),
    (
        "0008_fts_hashsize",
        include_str!("../../migrations/0008_fts_hashsize.sql"),
    ),
    (
        "0009_quotations_outlet",
        include_str!("../../migrations/0009_quotations_outlet.sql"),
    ),
];

/// The schema version this binary creates and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Bring the database up to [`SCHEMA_VERSION`]; refuse one that is newer.
///
/// A database already up to date is only read: opening it takes no lock
/// that would make a query wait for a running ingest.
pub fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    if checked_version(conn)? == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    // Read again under the lock: another process may have migrated since.
    let version = checked_version(&tx)?;
    if version == 0 {
        let tables: i64 =
            tx.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
        if tables > 0 {
            bail!("it holds another program's tables, not a quotetrail database");
        }
    }
    for (name, sql) in MIGRATIONS.iter().skip(version as usize) {
        tx.execute_batch(sql)
            .map_err(without_sql)
            .with_context(|| format!("applying migration {name}"))?;
    }
    if version < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(())
}

/// The database's schema version, refused if newer than this binary's.
fn checked_version(conn: &Connection) -> anyhow::Result<u32> {
    let version: u32 =
        conn.query_row("SELECT user_version FROM pragma_user_version", [], |row| {
            row.get(0)
        })?;
    if version > SCHEMA_VERSION {
        bail!(too_new(version));
    }
    Ok(version)
}

/// The refusal of a database newer than this binary.
pub(crate) fn too_new(version: u32) -> String {
    format!(
        "the database has schema version {version}, newer than this quotetrail \
         understands ({SCHEMA_VERSION}); use a newer quotetrail"
    )
}

/// rusqlite's message for a failing statement quotes the whole SQL text,
/// which for a migration is pages of it: keep SQLite's own message.
fn without_sql(err: rusqlite::Error) -> anyhow::Error {
    match err {
        rusqlite::Error::SqlInputError { msg, offset, .. } => {
            anyhow::anyhow!("{msg} (at offset {offset} of the migration)")
        }
        err => err.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }

    /// A database as schema version `version` left it, holding `rows`.
    fn old_database(version: usize, rows: &str) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for (_, sql) in &MIGRATIONS[..version] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", version).unwrap();
        conn.execute_batch(rows).unwrap();
        conn
    }

    #[test]
    fn listing_copies_are_filled_when_an_old_database_is_upgraded() {
        // A database as schema version 3 left it, with a grouped quotation.
        let mut conn = old_database(
            3,
            "INSERT INTO outlets (id, name) VALUES (1, 'tass');
             INSERT INTO articles (id, path, outlet_id, content_hash, text, bytes, ingested_at)
                 VALUES (7, 'news/a.txt', 1, 'h', '“Yes,” he said.', 19, '2025-01-01T00:00:00Z');
             INSERT INTO quotations (id, article_id, start, end, text, form, partial, rule,
                                     confidence, paragraph)
                 VALUES (3, 7, 3, 6, 'Yes', 'marked', 0, 'after', 0.9, 0);
             INSERT INTO utterances (id, key, quotations) VALUES (1, 'u0123456789ab', 1);
             INSERT INTO renderings (id, key, utterance_id, position, label, text)
                 VALUES (5, 'u0123456789ab/tass', 1, 0, 'TASS', 'Yes');
             INSERT INTO quotation_renderings (quotation_id, rendering_id) VALUES (3, 5);",
        );
        migrate(&mut conn).unwrap();
        let copies: (String, String) = conn
            .query_row(
                "SELECT q.article_path, qr.rendering_key
                 FROM quotations AS q JOIN quotation_renderings AS qr ON qr.quotation_id = q.id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            copies,
            ("news/a.txt".to_string(), "u0123456789ab/tass".to_string())
        );
        // The listing indexes replace the two speaker indexes they start
        // with, rather than adding to every ingest's writes.
        let speaker_indexes: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master
                 WHERE type = 'index' AND name IN ('quotations_speaker_id',
                     'utterances_speaker_id', 'quotations_listing', 'utterances_ranking')
                 ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            speaker_indexes,
            ["quotations_listing", "utterances_ranking"]
        );
    }

    #[test]
    fn outlet_and_date_copies_are_filled_when_an_old_database_is_upgraded() {
        // A database as schema version 8 left it: two articles of two
        // outlets, one dated, a quotation each.
        let mut conn = old_database(
            8,
            "INSERT INTO outlets (id, name) VALUES (1, 'tass'), (2, 'reuters');
             INSERT INTO articles (id, path, outlet_id, published, content_hash, text, bytes,
                                   ingested_at)
                 VALUES (7, 'a.txt', 1, '2025-01-02', 'h', '“Yes,” he said.', 19,
                         '2025-01-03T00:00:00Z'),
                        (8, 'b.txt', 2, NULL, 'i', '“No,” he said.', 18,
                         '2025-01-03T00:00:00Z');
             INSERT INTO quotations (id, article_id, start, end, text, form, partial, rule,
                                     confidence, paragraph, article_path)
                 VALUES (3, 7, 3, 6, 'Yes', 'marked', 0, 'after', 0.9, 0, 'a.txt'),
                        (4, 8, 3, 5, 'No', 'marked', 0, 'after', 0.9, 0, 'b.txt');",
        );
        migrate(&mut conn).unwrap();
        let copies: Vec<(i64, Option<i64>, Option<String>)> = conn
            .prepare("SELECT id, outlet_id, published FROM quotations ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            copies,
            [
                (3, Some(1), Some("2025-01-02".to_string())),
                (4, Some(2), None)
            ]
        );
    }

    #[test]
    fn newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err().to_string();
        assert!(err.contains("newer than this quotetrail"), "{err}");
    }
}
