//! Linking: whether a candidate pair reports the same statement, how
//! ([`Relation`]) and how surely (a score from 0 to 1).
//!
//! In order of evidence:
//!
//! - the alignment says they agree word for word where they overlap:
//!   identical, a trim, a splice, a bracket insertion, or an overlap of at
//!   least four tokens covering half the shorter one;
//! - the alignment says they are the same sentence with a few words
//!   exchanged (a substitution: most tokens in equal runs);
//! - the translation-aware score: the rarity-weighted longest common
//!   subsequence of content stems, over the lighter of the two, high
//!   enough and resting on at least three stems; numbers must agree when
//!   both have some, and shared names count for it, different ones
//!   against;
//! - for a short quotation of a named speaker, a paraphrase: an adjacent
//!   pair of content stems shared with the other and most of its weight.
//!
//! A short fragment or a paraphrase is a *weak* link: the short side joins
//! only the best of the components it fits (see `group_scope`). Everything
//! else is *strong*.
//!
//! Consecutive quotations of one speaker in one article are linked as a
//! continuation when they share their speech cue (two fragments of one
//! sentence), when attribution carried the speaker over (`continuation`,
//! `next-paragraph`), or when the second is a full quotation whose cue
//! says it goes on ("he added") in the same or the next paragraph.

use std::cmp::Ordering;

use super::align::{
    Agreement, BRACKET, NAME, Overlap, Relation, STOP, classify, common_subsequence, may_agree,
};
use super::{Attrib, Corpus, Prepared};
use crate::fold::fold;

/// A link between records `i` and `j` (indices into the corpus). For a
/// weak link, `i` is the short side that may join `j`'s component.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Found {
    pub(crate) i: usize,
    pub(crate) j: usize,
    pub(crate) relation: Relation,
    pub(crate) score: f64,
    pub(crate) weak: bool,
}

impl Found {
    /// A total order by the pair (lower index first), strong before weak,
    /// better first.
    pub(crate) fn order(&self, other: &Found) -> Ordering {
        let key = |f: &Found| (f.i.min(f.j), f.i.max(f.j), f.weak);
        key(self)
            .cmp(&key(other))
            .then(other.score.total_cmp(&self.score))
            .then(self.relation.cmp(&other.relation))
    }

    /// How early a strong link is taken: by evidence, then score.
    pub(crate) fn rank(&self) -> f64 {
        let evidence = match self.relation {
            Relation::Identical | Relation::Continuation => 3.0,
            Relation::Trim | Relation::Splice | Relation::Bracket | Relation::Overlap => 2.0,
            Relation::Substitution | Relation::Fragment => 1.0,
            _ => 0.0,
        };
        evidence + self.score
    }
}

/// Link records `i` and `j`, or not.
pub(crate) fn evaluate(corpus: &Corpus, i: usize, j: usize) -> Option<Found> {
    assess(corpus, i, j).0
}

/// [`evaluate`], with the alignment it took, if it aligned the two:
/// `align::agreement` of the words of `i` and of `j`, in that order.
/// Rendering aligns many of the same pairs again (see [`Aligned`]).
pub(crate) fn assess(corpus: &Corpus, i: usize, j: usize) -> (Option<Found>, Option<Agreement>) {
    let mut aligned = None;
    let found = decide(corpus, i, j, &mut aligned);
    (found, aligned)
}

/// An alignment linking took, kept for rendering: the agreement of the
/// words of records `i` and `j` (indices into the corpus, `i < j`).
/// Rendering aligns an utterance's distinct wordings pair by pair, and
/// half of those pairs are candidate pairs linking aligned already.
///
/// Packed in 20 bytes (an [`Agreement`] takes 32 alone): grouping holds
/// every alignment linking took until the utterances are known.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Aligned {
    pub(crate) i: u32,
    pub(crate) j: u32,
    matched: u32,
    longest: u32,
    /// The variant ([`DISJOINT`], [`AGREE`] or [`DIFFER`]) and the
    /// overlap's flags.
    flags: u8,
}

