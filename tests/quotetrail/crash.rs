//! Crash safety and concurrency: a real ingest killed with SIGKILL at
//! several moments, ingests running side by side, and queries during an
//! ingest. After each kill the database must open, pass SQLite's integrity
//! and foreign-key checks and hold every stored article whole; a rerun must
//! end where an uninterrupted ingest ends, without duplicates.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Stdio};
use std::thread::sleep;
use std::time::Instant;

use rusqlite::Connection;

use crate::util::{Sandbox, pairs, samples_dir};

/// A corpus of `n` articles in `dir`, made from the samples: article `i`
/// is sample `i % 5` with one paragraph of its own, so every file has its
/// own content (and hash) and the quotations repeat across articles the
/// way wire copy does.
fn corpus(sb: &Sandbox, dir: &str, n: usize) {
    let mut samples: Vec<_> = std::fs::read_dir(samples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    samples.sort();
    let texts: Vec<String> = samples
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for i in 0..n {
        let text = &texts[i % texts.len()];
        sb.write(
            &format!("{dir}/{:02}/{i:05}.txt", i / 100),
            format!(
                "{text}\nThis is copy {i} of the story, filed by desk {}.\n",
                i % 7
            ),
        );
    }
}

fn ingest(sb: &Sandbox, db: &str, dir: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_quotetrail"));
    cmd.current_dir(sb.root())
        .env_remove("QUOTETRAIL_DB")
        .args(["--db", db, "ingest", "--quiet", dir])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// A stored quotation: start, end, text, speaker.
type Quotation = (i64, i64, String, Option<String>);

/// What a database holds, as comparable values: each article's quotations
/// (offsets, text, speaker) and the utterance keys with their sizes.
#[derive(Debug, PartialEq)]
struct Contents {
    quotations: BTreeMap<String, Vec<Quotation>>,
    utterances: BTreeMap<String, i64>,
}

fn contents(db: &Path) -> Contents {
    let conn = Connection::open(db).unwrap();
    let mut quotations: BTreeMap<_, Vec<_>> = BTreeMap::new();
    let mut stmt = conn
        .prepare(
            "SELECT a.path, q.start, q.end, q.text, s.name
             FROM quotations AS q JOIN articles AS a ON a.id = q.article_id
             LEFT JOIN speakers AS s ON s.id = q.speaker_id
             ORDER BY a.path, q.start",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
            ))
        })
        .unwrap();
    for row in rows {
        let (path, q) = row.unwrap();
        quotations.entry(path).or_default().push(q);
    }
    let utterances = pairs(&conn, "SELECT key, quotations FROM utterances");
    Contents {
        quotations,
        utterances,
    }
}

/// The checks every database must pass, whenever its ingest stopped.
fn assert_sound(db: &Path, reference: &Contents, when: &str) {
    let conn = Connection::open(db).unwrap_or_else(|e| panic!("{when}: opening: {e}"));
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{when}: integrity_check: {e}"));
    assert_eq!(check, "ok", "{when}");
    let violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap_or_else(|e| panic!("{when}: foreign_key_check: {e}"));
    assert_eq!(violations, 0, "{when}: foreign key violations");
    // Killed before its schema was committed: a file with nothing in it,
    // which the rerun fills.
    let schema: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'articles'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    if schema == 0 {
        return;
    }
    // Every stored article is whole: exactly the quotations an
    // uninterrupted ingest stores for it.
    let articles: Vec<String> = conn
        .prepare("SELECT path FROM articles")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let now = contents(db);
    for path in &articles {
        assert_eq!(
            now.quotations.get(path),
            reference.quotations.get(path),
            "{when}: {path} is stored differently"
        );
    }
    // The full-text index matches the table it indexes.
    conn.execute(
        "INSERT INTO quotations_fts (quotations_fts, rank) VALUES ('integrity-check', 1)",
        [],
    )
    .unwrap_or_else(|e| panic!("{when}: FTS index: {e}"));
}

fn finish(child: Child) -> (bool, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_ingest_killed_at_any_moment_loses_nothing_and_a_rerun_completes_it() {
    let sb = Sandbox::new();
    // More than one of the ingest's transactions (four chunks of 1,024
    // articles each).
    corpus(&sb, "news", 4200);

    let started = Instant::now();
    let (ok, err) = finish(ingest(&sb, "reference.db", "news").spawn().unwrap());
    assert!(ok, "{err}");
    let full = started.elapsed();
    let reference = contents(&sb.path("reference.db"));
    assert_eq!(reference.quotations.len(), 4200);
    assert!(reference.utterances.values().any(|&n| n > 1));

    // Kill one database's ingest again and again, at moments spread over
    // the length of a whole run: during loading, writing and grouping.
    let db = sb.path("killed.db");
    for percent in [3, 10, 25, 40, 55, 70, 85, 95] {
        let mut child = ingest(&sb, "killed.db", "news").spawn().unwrap();
        sleep(full * percent / 100);
        let finished_first = child.try_wait().unwrap().is_some();
        child.kill().unwrap();
        let _ = child.wait();
        if db.exists() {
            assert_sound(&db, &reference, &format!("killed at {percent}%"));
        }
        if finished_first {
            break;
        }
    }
    let (ok, err) = finish(ingest(&sb, "killed.db", "news").spawn().unwrap());
    assert!(ok, "rerun: {err}");
    assert_sound(&db, &reference, "after the rerun");
    assert_eq!(
        contents(&db),
        reference,
        "the rerun ends where a full run ends"
    );

    // A regrouping killed half-way leaves the previous grouping in place.
    let mut child = ingest(&sb, "killed.db", "news")
        .arg("--regroup")
        .spawn()
        .unwrap();
    sleep(full / 2);
    child.kill().unwrap();
    let _ = child.wait();
    assert_sound(&db, &reference, "regroup killed");
    assert_eq!(contents(&db), reference);
}

#[test]
fn queries_answer_and_concurrent_ingests_both_land_while_ingests_run() {
    let sb = Sandbox::new();
    corpus(&sb, "east", 300);
    corpus(&sb, "west", 300);
    // The database exists before the race starts: queries need it.
    sb.cmd(["ingest", "--quiet", "east/00"]).assert().success();

    let first = ingest(&sb, "q.db", "east").spawn().unwrap();
    let second = ingest(&sb, "q.db", "west").spawn().unwrap();
    let mut queries = 0;
    let mut first = Some(first);
    let mut second = Some(second);
    let mut results = Vec::new();
    while first.is_some() || second.is_some() {
        let out = sb
            .cmd(["quotes", "--speaker", "putin", "--format", "tsv"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "a query during the ingests failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        queries += 1;
        for slot in [&mut first, &mut second] {
            if let Some(child) = slot
                && child.try_wait().unwrap().is_some()
            {
                results.push(finish(slot.take().unwrap()));
            }
        }
    }
    assert!(queries > 1);
    for (ok, err) in &results {
        assert!(ok, "an ingest failed beside another: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let db = sb.path("q.db");
    let both = contents(&db);
    assert_eq!(both.quotations.len(), 600);
    // Both grouped everything: no quotation waits outside a rendering.
    let conn = Connection::open(&db).unwrap();
    let ungrouped: i64 = conn
        .query_row(
            "SELECT count(*) FROM quotations
             WHERE id NOT IN (SELECT quotation_id FROM quotation_renderings)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ungrouped, 0);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
