//! Bad input, end to end: the binary on a real SQLite file, fed what real
//! archives and real users feed it. Every case checks the same four
//! things: a message naming the file or argument and the problem, the exit
//! code, no panic, and that the good article ingested beside the bad one is
//! stored. `cli` has the simpler cases (a PNG, Windows-1252, a missing
//! path, a text file as `--db`, a newer schema, FTS5 syntax); these extend
//! them.

use std::time::Duration;

use crate::util::{Sandbox, pairs, stderr};

/// The good article every batch carries, and its one quotation.
const GOOD: &str = "“We will keep talking,” Lavrov said.";
const GOOD_QUOTE: &str = "We will keep talking,";

/// An article a bad input breaks would hang rather than fail: every ingest
/// here is killed after this long (a hang guard, not a speed check).
const HANG: Duration = Duration::from_secs(600);

/// A sandbox with the good article at `in/good.txt`.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write("in/good.txt", GOOD);
    sb
}

/// Run `args`, expecting exit `code` and no panic; its stderr.
fn run(sb: &Sandbox, args: &[&str], code: i32) -> String {
    let assert = sb.cmd(args).timeout(HANG).assert();
    let err = stderr(&assert);
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert.code(code);
    err
}

/// The articles table: path and text, by path.
fn articles(sb: &Sandbox) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(sb.path("q.db")).unwrap();
    pairs(&conn, "SELECT path, text FROM articles ORDER BY path")
}

/// The quotations of `article` in the export: (quote, speaker).
fn quotes_of(rows: &[serde_json::Value], article: &str) -> Vec<(String, Option<String>)> {
    rows.iter()
        .filter(|r| r["article"] == article)
        .map(|r| {
            (
                r["quote"].as_str().unwrap().to_string(),
                r["speaker"].as_str().map(String::from),
            )
        })
        .collect()
}

/// The good article is stored with its quotation.
fn assert_good_stored(sb: &Sandbox) {
    let rows = sb.export();
    assert_eq!(
        quotes_of(&rows, "in/good.txt"),
        [(GOOD_QUOTE.to_string(), Some("Sergei Lavrov".to_string()))],
        "{rows:?}"
    );
}

/// Every quotation's text is the stored article text at its offsets.
fn assert_offsets_match_stored_text(sb: &Sandbox) {
    let texts = articles(sb);
    for row in sb.export() {
        let article = row["article"].as_str().unwrap();
        let (_, text) = texts.iter().find(|(p, _)| p == article).unwrap();
        let (start, end) = (
            row["start"].as_u64().unwrap() as usize,
            row["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text.get(start..end),
            Some(row["quote"].as_str().unwrap()),
            "{row}"
        );
    }
}

#[test]
fn an_empty_file_is_noted_and_stored_with_no_quotations() {
    let sb = sandbox();
    sb.write("in/empty.txt", "");
    sb.write("in/blank.txt", " \r\n\n\t");
    let err = run(&sb, &["ingest", "in"], 0);
    assert!(
        err.contains("in/empty.txt: empty file, no quotations"),
        "{err}"
    );
    assert!(
        err.contains("in/blank.txt: no text (only white space), no quotations"),
        "{err}"
    );
    assert!(
        err.contains("3 new, 0 changed, 0 unchanged, 0 failed"),
        "{err}"
    );
    let paths: Vec<String> = articles(&sb).into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["in/blank.txt", "in/empty.txt", "in/good.txt"]);
    assert_good_stored(&sb);
}

#[test]
fn a_binary_file_is_refused_and_not_stored() {
    let sb = sandbox();
    // gzip: NUL bytes in the header.
    let mut gzip = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03".to_vec();
    gzip.extend((0..4096u32).map(|i| (i * 7 % 251) as u8));
    sb.write("in/archive.txt", gzip);
    let err = run(&sb, &["ingest", "in"], 1);
    assert!(
        err.contains("in/archive.txt: binary file, skipped"),
        "{err}"
    );
    assert!(
        err.contains("1 new, 0 changed, 0 unchanged, 1 failed"),
        "{err}"
    );
    let paths: Vec<String> = articles(&sb).into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["in/good.txt"]);
    assert_good_stored(&sb);
}

