//! Case and accent folding with a map back to the original text.
//!
//! The speaker matcher and the quotation normaliser compare text after
//! folding (compatibility decomposition, combining marks dropped, lower case,
//! typographic apostrophes and dashes unified), but everything quotetrail
//! reports is a span of the *original* bytes. [`Folded`] maps every byte of
//! the folded string back to the original character it came from, so a match
//! in folded text maps back exactly.
//!
//! Folding runs over every article, so it is shaped for news text, which is
//! nearly all ASCII: an ASCII character folds to one byte in place, and only
//! the other characters (curly apostrophes, dashes, accents) are recorded,
//! each with its offsets on both sides. Offsets between two recorded
//! characters differ by a constant, so the map costs a few entries per
//! article instead of two offsets per byte.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::span::Span;

/// Text folded for matching, with an offset map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    text: String,
    /// Every non-ASCII character of the original, in order, with where its
    /// folded form stands.
    wide: Vec<Wide>,
    original_len: usize,
}

/// One non-ASCII character of the original and its folded form (which
/// may be empty, a combining mark, or longer, a ligature).
#[derive(Debug, Clone, Copy)]
struct Wide {
    original: usize,
    original_len: usize,
    folded: usize,
    folded_len: usize,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut folded = Folded::default();
        folded.refold(original);
        folded
    }

    /// Fold `original` in place of the text folded before, in the same
    /// buffers: see [`crate::analyze::Scratch`].
    pub fn refold(&mut self, original: &str) {
        let Folded {
            text,
            wide,
            original_len,
        } = self;
        text.clear();
        wide.clear();
        text.reserve(original.len());
        // Curly quotes, apostrophes and dashes: about one in two hundred
        // bytes of news text, so it seldom grows.
        wide.reserve(original.len() / 64);
        #[cfg(target_arch = "x86_64")]
        let avx2 = std::arch::is_x86_feature_detected!("avx2");
        let mut offset = 0;
        while offset < original.len() {
            let rest = &original[offset..];
            #[cfg(target_arch = "x86_64")]
            let ascii = if avx2 {
                // SAFETY: the processor has AVX2, as asked above.
                unsafe { push_ascii_run_avx2(rest, text) }
            } else {
                push_ascii_run(rest, text)
            };
            #[cfg(not(target_arch = "x86_64"))]
            let ascii = push_ascii_run(rest, text);
            offset += ascii;
            if let Some(c) = original[offset..].chars().next() {
                let folded = text.len();
                fold_char(c, text);
                wide.push(Wide {
                    original: offset,
                    original_len: c.len_utf8(),
                    folded,
                    folded_len: text.len() - folded,
                });
                offset += c.len_utf8();
            }
        }
        *original_len = original.len();
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The original span covered by folded bytes `start..end`.
    pub fn original(&self, start: usize, end: usize) -> Span {
        let s = self.source(start).start;
        let e = if end == 0 {
            s
        } else {
            self.source(end - 1).end
        };
        Span::new(s, e)
    }

    /// The original character that produced folded byte `at` (the empty
    /// span at the end of the original past the folded text).
    fn source(&self, at: usize) -> Span {
        if at >= self.text.len() {
            return Span::new(self.original_len, self.original_len);
        }
        // The last wide character that starts at or before `at`; ASCII
        // follows it one byte for one byte.
        let k = self.wide.partition_point(|w| w.folded <= at);
        let Some(w) = k.checked_sub(1).map(|k| self.wide[k]) else {
            return Span::new(at, at + 1);
        };
        if at < w.folded + w.folded_len {
            return Span::new(w.original, w.original + w.original_len);
        }
        let o = w.original + w.original_len + (at - w.folded - w.folded_len);
        Span::new(o, o + 1)
    }

    /// The folded form of the original span `span`, whose ends must be
    /// character boundaries of the original: what [`fold`] makes of that
    /// slice, without allocating.
    pub fn folded_slice(&self, span: Span) -> &str {
        self.slices().get(span)
    }

    /// Where the folded forms of the original spans `spans` (in order and
    /// apart, their ends character boundaries of the original) stand in
    /// the folded text, walking the map once.
    pub fn folded_spans(&self, spans: impl Iterator<Item = Span>) -> impl Iterator<Item = Span> {
        let mut before = 0;
        let mut at = move |byte: usize| {
            while self.wide.get(before).is_some_and(|w| w.original < byte) {
                before += 1;
            }
            self.folded_offset(byte, before)
        };
        spans.map(move |span| {
            let start = at(span.start);
            Span::new(start, at(span.end))
        })
    }

    /// [`Folded::folded_slice`] for many spans in text order, walking the
    /// map once instead of searching it for each.
    pub fn slices(&self) -> Slices<'_> {
        Slices {
            folded: self,
            text: &self.text,
            next: 0,
            base: 0,
            shift: 0,
            next_start: self.wide.first().map_or(usize::MAX, |w| w.original),
        }
    }

    /// Where the folded form of the original character at `at` starts,
    /// given that `before` wide characters stand before it.
    #[inline]
    fn folded_offset(&self, at: usize, before: usize) -> usize {
        match before.checked_sub(1).map(|k| self.wide[k]) {
            Some(w) => w.folded + w.folded_len + (at - w.original - w.original_len),
            None => at,
        }
    }
}