const DISJOINT: u8 = 0;
const AGREE: u8 = 1;
const DIFFER: u8 = 2;
const KIND: u8 = 3;
const A_WITHIN_B: u8 = 4;
const B_WITHIN_A: u8 = 8;
const STAGGERED: u8 = 16;
const SPLICE: u8 = 32;
const BRACKETED: u8 = 64;

impl Aligned {
    /// The alignment of records `i` and `j`, packed; `None` for counts
    /// past `u32` (never met: no quotation has four billion words).
    pub(crate) fn new(i: u32, j: u32, agreement: Agreement) -> Option<Aligned> {
        let (kind, o) = match agreement {
            Agreement::Disjoint => (DISJOINT, Overlap::default()),
            Agreement::Agree(o) => (AGREE, o),
            Agreement::Differ(o) => (DIFFER, o),
        };
        let flag = |set: bool, bit: u8| if set { bit } else { 0 };
        Some(Aligned {
            i,
            j,
            matched: u32::try_from(o.matched).ok()?,
            longest: u32::try_from(o.longest).ok()?,
            flags: kind
                | flag(o.a_within_b, A_WITHIN_B)
                | flag(o.b_within_a, B_WITHIN_A)
                | flag(o.staggered, STAGGERED)
                | flag(o.splice, SPLICE)
                | flag(o.bracket, BRACKETED),
        })
    }

    /// The agreement, as `align::agreement` returned it.
    pub(crate) fn agreement(&self) -> Agreement {
        let o = Overlap {
            matched: self.matched as usize,
            longest: self.longest as usize,
            a_within_b: self.flags & A_WITHIN_B != 0,
            b_within_a: self.flags & B_WITHIN_A != 0,
            staggered: self.flags & STAGGERED != 0,
            splice: self.flags & SPLICE != 0,
            bracket: self.flags & BRACKETED != 0,
        };
        match self.flags & KIND {
            AGREE => Agreement::Agree(o),
            DIFFER => Agreement::Differ(o),
            _ => Agreement::Disjoint,
        }
    }
}

fn decide(corpus: &Corpus, i: usize, j: usize, aligned: &mut Option<Agreement>) -> Option<Found> {
    let (p, q) = (&corpus.prep[i], &corpus.prep[j]);
    // Every link but an identical pair of stop words needs a shared
    // content stem; most candidate pairs have too few to be anything.
    let shared = shared_count(p.bag(), q.bag());
    if shared == 0 && p.words.keys != q.words.keys {
        return None;
    }
    // Containment needs every stem of the shorter shared, an overlap or a
    // substitution most of them: with fewer than half, only another
    // translation or a paraphrase is left, and neither needs the
    // alignment.
    let fewest = p.bag().len().min(q.bag().len());
    if shared < fewest && shared * 2 < fewest {
        return other_wording(corpus, p, q, i, j, shared);
    }
    let found = |relation, score: f64, weak, short_is_q: bool| {
        let (i, j) = if short_is_q { (j, i) } else { (i, j) };
        Some(Found {
            i,
            j,
            relation,
            score: score.clamp(0.0, 1.0),
            weak,
        })
    };
    let (ps, qs) = (p.words.spoken(), q.words.spoken());
    let shorter = ps.min(qs).max(1);
    // Aligning is grouping's costliest step, and most pairs that get here
    // share only common words. When they cannot agree word for word nor
    // match enough for a substitution (below), the alignment could only
    // send them on to another wording: skip it.
    if !may_agree(&p.words, &q.words)
        && (shorter < SUBSTITUTION_LENGTH
            || common_subsequence(&p.words, &q.words)
                .is_some_and(|common| !substitutes(common, shorter)))
    {
        return other_wording(corpus, p, q, i, j, shared);
    }
    let (relation, overlap, agreement) = classify(&p.words, &q.words);
    *aligned = agreement;
    let q_short = qs < ps || (qs == ps && j < i);
    let short = if q_short { q } else { p };
    let coverage = overlap.matched as f64 / shorter as f64;
    match relation {
        Relation::Identical => {
            if short.stems().is_empty() && shorter < 3 {
                return None;
            }
            found(Relation::Identical, 1.0, false, q_short)
        }
        Relation::Trim => {
            let strong = short.words.spoken() >= 6 && short.stems().len() >= 3;
            found(Relation::Trim, 0.9 + 0.1 * coverage, !strong, q_short)
        }
        Relation::Splice | Relation::Bracket => {
            found(relation, 0.9 * coverage, overlap.matched < 3, q_short)
        }
        Relation::Overlap => {
            if overlap.matched >= 4 && overlap.matched * 2 >= shorter {
                found(Relation::Overlap, coverage, false, q_short)
            } else {
                None
            }
        }
        Relation::Fragment => {
            let short = if overlap.a_within_b { p } else { q };
            let short_is_q = !overlap.a_within_b;
            if short.stems().is_empty() {
                return None;
            }
            let strong = short.words.spoken() >= 6 && short.stems().len() >= 3;
            let same_named = p.attrib.named().is_some() && p.attrib == q.attrib;
            if !strong && !same_named && short.stems().len() < 2 {
                return None;
            }
            let weight: f64 = short.stems().iter().map(|s| corpus.idf(*s)).sum();
            found(
                Relation::Fragment,
                (0.5 + weight / 20.0).min(1.0),
                !strong,
                short_is_q,
            )
        }
        Relation::Substitution
            if shorter >= SUBSTITUTION_LENGTH
                && overlap.longest >= 4
                && substitutes(overlap.matched, shorter) =>
        {
            found(Relation::Substitution, 0.9 * coverage, false, q_short)
        }
        // Too little in common word for word: another wording, if anything.
        Relation::Substitution | Relation::Unrelated => other_wording(corpus, p, q, i, j, shared),
        Relation::Retranslation | Relation::Paraphrase | Relation::Continuation => None,
    }
}