#[test]
fn nul_bytes_refuse_the_start_of_a_file_and_survive_later() {
    let sb = sandbox();
    sb.write("in/nul_early.txt", "“Hope,\0” Peskov said.");
    // Past the 8 KiB the binary check reads, a NUL is a character like
    // any other and must neither panic nor shift offsets.
    let late = format!(
        "{}\n\n“Hope\0 remains,” Peskov said.",
        "Filler text. ".repeat(800)
    );
    sb.write("in/nul_late.txt", &late);
    let err = run(&sb, &["ingest", "in"], 1);
    assert!(
        err.contains("in/nul_early.txt: binary file, skipped"),
        "{err}"
    );
    assert!(!err.contains("in/nul_late.txt"), "{err}");
    let rows = sb.export();
    assert_eq!(
        quotes_of(&rows, "in/nul_late.txt"),
        [(
            "Hope\0 remains,".to_string(),
            Some("Dmitry Peskov".to_string())
        )]
    );
    let stored = articles(&sb);
    assert_eq!(stored[1], ("in/nul_late.txt".to_string(), late));
    assert_offsets_match_stored_text(&sb);
    assert_good_stored(&sb);
}

#[test]
fn invalid_utf8_in_a_utf8_article_is_replaced_not_misread() {
    let sb = sandbox();
    // UTF-8 with one byte cut out of a character: still UTF-8, not
    // Windows-1252 (which would turn every “ into â€œ and lose the quote).
    let mut bytes = "“Talks went well,” Peskov said in Genève. "
        .as_bytes()
        .to_vec();
    bytes.extend(b"Caf\xC3 closed.");
    sb.write("in/broken.txt", bytes);
    let err = run(&sb, &["ingest", "in"], 0);
    assert!(
        err.contains("in/broken.txt: invalid UTF-8, bad bytes replaced with U+FFFD"),
        "{err}"
    );
    let rows = sb.export();
    assert_eq!(
        quotes_of(&rows, "in/broken.txt"),
        [(
            "Talks went well,".to_string(),
            Some("Dmitry Peskov".to_string())
        )]
    );
    let (_, text) = &articles(&sb)[0];
    assert!(text.ends_with("Genève. Caf\u{FFFD} closed."), "{text}");
    assert_offsets_match_stored_text(&sb);
    assert_good_stored(&sb);
}

#[test]
fn utf16_with_either_byte_order_mark_is_decoded_with_a_note() {
    let sb = sandbox();
    let text = "Moscow, 27 Feb.\r\n\r\n“Nous parlerons encore — 会谈,” Lavrov said.";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let mut odd = le.clone();
    odd.push(b'x');
    sb.write("in/le.txt", le);
    sb.write("in/be.txt", be);
    sb.write("in/odd.txt", odd);
    let err = run(&sb, &["ingest", "in"], 0);
    assert!(
        err.contains("in/le.txt: UTF-16LE (byte-order mark), decoded"),
        "{err}"
    );
    assert!(
        err.contains("in/be.txt: UTF-16BE (byte-order mark), decoded"),
        "{err}"
    );
    assert!(
        err.contains("in/odd.txt: malformed UTF-16, bad units replaced with U+FFFD"),
        "{err}"
    );
    let stored = articles(&sb);
    assert_eq!(stored[0], ("in/be.txt".to_string(), text.to_string()));
    assert_eq!(stored[2], ("in/le.txt".to_string(), text.to_string()));
    assert_eq!(stored[3].1, format!("{text}\u{FFFD}"));
    let rows = sb.export();
    let expected = [(
        "Nous parlerons encore — 会谈,".to_string(),
        Some("Sergei Lavrov".to_string()),
    )];
    for article in ["in/le.txt", "in/be.txt", "in/odd.txt"] {
        assert_eq!(quotes_of(&rows, article), expected, "{article}");
    }
    // Offsets of a UTF-16 article are bytes of its UTF-8 text as stored.
    assert_offsets_match_stored_text(&sb);
    assert_good_stored(&sb);
}