/// See [`Folded::slices`]. Its rare paths are inlined like the common
/// one: a call would take the struct's address and so keep its fields in
/// memory, not registers, through the tokenizer's loop, which reads them
/// for every token.
pub struct Slices<'f> {
    folded: &'f Folded,
    /// The folded text, held here so that the common case reads no
    /// further than this struct.
    text: &'f str,
    /// The wide characters before the last span's start.
    next: usize,
    /// The original offset after the last of those wide characters:
    /// from there to `next_start`, the original folds byte for byte.
    base: usize,
    /// What to add (wrapping) to an original offset in `base..next_start`
    /// for its folded offset.
    shift: usize,
    /// Where wide character `next` starts in the original (`usize::MAX`
    /// past the last).
    next_start: usize,
}

impl<'f> Slices<'f> {
    /// The folded form of `span`, which must not start before the span
    /// asked for last.
    #[inline]
    pub fn get(&mut self, span: Span) -> &'f str {
        if span.start > self.next_start {
            self.advance(span.start);
        }
        // With no wide character inside, the span folds byte for byte:
        // nearly every token of news text, so this is all it costs.
        if span.end <= self.next_start && span.start >= self.base {
            let start = span.start.wrapping_add(self.shift);
            let end = span.end.wrapping_add(self.shift);
            let Some(bytes) = self.text.as_bytes().get(start..end) else {
                return "";
            };
            debug_assert!(bytes.is_ascii());
            // SAFETY: the original from `base` to `next_start` is ASCII (no
            // wide character starts there), and ASCII folds to ASCII, byte
            // for byte: these bytes are the fold of original bytes in that
            // range, so they are ASCII, which is UTF-8. `str::get` would
            // check that both ends are character boundaries, which they
            // are, at a cost that was a third of the tokens' second pass.
            return unsafe { std::str::from_utf8_unchecked(bytes) };
        }
        self.across(span)
    }

    /// [`Slices::get`] for a span with a wide character inside.
    #[inline]
    fn across(&self, span: Span) -> &'f str {
        let wide = &self.folded.wide;
        let start = self.folded.folded_offset(span.start, self.next);
        let mut end = self.next;
        while wide.get(end).is_some_and(|w| w.original < span.end) {
            end += 1;
        }
        let end = if end == self.next {
            start + span.len()
        } else {
            self.folded.folded_offset(span.end, end)
        };
        self.text.get(start..end).unwrap_or("")
    }

    /// Move past the wide characters that start before `start`.
    #[inline]
    fn advance(&mut self, start: usize) {
        let wide = &self.folded.wide;
        while wide.get(self.next).is_some_and(|w| w.original < start) {
            self.next += 1;
        }
        let (original, folded) = match self.next.checked_sub(1).and_then(|k| wide.get(k)) {
            Some(w) => (w.original + w.original_len, w.folded + w.folded_len),
            None => (0, 0),
        };
        self.base = original;
        self.shift = folded.wrapping_sub(original);
        self.next_start = wide.get(self.next).map_or(usize::MAX, |w| w.original);
    }
}

/// How many bytes at the start of `bytes` are ASCII: thirty-two at a
/// time (four words OR-ed, a test for all) while the text is plain, then
/// eight at a time to the first byte that is not.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().unwrap_or([0x80; 8]));
    let mut n = 0;
    for block in bytes.chunks_exact(32) {
        if block
            .chunks_exact(8)
            .fold(0, |any, chunk| any | word(chunk))
            & HIGH
            != 0
        {
            break;
        }
        n += 32;
    }
    for chunk in bytes[n..].chunks_exact(8) {
        if word(chunk) & HIGH != 0 {
            break;
        }
        n += 8;
    }
    n + bytes[n..].iter().take_while(|b| b.is_ascii()).count()
}

/// Fold the ASCII characters at the start of `text` onto `out`, as
/// [`push_ascii_folded`] does; how many there are.
fn push_ascii_run(text: &str, out: &mut String) -> usize {
    let ascii = ascii_prefix_len(text.as_bytes());
    push_ascii_folded(&text[..ascii], out);
    ascii
}

