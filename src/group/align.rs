//! Word alignment of two quotations, and what it says about them.
//!
//! Two quotations are diffed as token sequences (the `similar` crate's
//! Myers diff over token hashes). The runs of equal tokens that carry
//! weight — two or more tokens with a content word among them, three or
//! more of any kind, or all of the shorter quotation — are *anchors*; the
//! stretch from the first anchor to the last is where the two quotations
//! overlap. Inside it, every difference has to be explained for the two
//! to *agree word for word*: an ellipsis on the side that skips words (a
//! splice), or a bracketed editor's word. Outside it, one quotation may go
//! on where the other stops (a trim or a fragment), but if both go on, in
//! different words, they differ at the edge.
//!
//! The result, an [`Agreement`], is what rendering assignment reads (do
//! these two share a wording?) and what linking reads (is one a trim,
//! fragment or splice of the other, or the same sentence with words
//! substituted?).

use std::cell::RefCell;

use similar::algorithms::DiffHook;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::normalize::{Normalized, TokenRef, is_stop_word};

/// Token flags, packed: see [`Words`].
pub(crate) const ELLIPSIS: u8 = 1;
pub(crate) const BRACKET: u8 = 2;
pub(crate) const STOP: u8 = 4;
pub(crate) const NAME: u8 = 8;
pub(crate) const NUMBER: u8 = 16;

/// A quotation's tokens in the compact form alignment works on: one hash
/// per token and one byte of flags ([`ELLIPSIS`] before it, inside a
/// [`BRACKET`], a [`STOP`] word, a [`NAME`], a [`NUMBER`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Words {
    pub(crate) keys: Vec<u64>,
    pub(crate) flags: Vec<u8>,
    /// [`Words::spoken`], counted once: linking asks for it for each of
    /// ten million candidate pairs at 100k articles, and counting read
    /// the other record's flags, one more cache miss a pair.
    spoken: usize,
}

impl Words {
    /// The compact form of a normalised quotation.
    pub fn new(normalized: &Normalized) -> Words {
        // Sized exactly: grouping keeps one per quotation.
        let n = normalized.tokens.len();
        let mut words = Words {
            keys: Vec::with_capacity(n),
            flags: Vec::with_capacity(n),
            spoken: 0,
        };
        for t in &normalized.tokens {
            words.push(t.borrowed());
        }
        words
    }

    /// Add a token, as it comes from the tokenizer: grouping builds the
    /// compact form without a [`Normalized`] in between.
    pub(crate) fn push(&mut self, t: TokenRef<'_>) {
        self.keys.push(hash_str(t.text));
        let mut f = 0;
        if t.ellipsis_before {
            f |= ELLIPSIS;
        }
        if t.bracket {
            f |= BRACKET;
        } else {
            self.spoken += 1;
        }
        if is_stop_word(t.text) {
            f |= STOP;
        }
        if t.name {
            f |= NAME;
        }
        if t.number {
            f |= NUMBER;
        }
        self.flags.push(f);
    }

    pub(crate) fn clear(&mut self) {
        self.keys.clear();
        self.flags.clear();
        self.spoken = 0;
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Tokens that are not an editor's bracketed insertion.
    pub fn spoken(&self) -> usize {
        self.spoken
    }

    fn has(&self, i: usize, flag: u8) -> bool {
        self.flags.get(i).is_some_and(|f| f & flag != 0)
    }

    fn all(&self, from: usize, to: usize, flag: u8) -> bool {
        (from..to).all(|i| self.has(i, flag))
    }

    fn any_content(&self, from: usize, to: usize) -> bool {
        (from..to).any(|i| !self.has(i, STOP))
    }
}

/// How two quotations' wordings relate, from their alignment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Agreement {
    /// No overlap worth the name: different passages (or unrelated).
    Disjoint,
    /// They agree word for word wherever they overlap.
    Agree(Overlap),
    /// They overlap but differ inside the overlap or at its edge: the same
    /// passage in other words (a substitution, a re-translation), or two
    /// statements that happen to share a phrase.
    Differ(Overlap),
}