#[test]
fn latin1_is_decoded_with_a_note() {
    let sb = sandbox();
    // ISO-8859-1, straight quotes: é ü ß ñ are one byte each.
    sb.write(
        "in/latin1.txt",
        b"\"Die Gespr\xe4che waren gut, s\xed se\xf1or,\" J\xfcrgen Stra\xdfe said.",
    );
    let err = run(&sb, &["ingest", "in"], 0);
    assert!(
        err.contains("in/latin1.txt: not UTF-8, decoded as windows-1252"),
        "{err}"
    );
    let stored = articles(&sb);
    assert_eq!(
        stored[1].1,
        "\"Die Gespräche waren gut, sí señor,\" Jürgen Straße said."
    );
    let rows = sb.export();
    assert_eq!(
        quotes_of(&rows, "in/latin1.txt"),
        [(
            "Die Gespräche waren gut, sí señor,".to_string(),
            Some("Jürgen Straße".to_string())
        )]
    );
    assert_offsets_match_stored_text(&sb);
    assert_good_stored(&sb);
}

#[test]
fn a_50_mb_article_on_one_line_is_stored() {
    let sb = sandbox();
    // One paragraph of 50 MB: sentences of long words, a quotation at each
    // end. What scales with the paragraph (extraction, tokens, sentence
    // bounds) must stay linear for this to finish.
    let sentence = format!("{} {}. ", vec!["x".repeat(99); 9].join(" "), "y".repeat(98));
    let mut text = String::with_capacity(50 << 20);
    text.push_str("“We will meet again,” Peskov said. ");
    while text.len() < 50 << 20 {
        text.push_str(&sentence);
    }
    let end = text.len();
    text.push_str("“Talks went well,” Peskov said.");
    sb.write("in/huge.txt", &text);
    run(&sb, &["ingest", "in"], 0);
    let rows = sb.export();
    let huge: Vec<(u64, &str)> = rows
        .iter()
        .filter(|r| r["article"] == "in/huge.txt")
        .map(|r| (r["start"].as_u64().unwrap(), r["quote"].as_str().unwrap()))
        .collect();
    assert_eq!(
        huge,
        [
            (3, "We will meet again,"),
            (end as u64 + 3, "Talks went well,")
        ]
    );
    assert_good_stored(&sb);
}

#[test]
fn a_hundred_thousand_quotation_marks_in_one_paragraph() {
    let sb = sandbox();
    // 100,000 straight marks, then 100,000 curly ones with nothing between
    // them: no quotation, and no time spent pairing them up.
    let text = format!(
        "Marks: {} and {} end.",
        "\"".repeat(100_000),
        "“”".repeat(50_000)
    );
    sb.write("in/marks.txt", &text);
    run(&sb, &["ingest", "in"], 0);
    let rows = sb.export();
    assert_eq!(quotes_of(&rows, "in/marks.txt"), []);
    assert_eq!(articles(&sb)[1].1, text);
    assert_good_stored(&sb);
}

#[test]
fn fifty_thousand_quoted_words_in_one_paragraph() {
    let sb = sandbox();
    sb.write("in/pairs.txt", "“a” ".repeat(50_000));
    run(&sb, &["ingest", "in"], 0);
    assert_good_stored(&sb);
}

#[test]
fn only_opening_marks() {
    let sb = sandbox();
    let text = format!("{}\n\n„Nie „jamais « never ‹ «", "“".repeat(100_000));
    sb.write("in/open.txt", &text);
    run(&sb, &["ingest", "in"], 0);
    assert_eq!(quotes_of(&sb.export(), "in/open.txt"), []);
    assert_eq!(articles(&sb)[1].1, text);
    assert_good_stored(&sb);
}

