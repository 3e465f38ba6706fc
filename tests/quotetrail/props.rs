//! Invariants under proptest: decoding never panics and keeps UTF-8 as it
//! is; analysis never panics and every span it returns (quote, mention, cue)
//! is a slice of the text on character boundaries; every stored quotation is
//! exactly the bytes its offsets name; an analysis in buffers an earlier
//! one left is the analysis in fresh ones; TSV fields never break a line.

use proptest::prelude::*;
use quotetrail::analyze::{Scratch, analyze, analyze_with};
use quotetrail::article::{Article, Metadata, decode, sha256_hex};
use quotetrail::registry::Registry;
use quotetrail::report::escape_tsv;
use quotetrail::span::Span;
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

/// Text made of every kind of mark, apostrophe, markup, dash, multi-byte
/// letter and line ending the extractor and attributor branch on, so
/// offsets land next to multi-byte characters.
fn marky() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("“".to_string()),
            Just("”".to_string()),
            Just("\"".to_string()),
            Just("''".to_string()),
            Just("``".to_string()),
            Just("'".to_string()),
            Just("‘".to_string()),
            Just("’".to_string()),
            Just("«".to_string()),
            Just("»".to_string()),
            Just("„".to_string()),
            Just("…".to_string()),
            Just(" ― ".to_string()),
            Just("<tweet author=\"@x\">".to_string()),
            Just("</tweet>".to_string()),
            Just(", she said".to_string()),
            Just(" he told reporters that:".to_string()),
            Just("According to a Kremlin spokesman, ".to_string()),
            Just(" Özge Şahinoğlu said".to_string()),
            Just(" quoted Peskov as saying ".to_string()),
            Just("\r\n".to_string()),
            Just("\n\n".to_string()),
            "[a-zA-Zéüğş .,:;?!()\\[\\]-]{1,10}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

/// `span` names a non-inverted slice of `text` that starts and ends on
/// character boundaries.
fn on_boundaries(text: &str, span: Span, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(span.start <= span.end, "{what} {span:?} is inverted");
    prop_assert!(
        text.get(span.start..span.end).is_some(),
        "{what} {span:?} is out of bounds or splits a character of {text:?}"
    );
    Ok(())
}

/// Everything `analyze` returns points into `text`: quotes (the words and
/// the words with their marks), mentions and cues; the quoted words are
/// exactly the slice they name, neither empty nor padded; both lists are in
/// text order and no span is both a quotation and an aside.
fn check_analysis(text: &str) -> Result<(), TestCaseError> {
    let analysis = analyze(text, &Registry::default());
    let quotes = analysis
        .quotations
        .iter()
        .map(|q| q.quote)
        .chain(analysis.asides.iter().map(|a| a.quote));
    for quote in quotes {
        on_boundaries(text, quote.span, "quote")?;
        on_boundaries(text, quote.outer, "quote with marks")?;
        prop_assert!(quote.outer.contains(quote.span), "{quote:?}");
        let words = &text[quote.span.start..quote.span.end];
        prop_assert_eq!(quote.span.slice(text), words);
        prop_assert!(!words.is_empty(), "{quote:?}");
        prop_assert_eq!(words.trim(), words);
    }
    for q in &analysis.quotations {
        if let Some(mention) = q.attribution.mention {
            on_boundaries(text, mention, "mention")?;
        }
        if let Some(cue) = q.attribution.cue {
            on_boundaries(text, cue, "cue")?;
        }
    }
    let in_order = |spans: &[Span]| spans.windows(2).all(|w| w[0].start <= w[1].start);
    let quoted: Vec<Span> = analysis.quotations.iter().map(|q| q.quote.span).collect();
    let asides: Vec<Span> = analysis.asides.iter().map(|a| a.quote.span).collect();
    prop_assert!(in_order(&quoted), "quotations out of order: {quoted:?}");
    prop_assert!(in_order(&asides), "asides out of order: {asides:?}");
    for aside in &asides {
        prop_assert!(
            !quoted.contains(aside),
            "{aside:?} is a quotation and an aside"
        );
    }
    Ok(())
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
    fn analysis_spans_are_slices_of_newsish_text(text in newsish()) {
        check_analysis(&text)?;
    }

    #[test]
    fn analysis_spans_are_slices_of_text_with_every_mark(text in marky()) {
        check_analysis(&text)?;
    }

    #[test]
    fn analysis_spans_are_slices_of_any_text(text in any::<String>()) {
        check_analysis(&text)?;
    }

    #[test]
    fn reused_buffers_change_no_analysis(
        texts in proptest::collection::vec(prop_oneof![newsish(), marky()], 1..6),
    ) {
        // One scratch for texts of every size and shape in a row, as an
        // ingest's thread analyses them, each time against a fresh one.
        let registry = Registry::default();
        let mut scratch = Scratch::default();
        for text in texts.iter().chain(texts.iter().rev()) {
            prop_assert_eq!(
                analyze_with(text, &registry, &mut scratch),
                analyze(text, &registry),
                "{:?}", text
            );
        }
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
        store.each_quotation(&Filter::default(), |row| { rows.push(row.clone()); Ok(()) }).unwrap();
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