/// What the alignment found, for either outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Overlap {
    /// Tokens in equal runs inside the overlap.
    pub matched: usize,
    /// The longest run of equal tokens.
    pub longest: usize,
    /// Every spoken token of the first quotation is matched: it is a trim
    /// or fragment of the second (or identical to it).
    pub a_within_b: bool,
    /// Every spoken token of the second is matched.
    pub b_within_a: bool,
    /// Each goes on past the other at opposite ends (both trimmed).
    pub staggered: bool,
    /// A gap explained by an ellipsis.
    pub splice: bool,
    /// A gap explained by bracketed words.
    pub bracket: bool,
}

impl Overlap {
    /// The same overlap seen from the other quotation.
    pub fn swapped(self) -> Overlap {
        Overlap {
            a_within_b: self.b_within_a,
            b_within_a: self.a_within_b,
            ..self
        }
    }
}

/// A run of equal tokens, or a gap, in both sequences.
#[derive(Clone, Copy, Debug)]
struct Seg {
    equal: bool,
    a: (usize, usize),
    b: (usize, usize),
}

/// Align two quotations and say whether they agree (see the module docs).
pub fn agreement(a: &Words, b: &Words) -> Agreement {
    if a.is_empty() || b.is_empty() {
        return Agreement::Disjoint;
    }
    let shorter = a.spoken().min(b.spoken()).max(1);
    if !may_anchor(a, b, shorter) {
        return Agreement::Disjoint;
    }
    SEGMENTS.with_borrow_mut(|segs| {
        segs.clear();
        super::myers::diff_into(&a.keys, &b.keys, Segments(segs));
        read_alignment(a, b, shorter, segs)
    })
}