#[test]
fn a_quote_that_never_closes_ends_with_its_paragraph() {
    let sb = sandbox();
    sb.write(
        "in/unclosed.txt",
        "“We are close to a deal, Peskov said, and never closed the quote.\n\n\
         “Talks went well,” Lavrov said.\n\n\
         \"And this one is open to the end of the file",
    );
    run(&sb, &["ingest", "in"], 0);
    let rows = sb.export();
    // An unclosed mark quotes to the end of its paragraph (news style for
    // a quotation running on into the next paragraph), never beyond: the
    // next paragraph's quotation is found whole with its own speaker.
    let quotes: Vec<String> = quotes_of(&rows, "in/unclosed.txt")
        .into_iter()
        .map(|(q, _)| q)
        .collect();
    assert_eq!(
        quotes,
        [
            "We are close to a deal, Peskov said, and never closed the quote.",
            "Talks went well,",
            "And this one is open to the end of the file"
        ]
    );
    assert_eq!(
        quotes_of(&rows, "in/unclosed.txt")[1].1.as_deref(),
        Some("Sergei Lavrov")
    );
    assert_offsets_match_stored_text(&sb);
    assert_good_stored(&sb);
}

#[test]
fn crlf_and_lone_cr_line_ends_give_the_same_quotations_at_their_own_offsets() {
    let sb = sandbox();
    let lf = "Moscow\n\n“We will keep talking,” Lavrov said.\n\n\
              “Talks went well,\nand will go on,” Peskov said.\n\n\
              He added: “Nothing\u{a0}is agreed.”\n";
    let variants = [
        ("in/lf.txt", lf.to_string()),
        ("in/crlf.txt", lf.replace('\n', "\r\n")),
        ("in/cr.txt", lf.replace('\n', "\r")),
    ];
    for (path, text) in &variants {
        sb.write(path, text);
    }
    run(&sb, &["ingest", "in"], 0);
    let rows = sb.export();
    let lf_quotes = quotes_of(&rows, "in/lf.txt");
    assert!(lf_quotes.len() >= 3, "{lf_quotes:?}");
    for (path, text) in &variants {
        assert_eq!(quotes_of(&rows, path), lf_quotes, "{path}");
        // Offsets are bytes of the file itself: the stored text is the
        // file, line ends and all.
        for row in rows.iter().filter(|r| r["article"] == *path) {
            let (start, end) = (
                row["start"].as_u64().unwrap() as usize,
                row["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                &text.as_bytes()[start..end],
                row["quote"].as_str().unwrap().as_bytes(),
                "{path}: {row}"
            );
            if let Some([s, e]) = row["speaker_span"]
                .as_array()
                .map(|a| [a[0].as_u64().unwrap(), a[1].as_u64().unwrap()])
            {
                let mention = &text[s as usize..e as usize];
                assert!(
                    ["Lavrov", "Peskov", "He"].contains(&mention),
                    "{path}: {mention:?}"
                );
            }
        }
    }
    assert_good_stored(&sb);
}

#[cfg(unix)]
#[test]
fn files_that_cannot_be_read_are_named_and_the_rest_stored() {
    use std::os::unix::fs::symlink;
    let sb = sandbox();
    symlink("gone.txt", sb.path("in/dangling.txt")).unwrap();
    // A FIFO would block a read forever.
    let fifo = std::process::Command::new("mkfifo")
        .arg(sb.path("in/pipe.txt"))
        .status()
        .unwrap();
    assert!(fifo.success());
    sb.write("in/folder.txt/inner.txt", "“From a folder,” Peskov said.");
    let err = run(&sb, &["ingest", "in", "in/pipe.txt"], 1);
    assert!(
        err.contains("in/dangling.txt: broken symbolic link (its target gone.txt does not exist)"),
        "{err}"
    );
    assert!(
        err.contains("in/pipe.txt: not a regular file (a named pipe), skipped"),
        "{err}"
    );
    // A directory named like an article is a directory: walked, not read.
    let rows = sb.export();
    assert_eq!(quotes_of(&rows, "in/folder.txt/inner.txt").len(), 1);
    assert!(
        err.contains("2 new, 0 changed, 0 unchanged, 3 failed"),
        "{err}"
    );
    assert_good_stored(&sb);
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_named_and_the_rest_stored() {
    use std::os::unix::fs::PermissionsExt;
    let sb = sandbox();
    let secret = sb.write("in/secret.txt", "“Secret,” Peskov said.");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads a file of mode 000; nobody does not. Whoever runs the
    // ingest must be able to create the database in the sandbox.
    let mut cmd = sb.cmd_unprivileged(["ingest", "in"]);
    if crate::util::euid() == 0 {
        std::os::unix::fs::chown(sb.root(), Some(65534), Some(65534)).unwrap();
    }
    let assert = cmd.timeout(HANG).assert();
    let err = stderr(&assert);
    assert!(!err.contains("panicked"), "{err}");
    assert.code(1);
    assert!(err.contains("in/secret.txt: Permission denied"), "{err}");
    assert!(
        err.contains("1 new, 0 changed, 0 unchanged, 1 failed"),
        "{err}"
    );
    let rows = sb.export();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_good_stored(&sb);
}

#[test]
fn manifest_with_missing_fields_unknown_files_duplicates_and_outside_paths() {
    let sb = sandbox();
    sb.write("in/b.txt", "“Talks went well,” Peskov said.");
    let absolute = sb.path("elsewhere.txt");
    sb.write("elsewhere.txt", "“Not ingested,” Peskov said.");
    sb.write(
        "in/manifest.tsv",
        format!(
            "file\toutlet\turl\tpublished\ttitle\n\
             good.txt\tTASS\n\
             b.txt\n\
             missing.txt\tX\t\t\t\n\
             good.txt\tDuplicate\t\t\t\n\
             ../elsewhere.txt\tOutside\n\
             {}\tAbsolute\n",
            absolute.display()
        ),
    );
    let err = run(&sb, &["ingest", "in"], 0);
    for expected in [
        "in/manifest.tsv: line 5 repeats good.txt (first on line 2), ignored",
        "in/manifest.tsv: missing.txt is not among the ingested articles",
        "in/manifest.tsv: ../elsewhere.txt is not among the ingested articles",
        &format!("in/manifest.tsv: {} is not among", absolute.display()),
    ] {
        assert!(err.contains(expected), "{expected}: {err}");
    }
    let rows = sb.export();
    let outlets: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["article"].as_str().unwrap(),
                r["outlet"].as_str().unwrap(),
            )
        })
        .collect();
    // The first row of a file wins; a row with only a file falls back to
    // the file stem; nothing outside the directory was read.
    assert_eq!(outlets, [("in/b.txt", "b"), ("in/good.txt", "TASS")]);
    assert_good_stored(&sb);
}

