//! The binary as a user runs it, on a real SQLite file in a temporary
//! directory.

use std::io::Read;
use std::process::Stdio;

use crate::util::{Sandbox, bare, stderr};

fn articles_in(rows: &[serde_json::Value], article: &str) -> Vec<String> {
    rows.iter()
        .filter(|r| r["article"] == article)
        .map(|r| r["quote"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn ingesting_samples_twice_the_second_time_is_a_no_op() {
    let sb = Sandbox::with_samples();
    let first = sb.cmd(["ingest", "samples"]).assert().success();
    let err = stderr(&first);
    assert!(
        err.contains("ingest: 5 new, 0 changed, 0 unchanged, 0 failed"),
        "{err}"
    );
    assert!(
        err.contains("samples/speakers.json: not a .txt article, skipped"),
        "{err}"
    );
    assert!(
        !err.contains("manifest.tsv"),
        "the manifest is read, not skipped: {err}"
    );
    let before = sb.export();
    assert!(!before.is_empty());

    let second = sb.cmd(["ingest", "samples"]).assert().success();
    let err = stderr(&second);
    assert!(
        err.contains("ingest: 0 new, 0 changed, 5 unchanged, 0 failed; 0 quotations"),
        "{err}"
    );
    assert_eq!(sb.export(), before);
}

#[test]
fn quiet_prints_only_problems_and_jobs_do_not_change_the_result() {
    let sb = Sandbox::with_samples();
    let quiet = sb
        .cmd(["ingest", "--quiet", "--jobs", "1", "samples"])
        .assert()
        .success();
    assert_eq!(stderr(&quiet), "", "notes and the summary are quiet");
    let one_thread = sb.export();

    let sb = Sandbox::with_samples();
    sb.write("samples/broken.txt", b"\x00\x01\x02 binary \x00");
    let noisy = sb
        .cmd(["ingest", "-q", "-j", "3", "samples"])
        .assert()
        .code(1);
    let err = stderr(&noisy);
    assert!(
        err.contains("broken.txt") && !err.contains("speakers.json") && !err.contains("ingest:"),
        "a problem is still printed, notes and summary are not: {err}"
    );
    assert_eq!(sb.export(), one_thread, "three threads store what one does");

    let zero = stderr(
        &sb.cmd(["ingest", "--jobs", "0", "samples"])
            .assert()
            .code(2),
    );
    assert!(zero.contains("--jobs"), "{zero}");
}

#[test]
fn the_summary_counts_articles_quotations_and_speakers() {
    let sb = Sandbox::with_samples();
    let err = stderr(&sb.cmd(["ingest", "samples"]).assert().success());
    let summary = err.lines().find(|l| l.starts_with("ingest:")).unwrap();
    let quotations = sb.export().len();
    let speakers: std::collections::BTreeSet<String> = sb
        .export()
        .iter()
        .filter(|r| r["speaker_inferred"] != true)
        .filter_map(|r| r["speaker"].as_str().map(str::to_string))
        .collect();
    assert!(
        summary.starts_with(&format!(
            "ingest: 5 new, 0 changed, 0 unchanged, 0 failed; {quotations} quotations, {} speakers;",
            speakers.len()
        )),
        "{summary}"
    );
    assert!(summary.ends_with(" s grouping)"), "{summary}");
}

#[test]
fn a_changed_file_has_its_quotations_replaced() {
    let sb = Sandbox::with_samples();
    sb.cmd(["ingest", "samples"]).assert().success();
    let article = "samples/000_617da211d8112adf.txt";
    let before = sb.export();
    let old = articles_in(&before, article);
    let others = before.iter().filter(|r| r["article"] != article).count();

    let mut text = std::fs::read_to_string(sb.path(article)).unwrap();
    text.push_str("\n\n“Nobody expected a thaw this quick,” Lavrov said.\n");
    std::fs::write(sb.path(article), text).unwrap();
    let err = stderr(&sb.cmd(["ingest", "samples"]).assert().success());
    assert!(
        err.contains("0 new, 1 changed, 4 unchanged, 0 failed"),
        "{err}"
    );

    let after = sb.export();
    let new = articles_in(&after, article);
    assert_eq!(new.len(), old.len() + 1, "replaced, not appended: {new:?}");
    assert_eq!(
        new.iter()
            .filter(|q| q.as_str() == "Nobody expected a thaw this quick,")
            .count(),
        1
    );
    assert_eq!(
        after.iter().filter(|r| r["article"] != article).count(),
        others
    );
    // The search index followed: the old quotations left it, the new one
    // is found, and it agrees with the table.
    let found = sb.stdout(["search", "thaw this quick", "--format", "tsv"]);
    assert_eq!(found.lines().count(), 2, "a header and one row: {found}");
    let conn = rusqlite::Connection::open(sb.path("q.db")).unwrap();
    conn.execute(
        "INSERT INTO quotations_fts (quotations_fts, rank) VALUES ('integrity-check', 1)",
        [],
    )
    .unwrap();
}

#[test]
fn manifest_gives_outlet_and_date_else_url_host_else_stem() {
    let sb = Sandbox::new();
    sb.write("in/a.txt", "“Talks went well,” Peskov said.");
    sb.write(
        "in/b.txt",
        "From https://www.tass.com/politics/1: “Talks went well,” Peskov said.",
    );
    sb.write("in/sub/c.txt", "“Talks went well,” Peskov said.");
    sb.write(
        "in/manifest.csv",
        "file,outlet,published\na.txt,TASS English,2025-02-27\nmissing.txt,X,\n",
    );
    let err = stderr(&sb.cmd(["ingest", "in"]).assert().success());
    assert!(
        err.contains("manifest.csv: missing.txt is not among the ingested articles"),
        "{err}"
    );
    let rows = sb.export();
    let outlet = |article: &str| {
        rows.iter()
            .find(|r| r["article"] == article)
            .map(|r| (r["outlet"].clone(), r["published"].clone()))
            .unwrap()
    };
    assert_eq!(
        outlet("in/a.txt"),
        ("TASS English".into(), "2025-02-27".into())
    );
    assert_eq!(
        outlet("in/b.txt"),
        ("tass.com".into(), serde_json::Value::Null)
    );
    assert_eq!(
        outlet("in/sub/c.txt"),
        ("c".into(), serde_json::Value::Null)
    );
}

#[test]
fn explicit_manifest_replaces_the_directorys_own() {
    let sb = Sandbox::new();
    sb.write("in/a.txt", "“Talks went well,” Peskov said.");
    sb.write("in/manifest.tsv", "file\toutlet\na.txt\tOwn\n");
    sb.write("other.tsv", "file\toutlet\ttitle\na.txt\tGiven\tTalks\n");
    sb.cmd(["ingest", "in", "--manifest", "other.tsv"])
        .assert()
        .success();
    assert_eq!(sb.export()[0]["outlet"], "Given");
}

#[test]
fn a_rerun_with_a_changed_manifest_updates_unchanged_articles() {
    let sb = Sandbox::new();
    sb.write("in/a.txt", "“Talks went well,” Peskov said.");
    sb.write("in/b.txt", "“Talks went badly,” Lavrov said.");
    sb.write("in/manifest.csv", "file,outlet\na.txt,First\nb.txt,Same\n");
    sb.cmd(["ingest", "in"]).assert().success();
    sb.write("in/manifest.csv", "file,outlet\na.txt,Second\nb.txt,Same\n");
    let err = stderr(&sb.cmd(["ingest", "in"]).assert().success());
    assert!(
        err.contains("0 new, 0 changed, 2 unchanged, 0 failed; 0 quotations"),
        "{err}"
    );
    let outlets: Vec<(String, String)> = sb
        .export()
        .iter()
        .map(|r| (r["article"].to_string(), r["outlet"].to_string()))
        .collect();
    assert_eq!(
        outlets,
        [
            (r#""in/a.txt""#.into(), r#""Second""#.into()),
            (r#""in/b.txt""#.into(), r#""Same""#.into())
        ]
    );
}

#[test]
fn unknown_manifest_column_is_an_error_naming_the_manifest() {
    let sb = Sandbox::new();
    sb.write("in/a.txt", "“Talks went well,” Peskov said.");
    sb.write("in/manifest.tsv", "file\toutlet\tauthor\na.txt\tTASS\tX\n");
    let assert = sb.cmd(["ingest", "in"]).assert().code(1);
    let err = stderr(&assert);
    assert!(
        err.contains("manifest in/manifest.tsv: unknown column `author`"),
        "{err}"
    );
    let rows = sb.export();
    assert_eq!(rows.len(), 1, "the article is stored without the manifest");
    assert_eq!(rows[0]["outlet"], "a");
}

#[test]
fn binary_and_non_utf8_files_are_named_and_the_rest_stored() {
    let sb = Sandbox::new();
    sb.write("in/a_good.txt", "“We will keep talking,” Lavrov said.");
    sb.write("in/b_binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    sb.write(
        "in/c_latin.txt",
        b"\x93Caf\xe9 diplomacy works,\x94 Peskov said.",
    );
    let assert = sb.cmd(["ingest", "in"]).assert().code(1);
    let err = stderr(&assert);
    assert!(
        err.contains("in/b_binary.txt: binary file, skipped"),
        "{err}"
    );
    assert!(
        err.contains("in/c_latin.txt: not UTF-8, decoded as windows-1252"),
        "{err}"
    );
    assert!(
        err.contains("2 new, 0 changed, 0 unchanged, 1 failed"),
        "{err}"
    );
    let quotes: Vec<String> = sb
        .export()
        .iter()
        .map(|r| r["quote"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(quotes, ["We will keep talking,", "Café diplomacy works,"]);
}

#[test]
fn a_missing_path_fails_but_the_others_are_stored() {
    let sb = Sandbox::new();
    sb.write("a.txt", "“We will keep talking,” Lavrov said.");
    let assert = sb.cmd(["ingest", "nope", "a.txt"]).assert().code(1);
    assert!(stderr(&assert).contains("nope: "), "{}", stderr(&assert));
    assert_eq!(sb.export().len(), 1);
}

#[test]
fn utf16_and_bom_articles_are_decoded() {
    let sb = Sandbox::new();
    let text = "“Nous parlerons encore,” Lavrov said.";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    sb.write("in/a.txt", utf16);
    sb.write("in/b.txt", format!("\u{feff}{text}"));
    sb.cmd(["ingest", "in"]).assert().success();
    let rows = sb.export();
    assert_eq!(rows.len(), 2);
    for row in rows {
        assert_eq!(row["quote"], "Nous parlerons encore,");
        // Offsets are into the decoded text, byte-order mark removed.
        assert_eq!(row["start"], "“".len());
    }
}

#[test]
fn db_that_is_a_text_file_is_a_clear_error() {
    let sb = Sandbox::new();
    sb.write("notes.txt", "not a database, just notes\n".repeat(200));
    for args in [vec!["quotes"], vec!["ingest", "notes.txt"]] {
        let mut cmd = bare();
        cmd.current_dir(sb.root())
            .args(["--db", "notes.txt"])
            .args(&args);
        let err = stderr(&cmd.assert().code(1));
        assert!(
            err.contains("quotetrail: error: notes.txt is not an SQLite database"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn listing_a_missing_database_does_not_create_it() {
    let sb = Sandbox::new();
    let err = stderr(&sb.cmd(["speakers"]).assert().code(1));
    assert!(err.contains("no database at q.db"), "{err}");
    assert!(!sb.path("q.db").exists());
}

#[test]
fn a_newer_schema_version_is_refused() {
    let sb = Sandbox::with_samples();
    sb.cmd(["ingest", "samples"]).assert().success();
    let conn = rusqlite::Connection::open(sb.path("q.db")).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let err = stderr(&sb.cmd(["quotes"]).assert().code(1));
    assert!(err.contains("opening database q.db"), "{err}");
    assert!(
        err.contains("schema version 999, newer than this quotetrail understands"),
        "{err}"
    );
}

#[test]
fn search_finds_phrases_and_reports_bad_fts_syntax() {
    let sb = Sandbox::new();
    sb.write(
        "a.txt",
        "“Contacts inspire certain hopes,” Putin said.\n\n“Many irritants remain,” Lavrov said.\n\n“Hopes are certain,” Peskov said.",
    );
    sb.cmd(["ingest", "a.txt"]).assert().success();
    let count = |query: &str| {
        sb.stdout(["search", query, "--format", "jsonl"])
            .lines()
            .count()
    };
    // Plain text is one phrase; its punctuation does not trip FTS5.
    assert_eq!(count("certain hopes,"), 1);
    assert_eq!(count("Hopes: are certain."), 1);
    // FTS5 operators are passed through.
    assert_eq!(count("irritant*"), 1);
    assert_eq!(count("hopes OR irritants"), 3);
    assert_eq!(count("hopes NOT inspire"), 1);

    for bad in ["hope AND (", "\"unbalanced", "NEAR(hope"] {
        let err = stderr(&sb.cmd(["search", bad]).assert().code(1));
        assert!(
            err.contains("quotetrail: error: invalid search"),
            "{bad}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    let err = stderr(&sb.cmd(["search", "  "]).assert().code(1));
    assert!(err.contains("nothing to search for"), "{err}");
}

#[test]
fn speaker_names_with_quotes_and_sql_metacharacters() {
    let sb = Sandbox::new();
    let name = r#"Robert "Bob" O'Brien'); DROP TABLE speakers; --"#;
    let registry = serde_json::json!({
        "speakers": [{"name": name, "aliases": ["O'Brien"], "roles": ["national security adviser"]}]
    });
    sb.write("extra.json", registry.to_string());
    sb.write("a.txt", "“We are making progress,” O'Brien said.");
    sb.cmd(["--speakers", "extra.json", "ingest", "a.txt"])
        .assert()
        .success();
    let speakers = sb.stdout(["speakers", "--format", "json"]);
    let speakers: serde_json::Value = serde_json::from_str(&speakers).unwrap();
    assert!(
        speakers
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["speaker"] == name),
        "{speakers}"
    );
    for query in [name, "o'brien", "National Security Adviser", "' OR 1=1 --"] {
        sb.cmd(["quotes", "--speaker", query, "--format", "tsv"])
            .assert()
            .success();
    }
    let err = stderr(
        &sb.cmd(["quotes", "--speaker", "' OR 1=1 --"])
            .assert()
            .success(),
    );
    assert!(err.contains("no speaker matches"), "{err}");
    // The registry speakers are still all there.
    assert!(sb.stdout(["speakers"]).contains("Vladimir Putin"));
}

#[test]
fn quotes_filters_by_forgiving_speaker_names_and_outlet() {
    let sb = Sandbox::new();
    sb.write(
        "a.txt",
        "https://tass.com/x\n\n“Contacts inspire hopes,” Putin said.",
    );
    sb.write("b.txt", "“Wait and see,” Dmitri Peskov told reporters.");
    sb.cmd(["ingest", "a.txt", "b.txt"]).assert().success();
    let every = sb.stdout(["quotes", "--format", "jsonl"]).lines().count();
    assert_eq!(every, 2);
    // Whoever attribution credits, each filter answers without error and
    // never lists more than everything.
    for name in [
        "putin",
        "Sergey Lavrov",
        "DMITRI PESKOV",
        "Kremlin spokesman",
    ] {
        let out = sb.stdout(["quotes", "--speaker", name, "--format", "jsonl"]);
        assert!(out.lines().count() <= every, "{name}: {out}");
    }
    let tass = sb.stdout(["quotes", "--outlet", "TASS.COM", "--format", "jsonl"]);
    assert_eq!(tass.lines().count(), 1, "{tass}");
    assert!(tass.contains("Contacts inspire hopes,"));
}

#[test]
fn listings_are_tsv_when_piped_and_every_format_parses() {
    let sb = Sandbox::with_samples();
    sb.cmd(["ingest", "samples"]).assert().success();
    let tsv = sb.stdout(["quotes"]);
    assert!(
        tsv.starts_with("article\toutlet\tstart\tend\tquote\tspeaker\t"),
        "{tsv}"
    );
    let n = tsv.lines().count() - 1;

    let json: serde_json::Value =
        serde_json::from_str(&sb.stdout(["quotes", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), n);
    let csv = sb.stdout(["export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.records().count(), n);
    let table = sb.stdout(["speakers", "--format", "table"]);
    assert!(
        table.contains("Vladimir Putin") && table.contains("quotations"),
        "{table}"
    );

    let report = sb.stdout(["ingest", "samples", "--report", "--format", "jsonl"]);
    assert_eq!(
        report.lines().count(),
        n,
        "the report covers unchanged articles too"
    );
}

#[test]
fn export_offsets_are_bytes_of_the_stored_text() {
    let sb = Sandbox::with_samples();
    sb.cmd(["ingest", "samples"]).assert().success();
    let rows = sb.export();
    let mut previous = (String::new(), 0);
    for row in &rows {
        let article = row["article"].as_str().unwrap();
        let text = std::fs::read(sb.path(article)).unwrap();
        let (start, end) = (
            row["start"].as_u64().unwrap() as usize,
            row["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], row["quote"].as_str().unwrap().as_bytes());
        let utterance = row["utterance"]
            .as_str()
            .expect("every quotation is grouped");
        let rendering = row["rendering"].as_str().expect("and has a rendering");
        assert!(
            rendering.starts_with(&format!("{utterance}/")),
            "{rendering} is a rendering of {utterance}"
        );
        let here = (article.to_string(), start);
        assert!(here >= previous, "ordered by article then start");
        previous = here;
    }
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let sb = Sandbox::with_samples();
    sb.cmd(["ingest", "samples"]).assert().success();
    // Listings print from a thread of their own (store::read): its write
    // error must still reach `main` as a closed pipe.
    for args in [
        &["export"][..],
        &["quotes"],
        &["quotes", "--format", "json"],
        &["search", "Putin"],
        &["speakers"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_quotetrail"))
            .current_dir(sb.root())
            .args(["--db", "q.db"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let status = child.wait().unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(status.success(), "{args:?}: {status}: {err}");
        assert_eq!(err, "", "{args:?}");
    }
}

#[test]
fn usage_errors_exit_2() {
    bare().args(["quotes", "--bogus"]).assert().code(2);
    bare()
        .args(["--replace-speakers", "speakers"])
        .assert()
        .code(2);
    bare()
        .args(["export", "--format", "table"])
        .assert()
        .code(2);
    bare().arg("ingest").assert().code(2);
}

#[test]
fn a_bad_speaker_registry_is_named() {
    let sb = Sandbox::new();
    sb.write("bad.json", "{\"speakers\": [{\"name\": \"\"}]}");
    sb.write("a.txt", "“Fine,” he said.");
    let err = stderr(
        &sb.cmd(["--speakers", "bad.json", "ingest", "a.txt"])
            .assert()
            .code(1),
    );
    assert!(err.contains("bad.json"), "{err}");
}

#[test]
fn report_limit_keeps_the_most_quoted_utterances_and_says_so() {
    let sb = Sandbox::with_samples();
    sb.cmd(["ingest", "samples"]).assert().success();
    let all = sb.stdout(["report", "--format", "json", "--limit", "0"]);
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    let utterances = |report: &serde_json::Value| -> Vec<(String, usize)> {
        report["speakers"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["utterances"].as_array().unwrap())
            .map(|u| {
                let n = u["quotations"].as_u64().unwrap() as usize;
                (u["utterance"].as_str().unwrap().to_string(), n)
            })
            .collect()
    };
    let every = utterances(&all);
    assert!(every.len() > 2, "{every:?}");
    let most = every.iter().map(|(_, n)| *n).max().unwrap();

    let assert = sb
        .cmd(["report", "--format", "json", "--limit", "1"])
        .assert()
        .success();
    let err = stderr(&assert);
    assert!(
        err.contains(&format!("the 1 most quoted of {} utterances", every.len())),
        "{err}"
    );
    let one: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let one = utterances(&one);
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].1, most, "the most quoted utterance is the one kept");
}

#[test]
fn report_renderings_keeps_the_earliest_and_the_most_quoted_and_says_so() {
    let sb = Sandbox::with_samples();
    sb.cmd(["ingest", "samples"]).assert().success();
    let putin = |args: &[&str]| -> (serde_json::Value, String) {
        let mut all = vec!["report", "--speaker", "putin", "--format", "json"];
        all.extend(args);
        let assert = sb.cmd(all).assert().success();
        let json = serde_json::from_slice(&assert.get_output().stdout).unwrap();
        (json, stderr(&assert))
    };
    let (all, err) = putin(&["--renderings", "0"]);
    assert!(!err.contains("--renderings"), "nothing left out: {err}");
    let utterance = |report: &serde_json::Value| -> serde_json::Value {
        report["speakers"][0]["utterances"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["renderings"].as_array().unwrap().len() > 1 || !u["omitted"].is_null())
            .cloned()
            .unwrap()
    };
    let full = utterance(&all);
    assert!(full["omitted"].is_null(), "absent when nothing is left out");
    let renderings = full["renderings"].as_array().unwrap();
    let key = |r: &serde_json::Value| r["rendering"].as_str().unwrap().to_string();
    let carried = |r: &serde_json::Value| -> u64 {
        r["outlets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["quotations"].as_u64().unwrap())
            .sum()
    };
    // The most quoted rendering after the first, the earlier on a tie.
    let rest = &renderings[1..];
    let top = rest.iter().map(carried).max().unwrap();
    let second = rest.iter().find(|r| carried(r) == top).unwrap();
    let left_out: Vec<&serde_json::Value> = rest.iter().filter(|r| key(r) != key(second)).collect();
    assert!(
        !left_out.is_empty(),
        "the case needs three renderings or more"
    );

    let (two, err) = putin(&["--renderings", "2"]);
    assert!(
        err.contains("1 utterance has more than 2 renderings")
            && err.contains("--renderings 0 for all"),
        "{err}"
    );
    let bounded = utterance(&two);
    let kept: Vec<String> = bounded["renderings"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    assert_eq!(kept, [key(&renderings[0]), key(second)]);
    assert_eq!(
        bounded["quotations"], full["quotations"],
        "still every quotation counted"
    );
    assert_eq!(bounded["omitted"]["renderings"], left_out.len());
    assert_eq!(
        bounded["omitted"]["quotations"],
        left_out.iter().map(|r| carried(r)).sum::<u64>()
    );
    assert_eq!(bounded["diffs"].as_array().unwrap().len(), 1);

    let text = sb.stdout(["report", "--speaker", "putin", "--renderings", "2"]);
    assert!(
        text.contains(&format!("… {} more rendering", left_out.len()))
            && text.contains("not shown: --renderings 0 for all"),
        "{text}"
    );
}
