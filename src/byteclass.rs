//! Which bytes of a text are ASCII letters and digits, and which may start
//! a quotation mark, as bit sets: what the attribution tokenizer and quote
//! extraction ask of every byte of every article. [`crate::analyze`]
//! classifies an article's bytes once for both.
//!
//! Asked one byte at a time, through a table, the first cost the
//! tokenizer a load, a test and a branch per byte of each word; for the
//! second, extraction searched each paragraph again after every
//! apostrophe and dash. Here both are answered for 32 bytes at once
//! where the processor has AVX2, else 16 (SSE2, part of x86_64's
//! baseline; a loop on other targets, which gives the same bits), and a
//! word's end or the next mark is then the next clear or set bit, found
//! with one count of trailing zeros per 64 bytes.

/// The byte classes of a text, 64 bytes to a word: bit `k % 64` of entry
/// `k / 64` is byte `k`. Bits past the end of the text are clear.
#[derive(Default)]
pub struct ByteClasses {
    /// ASCII letters and digits (`u8::is_ascii_alphanumeric`).
    word: Vec<u64>,
    /// The bytes that may start a quotation mark or markup: `"`, `'`,
    /// `` ` ``, `<`, and the first byte of “ ” „ (0xE2) and « » (0xC2),
    /// which is also that of other characters (’, —, ü).
    marks: Vec<u64>,
}

impl ByteClasses {
    pub fn new(bytes: &[u8]) -> ByteClasses {
        let mut classes = ByteClasses::default();
        classes.reclassify(bytes);
        classes
    }

    /// Classify `bytes` in place of the text classified before, in the
    /// same buffers: see [`crate::analyze::Scratch`].
    pub fn reclassify(&mut self, bytes: &[u8]) {
        let blocks = bytes.len().div_ceil(64);
        for bits in [&mut self.word, &mut self.marks] {
            bits.clear();
            bits.reserve(blocks);
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, as just asked.
            unsafe { self.push_avx2(bytes) };
            return;
        }
        self.push(bytes, classify);
    }

    /// Classify `bytes` with `classify`, 64 at a time.
    #[inline(always)]
    fn push(&mut self, bytes: &[u8], classify: impl Fn(&[u8; 64]) -> [u64; 2]) {
        let (blocks, rest) = bytes.as_chunks::<64>();
        for block in blocks {
            let [w, m] = classify(block);
            self.word.push(w);
            self.marks.push(m);
        }
        if !rest.is_empty() {
            // Padded with NUL, which is none of them.
            let mut last = [0u8; 64];
            last[..rest.len()].copy_from_slice(rest);
            let [w, m] = classify(&last);
            self.word.push(w);
            self.marks.push(m);
        }
    }

    /// [`ByteClasses::push`] with [`classify_avx2`], inlined where AVX2
    /// may be used.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn push_avx2(&mut self, bytes: &[u8]) {
        self.push(bytes, |block| classify_avx2(block));
    }

    /// The first byte at or after `at` that is no ASCII letter or digit
    /// (the end of the text, or past it, if there is none).
    #[inline]
    pub fn skip_word(&self, at: usize) -> usize {
        next_clear(&self.word, at)
    }

    /// The first byte at or after `at` that may start a quotation mark
    /// (the end of the text, or past it, if there is none).
    #[inline]
    pub fn next_mark(&self, at: usize) -> usize {
        next_set(&self.marks, at)
    }
}

/// How many words separated by white space `text` has, counted up to
/// `most`: `text.split_whitespace().take(most).count()`, with ASCII
/// classed a byte at a time instead of decoded. Extraction and the rules
/// ask it of every paragraph with an apostrophe and every quote.
pub fn count_words(text: &str, most: usize) -> usize {
    let mut count = 0;
    let mut i = 0;
    while count < most {
        i = skip(text, i, true);
        if i >= text.len() {
            break;
        }
        count += 1;
        i = skip(text, i, false);
    }
    count
}

/// The first byte at or after `at` that starts a character which is (or,
/// with `space`, is not) white space, or the end of `text`.
#[inline]
fn skip(text: &str, mut at: usize, space: bool) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(at) {
        let (is_space, width) = if b.is_ascii() {
            (ASCII_SPACE[usize::from(b)], 1)
        } else {
            match text.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => return text.len(),
            }
        };
        if is_space != space {
            return at;
        }
        at += width;
    }
    at
}

/// Which ASCII bytes are white space to `char::is_whitespace` (which,
/// unlike `u8::is_ascii_whitespace`, counts the vertical tab).
static ASCII_SPACE: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = matches!(b as u8, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
        b += 1;
    }
    table
};

