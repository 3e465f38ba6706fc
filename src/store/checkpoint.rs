//! Checkpoints of the write-ahead log on a thread of their own, while an
//! ingest's writer commits batch after batch.
//!
//! In WAL mode a commit appends pages to the log, and every so often a
//! *checkpoint* copies them into the database file. By default the
//! connection that commits past 1,000 pages of log runs it, inside its
//! commit: for an ingest that is the writer thread, the one thread the
//! whole ingest waits for, and the checkpoints were 11% of its time at
//! 10,000 articles (perf). [`Checkpointer`] takes them over: the writer
//! stops checkpointing, says when it has committed, and a second
//! connection copies the pages while the writer goes on with the next
//! batch.
//!
//! The log can only start again from its beginning when a write
//! transaction begins with every page of it copied, which a writer that
//! never waits would rarely see. So once a commit leaves the log longer
//! than [`LOG_LIMIT`] (SQLite's log hook says how long), the writer waits
//! until that commit is copied too; its next transaction then starts the
//! log over. The log thus stays bounded as before, and the writer waits
//! only for the last batch's pages.
//!
//! Nothing here changes what is stored or when it is durable: a
//! checkpoint only moves committed pages from the log into the file, and
//! a killed process leaves a log that the next connection replays.

use std::cell::Cell;
use std::ffi::c_int;
#[cfg(test)]
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use anyhow::Context;
use rusqlite::hooks::Wal;
use rusqlite::{Connection, OpenFlags};

use super::{Store, connect};

/// The log length, in pages, past which the writer waits for the
/// checkpointer to catch up: 256 MiB at 16 KiB pages. A 100k ingest
/// waits three times (0.65 s in all) instead of eleven (1.4 s) with
/// 64 MiB; in seven interleaved pairs of 100k ingests its ingest phase
/// took 7.0-9.4 s against 8.5 to over 10 s (shorter in six), the whole
/// ingest 18.4-23.1 s against 20.9-24.6 s. With 1 GiB it was no faster
/// again, and the system time grew.
const LOG_LIMIT: i64 = 16384;

/// SQLite's own threshold, restored when the checkpointer stops.
const AUTO_CHECKPOINT_PAGES: i64 = 1000;

/// A thread that checkpoints the write-ahead log after each of the
/// writer's commits (see the module docs). Stop it with
/// [`Checkpointer::finish`], which gives the writer its checkpoints back.
pub struct Checkpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<anyhow::Result<()>>>,
    /// [`LOG_LIMIT`], but in tests.
    log_limit: i64,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    /// Commits the writer reported.
    committed: u64,
    /// Commits whose pages a checkpoint has copied (as far as readers
    /// allowed).
    copied: u64,
    /// No more commits are coming.
    closed: bool,
    /// The checkpointer stopped, on an error it returns when joined.
    stopped: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves only counters behind,
        // which stay usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'a>(&self, guard: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.changed
            .wait(guard)
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store {
    /// Hand this connection's checkpoints to a [`Checkpointer`] on a
    /// connection of its own.
    pub fn checkpoint_in_background(&self) -> anyhow::Result<Checkpointer> {
        self.checkpoints_with_limit(LOG_LIMIT)
    }

    fn checkpoints_with_limit(&self, log_limit: i64) -> anyhow::Result<Checkpointer> {
        let conn = connect(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("opening {} for checkpoints", self.path.display()))?;
        // The hook replaces SQLite's own, which checkpoints.
        LOG_PAGES.set(0);
        self.conn.wal_hook(Some(count_log_pages));
        let shared = Arc::new(Shared::default());
        let thread = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn({
                let shared = Arc::clone(&shared);
                move || {
                    let run = checkpoints(&conn, &shared);
                    shared.lock().stopped = true;
                    shared.changed.notify_all();
                    run
                }
            });
        let thread = match thread {
            Ok(thread) => thread,
            Err(err) => {
                self.conn
                    .pragma_update(None, "wal_autocheckpoint", AUTO_CHECKPOINT_PAGES)?;
                return Err(err).context("starting the checkpoint thread");
            }
        };
        Ok(Checkpointer {
            shared,
            thread: Some(thread),
            log_limit,
        })
    }
}

