//! Invariants under proptest: decoding never panics and keeps UTF-8 as it
//! is; every stored quotation is exactly the bytes its offsets name; TSV
//! fields never break a line.

use proptest::prelude::*;
use quotetrail::analyze::analyze;
use quotetrail::article::{Article, Metadata, decode, sha256_hex};
use quotetrail::registry::Registry;
use quotetrail::report::escape_tsv;
use quotetrail::store::{Filter, Store};

/// Text that looks enough like news to contain quotations.
fn newsish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("“".to_string()),
            Just("”".to_string()),
            Just("\"".to_string()),
            Just("’".to_string()),
            Just(" said Putin.".to_string()),
            Just(", Lavrov told TASS".to_string()),
            Just("\n\n".to_string()),
            Just(":".to_string()),
            "[a-zA-Zéü ,.]{1,12}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn utf8_text_decodes_to_itself(text in "[^\u{0}\u{feff}]{0,200}") {
        let decoded = decode(text.as_bytes()).unwrap();
        prop_assert_eq!(decoded.text, text);
        prop_assert_eq!(decoded.note, None);
    }

    #[test]
    fn stored_quotes_are_the_slices_their_offsets_name(text in newsish()) {
        let mut store = Store::open_in_memory().unwrap();
        let article = Article {
            path: "a.txt".into(),
            meta: Metadata { outlet: "x".into(), ..Metadata::default() },
            content_hash: sha256_hex(text.as_bytes()),
            text: text.clone(),
            bytes: text.len(),
        };
        let mut batch = store.batch().unwrap();
        batch.put_article(&article, &analyze(&text, &Registry::default())).unwrap();
        batch.commit().unwrap();
        let mut rows = Vec::new();
        store.each_quotation(&Filter::default(), |row| { rows.push(row); Ok(()) }).unwrap();
        for row in rows {
            let slice = text.get(row.start as usize..row.end as usize);
            prop_assert_eq!(slice, Some(row.quote.as_str()));
        }
    }

    #[test]
    fn tsv_fields_stay_on_one_line(field in any::<String>()) {
        let escaped = escape_tsv(&field);
        prop_assert!(!escaped.contains(['\t', '\n', '\r']));
    }
}