/// The fewest spoken tokens of a substitution's shorter side.
const SUBSTITUTION_LENGTH: usize = 6;

/// Whether `matched` tokens in equal runs make a substitution of
/// quotations whose shorter has `shorter` spoken tokens: seven in ten.
fn substitutes(matched: usize, shorter: usize) -> bool {
    matched * 10 >= shorter * 7
}

/// Records `i` and `j` (`p` and `q`) as two wordings of one statement:
/// another translation, or a short paraphrase.
fn other_wording(
    corpus: &Corpus,
    p: &Prepared,
    q: &Prepared,
    i: usize,
    j: usize,
    shared: usize,
) -> Option<Found> {
    if shared < 2 {
        return None;
    }
    let (ps, qs) = (p.words.spoken(), q.words.spoken());
    let q_short = qs < ps || (qs == ps && j < i);
    let (short, long) = if q_short { (q, p) } else { (p, q) };
    let weights = (p.content, q.content);
    let (i, j) = if q_short { (j, i) } else { (i, j) };
    if shared >= 4
        && let Some(score) = translation(corpus, (p, q), weights, shared)
    {
        return Some(Found {
            i,
            j,
            relation: Relation::Retranslation,
            score,
            weak: false,
        });
    }
    let same_named = p.attrib.named().is_some() && p.attrib == q.attrib;
    if same_named && let Some(score) = paraphrase(short, long) {
        return Some(Found {
            i,
            j,
            relation: Relation::Paraphrase,
            score,
            weak: true,
        });
    }
    None
}