thread_local! {
    /// This thread's [`Seg`]s of the last alignment: kept from one
    /// alignment to the next, where a new `Vec` grew (reallocated) as
    /// every diff was fed to it.
    static SEGMENTS: RefCell<Vec<Seg>> = const { RefCell::new(Vec::new()) };
    /// This thread's n-grams for [`may_anchor`], kept likewise.
    static GRAMS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// What the diff of `a` and `b`, as `segs`, says of them (see
/// [`agreement`]).
fn read_alignment(a: &Words, b: &Words, shorter: usize, segs: &[Seg]) -> Agreement {
    let is_anchor = |s: &Seg| {
        let len = s.a.1 - s.a.0;
        s.equal && (len >= 3 || (len >= 2 && a.any_content(s.a.0, s.a.1)) || len >= shorter)
    };
    let Some(first) = segs.iter().position(is_anchor) else {
        return Agreement::Disjoint;
    };
    let last = segs.iter().rposition(is_anchor).unwrap_or(first);
    let mut overlap = Overlap::default();
    let mut conflict = false;
    for s in &segs[first..=last] {
        let (la, lb) = (s.a.1 - s.a.0, s.b.1 - s.b.0);
        if s.equal {
            overlap.matched += la;
            overlap.longest = overlap.longest.max(la);
            continue;
        }
        // A gap inside the overlap must be explained.
        let a_bracket = la > 0 && a.all(s.a.0, s.a.1, BRACKET);
        let b_bracket = lb > 0 && b.all(s.b.0, s.b.1, BRACKET);
        if a_bracket || b_bracket {
            overlap.bracket = true;
        } else if lb == 0 && b.has(s.b.0, ELLIPSIS) || la == 0 && a.has(s.a.0, ELLIPSIS) {
            overlap.splice = true;
        } else {
            conflict = true;
        }
    }
    let (mut a0, mut b0) = (segs[first].a.0, segs[first].b.0);
    let (mut a1, mut b1) = (segs[last].a.1, segs[last].b.1);
    // The diff may have matched a word just outside the overlap to an
    // earlier or later copy of it ("the" in "the first contacts"): grow
    // the overlap over equal words at both ends.
    // Bracketed words on either side are stepped over.
    while a0 > 0 && b0 > 0 {
        if a.has(a0 - 1, BRACKET) {
            a0 -= 1;
        } else if b.has(b0 - 1, BRACKET) {
            b0 -= 1;
        } else if a.keys[a0 - 1] == b.keys[b0 - 1] {
            a0 -= 1;
            b0 -= 1;
            overlap.matched += 1;
            continue;
        } else {
            break;
        }
        overlap.bracket = true;
    }
    while a1 < a.len() && b1 < b.len() {
        if a.has(a1, BRACKET) {
            a1 += 1;
        } else if b.has(b1, BRACKET) {
            b1 += 1;
        } else if a.keys[a1] == b.keys[b1] {
            a1 += 1;
            b1 += 1;
            overlap.matched += 1;
            continue;
        } else {
            break;
        }
        overlap.bracket = true;
    }
    // Edges: what each has before and after the overlap, brackets aside.
    let a_pre = (0..a0).filter(|&i| !a.has(i, BRACKET)).count();
    let b_pre = (0..b0).filter(|&i| !b.has(i, BRACKET)).count();
    let a_post = (a1..a.len()).filter(|&i| !a.has(i, BRACKET)).count();
    let b_post = (b1..b.len()).filter(|&i| !b.has(i, BRACKET)).count();
    if a_pre > 0 && b_pre > 0 {
        if a.has(a0, ELLIPSIS) || b.has(b0, ELLIPSIS) {
            overlap.splice = true;
        } else {
            conflict = true;
        }
    }
    if a_post > 0 && b_post > 0 {
        if a.has(a1, ELLIPSIS) || b.has(b1, ELLIPSIS) {
            overlap.splice = true;
        } else {
            conflict = true;
        }
    }
    overlap.a_within_b = a_pre == 0 && a_post == 0 && !conflict;
    overlap.b_within_a = b_pre == 0 && b_post == 0 && !conflict;
    overlap.staggered = (a_pre > 0 && b_post > 0) || (b_pre > 0 && a_post > 0);
    if conflict {
        Agreement::Differ(overlap)
    } else {
        Agreement::Agree(overlap)
    }
}

/// Whether the alignment of `a` and `b` could say they agree word for
/// word ([`Agreement::Agree`]), tested without aligning them.
///
/// Without ellipses or bracketed words, every gap inside an overlap and
/// material on both sides of it at one end is a conflict, so agreeing
/// means one run of equal tokens that reaches an end of one of them at
/// each side: one holds the other, or one ends with what the other
/// begins with. With an ellipsis or a bracket anywhere this says yes.
pub(crate) fn may_agree(a: &Words, b: &Words) -> bool {
    let marked = |w: &Words| w.flags.iter().any(|f| f & (ELLIPSIS | BRACKET) != 0);
    if marked(a) || marked(b) {
        return true;
    }
    let (a, b) = (&a.keys[..], &b.keys[..]);
    let holds = |long: &[u64], short: &[u64]| {
        short.is_empty() || long.windows(short.len()).any(|w| w == short)
    };
    let ends_with_start =
        |x: &[u64], y: &[u64]| (1..=x.len().min(y.len())).any(|k| x[x.len() - k..] == y[..k]);
    holds(a, b) || holds(b, a) || ends_with_start(a, b) || ends_with_start(b, a)
}

/// The length of the longest common subsequence of `a`'s and `b`'s
/// tokens: an upper bound on what any alignment of them matches. `None`
/// when the shorter has more than 64 tokens.
///
/// Bit-parallel (Hyyrö, "Bit-parallel LCS-length computation revisited",
/// 2004): one machine word holds a row of the dynamic programme, so each
/// token of the longer costs a lookup and four word operations, where a
/// diff costs a pass over every diagonal it explores.
pub(crate) fn common_subsequence(a: &Words, b: &Words) -> Option<usize> {
    let (short, long) = if a.len() <= b.len() {
        (&a.keys, &b.keys)
    } else {
        (&b.keys, &a.keys)
    };
    if short.len() > 64 {
        return None;
    }
    // Each distinct token of the shorter with the positions it holds.
    let mut masks = [(0_u64, 0_u64); 64];
    for (i, &key) in short.iter().enumerate() {
        masks[i] = (key, 1 << i);
    }
    let masks = &mut masks[..short.len()];
    masks.sort_unstable_by_key(|&(key, _)| key);
    let mut distinct = 0;
    for i in 0..masks.len() {
        if distinct > 0 && masks[distinct - 1].0 == masks[i].0 {
            masks[distinct - 1].1 |= masks[i].1;
        } else {
            masks[distinct] = masks[i];
            distinct += 1;
        }
    }
    let masks = &masks[..distinct];
    let mut row = !0_u64;
    for key in long {
        if let Ok(k) = masks.binary_search_by_key(key, |&(key, _)| key) {
            let matched = row & masks[k].1;
            row = row.wrapping_add(matched) | (row - matched);
        }
    }
    let width = if short.len() == 64 {
        !0
    } else {
        (1 << short.len()) - 1
    };
    Some((!row & width).count_ones() as usize)
}

/// Whether the alignment of `a` and `b` can have an anchor, `shorter`
/// being the spoken length of the shorter. An anchor is a run of equal
/// tokens, so it means the two share an n-gram: a trigram, or a bigram
/// with a content word, or (when the shorter has two spoken tokens) any
/// bigram. Testing that is linear; the diff, which could only say
/// [`Agreement::Disjoint`] for two quotations sharing none, is not.
pub(crate) fn may_anchor(a: &Words, b: &Words, shorter: usize) -> bool {
    if shorter < 2 {
        return true;
    }
    let (few, many) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    GRAMS.with_borrow_mut(|seen| {
        seen.clear();
        seen.extend(anchor_grams(few, shorter));
        if seen.is_empty() {
            return false;
        }
        seen.sort_unstable();
        anchor_grams(many, shorter).any(|g| seen.binary_search(&g).is_ok())
    })
}

/// The n-grams of `w` an anchor can rest on, hashed (see [`may_anchor`]);
/// with `shorter` at two, every bigram.
pub(crate) fn anchor_grams(w: &Words, shorter: usize) -> impl Iterator<Item = u64> + '_ {
    let k = &w.keys;
    let bigrams = (0..k.len().saturating_sub(1))
        .filter(move |&t| shorter <= 2 || w.flags[t] & STOP == 0 || w.flags[t + 1] & STOP == 0)
        .map(move |t| ngram(&k[t..t + 2]));
    let trigrams = (0..k.len().saturating_sub(2)).map(move |t| ngram(&k[t..t + 3]));
    bigrams.chain(trigrams)
}