/// [`push_ascii_run`] thirty-two bytes at a time, in one pass: each
/// block is loaded once, tested for a byte that is not ASCII, folded
/// (`A` to `Z` lowered, a backtick made an apostrophe) and stored whole,
/// and `out` is then lengthened by the bytes before the first that is
/// not ASCII. The four passes of [`push_ascii_run`] (the test, a copy, a
/// lowering and a search for backticks) cost each run of ASCII between
/// two curly quotes or dashes four calls; together they were a twentieth
/// of the analysis.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn push_ascii_run_avx2(text: &str, out: &mut String) -> usize {
    use std::arch::x86_64::{
        _mm256_add_epi8, _mm256_and_si256, _mm256_blendv_epi8, _mm256_cmpeq_epi8,
        _mm256_loadu_si256, _mm256_min_epu8, _mm256_movemask_epi8, _mm256_or_si256,
        _mm256_set1_epi8, _mm256_storeu_si256,
    };
    let splat = |byte: u8| _mm256_set1_epi8(byte as i8);
    let (blocks, _) = text.as_bytes().as_chunks::<32>();
    // Room for every block, asked once.
    out.reserve(32 * blocks.len());
    let mut n = 0;
    for block in blocks {
        // SAFETY: an unaligned load of the 32 bytes of `block`.
        let v = unsafe { _mm256_loadu_si256(block.as_ptr().cast()) };
        // `v - 'A'` wrapped at most 25: `v` in `A..=Z`.
        let d = _mm256_add_epi8(v, splat(b'A'.wrapping_neg()));
        let upper = _mm256_cmpeq_epi8(_mm256_min_epu8(d, splat(25)), d);
        let lowered = _mm256_or_si256(v, _mm256_and_si256(upper, splat(0x20)));
        let backtick = _mm256_cmpeq_epi8(v, splat(b'`'));
        let folded = _mm256_blendv_epi8(lowered, splat(b'\''), backtick);
        // The sign bit of each byte: set for the bytes of wide characters.
        let wide = _mm256_movemask_epi8(v) as u32;
        let ascii = wide.trailing_zeros() as usize;
        // SAFETY: there is room for 32 bytes after `len`: of the
        // `32 * blocks.len()` reserved, only the `n` bytes of the blocks
        // before this one are taken. The store fills them; only the first
        // `ascii`, the fold of ASCII bytes and so ASCII themselves, are
        // taken into the string, which stays UTF-8, and the rest lie past
        // its length, to be overwritten.
        unsafe {
            let vec = out.as_mut_vec();
            _mm256_storeu_si256(vec.as_mut_ptr().add(vec.len()).cast(), folded);
            vec.set_len(vec.len() + ascii);
        }
        n += ascii;
        if ascii < 32 {
            return n;
        }
    }
    // Every byte before `n` is ASCII, so `n` is a character boundary.
    n + push_ascii_run(&text[n..], out)
}

/// [`fold_char`] over a run of ASCII: lower case, and the backtick is an
/// apostrophe. Copied whole and lower-cased in place, so the folded text
/// is a `String` from the start and never checked as UTF-8 again.
fn push_ascii_folded(ascii: &str, out: &mut String) {
    let start = out.len();
    out.push_str(ascii);
    if let Some(folded) = out.get_mut(start..) {
        folded.make_ascii_lowercase();
    }
    // Rare: a backtick is an apostrophe.
    if memchr::memchr(b'`', ascii.as_bytes()).is_some() {
        let with_apostrophes = out[start..].replace('`', "'");
        out.truncate(start);
        out.push_str(&with_apostrophes);
    }
}

/// Fold one string for comparison (no offset map): what [`Folded`] does, as
/// a plain `String`. Used for registry patterns and name look-ups.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`] appended to `out`: a caller folding many words reuses one
/// buffer.
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        push_ascii_folded(s, out);
        return;
    }
    for c in s.chars() {
        fold_char(c, out);
    }
}

