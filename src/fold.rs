//! Case and accent folding with a map back to the original text.
//!
//! The speaker matcher and the quotation normaliser compare text after
//! folding (compatibility decomposition, combining marks dropped, lower case,
//! typographic apostrophes and dashes unified), but everything quotetrail
//! reports is a span of the *original* bytes. [`Folded`] keeps, for every byte
//! of the folded string, the offset of the original character it came from,
//! so a match in folded text maps back exactly.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::span::Span;

/// Text folded for matching, with an offset map back to the original.
#[derive(Debug, Clone)]
pub struct Folded {
    text: String,
    /// `map[i]` is the original byte offset of the character that produced
    /// folded byte `i`; `map[text.len()]` is the original length.
    map: Vec<usize>,
    /// `ends[i]` is the original byte offset just past that character.
    ends: Vec<usize>,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        let mut ends = Vec::with_capacity(original.len() + 1);
        for (offset, c) in original.char_indices() {
            let end = offset + c.len_utf8();
            let before = text.len();
            fold_char(c, &mut text);
            for _ in before..text.len() {
                map.push(offset);
                ends.push(end);
            }
        }
        map.push(original.len());
        ends.push(original.len());
        Folded { text, map, ends }
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The original span covered by folded bytes `start..end`.
    pub fn original(&self, start: usize, end: usize) -> Span {
        let s = self.map[start.min(self.map.len() - 1)];
        let e = if end == 0 {
            s
        } else {
            self.ends[(end - 1).min(self.ends.len() - 1)]
        };
        Span::new(s, e)
    }
}

/// Fold one string for comparison (no offset map): what [`Folded`] does, as
/// a plain `String`. Used for registry patterns and name look-ups.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

fn fold_char(c: char, out: &mut String) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}' => out.push('\''),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
        '\u{00A0}' | '\u{2007}' | '\u{202F}' => out.push(' '),
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => decompose_compatible(c, |d| {
            if !is_combining_mark(d) {
                out.extend(d.to_lowercase());
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_folded_matches_back_to_original_bytes() {
        let original = "Turkish spokesman Öncu Keçeli said";
        let folded = Folded::new(original);
        assert_eq!(folded.as_str(), "turkish spokesman oncu keceli said");
        let start = folded.as_str().find("keceli").unwrap();
        let span = folded.original(start, start + "keceli".len());
        assert_eq!(span.slice(original), "Keçeli");
    }

    #[test]
    fn unifies_apostrophes_and_case() {
        assert_eq!(fold("Putin’s SPOKESMAN"), "putin's spokesman");
    }

    #[test]
    fn fold_is_idempotent() {
        for s in ["Öncu Keçeli", "ﬁnance – “x”", "Sergey LAVROV’s"] {
            assert_eq!(fold(&fold(s)), fold(s));
        }
    }
}
