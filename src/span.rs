//! Byte spans into an article's original text.
//!
//! Every offset quotetrail stores or prints is a byte offset into the text
//! exactly as it was read from disk (after decoding to UTF-8), so a user can
//! check any quotation with `text[start..end]`. The shape follows
//! aho-corasick's `Span`: a half-open range that is `Copy` and cheap to pass.

use serde::Serialize;

/// A half-open byte range `start..end` into an article's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; `end` below `start` is clamped so a span
    /// is never inverted.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies entirely inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The text this span covers, or `""` if it does not fit `text` (a span
    /// from another article, or one that splits a character).
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}