#[test]
fn manifest_without_a_file_column_or_empty_is_named_and_its_articles_stored() {
    for (manifest, problem) in [
        (
            "outlet\ttitle\nTASS\tTalks\n",
            "the header has no `file` column",
        ),
        ("", "empty file (a header line is required"),
    ] {
        let sb = sandbox();
        sb.write("in/manifest.tsv", manifest);
        let err = run(&sb, &["ingest", "in"], 1);
        assert!(
            err.contains(&format!("manifest in/manifest.tsv: {problem}"))
                && err.contains("its articles are stored without outlet, date or title"),
            "{err}"
        );
        // The articles are stored all the same, without the manifest's
        // metadata: the outlet falls back to the file's stem.
        let rows = sb.export();
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| r["outlet"] == "good"), "{rows:?}");
    }
}

#[test]
fn manifest_in_utf16_or_windows_1252_is_decoded() {
    let sb = sandbox();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "file\toutlet\ttitle\ngood.txt\tLe Monde\tPourquoi « parler »\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    sb.write("in/manifest.tsv", utf16);
    run(&sb, &["ingest", "in"], 0);
    assert_eq!(sb.export()[0]["outlet"], "Le Monde");

    let sb = sandbox();
    sb.write("in/manifest.csv", b"file,outlet\ngood.txt,Caf\xe9 News\n");
    run(&sb, &["ingest", "in"], 0);
    assert_eq!(sb.export()[0]["outlet"], "Café News");
}