/// The translation-aware score of two quotations that have `shared`
/// distinct stems in common, if it says they are the same statement (see
/// the module docs). Names are anchors, not content: two statements about
/// the same person share them without being one.
fn translation(
    corpus: &Corpus,
    (p, q): (&Prepared, &Prepared),
    (pc, qc): (Content, Content),
    shared: usize,
) -> Option<f64> {
    if !p.numbers().is_empty()
        && !q.numbers().is_empty()
        && !p.numbers().iter().any(|n| q.numbers().contains(n))
    {
        return None;
    }
    let shorter = pc.len.min(qc.len) as usize;
    if shorter < 8 {
        let collect = |x, c: Content| {
            let mut stems = Vec::with_capacity(c.len as usize);
            stems.extend(content(x));
            stems
        };
        let (a, b) = (collect(p, pc), collect(q, qc));
        return short_translation(corpus, p, q, &a, &b);
    }
    // A content stem of `p` that `q` has is one of the `shared`, or a
    // repeat of one: that bounds the common subsequence's length before
    // anything is read. At 100k articles it turns down 1.8 million of
    // the 2.6 million pairs that get here.
    let at_most = shared + (p.stems().len() - p.bag().len());
    if too_few(at_most, shorter) {
        return None;
    }
    let (wa, wb) = (pc.weight, qc.weight);
    if wa <= 0.0 || wb <= 0.0 {
        return None;
    }
    let bonus = if p.names().is_empty() || q.names().is_empty() {
        0.0
    } else if p.names().iter().any(|n| q.names().contains(n)) {
        0.1
    } else {
        -0.15
    };
    // Only the stems of `a` that `q` has at all can be in the common
    // subsequence: the others leave the table's rows as they are, and
    // together they bound its length and weight. A pair that fails on
    // the bound is rejected without the quadratic table, and without
    // collecting those stems (growing that list from a filter was a fifth
    // of the instructions of another-wording tests).
    let within = || content(p).filter(|s| q.bag().binary_search(s).is_ok());
    let mut most = 0;
    let heaviest: f64 = within().inspect(|_| most += 1).map(|s| corpus.idf(s)).sum();
    if too_few(most, shorter) || heaviest / wa.min(wb) + bonus < 0.35 - 1e-9 {
        return None;
    }
    let mut a = Vec::with_capacity(most);
    a.extend(within());
    let mut b = Vec::with_capacity(qc.len as usize);
    b.extend(content(q));
    let (shared, count) = weighted_lcs(&a, &b, |s| corpus.idf(s));
    if too_few(count, shorter) {
        return None;
    }
    let score = shared / wa.min(wb) + bonus;
    (score >= 0.35).then_some(score.min(1.0))
}

/// Whether a common subsequence of `count` content stems is too short
/// for another translation of quotations whose shorter has `shorter`
/// content stems: it needs six, and two in five.
fn too_few(count: usize, shorter: usize) -> bool {
    count < 6 || count * 5 < shorter * 2
}

/// The most content stems of a quotation [`translation`] compares: its
/// common subsequence is quadratic.
const CONTENT_STEMS: usize = 300;

/// A record's content stems in text order: its stems but its names (see
/// [`translation`]), at most [`CONTENT_STEMS`].
pub(crate) fn content<'p>(p: &'p Prepared) -> impl Iterator<Item = u64> + 'p {
    p.stems()
        .iter()
        .copied()
        .filter(|s| !p.names().contains(s))
        .take(CONTENT_STEMS)
}

/// How many content stems a record has and their summed rarity: the
/// first bounds of [`translation`], which every pair that shares a few
/// stems reaches. Computed once per record (`Corpus::new`) instead of
/// twice per pair.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Content {
    pub(crate) len: u32,
    pub(crate) weight: f64,
}

impl Content {
    pub(crate) fn of(idf: impl Fn(u64) -> f64, p: &Prepared) -> Content {
        Content {
            len: content(p).count() as u32,
            weight: content(p).map(idf).sum(),
        }
    }
}

