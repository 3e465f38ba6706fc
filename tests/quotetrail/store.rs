//! The database through the library: migrations, connection set-up, and
//! the guarantee that a failed write never loses what was stored.

use quotetrail::analyze::analyze;
use quotetrail::article::{Article, Metadata, sha256_hex};
use quotetrail::cmd::ingest::{IngestOptions, ingest};
use quotetrail::group::Options;
use quotetrail::registry::Registry;
use quotetrail::store::{Change, Filter, OpenMode, QuotationRow, SCHEMA_VERSION, Scope, Store};

use crate::util::{Sandbox, pairs, samples_dir};

fn pragma<T: rusqlite::types::FromSql>(store: &Store, name: &str) -> T {
    store
        .connection()
        .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        .unwrap()
}

fn article(path: &str, text: &str) -> Article {
    Article {
        path: path.into(),
        meta: Metadata {
            outlet: "test".into(),
            ..Metadata::default()
        },
        content_hash: sha256_hex(text.as_bytes()),
        text: text.into(),
        bytes: text.len(),
    }
}

/// What `field` takes of each quotation `filter` lists, in listing order.
fn each_listed<T: Send>(
    store: &Store,
    filter: &Filter,
    field: impl Fn(&QuotationRow) -> T + Sync,
) -> Vec<T> {
    let mut out = Vec::new();
    store
        .each_quotation(filter, |row| {
            out.push(field(row));
            Ok(())
        })
        .unwrap();
    out
}

fn quotes(store: &Store) -> Vec<String> {
    each_listed(store, &Filter::default(), |row| row.quote.clone())
}

#[test]
fn a_fresh_database_reaches_the_latest_version_with_pragmas_set() {
    let sb = Sandbox::new();
    let store = Store::open(&sb.path("fresh.db"), OpenMode::Create).unwrap();
    assert_eq!(pragma::<u32>(&store, "user_version"), SCHEMA_VERSION);
    assert_eq!(pragma::<i64>(&store, "foreign_keys"), 1);
    assert_eq!(pragma::<String>(&store, "journal_mode"), "wal");
    assert_eq!(pragma::<i64>(&store, "busy_timeout"), 5000);
    assert_eq!(pragma::<i64>(&store, "page_size"), 16384);
    assert_eq!(pragma::<String>(&store, "integrity_check"), "ok");
    let fts = |key: &str| -> i64 {
        store
            .connection()
            .query_row(
                "SELECT v FROM quotations_fts_config WHERE k = ?1",
                [key],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(fts("automerge"), 16);
    assert_eq!(fts("hashsize"), 32 << 20);
    drop(store);
    // Opening again migrates nothing and changes nothing.
    let store = Store::open(&sb.path("fresh.db"), OpenMode::Existing).unwrap();
    assert_eq!(pragma::<u32>(&store, "user_version"), SCHEMA_VERSION);
}

#[test]
fn every_table_is_strict_and_the_views_answer() {
    let store = Store::open_in_memory().unwrap();
    let conn = store.connection();
    let tables: Vec<(String, bool)> = pairs(
        conn,
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '%fts%' ORDER BY name",
    );
    let names: Vec<&str> = tables.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "articles",
            "asides",
            "attribution_conflicts",
            "grouping_pending",
            "inferred_speakers",
            "links",
            "outlets",
            "quotation_renderings",
            "quotations",
            "renderings",
            "speaker_aliases",
            "speakers",
            "utterances"
        ]
    );
    assert!(tables.iter().all(|(_, strict)| *strict), "{tables:?}");
    for view in [
        "speaker_quotations",
        "outlet_speakers",
        "utterance_quotations",
        "rendering_outlets",
        "quotation_links",
    ] {
        let rows: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {view}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0);
    }
}