/// A hash of a run of token hashes (its length is part of it).
pub(crate) fn ngram(keys: &[u64]) -> u64 {
    keys.iter().fold(keys.len() as u64, |h, &k| {
        (h ^ k).rotate_left(23).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    })
}

/// A diff hook that merges the operations it is fed into [`Seg`]s as they
/// come, alternating: a run of equal tokens, or a gap (deletions,
/// insertions and replacements in a row), each in both sequences.
struct Segments<'s>(&'s mut Vec<Seg>);

impl Segments<'_> {
    fn push(&mut self, equal: bool, a: (usize, usize), b: (usize, usize)) {
        match self.0.last_mut() {
            Some(last) if last.equal == equal => {
                last.a.1 = a.1;
                last.b.1 = b.1;
            }
            _ => self.0.push(Seg { equal, a, b }),
        }
    }
}

impl DiffHook for Segments<'_> {
    type Error = std::convert::Infallible;

    fn equal(&mut self, old_index: usize, new_index: usize, len: usize) -> Result<(), Self::Error> {
        self.push(
            true,
            (old_index, old_index + len),
            (new_index, new_index + len),
        );
        Ok(())
    }

    fn delete(
        &mut self,
        old_index: usize,
        old_len: usize,
        new_index: usize,
    ) -> Result<(), Self::Error> {
        self.push(
            false,
            (old_index, old_index + old_len),
            (new_index, new_index),
        );
        Ok(())
    }

    fn insert(
        &mut self,
        old_index: usize,
        new_index: usize,
        new_len: usize,
    ) -> Result<(), Self::Error> {
        self.push(
            false,
            (old_index, old_index),
            (new_index, new_index + new_len),
        );
        Ok(())
    }

    fn replace(
        &mut self,
        old_index: usize,
        old_len: usize,
        new_index: usize,
        new_len: usize,
    ) -> Result<(), Self::Error> {
        self.push(
            false,
            (old_index, old_index + old_len),
            (new_index, new_index + new_len),
        );
        Ok(())
    }
}

