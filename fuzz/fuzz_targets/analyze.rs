//! Arbitrary text through extraction and attribution: no panic, and every
//! span the analysis reports lies in the text, on character boundaries,
//! with the quotation's text equal to its slice. Each input is analysed
//! in the buffers every input before it left (as an ingest's thread
//! does) and again in fresh ones, and the two analyses must be equal.
#![no_main]

use std::cell::RefCell;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use quotetrail::analyze::{Scratch, analyze, analyze_with};
use quotetrail::registry::Registry;
use quotetrail::span::Span;

fn check(text: &str, span: Span) {
    assert!(span.start <= span.end && span.end <= text.len(), "{span:?} out of bounds");
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
}

/// Built once: compiling the registry is not what is being fuzzed.
static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::default);

thread_local! {
    /// Kept from one input to the next.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let analysis = SCRATCH.with_borrow_mut(|scratch| analyze_with(&text, &REGISTRY, scratch));
    assert_eq!(analysis, analyze(&text, &REGISTRY), "reused buffers changed the analysis");
    for q in &analysis.quotations {
        check(&text, q.quote.span);
        check(&text, q.quote.outer);
        assert!(q.quote.outer.contains(q.quote.span));
        assert!(!q.quote.span.slice(&text).is_empty());
        if let Some(m) = q.attribution.mention {
            check(&text, m);
        }
        if let Some(c) = q.attribution.cue {
            check(&text, c);
        }
    }
    for a in &analysis.asides {
        check(&text, a.quote.span);
    }
});
