//! Helpers shared by the integration tests: a sandbox directory with a copy
//! of samples/ and a command line pointed at a database inside it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The repository's samples/ directory.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// The rows of tests/fixtures/seeds-gold.jsonl, the acceptance spec of
/// samples/, each read into `T`.
pub fn seeds_gold<T: serde::de::DeserializeOwned>() -> Vec<T> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds-gold.jsonl");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}: {l}", path.display())))
        .collect()
}

/// The two-column rows `sql` selects on `conn`, collected into `C` (a
/// `Vec` of pairs, a map).
pub fn pairs<A, B, C>(conn: &rusqlite::Connection, sql: &str) -> C
where
    A: rusqlite::types::FromSql,
    B: rusqlite::types::FromSql,
    C: FromIterator<(A, B)>,
{
    conn.prepare(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<C>>()
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A temporary working directory. Commands run inside it with
/// `--db q.db`, so every path they print is relative and stable.
pub struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("creating a temporary directory"),
        }
    }

    /// A sandbox with a copy of samples/ at `samples/`.
    pub fn with_samples() -> Sandbox {
        let sandbox = Sandbox::new();
        let to = sandbox.path("samples");
        std::fs::create_dir(&to).unwrap();
        for entry in std::fs::read_dir(samples_dir()).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
        sandbox
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// `quotetrail --db q.db ARGS...` run in the sandbox, with the
    /// environment that could change its output removed.
    pub fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = bare();
        cmd.current_dir(self.root())
            .arg("--db")
            .arg("q.db")
            .args(args);
        cmd
    }

    /// Run a command that must succeed; its stdout.
    pub fn stdout<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let out = self
            .cmd(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    }

    /// `export --format jsonl`, parsed.
    pub fn export(&self) -> Vec<serde_json::Value> {
        self.stdout(["export", "--format", "jsonl"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Replace the sandbox's absolute path in `text` with `[TMP]`.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.root().display().to_string(), "[TMP]")
    }
}

/// The quotetrail binary with no arguments and a clean environment.
pub fn bare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_quotetrail"));
    cmd.env_remove("QUOTETRAIL_DB").env("COLUMNS", "100");
    cmd
}

/// Headless Chromium (Debian's `chromium`, which CI installs) with the
/// flags for a run that needs no display, no network and no profile but
/// `profile`; `None` where no Chromium is installed.
pub fn chromium(profile: &Path) -> Option<std::process::Command> {
    let binary = ["chromium", "chromium-browser"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })?;
    let mut cmd = std::process::Command::new(binary);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    Some(cmd)
}

/// The stderr of a finished command, as text.
pub fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// The effective user id of the tests (0 when they run as root, as CI does).
#[cfg(unix)]
pub fn euid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the effective user of the process looking.
    std::fs::metadata("/proc/self").map_or(u32::MAX, |m| m.uid())
}

impl Sandbox {
    /// `quotetrail --db q.db ARGS...` run without the privileges of root:
    /// as user and group 65534 (nobody) through `setpriv` when the tests
    /// run as root, who ignores file modes; as the current user otherwise.
    /// The sandbox is opened to everyone for reading (not writing), and the
    /// binary copied into it when nobody cannot reach where cargo built it.
    #[cfg(unix)]
    pub fn cmd_unprivileged<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        use std::os::unix::fs::PermissionsExt;
        if euid() != 0 {
            return self.cmd(args);
        }
        const NOBODY: [&str; 4] = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"];
        let open = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(self.root(), open).unwrap();
        let mut binary = PathBuf::from(env!("CARGO_BIN_EXE_quotetrail"));
        let reachable = std::process::Command::new("setpriv")
            .args(NOBODY)
            .arg(&binary)
            .arg("--version")
            .output()
            .expect("setpriv (util-linux) runs the binary as nobody when the tests run as root")
            .status
            .success();
        if !reachable {
            let copy = self.path("quotetrail-bin");
            std::fs::copy(&binary, &copy).unwrap();
            binary = copy;
        }
        let mut cmd = Command::new("setpriv");
        cmd.args(NOBODY)
            .arg(binary)
            .current_dir(self.root())
            .env_remove("QUOTETRAIL_DB")
            .env("COLUMNS", "100")
            .arg("--db")
            .arg("q.db")
            .args(args);
        cmd
    }
}