impl Checkpointer {
    /// The writer committed: checkpoint its pages, and, when the log has
    /// grown past [`LOG_LIMIT`], wait until they are copied so that the
    /// next transaction starts the log over.
    pub fn committed(&self) {
        let mut state = self.shared.lock();
        state.committed += 1;
        self.shared.changed.notify_all();
        if LOG_PAGES.get() < self.log_limit {
            return;
        }
        while state.copied < state.committed && !state.stopped {
            state = self.shared.wait(state);
        }
    }

    /// Stop checkpointing once the last commit is copied, and give
    /// `store`'s connection its own checkpoints back. An `Err` says why
    /// background checkpoints stopped early (the writer's commits are
    /// stored all the same; their pages wait in the log for the next
    /// checkpoint).
    pub fn finish(mut self, store: &Store) -> anyhow::Result<()> {
        let run = self.stop();
        store
            .conn
            .pragma_update(None, "wal_autocheckpoint", AUTO_CHECKPOINT_PAGES)?;
        run
    }

    fn stop(&mut self) -> anyhow::Result<()> {
        self.shared.lock().closed = true;
        self.shared.changed.notify_all();
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(run)) => run,
            Some(Err(_)) => Err(anyhow::anyhow!(
                "the checkpoint thread stopped unexpectedly"
            )),
            None => Ok(()),
        }
    }
}

impl Drop for Checkpointer {
    /// A writer that failed leaves without [`Checkpointer::finish`]: the
    /// thread is still stopped and joined.
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

thread_local! {
    /// The pages in the log after this thread's last commit, as the log
    /// hook of a writer with a [`Checkpointer`] reports them: the writer
    /// commits on this thread and then asks it in
    /// [`Checkpointer::committed`].
    static LOG_PAGES: Cell<i64> = const { Cell::new(0) };
}

/// The writer's log hook: called by SQLite after each commit with the
/// pages now in the log.
fn count_log_pages(_: &Wal, pages: c_int) -> rusqlite::Result<()> {
    LOG_PAGES.set(i64::from(pages));
    Ok(())
}

/// The checkpointer's loop: a passive checkpoint (one that never waits
/// for readers or the writer) whenever commits are waiting to be copied,
/// until the writer is done.
fn checkpoints(conn: &Connection, shared: &Shared) -> anyhow::Result<()> {
    let mut state = shared.lock();
    loop {
        if state.copied < state.committed {
            let target = state.committed;
            drop(state);
            // Its row: whether it was blocked, pages in the log, pages
            // copied.
            conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                .context("checkpointing the write-ahead log")?;
            state = shared.lock();
            state.copied = target;
            shared.changed.notify_all();
        } else if state.closed {
            return Ok(());
        } else {
            state = shared.wait(state);
        }
    }
}

/// The log's pages at `path`, for tests: the second value of a passive
/// checkpoint's row.
#[cfg(test)]
fn log_pages(path: &Path) -> i64 {
    let conn = Connection::open(path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OpenMode;

    #[test]
    fn the_writer_stops_checkpointing_and_gets_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.db");
        let store = Store::open(&path, OpenMode::Create).unwrap();
        let auto = |store: &Store| -> i64 {
            store
                .connection()
                .pragma_query_value(None, "wal_autocheckpoint", |row| row.get(0))
                .unwrap()
        };
        let checkpointer = store.checkpoint_in_background().unwrap();
        assert_eq!(auto(&store), 0);
        checkpointer.finish(&store).unwrap();
        assert_eq!(auto(&store), AUTO_CHECKPOINT_PAGES);
    }

    #[test]
    fn every_commit_is_copied_and_the_log_starts_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.db");
        let store = Store::open(&path, OpenMode::Create).unwrap();
        store
            .connection()
            .execute_batch("CREATE TABLE t (x BLOB)")
            .unwrap();
        let limit = 64;
        let checkpointer = store.checkpoints_with_limit(limit).unwrap();
        // Each commit adds five pages or so: without starting over, the
        // log would pass the limit ten times over.
        let blob = vec![7u8; 1 << 16];
        for _ in 0..200 {
            store
                .connection()
                .execute("INSERT INTO t VALUES (?1)", [&blob])
                .unwrap();
            checkpointer.committed();
        }
        checkpointer.finish(&store).unwrap();
        let pages = log_pages(&path);
        assert!(pages < 2 * limit, "the log grew to {pages} pages");
        // Everything committed is there, through a new connection.
        let rows: i64 = Connection::open(&path)
            .unwrap()
            .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
            .unwrap();
        assert_eq!(rows, 200);
    }
}