/// Another translation of a short sentence (four to seven content
/// stems): word order changes too much between translations for a common
/// subsequence, so the stems are compared as sets, and most of both must
/// be shared, by one named speaker ("No one expects solutions to come
/// easily and quickly" and "Nobody expects quick and easy solutions").
fn short_translation(
    corpus: &Corpus,
    p: &Prepared,
    q: &Prepared,
    a: &[u64],
    b: &[u64],
) -> Option<f64> {
    if p.attrib.named().is_none() || p.attrib != q.attrib {
        return None;
    }
    if !p.names().is_empty()
        && !q.names().is_empty()
        && !p.names().iter().any(|n| q.names().contains(n))
    {
        return None;
    }
    let set = |x: &[u64]| -> Vec<u64> {
        let mut v = x.to_vec();
        v.sort_unstable();
        v.dedup();
        v
    };
    let (a, b) = (set(a), set(b));
    if a.len().min(b.len()) < 4 {
        return None;
    }
    let weight = |v: &[u64]| -> f64 { v.iter().map(|s| corpus.idf(*s)).sum() };
    let shared: Vec<u64> = a
        .iter()
        .copied()
        .filter(|s| b.binary_search(s).is_ok())
        .collect();
    if shared.len() < 4 {
        return None;
    }
    let (wa, wb, ws) = (weight(&a), weight(&b), weight(&shared));
    let score = ws / wa.min(wb).max(f64::MIN_POSITIVE);
    let cover = ws / wa.max(wb).max(f64::MIN_POSITIVE);
    (score >= 0.75 && cover >= 0.5).then_some(score.min(1.0))
}

/// How many values two sorted, distinct lists share.
///
/// Every candidate pair starts here, ten million at 100,000 articles, and
/// which list steps next is a coin toss the processor mispredicts half the
/// time: each step is computed from the comparison instead of branching
/// on it. A step waits on the one before, so the lists are stepped through
/// four values at a time: every value of one block compared with every
/// value of the other, and the block with the lower last value (or both)
/// moving on. Two equal values meet in their blocks once, since neither
/// block moves on before the other list reaches the value's block.
fn shared_count(a: &[u64], b: &[u64]) -> usize {
    let (mut x, mut y, mut n) = (0, 0, 0);
    while let (Some(u), Some(v)) = (a.get(x..x + 4), b.get(y..y + 4)) {
        for &u in u {
            n += v.iter().filter(|&&v| u == v).count();
        }
        x += 4 * usize::from(u[3] <= v[3]);
        y += 4 * usize::from(v[3] <= u[3]);
    }
    while x < a.len() && y < b.len() {
        let (u, v) = (a[x], b[y]);
        n += usize::from(u == v);
        x += usize::from(u <= v);
        y += usize::from(v <= u);
    }
    n
}