#[test]
fn ingested_samples_pass_integrity_checks_and_fill_the_views() {
    let sb = Sandbox::new();
    let db = sb.path("q.db");
    let opts = IngestOptions {
        paths: vec![samples_dir()],
        ..IngestOptions::default()
    };
    let summary = ingest(&db, &Registry::default(), &opts).unwrap();
    assert_eq!((summary.new, summary.failed), (5, 0));
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    let conn = store.connection();
    assert_eq!(pragma::<String>(&store, "integrity_check"), "ok");
    let violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(violations, 0);
    // The external-content index agrees with the quotations table.
    conn.execute(
        "INSERT INTO quotations_fts (quotations_fts, rank) VALUES ('integrity-check', 1)",
        [],
    )
    .unwrap();
    let registered: i64 = conn
        .query_row(
            "SELECT count(*) FROM speakers WHERE registered = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(registered, Registry::default().speakers().len() as i64);
    let roles: i64 = conn
        .query_row(
            "SELECT count(*) FROM speaker_aliases AS a JOIN speakers AS s ON s.id = a.speaker_id
             WHERE s.name = 'Dmitry Peskov' AND a.kind = 'role' AND a.alias = 'Kremlin spokesman'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(roles, 1);
    let outlets: Vec<String> = conn
        .prepare("SELECT name FROM outlets ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(outlets.contains(&"arise.tv".to_string()), "{outlets:?}");
    let published: Option<String> = conn
        .query_row(
            "SELECT published FROM articles WHERE path LIKE '%002_bebe458bc50a4824.txt'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(published.as_deref(), Some("2025-02-27"));
}

#[test]
fn a_failed_rewrite_keeps_what_was_stored() {
    let mut store = Store::open_in_memory().unwrap();
    let registry = Registry::default();
    let v1 = article("a.txt", "“We hope for progress,” Lavrov said.");
    let mut batch = store.batch().unwrap();
    let stored = batch
        .put_article(&v1, &analyze(&v1.text, &registry))
        .unwrap();
    assert_eq!(stored.change, Change::New);
    batch.commit().unwrap();
    assert_eq!(quotes(&store), ["We hope for progress,"]);

    // A trigger that refuses one quotation makes the second version fail
    // half-way through its writes.
    store
        .connection()
        .execute_batch(
            "CREATE TEMP TRIGGER refuse BEFORE INSERT ON quotations
             WHEN new.text LIKE '%refused%' BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
    let v2 = article(
        "a.txt",
        "“A first quote,” Lavrov said. “This one is refused,” he added.",
    );
    let v3 = article("b.txt", "“Another article,” Peskov said.");
    let mut batch = store.batch().unwrap();
    let err = batch.put_article(&v2, &analyze(&v2.text, &registry));
    assert!(err.is_err());
    // The batch goes on with the next article.
    batch
        .put_article(&v3, &analyze(&v3.text, &registry))
        .unwrap();
    batch.commit().unwrap();

    assert_eq!(
        quotes(&store),
        ["We hope for progress,", "Another article,"]
    );
    let hash: String = store
        .connection()
        .query_row(
            "SELECT content_hash FROM articles WHERE path = 'a.txt'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hash, v1.content_hash);
}

#[test]
fn a_batch_writes_each_speakers_quotations_together_in_listing_order() {
    let mut store = Store::open_in_memory().unwrap();
    let registry = Registry::default();
    // Given out of path order, each naming both speakers, in turn.
    let articles = [
        article(
            "b.txt",
            "“Third of Lavrov,” Lavrov said. “Third of Peskov,” Peskov said.",
        ),
        article(
            "a.txt",
            "“First of Peskov,” Peskov said. “First of Lavrov,” Lavrov said. \
             “Second of Lavrov,” Lavrov added. “Second of Peskov,” Peskov added.",
        ),
    ];
    let analyses: Vec<_> = articles
        .iter()
        .map(|a| analyze(&a.text, &registry))
        .collect();
    let mut batch = store.batch().unwrap();
    batch
        .put_articles(articles.iter().zip(analyses.iter().map(Some)))
        .unwrap();
    batch.commit().unwrap();
    // In id order: one speaker's rows after the other's, each speaker's in
    // path and offset order, as `quotes --speaker` reads them.
    let rows: Vec<(String, String)> = pairs(
        store.connection(),
        "SELECT s.name, q.text FROM quotations AS q JOIN speakers AS s ON s.id = q.speaker_id
         ORDER BY q.id",
    );
    let text: Vec<&str> = rows.iter().map(|(_, text)| text.as_str()).collect();
    let (lavrov, peskov) = (
        ["First of Lavrov,", "Second of Lavrov,", "Third of Lavrov,"],
        ["First of Peskov,", "Second of Peskov,", "Third of Peskov,"],
    );
    assert!(
        text == [lavrov, peskov].concat() || text == [peskov, lavrov].concat(),
        "{rows:#?}"
    );
    // Listed as always: by path, then offset.
    assert_eq!(
        quotes(&store),
        [
            "First of Peskov,",
            "First of Lavrov,",
            "Second of Lavrov,",
            "Second of Peskov,",
            "Third of Lavrov,",
            "Third of Peskov,"
        ]
    );
}

#[test]
fn an_article_written_twice_in_one_batch_keeps_its_second_version() {
    let mut store = Store::open_in_memory().unwrap();
    let registry = Registry::default();
    let v1 = article("a.txt", "“The first version,” Lavrov said.");
    let v2 = article("a.txt", "“The second version,” Lavrov said.");
    let analyses = [&v1, &v2].map(|a| analyze(&a.text, &registry));
    let mut batch = store.batch().unwrap();
    let stored = batch
        .put_articles([(&v1, Some(&analyses[0])), (&v2, Some(&analyses[1]))])
        .unwrap();
    batch.commit().unwrap();
    let changes: Vec<Change> = stored.iter().map(|s| s.change).collect();
    assert_eq!(changes, [Change::New, Change::Changed]);
    assert_eq!(quotes(&store), ["The second version,"]);
}

#[test]
fn keeping_an_unchanged_article_refreshes_only_its_metadata() {
    let mut store = Store::open_in_memory().unwrap();
    let registry = Registry::default();
    let mut a = article("a.txt", "“We hope for progress,” Lavrov said.");
    let mut batch = store.batch().unwrap();
    batch.put_article(&a, &analyze(&a.text, &registry)).unwrap();
    a.meta.outlet = "TASS".into();
    a.meta.title = Some("Lavrov hopes".into());
    let kept = batch.keep_article(&a).unwrap();
    assert_eq!((kept.change, kept.quotations), (Change::Unchanged, 0));
    batch.commit().unwrap();
    let (outlet, title): (String, String) = store
        .connection()
        .query_row(
            "SELECT o.name, a.title FROM articles AS a JOIN outlets AS o ON o.id = a.outlet_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((outlet.as_str(), title.as_str()), ("TASS", "Lavrov hopes"));
    assert_eq!(quotes(&store), ["We hope for progress,"]);
}

#[test]
fn a_kept_articles_new_outlet_and_date_are_its_quotations_too() {
    let mut store = Store::open_in_memory().unwrap();
    let registry = Registry::default();
    let mut a = article("a.txt", "“We hope for progress,” Lavrov said.");
    a.meta.published = Some("2025-01-01".into());
    let mut batch = store.batch().unwrap();
    batch.put_article(&a, &analyze(&a.text, &registry)).unwrap();
    batch.commit().unwrap();
    // The manifest row edited: another outlet and date, the same text.
    a.meta.outlet = "TASS".into();
    a.meta.published = Some("2025-01-02".into());
    let mut batch = store.batch().unwrap();
    batch.keep_article(&a).unwrap();
    batch.commit().unwrap();
    let outlet_and_date = |filter: &Filter| {
        each_listed(&store, filter, |row| {
            (row.outlet.clone(), row.published.clone())
        })
    };
    let tass = [("TASS".to_string(), Some("2025-01-02".to_string()))];
    assert_eq!(outlet_and_date(&Filter::default()), tass);
    let by_outlet = |name: &str| Filter {
        outlets: Some(store.find_outlets(name).unwrap()),
        ..Filter::default()
    };
    assert_eq!(outlet_and_date(&by_outlet("TASS")), tass);
    assert_eq!(outlet_and_date(&by_outlet("test")), []);
}

#[test]
fn a_stored_article_leaves_grouping_pending_until_a_grouping() {
    let mut store = Store::open_in_memory().unwrap();
    let registry = Registry::default();
    let pending = |store: &Store| -> i64 {
        store
            .connection()
            .query_row("SELECT count(*) FROM grouping_pending", [], |r| r.get(0))
            .unwrap()
    };
    let grouped = |store: &Store| -> i64 {
        store
            .connection()
            .query_row("SELECT count(*) FROM quotation_renderings", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    // A new database has nothing to group, but does not know it yet.
    assert_eq!(pending(&store), 1);
    let regroup = |store: &mut Store| store.regroup(&Options::default(), Scope::Changed).unwrap();
    assert_eq!(regroup(&mut store).quotations, 0);
    assert_eq!(pending(&store), 0);

    // Stored, not yet grouped (an ingest killed before its grouping):
    // the next grouping finds it.
    let mut a = article("a.txt", "“We hope for progress,” Lavrov said.");
    let mut batch = store.batch().unwrap();
    batch.put_article(&a, &analyze(&a.text, &registry)).unwrap();
    batch.commit().unwrap();
    assert_eq!((pending(&store), grouped(&store)), (1, 0));
    assert_eq!(regroup(&mut store).quotations, 1);
    assert_eq!((pending(&store), grouped(&store)), (0, 1));

    // New metadata is not new quotations.
    a.meta.outlet = "TASS".into();
    let mut batch = store.batch().unwrap();
    batch.keep_article(&a).unwrap();
    batch.commit().unwrap();
    assert_eq!(pending(&store), 0);

    // A changed article is.
    let b = article("a.txt", "“We hope for more progress,” Lavrov said.");
    let mut batch = store.batch().unwrap();
    batch.put_article(&b, &analyze(&b.text, &registry)).unwrap();
    batch.commit().unwrap();
    assert_eq!(pending(&store), 1);
    assert_eq!(regroup(&mut store).quotations, 1);
    assert_eq!((pending(&store), grouped(&store)), (0, 1));
}

#[test]
fn deleting_an_article_cascades_to_its_quotations_and_the_index() {
    let mut store = Store::open_in_memory().unwrap();
    let a = article("a.txt", "“We hope for progress,” Lavrov said.");
    let mut batch = store.batch().unwrap();
    batch
        .put_article(&a, &analyze(&a.text, &Registry::default()))
        .unwrap();
    batch.commit().unwrap();
    let conn = store.connection();
    conn.execute("DELETE FROM articles", []).unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM quotations)
                  + (SELECT count(*) FROM quotations_fts WHERE quotations_fts MATCH 'progress')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
}

/// The listing's (article, start, utterance, rendering) for `speaker`, as
/// `quotes` prints them.
fn listed(sb: &Sandbox, speaker: &str) -> Vec<(String, i64, String, String)> {
    sb.stdout(["quotes", "--speaker", speaker, "--format", "jsonl"])
        .lines()
        .map(|l| {
            let row: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                row["article"].as_str().unwrap().to_string(),
                row["start"].as_i64().unwrap(),
                row["utterance"].as_str().unwrap_or_default().to_string(),
                row["rendering"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The same, from the tables the listing's copies and indexes are made
/// of (migrations/0004_listing_indexes.sql), in the listing order.
fn from_the_tables(sb: &Sandbox, speaker: &str) -> Vec<(String, i64, String, String)> {
    let store = Store::open(&sb.path("q.db"), OpenMode::Existing).unwrap();
    let conn = store.connection();
    let stale: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM quotations AS q JOIN articles AS a ON a.id = q.article_id
                     WHERE q.article_path IS NOT a.path)
                  + (SELECT count(*) FROM quotation_renderings AS qr
                     JOIN renderings AS r ON r.id = qr.rendering_id
                     WHERE qr.rendering_key IS NOT r.key)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0, "every copied path and rendering key is current");
    conn.prepare(
        "SELECT a.path, q.start, coalesce(u.key, ''), coalesce(r.key, '')
         FROM quotations AS q
         JOIN articles AS a ON a.id = q.article_id
         JOIN speakers AS s ON s.id = q.speaker_id
         LEFT JOIN quotation_renderings AS qr ON qr.quotation_id = q.id
         LEFT JOIN renderings AS r ON r.id = qr.rendering_id
         LEFT JOIN utterances AS u ON u.id = r.utterance_id
         WHERE s.name = ?1
         ORDER BY a.path, q.start, q.id",
    )
    .unwrap()
    .query_map([speaker], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn listings_keep_path_order_when_later_ingests_add_earlier_paths() {
    let sb = Sandbox::new();
    let said = |words: &str| {
        format!("“{words},” Lavrov said on Monday.\n\n“We are ready to talk,” Lavrov said.\n")
    };
    sb.write("news/m.txt", said("The talks went well"));
    sb.write("news/z.txt", said("The talks went well, we think"));
    sb.cmd(["ingest", "news"]).assert().success();
    let first = listed(&sb, "lavrov");
    assert_eq!(first.len(), 4, "{first:?}");
    assert_eq!(first, from_the_tables(&sb, "Sergei Lavrov"));

    // Articles whose paths sort before and between the stored ones, stored
    // after them (higher ids), and one stored article changed: the listing
    // is still in path order, and every copy follows.
    sb.write("news/a.txt", said("The talks went well"));
    sb.write("news/n/b.txt", said("Nothing was agreed"));
    sb.write("news/m.txt", said("The talks went badly"));
    sb.cmd(["ingest", "news"]).assert().success();
    let later = listed(&sb, "lavrov");
    let articles: Vec<&str> = later.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        articles,
        [
            "news/a.txt",
            "news/a.txt",
            "news/m.txt",
            "news/m.txt",
            "news/n/b.txt",
            "news/n/b.txt",
            "news/z.txt",
            "news/z.txt"
        ]
    );
    assert!(
        later.iter().all(|r| !r.2.is_empty()),
        "all grouped: {later:?}"
    );
    assert_eq!(later, from_the_tables(&sb, "Sergei Lavrov"));

    // Several speakers' rows come from several ranges of the index: they
    // are still listed in one path order.
    sb.write("news/b.txt", "“We never said that,” Peskov said.\n");
    sb.cmd(["ingest", "news"]).assert().success();
    let store = Store::open(&sb.path("q.db"), OpenMode::Existing).unwrap();
    let mut speakers = store.find_speakers("lavrov").unwrap();
    speakers.extend(store.find_speakers("peskov").unwrap());
    assert_eq!(speakers.len(), 2);
    let filter = Filter {
        speakers: Some(speakers),
        ..Filter::default()
    };
    let both = each_listed(&store, &filter, |row| (row.article.clone(), row.start));
    assert_eq!(both.len(), 9, "{both:?}");
    assert_eq!(both.get(2).map(|r| r.0.as_str()), Some("news/b.txt"));
    assert!(both.is_sorted(), "{both:?}");
}