/// [`fold`] of one character, appended to `out`: folding goes character
/// by character, so a caller that reads a word a character at a time can
/// fold it as it reads.
pub(crate) fn fold_char(c: char, out: &mut String) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}' => out.push('\''),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
        '\u{00A0}' | '\u{2007}' | '\u{202F}' => out.push(' '),
        // Curly double quotes, which fold to themselves: a third of the
        // wide characters of news text, answered without a search of
        // the decomposition tables.
        '\u{201C}' | '\u{201D}' => out.push(c),
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
    fn folded_spans_hold_the_folded_slices() {
        let text = "Ünal’s “ﬁne” day — ok, Ｔｏｋｙｏ and ˘x";
        let folded = Folded::new(text);
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&k| text.is_char_boundary(k))
            .collect();
        // Apart and in order, as asked: two characters, then skip one.
        let spans: Vec<Span> = bounds
            .windows(3)
            .step_by(3)
            .map(|w| Span::new(w[0], w[2]))
            .collect();
        let mapped: Vec<Span> = folded.folded_spans(spans.iter().copied()).collect();
        for (span, f) in spans.iter().zip(mapped) {
            assert_eq!(
                f.slice(folded.as_str()),
                folded.folded_slice(*span),
                "{span:?}"
            );
        }
    }

    #[test]
    fn maps_folded_matches_back_to_original_bytes() {
        let original = "Turkish spokesman Öncu Keçeli said";
        let folded = Folded::new(original);
        assert_eq!(folded.as_str(), "turkish spokesman oncu keceli said");
        let start = folded.as_str().find("keceli").unwrap();
        let span = folded.original(start, start + "keceli".len());
        assert_eq!(span.slice(original), "Keçeli");
    }

    /// The map [`Folded`] replaced: two original offsets per folded byte.
    fn per_byte_maps(original: &str) -> (Vec<usize>, Vec<usize>) {
        let (mut map, mut ends) = (Vec::new(), Vec::new());
        for (offset, c) in original.char_indices() {
            for _ in 0..fold(&c.to_string()).len() {
                map.push(offset);
                ends.push(offset + c.len_utf8());
            }
        }
        map.push(original.len());
        ends.push(original.len());
        (map, ends)
    }

    #[test]
    fn sparse_map_agrees_with_a_map_per_byte() {
        for original in [
            "",
            "plain ascii, `backticks` and CAPS",
            "Öncu Keçeli’s “ﬁnance” – a\u{00A0}b",
            "e\u{0301}te\u{0301} ﬃ x",
            "\u{0301}leading mark, trailing ligature ﬁ",
            "TrÃ©vidic and ﬁ\u{0301}ﬁ",
        ] {
            let folded = Folded::new(original);
            assert_eq!(folded.as_str(), fold(original));
            let (map, ends) = per_byte_maps(original);
            let n = folded.as_str().len();
            for start in 0..=n + 1 {
                for end in start..=n + 1 {
                    let s = map[start.min(map.len() - 1)];
                    let e = if end == 0 {
                        s
                    } else {
                        ends[(end - 1).min(ends.len() - 1)]
                    };
                    assert_eq!(
                        folded.original(start, end),
                        Span::new(s, e),
                        "{original:?} {start}..{end}"
                    );
                }
            }
            for (i, c) in original.char_indices() {
                for (j, d) in original[i..].char_indices() {
                    let span = Span::new(i, i + j + d.len_utf8());
                    assert_eq!(folded.folded_slice(span), fold(span.slice(original)));
                }
                assert_eq!(folded.folded_slice(Span::new(i, i)), "", "{c}");
            }
            // One walk over spans in text order, as the tokenizer asks.
            let mut slices = folded.slices();
            let bounds: Vec<usize> = original
                .char_indices()
                .map(|(i, _)| i)
                .chain([original.len()])
                .collect();
            for (k, &i) in bounds.iter().enumerate() {
                for &j in &bounds[k..(k + 3).min(bounds.len())] {
                    let span = Span::new(i, j);
                    assert_eq!(slices.get(span), fold(span.slice(original)), "{span:?}");
                }
            }
        }
    }

    #[test]
    fn curly_double_quotes_fold_to_themselves() {
        for c in ['\u{201C}', '\u{201D}'] {
            let mut decomposed = String::new();
            decompose_compatible(c, |d| {
                if !is_combining_mark(d) {
                    decomposed.extend(d.to_lowercase());
                }
            });
            assert_eq!(decomposed, c.to_string());
            assert_eq!(fold(&c.to_string()), decomposed);
        }
    }

    #[test]
    fn ascii_prefixes_of_every_length() {
        for len in 0..80 {
            for wide in 0..=len {
                let mut s = "a".repeat(len);
                if wide < len {
                    s.replace_range(wide..wide + 1, "é");
                }
                assert_eq!(
                    ascii_prefix_len(s.as_bytes()),
                    wide.min(len),
                    "{len} {wide}"
                );
            }
        }
    }

    #[test]
    fn ascii_runs_fold_as_characters_do() {
        // Every ASCII byte, in texts of lengths around a block's, with a
        // wide character at each position of the first blocks and at the
        // end: the runs between are folded thirty-two bytes at a time
        // where the processor can, a character at a time by `fold`.
        let ascii: String = (0..128u8).map(char::from).cycle().take(150).collect();
        for len in [0, 1, 31, 32, 33, 63, 64, 65, 100, 150] {
            for wide in (0..=len.min(70)).chain([len]) {
                let mut s = ascii[..len].to_string();
                s.insert(wide, 'É');
                s.push_str("ﬁ`Q");
                assert_eq!(Folded::new(&s).as_str(), fold(&s), "{len} {wide}");
            }
            let plain = &ascii[..len];
            assert_eq!(Folded::new(plain).as_str(), fold(plain), "{len}");
        }
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
