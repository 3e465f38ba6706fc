//! One article in, its quotations out: extraction then attribution.
//!
//! This is the whole per-article pipeline, a pure function of the text and
//! the registry, so it can run in parallel over many articles and be tested
//! without a database. Quoted spans that are nobody's words (titles of works,
//! nicknames, scare quotes) come out as [`Aside`]s, apart from the
//! quotations, so reports never count them but a user can still see why a
//! quoted span was left out.

use crate::attribute::{Attribution, attribute_in};
use crate::byteclass::ByteClasses;
use crate::extract::{Quote, extract_quotes_in, paragraphs};
use crate::registry::Registry;

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
    // Both stages read every byte's class: computed once.
    let classes = ByteClasses::new(text.as_bytes());
    let paras = paragraphs(text);
    let quotes = extract_quotes_in(text, &paras, &classes);
    attribute_in(text, &paras, &classes, quotes, registry)
}
