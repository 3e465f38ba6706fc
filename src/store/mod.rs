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

pub mod checkpoint;
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

pub use checkpoint::Checkpointer;
pub use group::{Regrouped, Scope};
pub use migrate::SCHEMA_VERSION;
pub use read::{Filter, QuotationRow, SpeakerRow};
pub use utterances::Selection;
pub use write::{Batch, Change, Stored, StoredArticle};

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

/// A connection to the database at `path` (a file name or a `file:` URI)
/// with `flags`, waiting [`BUSY_TIMEOUT`] for locks: the connections
/// opened beside a [`Store`]'s own (checkpoints, a second reader) and a
/// read-only listing's.
fn connect(path: impl AsRef<Path>, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// Whether opening may create the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the file if it does not exist (`ingest`). The connection
    /// is tuned for writing (see `configure_writer`).
    Create,
    /// The file must exist (the listing commands: a typo in `--db` should
    /// not silently answer from a new, empty database). Pages are read as
    /// SQLite reads them by default, with `read` into a 2 MiB cache: a
    /// listing reads most of its pages once, in index order (one
    /// speaker's quotations, their memberships), and at 100k articles
    /// mapping the file instead cost `quotes --speaker putin` ~40 ms more
    /// (a page fault for most pages read, and unmapping them at exit).
    Existing,
    /// The file must exist, for a listing that reads rows scattered over
    /// the file, many pages more than once, and sorts them all
    /// (`utterances`, every membership of a speaker's utterances with
    /// their renderings' words): tuned for that (see `configure_reader`).
    Scattered,
    /// The file must exist, for a few point lookups beside a writer (the
    /// ingest's loader asking for stored content hashes): not tuned for
    /// listings, whose memory map made a 100k-article re-ingest fault in
    /// hundreds of megabytes it never needed.
    Lookup,
}