#[test]
fn db_that_is_another_programs_sqlite_file_is_refused_untouched() {
    let sb = sandbox();
    let conn = rusqlite::Connection::open(sb.path("q.db")).unwrap();
    conn.execute_batch("CREATE TABLE quotations (x); INSERT INTO quotations VALUES (42);")
        .unwrap();
    drop(conn);
    for args in [&["ingest", "in"][..], &["quotes"]] {
        let err = run(&sb, args, 1);
        assert!(
            err.contains("opening database q.db")
                && err.contains("it holds another program's tables, not a quotetrail database"),
            "{args:?}: {err}"
        );
        // No SQL text dumped into the message.
        assert!(!err.contains("CREATE"), "{err}");
    }
    let conn = rusqlite::Connection::open(sb.path("q.db")).unwrap();
    let x: i64 = conn
        .query_row("SELECT x FROM quotations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(x, 42);
}

#[test]
fn db_that_is_empty_a_directory_or_in_a_missing_directory_is_named() {
    let sb = sandbox();
    sb.write("empty.db", "");
    std::fs::create_dir(sb.path("dir.db")).unwrap();
    for (args, expected) in [
        (
            &["--db", "empty.db", "quotes"][..],
            "opening database empty.db",
        ),
        (&["--db", "dir.db", "ingest", "in"], "dir.db is a directory"),
        (
            &["--db", "nowhere/q.db", "ingest", "in"],
            "cannot create database nowhere/q.db: there is no directory nowhere",
        ),
    ] {
        let err = stderr(
            &crate::util::bare()
                .current_dir(sb.root())
                .args(args)
                .assert()
                .code(1),
        );
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(std::fs::read(sb.path("empty.db")).unwrap(), b"");
    // A good run afterwards stores the good article.
    run(&sb, &["ingest", "in"], 0);
    assert_good_stored(&sb);
}

#[cfg(unix)]
#[test]
fn read_only_db_refuses_an_ingest_and_still_answers_queries() {
    use std::os::unix::fs::PermissionsExt;
    let sb = sandbox();
    run(&sb, &["ingest", "in/good.txt"], 0);
    sb.write("in/more.txt", "“Talks went well,” Peskov said.");
    let read_only = std::fs::Permissions::from_mode(0o444);
    std::fs::set_permissions(sb.path("q.db"), read_only).unwrap();
    let before = std::fs::read(sb.path("q.db")).unwrap();

    // As nobody when run as root: neither the file nor the directory can
    // be written.
    let assert = sb.cmd_unprivileged(["ingest", "in"]).timeout(HANG).assert();
    let err = stderr(&assert);
    assert!(!err.contains("panicked"), "{err}");
    assert.code(1);
    assert!(
        err.contains("quotetrail: error: cannot write to database q.db: "),
        "{err}"
    );
    assert!(
        err.contains("the file is read-only") || err.contains("its directory is not writable"),
        "{err}"
    );
    assert_eq!(std::fs::read(sb.path("q.db")).unwrap(), before);

    let assert = sb
        .cmd_unprivileged(["quotes", "--format", "jsonl"])
        .timeout(HANG)
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(out.contains(GOOD_QUOTE), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn db_with_a_newer_schema_is_refused_by_every_command_and_left_alone() {
    let sb = sandbox();
    run(&sb, &["ingest", "in"], 0);
    let conn = rusqlite::Connection::open(sb.path("q.db")).unwrap();
    conn.pragma_update(None, "user_version", quotetrail::store::SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    for args in [
        &["ingest", "in"][..],
        &["search", "talking"],
        &["report", "--format", "html"],
        &["export"],
    ] {
        let err = run(&sb, args, 1);
        assert!(
            err.contains("newer than this quotetrail understands"),
            "{args:?}: {err}"
        );
    }
    let conn = rusqlite::Connection::open(sb.path("q.db")).unwrap();
    let (version, articles): (u32, i64) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM articles)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (version, articles),
        (quotetrail::store::SCHEMA_VERSION + 1, 1)
    );
}

#[test]
fn invalid_fts5_queries_are_named_and_valid_ones_still_work() {
    let sb = sandbox();
    run(&sb, &["ingest", "in"], 0);
    for bad in [
        "talking AND",
        "OR",
        "\"",
        "talk* AND \"keep",
        "NEAR(talking keep, x)",
        "bogus:talking OR keep",
        "^",
        "(((((",
    ] {
        let err = run(&sb, &["search", bad], 1);
        assert!(
            err.contains(&format!("quotetrail: error: invalid search {bad:?}")),
            "{bad}: {err}"
        );
    }
    // SQL is not FTS5: it is searched as words, and finds nothing.
    let out = sb.stdout([
        "search",
        "'; DROP TABLE quotations; --",
        "--format",
        "jsonl",
    ]);
    assert_eq!(out, "");
    let out = sb.stdout(["search", "keep talk*", "--format", "jsonl"]);
    assert!(out.contains(GOOD_QUOTE), "{out}");
}

#[test]
fn speaker_names_with_quotes_and_sql_leave_the_database_intact() {
    let sb = sandbox();
    let name = "Conan \"The Hawk\" O'Brien";
    let registry = serde_json::json!({
        "speakers": [{"name": name, "aliases": ["O'Brien"]}]
    });
    sb.write("extra.json", registry.to_string());
    sb.write("in/obrien.txt", "“We are making progress,” O'Brien said.");
    // Discovered, not registered: a name with an apostrophe found in the text.
    sb.write("in/dor.txt", "“It is fine,” Sinéad D'Arcy-O'Neill said.");
    run(&sb, &["--speakers", "extra.json", "ingest", "in"], 0);
    let count = || -> i64 {
        let conn = rusqlite::Connection::open(sb.path("q.db")).unwrap();
        conn.query_row("SELECT count(*) FROM quotations", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(), 3);
    let injection = "\"O'Brien\"; DROP TABLE quotations; --";
    for command in ["quotes", "report", "utterances"] {
        let assert = sb
            .cmd([command, "--speaker", injection, "--format", "json"])
            .assert()
            .success();
        let err = stderr(&assert);
        assert!(err.contains("no speaker matches"), "{command}: {err}");
    }
    assert_eq!(count(), 3);
    let rows = sb.export();
    assert_eq!(
        quotes_of(&rows, "in/obrien.txt"),
        [(
            "We are making progress,".to_string(),
            Some(name.to_string())
        )]
    );
    assert_eq!(
        quotes_of(&rows, "in/dor.txt")[0].1.as_deref(),
        Some("Sinéad D'Arcy-O'Neill")
    );
    for query in ["o'brien", "O'BRIEN", "d'arcy-o'neill"] {
        let out = sb.stdout(["quotes", "--speaker", query, "--format", "jsonl"]);
        assert_eq!(out.lines().count(), 1, "{query}: {out}");
    }
    let conn = rusqlite::Connection::open(sb.path("q.db")).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_good_stored(&sb);
}

#[test]
fn an_article_that_fails_to_store_costs_only_itself_not_its_transaction() {
    // 2,500 articles: three of the 1,024-article chunks an ingest writes
    // in one transaction, the article that fails in the third, so the two
    // chunks written before it are rolled back with it.
    let sb = Sandbox::new();
    sb.write("in/0000.txt", GOOD);
    run(&sb, &["ingest", "--quiet", "in"], 0);
    for i in 1..2500 {
        let verb = if i == 2300 { "refused" } else { "kept" };
        sb.write(
            &format!("in/{i:04}.txt"),
            format!("“Promise {i} was {verb} in full,” Lavrov said."),
        );
    }
    // A trigger in the database refuses one of the quotations.
    rusqlite::Connection::open(sb.path("q.db"))
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON quotations
             WHEN new.text LIKE '%refused%' BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
    let err = run(&sb, &["ingest", "in"], 1);
    assert!(
        err.contains("in/2300.txt: ") && err.contains("refused"),
        "{err}"
    );
    assert!(
        err.contains("2498 new, 0 changed, 1 unchanged, 1 failed"),
        "{err}"
    );
    let stored = articles(&sb);
    assert_eq!(stored.len(), 2499);
    assert!(!stored.iter().any(|(path, _)| path == "in/2300.txt"));
    assert_eq!(sb.export().len(), 2499);
}