/// How one quotation relates to another, in the words of the issue that
/// asked for grouping: what a user sees on a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The same words (after normalisation).
    Identical,
    /// One is the other with words cut at one or both ends.
    Trim,
    /// One is a short piece of the other ("irritants" in "many irritants").
    Fragment,
    /// Each goes on past the other at opposite ends.
    Overlap,
    /// One skips words of the other at an ellipsis.
    Splice,
    /// They differ only by an editor's [bracketed] words.
    Bracket,
    /// The same sentence with a few words exchanged.
    Substitution,
    /// A different wording of the same content (another translation).
    Retranslation,
    /// A short paraphrase sharing a key phrase (a headline's words).
    Paraphrase,
    /// Consecutive quotations of one speaker in one article, one
    /// continuing the other.
    Continuation,
    /// Nothing that says they are the same statement.
    Unrelated,
}

impl Relation {
    /// The name stored in `links.kind` and printed by reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Identical => "identical",
            Relation::Trim => "trim",
            Relation::Fragment => "fragment",
            Relation::Overlap => "overlap",
            Relation::Splice => "splice",
            Relation::Bracket => "bracket",
            Relation::Substitution => "substitution",
            Relation::Retranslation => "retranslation",
            Relation::Paraphrase => "paraphrase",
            Relation::Continuation => "continuation",
            Relation::Unrelated => "unrelated",
        }
    }

    /// Whether the relation says one quotation holds words of the other
    /// as a piece (a trim, a fragment, an overlap, a splice, a bracket
    /// insertion, a substitution), rather than being the same words, a
    /// continuation or another wording of the whole.
    pub(crate) fn is_containment(self) -> bool {
        matches!(
            self,
            Relation::Trim
                | Relation::Fragment
                | Relation::Overlap
                | Relation::Splice
                | Relation::Bracket
                | Relation::Substitution
        )
    }

    /// Whether two quotations so related share a wording (a rendering).
    pub fn same_wording(self) -> bool {
        matches!(
            self,
            Relation::Identical
                | Relation::Trim
                | Relation::Fragment
                | Relation::Overlap
                | Relation::Splice
                | Relation::Bracket
        )
    }
}

/// The wording relation of two quotations from their alignment alone
/// (without the translation-aware score, which needs corpus statistics:
/// a pair this calls [`Relation::Unrelated`] may still be a
/// re-translation).
///
/// ```
/// use quotetrail::group::{Relation, normalize, relate};
/// let r = |a: &str, b: &str| relate(&normalize(a), &normalize(b));
/// assert_eq!(r("below zero,", "Below zero."), Relation::Identical);
/// assert_eq!(r("irritants", "many irritants"), Relation::Fragment);
/// assert_eq!(r("the previous [US] administration", "the previous administration"), Relation::Bracket);
/// assert_eq!(r("we hope … trust", "we hope that talks build trust"), Relation::Splice);
/// assert_eq!(
///     r("the new American administration inspires hope", "the new US administration inspires hope"),
///     Relation::Substitution
/// );
/// ```
pub fn relate(a: &Normalized, b: &Normalized) -> Relation {
    classify(&Words::new(a), &Words::new(b)).0
}

/// [`relate`] on the compact form, with the overlap it rests on and the
/// [`agreement`] of `a` and `b` when it took one (not for the same
/// tokens), which rendering can reuse.
pub(crate) fn classify(a: &Words, b: &Words) -> (Relation, Overlap, Option<Agreement>) {
    if a.keys == b.keys {
        let n = a.spoken();
        let o = Overlap {
            matched: n,
            longest: n,
            a_within_b: true,
            b_within_a: true,
            ..Overlap::default()
        };
        return (Relation::Identical, o, None);
    }
    let agreement = agreement(a, b);
    let relation = match agreement {
        Agreement::Disjoint => Relation::Unrelated,
        Agreement::Agree(o) => {
            if o.a_within_b && o.b_within_a {
                if o.bracket {
                    Relation::Bracket
                } else if o.splice {
                    Relation::Splice
                } else {
                    Relation::Identical
                }
            } else if o.splice {
                Relation::Splice
            } else if o.bracket {
                Relation::Bracket
            } else if o.a_within_b || o.b_within_a {
                let (short, long) = if o.a_within_b {
                    (a.spoken(), b.spoken())
                } else {
                    (b.spoken(), a.spoken())
                };
                if short * 2 < long || short < 4 {
                    Relation::Fragment
                } else {
                    Relation::Trim
                }
            } else {
                Relation::Overlap
            }
        }
        Agreement::Differ(o) => {
            let shorter = a.spoken().min(b.spoken());
            if o.matched >= 4 && o.matched * 5 >= shorter * 3 {
                Relation::Substitution
            } else {
                Relation::Unrelated
            }
        }
    };
    let overlap = match agreement {
        Agreement::Disjoint => Overlap::default(),
        Agreement::Agree(o) | Agreement::Differ(o) => o,
    };
    (relation, overlap, Some(agreement))
}

