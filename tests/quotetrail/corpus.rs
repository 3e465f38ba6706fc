//! The corpus builder, `quotetrail-corpus`: what the ingest benchmark
//! measures is only worth as much as the corpus is like news, so these
//! check that a seed names one corpus, that every article it writes is
//! ingested with its manifest row, that its statements come back as
//! utterances carried by several articles in several renderings, and that
//! its gold names every quotation it wrote, where it wrote it.

use std::collections::{BTreeMap, BTreeSet};
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
    assert_eq!(first.len(), 52, "50 articles, the manifest and the gold");
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

/// The quotation marks the builder writes, curly and straight.
const MARKS: [char; 3] = ['“', '”', '"'];

#[test]
fn the_gold_names_every_quotation_where_it_is() {
    let sb = Sandbox::new();
    let dir = build(&sb, "a", 3);
    let gold_bytes = std::fs::read(dir.join("gold.jsonl")).unwrap();
    let again = build(&sb, "b", 3);
    assert!(
        gold_bytes == std::fs::read(again.join("gold.jsonl")).unwrap(),
        "the same seed gave another gold"
    );

    let rows: Vec<serde_json::Value> = std::str::from_utf8(&gold_bytes)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(rows.len() >= 150, "only {} gold quotations", rows.len());
    let text = |row: &serde_json::Value, key: &str| -> String {
        row[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} missing in {row}"))
            .to_string()
    };
    let offset = |row: &serde_json::Value, key: &str| -> usize {
        row[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{key} missing in {row}")) as usize
    };

    // Per file: the character positions of the marks the gold accounts for.
    let mut accounted: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut previous: Option<(String, usize)> = None;
    let mut files_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut renderings_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in &rows {
        let file = text(row, "file");
        let (start, end) = (offset(row, "start"), offset(row, "end"));
        let quote = text(row, "quote");
        let article: Vec<char> = std::fs::read_to_string(dir.join(&file))
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .chars()
            .collect();
        let found: String = article.get(start..end).unwrap_or_default().iter().collect();
        assert_eq!(found, quote, "{file} {start}..{end} is not the gold quote");
        if let Some((last_file, last_end)) = &previous {
            assert!(
                *last_file < file || (*last_file == file && *last_end <= start),
                "{file}: gold out of order or overlapping at {start}"
            );
        }
        previous = Some((file.clone(), end));

        let before = start.checked_sub(1).and_then(|i| article.get(i));
        let after = article.get(end);
        let marks = accounted.entry(file.clone()).or_default();
        match (before, after) {
            (Some(b), Some(a)) if MARKS.contains(b) && MARKS.contains(a) => {
                marks.insert(start - 1);
                marks.insert(end);
            }
            // A block quote: a whole paragraph without marks.
            (Some('\n'), Some('\n')) => {
                assert!(
                    !row["partial"].as_bool().unwrap(),
                    "{file}: a partial block"
                )
            }
            _ => panic!("{file}: {quote:?} is neither between marks nor a paragraph"),
        }

        let utterance = text(row, "utterance");
        let rendering = text(row, "rendering");
        assert!(
            utterance.starts_with('e') && utterance.contains("/s"),
            "{file}: utterance {utterance:?}"
        );
        assert!(
            rendering.starts_with(&format!("{utterance}/")),
            "{file}: rendering {rendering:?} is not of {utterance}"
        );
        assert!(!text(row, "speaker").is_empty(), "{file}: no speaker");
        assert!(row["cited"].is_null() || row["cited"].is_string());
        files_of.entry(utterance.clone()).or_default().insert(file);
        renderings_of
            .entry(utterance)
            .or_default()
            .insert(rendering);
    }

    // Every mark in every article is one of a gold quotation's.
    let articles: Vec<(String, Vec<u8>)> = files(&dir)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".txt"))
        .collect();
    assert_eq!(articles.len(), 50);
    for (name, bytes) in &articles {
        let none = BTreeSet::new();
        let marks = accounted.get(name).unwrap_or(&none);
        for (i, c) in String::from_utf8_lossy(bytes).chars().enumerate() {
            if MARKS.contains(&c) {
                assert!(
                    marks.contains(&i),
                    "{name}: the mark at {i} is in no gold quote"
                );
            }
        }
    }

    // The ids name statements across articles, not quotations.
    let shared = files_of.values().filter(|f| f.len() > 1).count();
    assert!(
        shared >= 10,
        "only {shared} utterances in two articles or more"
    );
    let translated = renderings_of
        .values()
        .filter(|r| r.iter().any(|r| r.ends_with("/base")) && r.iter().any(|r| r.ends_with("/alt")))
        .count();
    assert!(
        translated >= 2,
        "only {translated} utterances in both translations"
    );
}
