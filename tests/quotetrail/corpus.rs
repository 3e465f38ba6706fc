//! The corpus builder, `quotetrail-corpus`: what the ingest benchmark
//! measures is only worth as much as the corpus is like news, so these
//! check that a seed names one corpus, that every article it writes is
//! ingested with its manifest row, and that its statements come back as
//! utterances carried by several articles in several renderings.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::util::{Sandbox, samples_dir};

/// `quotetrail-corpus --articles 50 --seed SEED --out DIR` in the sandbox.
fn build(sb: &Sandbox, dir: &str, seed: u64) -> PathBuf {
    Command::new(env!("CARGO_BIN_EXE_quotetrail-corpus"))
        .current_dir(sb.root())
        .args([
            "--articles",
            "50",
            "--seed",
            &seed.to_string(),
            "--out",
            dir,
        ])
        .arg("--from")
        .arg(samples_dir())
        .assert()
        .success();
    sb.path(dir)
}

/// Every file under `dir`, by path inside it, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap();
                let name = name.to_string_lossy().replace('\\', "/");
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_seed_and_a_size_name_one_corpus() {
    let sb = Sandbox::new();
    let first = files(&build(&sb, "a", 7));
    let again = files(&build(&sb, "b", 7));
    let other = files(&build(&sb, "c", 8));
    assert_eq!(first.len(), 51, "50 articles and the manifest");
    assert!(first == again, "the same seed gave another corpus");
    assert!(first != other, "another seed gave the same corpus");

    let names: Vec<&str> = first.iter().map(|(name, _)| name.as_str()).collect();
    let (_, manifest) = first
        .iter()
        .find(|(name, _)| name == "manifest.tsv")
        .unwrap();
    let manifest = String::from_utf8(manifest.clone()).unwrap();
    let mut lines = manifest.lines();
    assert_eq!(lines.next(), Some("file\toutlet\turl\tpublished\ttitle"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 50);
    for row in rows {
        let file = row.split('\t').next().unwrap();
        assert!(names.contains(&file), "manifest row for a missing {file}");
    }
}

#[test]
fn the_corpus_is_ingested_into_utterances_of_several_renderings() {
    let sb = Sandbox::new();
    build(&sb, "corpus", 1);
    sb.cmd(["ingest", "corpus"]).assert().success();

    let db = rusqlite::Connection::open(sb.path("q.db")).unwrap();
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM articles"), 50);
    // Every outlet came from the manifest, none from a file name.
    assert_eq!(
        count(
            "SELECT count(*) FROM articles JOIN outlets ON outlets.id = articles.outlet_id
             WHERE outlets.name GLOB '[0-9]*'"
        ),
        0
    );
    let quotations = count("SELECT count(*) FROM quotations");
    assert!(
        quotations >= 150,
        "only {quotations} quotations in 50 articles"
    );
    let attributed = count("SELECT count(*) FROM quotations WHERE speaker_id IS NOT NULL");
    assert!(
        attributed * 10 >= quotations * 8,
        "{attributed} of {quotations} attributed"
    );
    let shared = count("SELECT count(*) FROM utterances WHERE quotations > 1");
    assert!(
        shared >= 10,
        "only {shared} utterances quoted more than once"
    );
    let outlets = count(
        "SELECT count(*) FROM (
             SELECT u.id FROM utterances u
             JOIN renderings r ON r.utterance_id = u.id
             JOIN quotation_renderings qr ON qr.rendering_id = r.id
             JOIN quotations q ON q.id = qr.quotation_id
             JOIN articles a ON a.id = q.article_id
             GROUP BY u.id HAVING count(DISTINCT a.id) > 1)",
    );
    assert!(
        outlets >= 5,
        "only {outlets} utterances in more than one article"
    );
    let renderings = count(
        "SELECT count(*) FROM (
             SELECT utterance_id FROM renderings GROUP BY utterance_id HAVING count(*) > 1)",
    );
    assert!(
        renderings >= 2,
        "only {renderings} utterances with two renderings"
    );
}
