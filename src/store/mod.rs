//! Storage: the SQLite database every command reads or writes.
//!
//! All SQL lives under this module: the schema in `migrations/` (applied by
//! [`migrate`]), the writes of an ingest batch in [`write`], the queries
//! behind the listings in [`read`]. Callers hand in plain values
//! ([`crate::article::Article`], [`crate::analyze::Analysis`]) and get plain
//! rows back; no SQL or rusqlite type leaks out but the [`Connection`] that
//! tests and ad-hoc checks may borrow.
//!
//! Every connection is set up the same way: foreign keys enforced (SQLite
//! leaves them off by default), write-ahead logging so readers never block
//! the writer, and a five second busy timeout so two quotetrail processes on
//! one database wait for each other instead of failing.

pub mod group;
pub mod migrate;
pub mod read;
pub mod utterances;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use serde::Serialize;

pub use migrate::SCHEMA_VERSION;
pub use read::{Filter, QuotationRow, SpeakerRow};
pub use write::{Batch, Change, Stored};

/// Row ids that cannot be mixed up: an `ArticleId` is never taken for a
/// `SpeakerId`. Each is stored and bound as the INTEGER it wraps.
macro_rules! row_id {
    ($($name:ident: $what:literal),* $(,)?) => {$(
        #[doc = concat!("The row id of ", $what, ".")]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }
    )*};
}

row_id!(ArticleId: "an article", OutletId: "an outlet", SpeakerId: "a speaker");

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether opening may create the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the file if it does not exist (`ingest`).
    Create,
    /// The file must exist (the listing commands: a typo in `--db` should
    /// not silently answer from a new, empty database).
    Existing,
}

/// An open, migrated quotetrail database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Open the database at `path`, set up the connection and bring the
    /// schema up to date. Errors name the file.
    pub fn open(path: &Path, mode: OpenMode) -> anyhow::Result<Store> {
        if mode == OpenMode::Existing && !path.exists() {
            bail!(
                "no database at {}: create it with `quotetrail --db {} ingest PATH...`",
                path.display(),
                path.display()
            );
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if mode == OpenMode::Create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let opened = Connection::open_with_flags(path, flags)
            .map_err(anyhow::Error::from)
            .and_then(|mut conn| {
                configure(&conn)?;
                migrate::migrate(&mut conn)?;
                Ok(conn)
            });
        match opened {
            Ok(conn) => Ok(Store {
                conn,
                path: path.to_path_buf(),
            }),
            Err(err) if is_not_a_database(&err) => {
                bail!("{} is not an SQLite database", path.display())
            }
            Err(err) => Err(err).with_context(|| format!("opening database {}", path.display())),
        }
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> anyhow::Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate::migrate(&mut conn)?;
        Ok(Store {
            conn,
            path: PathBuf::from(":memory:"),
        })
    }

    /// Where the database is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for checks and ad-hoc queries.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

fn configure(conn: &Connection) -> anyhow::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // journal_mode answers with the mode it set; an in-memory database
    // stays "memory", which is fine.
    let _mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    // With WAL, NORMAL syncs at checkpoints rather than at every commit: a
    // killed process loses nothing committed, a power cut may lose the last
    // commits, never consistency. An ingest commits every few hundred
    // articles and can be rerun.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

fn is_not_a_database(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase
        )
    })
}