/// The heaviest common subsequence of `a` and `b` under `weight`: its
/// weight and length.
fn weighted_lcs(a: &[u64], b: &[u64], weight: impl Fn(u64) -> f64) -> (f64, usize) {
    let m = b.len();
    let mut prev = vec![(0.0f64, 0usize); m + 1];
    let mut cur = vec![(0.0f64, 0usize); m + 1];
    for &x in a {
        let w = weight(x);
        for (k, &y) in b.iter().enumerate() {
            cur[k + 1] = if x == y {
                (prev[k].0 + w, prev[k].1 + 1)
            } else if prev[k + 1].0 >= cur[k].0 {
                prev[k + 1]
            } else {
                cur[k]
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// A short quotation's paraphrase score against a longer one: the short
/// one is a run of the long one's words with exactly one content word
/// exchanged, keeping at least two others (a headline's "raises certain
/// hopes" for "inspire certain hopes"; not "a terrible deal" for "a
/// terrible mistake").
fn paraphrase(short: &Prepared, long: &Prepared) -> Option<f64> {
    let (s, l) = (&short.words, &long.words);
    let n = s.len();
    if !(3..=6).contains(&n) || l.len() < n {
        return None;
    }
    let plain = |w: &super::align::Words, i: usize| w.flags[i] & (STOP | NAME | BRACKET) == 0;
    let fits = (0..=l.len() - n).any(|at| {
        let mut exchanged = None;
        for k in 0..n {
            if s.keys[k] != l.keys[at + k] {
                if exchanged.is_some() {
                    return false;
                }
                exchanged = Some(k);
            }
        }
        exchanged.is_some_and(|k| {
            let kept = (0..n)
                .filter(|&m| m != k && plain(s, m) && plain(l, at + m))
                .count();
            plain(s, k) && plain(l, at + k) && kept >= 2
        })
    });
    fits.then(|| (n - 1) as f64 / n as f64)
}

/// Cue verbs that say a quotation goes on from the previous one.
const GOING_ON: &[&str] = &["added", "adding", "continued", "continuing", "went on"];

/// Continuation links among the records at `scope` (see the module docs).
pub(crate) fn continuations(corpus: &Corpus, scope: &[usize]) -> Vec<Found> {
    let prep = &corpus.prep;
    let mut out = Vec::new();
    let mut article_start = 0;
    for k in 0..scope.len() {
        let r = &prep[scope[k]];
        if k > 0 && prep[scope[k - 1]].rec.article != r.rec.article {
            article_start = k;
        }
        let Some(speaker) = r.rec.speaker.as_deref() else {
            continue;
        };
        let Some(back) = scope[article_start..k]
            .iter()
            .rposition(|&x| prep[x].rec.speaker.as_deref() == Some(speaker))
        else {
            continue;
        };
        let pi = scope[article_start + back];
        let p = &prep[pi];
        if matches!(p.attrib, Attrib::Unknown) {
            continue;
        }
        let near = r.rec.paragraph <= p.rec.paragraph + 1;
        let same_cue = matches!((&p.rec.cue, &r.rec.cue), (Some(a), Some(b)) if a.start == b.start);
        let carried = near && matches!(&*r.rec.rule, "continuation" | "next-paragraph");
        let goes_on = near
            && !p.rec.partial
            && !r.rec.partial
            && r.rec
                .cue
                .as_ref()
                .is_some_and(|c| GOING_ON.contains(&fold(&c.text).as_str()));
        if same_cue || carried || goes_on {
            out.push(Found {
                i: pi,
                j: scope[k],
                relation: Relation::Continuation,
                score: 1.0,
                weak: false,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_count_counts_common_values() {
        assert_eq!(shared_count(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), 2);
        assert_eq!(shared_count(&[1, 2, 3], &[1, 2, 3]), 3);
        assert_eq!(shared_count(&[], &[1]), 0);
        assert_eq!(shared_count(&[5], &[1, 2, 3]), 0);
    }

    proptest::proptest! {
        /// Lists long enough to go four at a time, with what is left one by
        /// one, against a plain count.
        #[test]
        fn shared_count_is_a_plain_count(
            a in proptest::collection::btree_set(0u64..60, 0..40),
            b in proptest::collection::btree_set(0u64..60, 0..40),
        ) {
            let want = a.intersection(&b).count();
            let (a, b): (Vec<u64>, Vec<u64>) = (a.into_iter().collect(), b.into_iter().collect());
            proptest::prop_assert_eq!(shared_count(&a, &b), want);
            proptest::prop_assert_eq!(shared_count(&b, &a), want);
        }
    }

    #[test]
    fn a_packed_alignment_is_the_agreement() {
        let o = Overlap {
            matched: 7,
            longest: 5,
            a_within_b: true,
            b_within_a: false,
            staggered: true,
            splice: false,
            bracket: true,
        };
        for agreement in [
            Agreement::Disjoint,
            Agreement::Agree(o),
            Agreement::Differ(o.swapped()),
            Agreement::Agree(Overlap::default()),
        ] {
            let packed = Aligned::new(1, 2, agreement).map(|a| a.agreement());
            assert_eq!(packed, Some(agreement));
        }
        assert_eq!(std::mem::size_of::<Aligned>(), 20);
    }

    #[test]
    fn weighted_lcs_keeps_order() {
        let w = |_| 1.0;
        assert_eq!(weighted_lcs(&[1, 2, 3, 4], &[1, 3, 4, 2], w), (3.0, 3));
        assert_eq!(weighted_lcs(&[], &[1], w), (0.0, 0));
        let heavy = |x| if x == 9 { 5.0 } else { 1.0 };
        assert_eq!(weighted_lcs(&[9, 1, 2], &[1, 2, 9], heavy), (5.0, 1));
    }
}
