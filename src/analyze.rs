//! One article in, its quotations out: extraction then attribution.
//!
//! This is the whole per-article pipeline, a pure function of the text and
//! the registry, so it can run in parallel over many articles and be tested
//! without a database. Quoted spans that are nobody's words (titles of works,
//! nicknames, scare quotes) come out as [`Aside`]s, apart from the
//! quotations, so reports never count them but a user can still see why a
//! quoted span was left out.

use crate::attribute::{Attribution, Buffers, attribute_in};
use crate::byteclass::ByteClasses;
use crate::extract::{Quote, Room, extract_quotes_into, paragraphs_into};
use crate::registry::Registry;
use crate::span::Span;

/// A quotation: quoted words that somebody said, with who and why we think so.
#[derive(Clone, Debug, PartialEq)]
pub struct Quotation {
    pub quote: Quote,
    pub attribution: Attribution,
}

/// A quoted span that is not a quotation, with the reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Aside {
    pub quote: Quote,
    /// Why it is not a quotation: "title", "scare-quote", "markup"...
    pub reason: &'static str,
}

/// Everything quotetrail finds in one article.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysis {
    /// In text order.
    pub quotations: Vec<Quotation>,
    /// In text order.
    pub asides: Vec<Aside>,
}

/// Extract and attribute every quotation in `text`.
pub fn analyze(text: &str, registry: &Registry) -> Analysis {
    analyze_with(text, registry, &mut Scratch::default())
}

/// The buffers an analysis fills for its article and no longer needs when
/// it is done (the bytes' classes, the paragraphs, the quotes, the folded
/// text, the tokens and the lists built from them, the registry's
/// matches), kept for the next analysis to fill again: one per thread,
/// passed to [`analyze_with`], as a regex crate's `Cache` is. An article
/// made about 50 allocations, seven of them larger than the allocator's
/// per-thread caches hold; now it makes about 15, most for what it
/// returns. That took 5,500 of the 229,700 instructions an article and
/// made the analysis 3% faster (BENCHMARKS.md, the eighteenth session).
#[derive(Default)]
pub struct Scratch {
    classes: ByteClasses,
    paras: Vec<Span>,
    quotes: Vec<Quote>,
    extraction: Room,
    attribution: Buffers,
}

/// Texts longer than this give their buffers back to the allocator after
/// their analysis, so that one huge file does not keep its room (some 20
/// bytes for every byte of text, most of it tokens) for the rest of an
/// ingest.
const KEPT_TEXT: usize = 1 << 20;

/// [`analyze`] in the buffers of `scratch`, which an earlier call may have
/// left: the same analysis, less allocation.
pub fn analyze_with(text: &str, registry: &Registry, scratch: &mut Scratch) -> Analysis {
    let Scratch {
        classes,
        paras,
        quotes,
        extraction,
        attribution,
    } = scratch;
    // Both stages read every byte's class: computed once.
    classes.reclassify(text.as_bytes());
    paragraphs_into(text, paras);
    extract_quotes_into(text, paras, classes, extraction, quotes);
    let analysis = attribute_in(text, paras, classes, quotes, registry, attribution);
    if text.len() > KEPT_TEXT {
        *scratch = Scratch::default();
    }
    analysis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_text_keeps_no_room_after_it() {
        let registry = Registry::default();
        let mut scratch = Scratch::default();
        let said = "Putin said: “Yes.”";
        let fresh = analyze(said, &registry);
        assert_eq!(analyze_with(said, &registry, &mut scratch), fresh);
        assert!(scratch.paras.capacity() > 0);
        let huge = "He said “no” twice.\n".repeat(KEPT_TEXT / 20 + 1);
        assert!(huge.len() > KEPT_TEXT);
        let analysis = analyze_with(&huge, &registry, &mut scratch);
        assert_eq!(analysis.quotations.len(), KEPT_TEXT / 20 + 1);
        assert_eq!(scratch.paras.capacity(), 0);
        assert_eq!(analyze_with(said, &registry, &mut scratch), fresh);
    }
}