/// A stable 64-bit hash (FNV-1a) of a string: token identities must not
/// depend on the process (std's hasher may change between Rust versions,
/// and grouping's tie-breaks must not).
pub(crate) fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One piece of a word-level diff between two texts, in the texts' own
/// words.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum Piece {
    /// Words both texts have (as the first text writes them).
    Same(String),
    /// Words only the first text has.
    Removed(String),
    /// Words only the second text has.
    Added(String),
}

/// A word-level diff from `old` to `new`: tokens are compared normalised,
/// shown as the originals write them (a run of original text from the
/// first to the last token of the piece, punctuation included).
///
/// ```
/// use quotetrail::group::{Piece, diff_words};
/// let d = diff_words("the new American administration", "the new US administration");
/// assert_eq!(d, [
///     Piece::Same("the new".into()),
///     Piece::Removed("American".into()),
///     Piece::Added("US".into()),
///     Piece::Same("administration".into()),
/// ]);
/// ```
pub fn diff_words(old: &str, new: &str) -> Vec<Piece> {
    let (na, nb) = (super::normalize(old), super::normalize(new));
    let ka: Vec<&str> = na.tokens.iter().map(|t| t.text.as_str()).collect();
    let kb: Vec<&str> = nb.tokens.iter().map(|t| t.text.as_str()).collect();
    let slice = |text: &str, tokens: &[super::normalize::Token], from: usize, to: usize| match (
        tokens.get(from),
        to.checked_sub(1).and_then(|l| tokens.get(l)),
    ) {
        (Some(f), Some(l)) if from < to => text
            .get(f.span.start..l.span.end)
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    let mut pieces = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &ka, &kb) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                pieces.push(Piece::Same(slice(
                    old,
                    &na.tokens,
                    old_index,
                    old_index + len,
                )));
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => pieces.push(Piece::Removed(slice(
                old,
                &na.tokens,
                old_index,
                old_index + old_len,
            ))),
            DiffOp::Insert {
                new_index, new_len, ..
            } => pieces.push(Piece::Added(slice(
                new,
                &nb.tokens,
                new_index,
                new_index + new_len,
            ))),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                pieces.push(Piece::Removed(slice(
                    old,
                    &na.tokens,
                    old_index,
                    old_index + old_len,
                )));
                pieces.push(Piece::Added(slice(
                    new,
                    &nb.tokens,
                    new_index,
                    new_index + new_len,
                )));
            }
        }
    }
    pieces.retain(|p| match p {
        Piece::Same(s) | Piece::Removed(s) | Piece::Added(s) => !s.is_empty(),
    });
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::normalize;

    #[test]
    fn spoken_tokens_leave_out_bracketed_ones() {
        let words = Words::new(&normalize("“The [Russian] side … is ready,” he said"));
        assert_eq!(words.len(), 7);
        assert_eq!(words.spoken(), 6);
        let mut reused = words.clone();
        reused.clear();
        assert_eq!((reused.len(), reused.spoken()), (0, 0));
    }

    fn rel(a: &str, b: &str) -> Relation {
        relate(&normalize(a), &normalize(b))
    }

    fn agree(a: &str, b: &str) -> Agreement {
        agreement(&Words::new(&normalize(a)), &Words::new(&normalize(b)))
    }

    #[test]
    fn relations_of_wording_variants() {
        for (a, b, want) in [
            ("below zero,", "below zero", Relation::Identical),
            ("the U.S. side", "the US side", Relation::Identical),
            (
                "created uncomfortable conditions",
                "we also created uncomfortable conditions for the work of the embassy",
                Relation::Fragment,
            ),
            (
                "will show how quickly and effectively we can move",
                "how quickly and effectively we can move forward.",
                Relation::Overlap,
            ),
            (
                "the first contacts with the new administration inspire hopes and more",
                "the first contacts with the new administration inspire hopes",
                Relation::Trim,
            ),
            (
                "room for cooperation… Such room is in place",
                "room for cooperation between companies. Such room is in place",
                Relation::Splice,
            ),
            (
                "Secretary [Marco] Rubio and our advisor",
                "Secretary Rubio and our advisor",
                Relation::Bracket,
            ),
            (
                "raises certain hopes",
                "the first contacts inspire certain hopes",
                Relation::Unrelated,
            ),
            (
                "I will not comment on that today",
                "Ukraine is not on the agenda",
                Relation::Unrelated,
            ),
        ] {
            assert_eq!(rel(a, b), want, "{a:?} vs {b:?}");
        }
    }

    /// The common subsequence by the textbook dynamic programme.
    fn lcs_by_table(a: &[u64], b: &[u64]) -> usize {
        let mut table = vec![vec![0; b.len() + 1]; a.len() + 1];
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                table[i][j] = if a[i - 1] == b[j - 1] {
                    table[i - 1][j - 1] + 1
                } else {
                    table[i - 1][j].max(table[i][j - 1])
                };
            }
        }
        table[a.len()][b.len()]
    }

    fn words(keys: &[u64]) -> Words {
        Words {
            keys: keys.to_vec(),
            flags: vec![0; keys.len()],
            spoken: keys.len(),
        }
    }

    #[test]
    fn the_bit_parallel_common_subsequence_is_the_tables() {
        // A small alphabet makes repeats and long common runs; lengths
        // cover the empty, the full 64-bit row and past it.
        let mut next = crate::group::numbers_below(0x2545_f491_4f6c_dd1d_u64);
        for _ in 0..2000 {
            let alphabet = 1 + next(6);
            let a: Vec<u64> = (0..next(70)).map(|_| next(alphabet)).collect();
            let b: Vec<u64> = (0..next(70)).map(|_| next(alphabet)).collect();
            let want = (a.len().min(b.len()) <= 64).then(|| lcs_by_table(&a, &b));
            assert_eq!(
                common_subsequence(&words(&a), &words(&b)),
                want,
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn agreeing_needs_containment_or_an_overlap_at_an_end_unless_marked() {
        let w = |s: &str| Words::new(&normalize(s));
        for (a, b) in [
            (
                "the first contacts inspire hopes",
                "the first contacts inspire hopes",
            ),
            ("contacts inspire", "the first contacts inspire hopes"),
            ("the first contacts", "first contacts inspire hopes"),
            ("inspire hopes today", "the first contacts inspire hopes"),
        ] {
            assert!(may_agree(&w(a), &w(b)), "{a:?} {b:?}");
            assert!(matches!(agree(a, b), Agreement::Agree(_)), "{a:?} {b:?}");
        }
        for (a, b) in [
            ("raises certain hopes", "inspire certain hopes"),
            (
                "the first contacts raise hopes",
                "the first contacts inspire hopes",
            ),
        ] {
            assert!(!may_agree(&w(a), &w(b)), "{a:?} {b:?}");
            assert!(!matches!(agree(a, b), Agreement::Agree(_)), "{a:?} {b:?}");
        }
        // An ellipsis or a bracket can explain a gap: no shortcut.
        assert!(may_agree(
            &w("the first contacts… hopes"),
            &w("the first contacts inspire hopes")
        ));
        assert!(may_agree(
            &w("the first [US] contacts"),
            &w("inspire the first contacts now")
        ));
    }

    #[test]
    fn disjoint_sentences_of_one_passage_neither_agree_nor_differ() {
        assert_eq!(
            agree(
                "I note that the first contacts inspire certain hopes.",
                "There is a reciprocal mood to work to restore ties"
            ),
            Agreement::Disjoint
        );
    }

    #[test]
    fn a_different_word_at_the_edge_is_a_difference() {
        assert!(matches!(
            agree("raises certain hopes", "inspire certain hopes"),
            Agreement::Differ(_)
        ));
        assert!(matches!(
            agree("certain hopes", "inspire certain hopes"),
            Agreement::Agree(_)
        ));
    }

    #[test]
    fn diff_shows_original_words() {
        let d = diff_words("I note that “hopes”", "I would note that hopes");
        assert_eq!(
            d,
            [
                Piece::Same("I".into()),
                Piece::Added("would".into()),
                Piece::Same("note that “hopes".into()),
            ]
        );
    }
}