/// The first clear bit at or after `at` (`64 * bits.len()` or `at` if none).
#[inline]
fn next_clear(bits: &[u64], at: usize) -> usize {
    let mut block = at / 64;
    let Some(&first) = bits.get(block) else {
        return at;
    };
    let rest = !first >> (at % 64);
    if rest != 0 {
        return at + rest.trailing_zeros() as usize;
    }
    loop {
        block += 1;
        match bits.get(block) {
            Some(&b) if b == u64::MAX => continue,
            Some(&b) => return 64 * block + (!b).trailing_zeros() as usize,
            None => return 64 * block,
        }
    }
}

/// The first set bit at or after `at` (`64 * bits.len()` or `at` if none).
#[inline]
fn next_set(bits: &[u64], at: usize) -> usize {
    let mut block = at / 64;
    let Some(&first) = bits.get(block) else {
        return at;
    };
    let rest = first >> (at % 64);
    if rest != 0 {
        return at + rest.trailing_zeros() as usize;
    }
    loop {
        block += 1;
        match bits.get(block) {
            Some(&0) => continue,
            Some(&b) => return 64 * block + b.trailing_zeros() as usize,
            None => return 64 * block,
        }
    }
}

/// The word and mark bits of 64 bytes.
#[cfg(target_arch = "x86_64")]
fn classify(block: &[u8; 64]) -> [u64; 2] {
    // SAFETY: `classify_sse2` needs SSE2 only, which every x86_64
    // processor has (it is part of the target's baseline features).
    unsafe { classify_sse2(block) }
}

#[cfg(not(target_arch = "x86_64"))]
fn classify(block: &[u8; 64]) -> [u64; 2] {
    classify_bytes(block)
}

/// [`classify`] a byte at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn classify_bytes(block: &[u8; 64]) -> [u64; 2] {
    let [mut word, mut marks] = [0u64; 2];
    for (k, &b) in block.iter().enumerate() {
        word |= u64::from(b.is_ascii_alphanumeric()) << k;
        marks |= u64::from(matches!(b, b'"' | b'\'' | b'`' | b'<' | 0xC2 | 0xE2)) << k;
    }
    [word, marks]
}

/// The eight bytes of `block` from `8 * k` on, as a little-endian number.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn eight(block: &[u8; 64], k: usize) -> i64 {
    let (words, _) = block.as_chunks::<8>();
    i64::from_le_bytes(words[k])
}

/// [`classify`] sixteen bytes at a time. The ranges are tested as
/// unsigned: a byte from 0x80 on is never in one.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn classify_sse2(block: &[u8; 64]) -> [u64; 2] {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_and_si128, _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8,
    };
    let splat = |byte: u8| _mm_set1_epi8(byte as i8);
    // Whether `v - lo` wrapped is at most `hi - lo`, that is `v` in `lo..=hi`.
    let within = |v: __m128i, lo: u8, hi: u8| {
        let d = _mm_add_epi8(v, splat(lo.wrapping_neg()));
        _mm_cmpeq_epi8(_mm_min_epu8(d, splat(hi - lo)), d)
    };
    let [mut word, mut marks] = [0u64; 2];
    for k in 0..4 {
        let v = _mm_set_epi64x(eight(block, 2 * k + 1), eight(block, 2 * k));
        let letter = within(_mm_or_si128(v, splat(0x20)), b'a', b'z');
        let w = _mm_or_si128(letter, within(v, b'0', b'9'));
        let is = |byte: u8| _mm_cmpeq_epi8(v, splat(byte));
        // 0xC2 and 0xE2 differ in one bit.
        let lead = _mm_cmpeq_epi8(_mm_and_si128(v, splat(!0x20)), splat(0xC2));
        let m = _mm_or_si128(
            _mm_or_si128(
                _mm_or_si128(is(b'"'), is(b'\'')),
                _mm_or_si128(is(b'`'), is(b'<')),
            ),
            lead,
        );
        // The sign bit of each byte: sixteen bits, as an unsigned number.
        let bits = |m| u64::from(_mm_movemask_epi8(m) as u16);
        word |= bits(w) << (16 * k);
        marks |= bits(m) << (16 * k);
    }
    [word, marks]
}

