//! The acceptance cases: every quotation in tests/fixtures/seeds-gold.jsonl
//! (the project's own copy of the seed articles' gold file) must be found
//! in samples/ by `analyze`, with the right speaker and the intermediary the
//! article credits ("told TASS", "TASS relates he told").
//!
//! Matching is the scorer's: after trimming white space and punctuation at
//! both ends, the found span and the gold span overlap by at least half of
//! each. A speaker is right when the surnames agree; labels such as
//! "Kremlin" or "US State Department spokesperson" compare by last word.

use quotetrail::analyze::{Quotation, analyze};
use quotetrail::fold::fold;
use quotetrail::registry::Registry;
use serde::Deserialize;

use crate::util::{samples_dir, seeds_gold};

#[derive(Debug, Deserialize)]
struct Gold {
    file: String,
    quote: String,
    speaker: Option<String>,
    cited: Option<String>,
}

fn gold() -> Vec<Gold> {
    seeds_gold()
}

const TRIM: &str = " \t\r\n.,;:!?…-—–\"'“”‘’«»()[]";

fn trimmed(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = &text[start..end];
    let inner = s.trim_matches(|c| TRIM.contains(c));
    let lead = s.len() - s.trim_start_matches(|c| TRIM.contains(c)).len();
    (start + lead, start + lead + inner.len())
}

fn overlaps_half(a: (usize, usize), b: (usize, usize)) -> bool {
    let overlap = a.1.min(b.1).saturating_sub(a.0.max(b.0));
    overlap > 0 && overlap * 2 >= a.1 - a.0 && overlap * 2 >= b.1 - b.0
}

/// Words of a folded name, with "'s" and punctuation dropped.
fn words(name: &str) -> Vec<String> {
    fold(name)
        .replace("'s", " ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn same_speaker(found: &str, gold: &str) -> bool {
    let (f, g) = (words(found), words(gold));
    match (f.last(), g.last()) {
        (Some(fl), Some(gl)) => g.contains(fl) || f.contains(gl),
        _ => false,
    }
}

/// Every gold row's problem, if any: not found, or found with another
/// speaker.
fn check() -> Vec<String> {
    let registry = Registry::default();
    let mut problems = Vec::new();
    let mut by_file = std::collections::BTreeMap::new();
    for g in gold() {
        by_file
            .entry(g.file.clone())
            .or_insert_with(Vec::new)
            .push(g);
    }
    for (file, rows) in by_file {
        let text = std::fs::read_to_string(samples_dir().join(&file)).unwrap();
        let analysis = analyze(&text, &registry);
        let mut from = std::collections::HashMap::new();
        for g in rows {
            let at = *from.get(&g.quote).unwrap_or(&0);
            let Some(offset) = text[at..].find(&g.quote).map(|o| o + at) else {
                problems.push(format!("{file}: gold quote not in the text: {:?}", g.quote));
                continue;
            };
            from.insert(g.quote.clone(), offset + 1);
            let want = trimmed(&text, offset, offset + g.quote.len());
            let found: Option<&Quotation> = analysis.quotations.iter().find(|q| {
                overlaps_half(want, trimmed(&text, q.quote.span.start, q.quote.span.end))
            });
            let Some(found) = found else {
                problems.push(format!("{file}: missed {:?}", g.quote));
                continue;
            };
            if found.attribution.cited != g.cited {
                problems.push(format!(
                    "{file}: {:?}: cited {:?}, gold {:?}",
                    g.quote, found.attribution.cited, g.cited
                ));
            }
            let Some(gold_speaker) = g.speaker.as_deref().filter(|s| fold(s) != "unknown") else {
                continue;
            };
            let speaker = found.attribution.speaker.as_ref().map(|s| s.name.as_str());
            if !speaker.is_some_and(|s| same_speaker(s, gold_speaker)) {
                problems.push(format!(
                    "{file}: {:?}: speaker {speaker:?}, gold {gold_speaker:?}",
                    g.quote
                ));
            }
        }
    }
    problems
}

#[test]
fn speaker_names_compare_by_surname_or_last_word() {
    assert!(same_speaker("Sergey Lavrov", "Sergei Lavrov"));
    assert!(same_speaker("Lavrov", "Sergei Lavrov"));
    assert!(same_speaker("the Kremlin", "Kremlin"));
    assert!(same_speaker(
        "US State Department spokesperson",
        "State Department spokesperson"
    ));
    assert!(!same_speaker("Dmitry Peskov", "Vladimir Putin"));
}

#[test]
fn every_seed_quotation_is_found_with_its_speaker() {
    let problems = check();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