/// An open, migrated quotetrail database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Open the database at `path`, set up the connection and bring the
    /// schema up to date. Errors name the file.
    ///
    /// A listing (`OpenMode::Existing`, `Scattered`) of a database quotetrail cannot
    /// write (a read-only file or directory) reads it read-only, provided
    /// its schema needs no upgrade; an ingest is refused up front.
    pub fn open(path: &Path, mode: OpenMode) -> anyhow::Result<Store> {
        let name = path.display();
        if path.is_dir() {
            bail!("{name} is a directory, not a database file");
        }
        if mode != OpenMode::Create && !path.exists() {
            bail!("no database at {name}: create it with `quotetrail --db {name} ingest PATH...`");
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            bail!(
                "cannot create database {name}: there is no directory {}",
                dir.display()
            );
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if mode == OpenMode::Create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let opened = Connection::open_with_flags(path, flags)
            .map_err(anyhow::Error::from)
            .and_then(|mut conn| {
                // Checked before `configure`, whose journal mode would write
                // a header into an empty file.
                if mode != OpenMode::Create {
                    conn.busy_timeout(BUSY_TIMEOUT)?;
                    ensure_quotetrail(&conn)?;
                }
                configure(&conn)?;
                migrate::migrate(&mut conn)?;
                match mode {
                    OpenMode::Create => configure_writer(&conn)?,
                    OpenMode::Scattered => configure_reader(&conn)?,
                    OpenMode::Existing | OpenMode::Lookup => {}
                }
                Ok(conn)
            });
        let conn = match opened {
            Ok(conn) => conn,
            Err(err) if is_not_a_database(&err) => {
                bail!("{name} is not an SQLite database")
            }
            Err(err) if mode != OpenMode::Create && read_only(&err).is_some() => {
                open_read_only(path, mode).with_context(|| format!("opening database {name}"))?
            }
            Err(err) => {
                if let Some(why) = read_only(&err) {
                    return Err(err).context(format!("cannot write to database {name}: {why}"));
                }
                return Err(err).with_context(|| format!("opening database {name}"));
            }
        };
        // SQLite opens a file it may not write read-only without a word;
        // an ingest would only find out at its first write.
        if mode == OpenMode::Create && conn.is_readonly(rusqlite::MAIN_DB)? {
            bail!("cannot write to database {name}: the file is read-only");
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
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
    // rarray(): a list of ids bound as one parameter (the batch's commit).
    rusqlite::vtab::array::load_module(conn)?;
    // Only a new database takes a page size (one in WAL mode keeps its
    // own). An article's text, 4 KiB on average, fits one 16 KiB page
    // instead of a chain of overflow pages, and an ingest writes a quarter
    // as many pages through the write-ahead log and its checkpoints: the
    // writer, an ingest's critical path, spent 12% less CPU at 100,000
    // articles, and listings were no slower (BENCHMARKS.md).
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    // journal_mode answers with the mode it set; an in-memory database
    // stays "memory", which is fine.
    let _mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    // With WAL, NORMAL syncs at checkpoints rather than at every commit: a
    // killed process loses nothing committed, a power cut may lose the last
    // commits, never consistency. An ingest commits every 4,096 articles
    // and can be rerun.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

/// An ingest inserts into indexes whose pages are spread over the file
/// (quotations by speaker, the full-text index, and when grouping,
/// memberships and links by quotation). With SQLite's 2 MiB page cache,
/// most inserts read their page back from the file: at 100,000 articles
/// a fifth of the CPU time (17.5 of 84 s) went to the kernel. A writer
/// keeps up to 64 MiB of pages, allocated only as they are read.
fn configure_writer(conn: &Connection) -> anyhow::Result<()> {
    conn.pragma_update(None, "cache_size", -WRITE_CACHE_KIB)?;
    Ok(())
}

/// The page size of a new database, in bytes (see `configure`).
const PAGE_SIZE: i64 = 16 * 1024;

/// The page cache of a writing connection, in KiB (see `configure_writer`).
pub(crate) const WRITE_CACHE_KIB: i64 = 64 * 1024;

/// A scattered listing (`OpenMode::Scattered`) reads tens of thousands
/// of rows spread over the whole file and sorts them. With SQLite's
/// defaults (a 2 MiB page cache, every page read with its own system
/// call) pages are read again after being evicted and the sort spills
/// to a temporary file: `utterances --speaker putin` at 100k took ~18%
/// more CPU. So its connection keeps up to 64 MiB of pages (allocated
/// only as they are read; also the sort's memory before it spills) and
/// maps the file into memory instead of reading it page by page. SQLite
/// still reads the write-ahead log with ordinary reads, so a listing
/// sees committed writes as before.
fn configure_reader(conn: &Connection) -> anyhow::Result<()> {
    conn.pragma_update(None, "cache_size", -64 * 1024)?;
    // SQLite's build caps this near 2 GiB; a larger file has its
    // remainder read as before.
    let _size: i64 =
        conn.pragma_update_and_check(None, "mmap_size", 1_i64 << 31, |row| row.get(0))?;
    Ok(())
}

/// A listing must not answer from an empty file or another program's
/// database as if it were an empty quotetrail database.
fn ensure_quotetrail(conn: &Connection) -> anyhow::Result<()> {
    let version: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > 0 {
        return Ok(());
    }
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
    if tables == 0 {
        bail!("the file is empty, not a quotetrail database (`ingest` creates one)");
    }
    bail!("it holds another program's tables, not a quotetrail database");
}

/// Open a database quotetrail cannot write: read-only, and with no
/// migration, so only a database at [`SCHEMA_VERSION`] can be read.
fn open_read_only(path: &Path, mode: OpenMode) -> anyhow::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let uri = file_uri(path);
    // A database in write-ahead-log mode needs its `-shm` file, which a
    // read-only directory cannot get; with no `-wal` file beside it there
    // is nothing but the main file to read, and `immutable` reads just that.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let uri = if Path::new(&wal).exists() {
        format!("{uri}?mode=ro")
    } else {
        format!("{uri}?mode=ro&immutable=1")
    };
    let conn = connect(uri, flags)?;
    ensure_quotetrail(&conn)?;
    if mode == OpenMode::Scattered {
        configure_reader(&conn)?;
    }
    let version: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        bail!(migrate::too_new(version));
    }
    if version < SCHEMA_VERSION {
        bail!(
            "the database has schema version {version} and needs upgrading to \
             {SCHEMA_VERSION}, but it is read-only"
        );
    }
    Ok(conn)
}

/// `path` as an SQLite `file:` URI, every byte that could be read as URI
/// syntax percent-encoded.
fn file_uri(path: &Path) -> String {
    use std::fmt::Write;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for &b in absolute.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            let _ = write!(uri, "%{b:02X}");
        }
    }
    uri
}

/// Why a write failed for lack of permission, if it did.
fn read_only(err: &anyhow::Error) -> Option<&'static str> {
    err.chain()
        .find_map(|cause| match cause.downcast_ref::<rusqlite::Error>() {
            Some(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ReadOnly => Some(
                if e.extended_code == rusqlite::ffi::SQLITE_READONLY_DIRECTORY {
                    "its directory is not writable (SQLite keeps its -wal and -shm files beside it)"
                } else {
                    "the file is read-only"
                },
            ),
            _ => None,
        })
}

fn is_not_a_database(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase
        )
    })
}