/// [`classify_sse2`] thirty-two bytes at a time. Out of line: inlined
/// into the loop of [`ByteClasses::push`], it was compiled into one that
/// took every byte's bits apart and put them together again, three times
/// the instructions of a call.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline(never)]
fn classify_avx2(block: &[u8; 64]) -> [u64; 2] {
    use std::arch::x86_64::{
        __m256i, _mm256_add_epi8, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256,
        _mm256_min_epu8, _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
    };
    let splat = |byte: u8| _mm256_set1_epi8(byte as i8);
    let within = |v: __m256i, lo: u8, hi: u8| {
        let d = _mm256_add_epi8(v, splat(lo.wrapping_neg()));
        _mm256_cmpeq_epi8(_mm256_min_epu8(d, splat(hi - lo)), d)
    };
    let [mut word, mut marks] = [0u64; 2];
    let (halves, _) = block.as_chunks::<32>();
    for (k, half) in halves.iter().enumerate() {
        // SAFETY: an unaligned load of the 32 bytes of `half`.
        let v = unsafe { _mm256_loadu_si256(half.as_ptr().cast()) };
        let letter = within(_mm256_or_si256(v, splat(0x20)), b'a', b'z');
        let w = _mm256_or_si256(letter, within(v, b'0', b'9'));
        let is = |byte: u8| _mm256_cmpeq_epi8(v, splat(byte));
        let lead = _mm256_cmpeq_epi8(_mm256_and_si256(v, splat(!0x20)), splat(0xC2));
        let m = _mm256_or_si256(
            _mm256_or_si256(
                _mm256_or_si256(is(b'"'), is(b'\'')),
                _mm256_or_si256(is(b'`'), is(b'<')),
            ),
            lead,
        );
        let bits = |m| u64::from(_mm256_movemask_epi8(m) as u32);
        word |= bits(w) << (32 * k);
        marks |= bits(m) << (32 * k);
    }
    [word, marks]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_is_classed_as_std_classes_it() {
        // Every byte value at every position of a block, and a text whose
        // length is no multiple of 64.
        let bytes: Vec<u8> = (0..=255u8)
            .chain(0..=255)
            .chain(b"ab 9".iter().copied())
            .collect();
        for shift in 0..64 {
            let text = &bytes[shift..];
            let classes = ByteClasses::new(text);
            for (k, &b) in text.iter().enumerate() {
                assert_eq!(
                    classes.skip_word(k) > k,
                    b.is_ascii_alphanumeric(),
                    "{b:#x}"
                );
                let mark = matches!(b, b'"' | b'\'' | b'`' | b'<' | 0xC2 | 0xE2);
                assert_eq!(classes.next_mark(k) == k, mark, "{b:#x}");
            }
            assert_eq!(classes.skip_word(text.len()), text.len());
        }
    }

    #[test]
    fn the_vector_classes_are_the_byte_classes() {
        let mut blocks: Vec<[u8; 64]> = (0..=255)
            .map(|start| std::array::from_fn(|k| (start + k) as u8))
            .collect();
        blocks.push(std::array::from_fn(|k| (k as u8).wrapping_mul(37) ^ 0x5a));
        for block in &blocks {
            let bytes = classify_bytes(block);
            assert_eq!(classify(block), bytes);
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2, as just asked.
                assert_eq!(unsafe { classify_avx2(block) }, bytes);
            }
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "one",
            "  two words ",
            "a\u{a0}b\u{2028}c\u{3000}d\u{85}e\u{b}f\u{c}g",
            "Russia\u{2019}s “view” — of\tthe\r\nthings, ü é",
            "\u{200b}zero-width\u{200b}is not space",
        ] {
            for most in 0..10 {
                let expected = text.split_whitespace().take(most).count();
                assert_eq!(count_words(text, most), expected, "{text:?} {most}");
            }
        }
    }

    #[test]
    fn skips_cross_blocks() {
        let text = format!("{}{} x", "a".repeat(130), " ".repeat(70));
        let classes = ByteClasses::new(text.as_bytes());
        assert_eq!(classes.skip_word(0), 130);
        assert_eq!(classes.skip_word(5), 130);
        assert_eq!(classes.skip_word(130), 130);
        assert_eq!(classes.skip_word(200), 200);
        assert_eq!(classes.skip_word(201), 202);
        assert_eq!(classes.skip_word(202), 202);
        assert_eq!(classes.skip_word(203), 203);
        assert!(classes.next_mark(0) >= text.len());
        let marked = format!("{}\"{}'", " ".repeat(100), "a".repeat(100));
        let classes = ByteClasses::new(marked.as_bytes());
        assert_eq!(classes.next_mark(0), 100);
        assert_eq!(classes.next_mark(101), 201);
        assert!(classes.next_mark(202) >= marked.len());
        let full = "b".repeat(128);
        assert_eq!(ByteClasses::new(full.as_bytes()).skip_word(3), 128);
        assert_eq!(ByteClasses::new(b"").skip_word(0), 0);
    }
}
