//! Variant grouping: which quotations report the same statement
//! (an [`Utterance`]), and in which wording (a [`Rendering`]).
//!
//! This stage is pure: records in, a [`Grouping`] out, no SQL and no
//! command line, so it runs the same from an ingest, a test or the
//! benchmark. The steps:
//!
//! 1. **Prepare** every record: [`normalize`] its text, hash the tokens
//!    for alignment ([`align::Words`]), take its content stems, parse its
//!    date, and decide whether its speaker is *named* in the article, only
//!    *described* by a role ("a Kremlin spokesman"), or unknown. Speaker
//!    names are matched as people first: "Sergey Lavrov", "Sergei Lavrov"
//!    and "Lavrov" are one, so are "Zelenskiy" and "Zelensky".
//! 2. **Block** (`block.rs`): candidate pairs from an inverted index of
//!    rare word shingles, keyed by speaker, with a window on publication
//!    dates. Never all pairs: a shingle shared by too many quotations pairs
//!    each only with its neighbours in date order.
//! 3. **Link** (`link.rs`): each candidate pair is aligned and, when the
//!    alignment or the translation-aware score says so, linked with a
//!    [`Relation`] and a score. Consecutive quotations of a speaker that
//!    continue each other in one article are linked too.
//! 4. **Utterances** are the connected components of the links
//!    (union-find). Strong links are taken first; a short fragment or
//!    paraphrase then joins only the one component it fits best, so a
//!    two-word phrase cannot chain two statements together. Nor can a
//!    longer piece: a link that says one quotation holds part of the
//!    other joins two components that each already hold a longer
//!    quotation only if those two link when compared (words a speaker
//!    repeats recur in different statements). A link that would put two
//!    named speakers in one utterance is refused and reported as a
//!    [`Conflict`].
//! 5. **Renderings** (`render.rs`) split each utterance into wording
//!    families, label them by the credited intermediary or the earliest
//!    outlet, and name the likely source of an uncredited wording. A
//!    quotation with no speaker, or only a role, takes the speaker its
//!    utterance names, as an [`Inference`] with its evidence.
//!
//! Everything is sorted by content (article path, offset), never by input
//! order or row id, and ids are derived from content: the same set of
//! records gives the same grouping, whatever order it comes in.
//! [`regroup`] recomputes only the utterances that new quotations touch.

pub mod align;
mod block;
mod link;
mod myers;
pub mod normalize;
mod render;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;
use std::sync::mpsc::sync_channel;

use rayon::iter::Either;
use rayon::prelude::*;
use serde::Serialize;

pub use align::{Agreement, Piece, Relation, diff_words, relate};
pub use normalize::{Normalized, Token, normalize};

use crate::fold::fold;

/// A quotation's row id in the database (stable for the quotation's
/// lifetime, but assigned in ingest order: grouping never orders by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct QuotationId(pub i64);

/// The speech cue of a quotation: where it is and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cue {
    pub start: usize,
    pub text: Arc<str>,
}

/// One quotation as grouping sees it.
///
/// The strings many records share (paths, outlets, dates, speakers,
/// mentions, rules, cues, credits) are reference-counted: grouping holds
/// every stored quotation at once (553k at 100k articles), and one copy
/// of each per record adds up.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub id: QuotationId,
    /// The article's path as ingested.
    pub article: Arc<str>,
    pub outlet: Arc<str>,
    /// The article's publication date, ISO-8601 (`2025-02-27`), if known.
    pub published: Option<Arc<str>>,
    /// The paragraph the quotation stands in.
    pub paragraph: u32,
    /// Byte offset of the quotation in its article.
    pub start: usize,
    pub speaker: Option<Arc<str>>,
    /// Whether the speaker is in the registry.
    pub speaker_registered: bool,
    /// The words the attribution rests on ("Putin", "A Kremlin spokesman").
    pub mention: Option<Arc<str>>,
    /// The attribution rule that decided ("after", "continuation").
    pub rule: Arc<str>,
    pub cue: Option<Cue>,
    /// A fragment inside the reporter's own sentence.
    pub partial: bool,
    /// The intermediary the article credits ("TASS").
    pub cited: Option<Arc<str>>,
    pub text: String,
}

/// Tuning of the blocking stage.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Two quotations whose articles are both dated are candidates only if
    /// the dates are at most this many days apart.
    pub date_window_days: i32,
    /// A shingle shared by at most this many quotations pairs them all;
    /// a more common one pairs each quotation only with its
    /// [`Options::neighbours`] next in date order.
    pub posting_cap: usize,
    pub neighbours: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            date_window_days: 14,
            posting_cap: 24,
            neighbours: 12,
        }
    }
}

/// What grouping found.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Grouping {
    /// Every utterance, by id.
    pub utterances: Vec<Utterance>,
    /// Every link between two quotations, by their ids.
    pub links: Vec<Link>,
    /// Attributions that disagree between outlets.
    pub conflicts: Vec<Conflict>,
}

/// One statement of a speaker, in all its renderings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Utterance {
    /// Stable id, derived from the first quotation (by article path and
    /// offset): `u` and twelve hex digits.
    pub id: String,
    /// The speaker the quotations name; `None` when none does.
    pub speaker: Option<String>,
    /// Its wording families, earliest first.
    pub renderings: Vec<Rendering>,
    /// Speakers given to quotations that had none, or only a role.
    pub inferred: Vec<Inference>,
    /// The earliest publication date of its articles (its first ten
    /// characters), if any is known.
    pub first_seen: Option<String>,
}

impl Utterance {
    /// Every quotation of the utterance.
    pub fn quotations(&self) -> impl Iterator<Item = QuotationId> + '_ {
        self.renderings
            .iter()
            .flat_map(|r| r.quotations.iter().copied())
    }
}

/// One wording family of an utterance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rendering {
    /// Stable id: the utterance's id, `/`, and the label as a slug.
    pub id: String,
    /// The credited intermediary, else the earliest outlet.
    pub label: String,
    /// The intermediary the articles credit for this wording, if any.
    pub credited: Option<String>,
    /// For an uncredited wording close to another rendering: that
    /// rendering's id, its likely source.
    pub source: Option<String>,
    /// Its words: its longest quotations, in article order, joined by
    /// " … ".
    pub text: String,
    /// The earliest publication date of its articles, if known.
    pub first_seen: Option<String>,
    /// Its quotations, by article path and offset.
    pub quotations: Vec<QuotationId>,
}

/// Why two quotations were grouped.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Link {
    pub a: QuotationId,
    pub b: QuotationId,
    pub relation: Relation,
    /// How strongly, from 0 to 1.
    pub score: f64,
}

/// A speaker taken from the rest of the utterance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inference {
    pub quotation: QuotationId,
    pub speaker: String,
    /// What the article itself said: nothing, or a role.
    pub was: Option<String>,
    /// The quotation of the utterance that names the speaker.
    pub evidence: QuotationId,
}

/// Two attributions that disagree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    pub quotation: QuotationId,
    pub speaker: Option<String>,
    pub other: QuotationId,
    pub other_speaker: Option<String>,
    /// What disagrees, in words.
    pub note: String,
}

/// Group `records` from scratch.
pub fn group(records: &[Record], opts: &Options) -> Grouping {
    let corpus = Corpus::new(records);
    let all: Vec<usize> = (0..corpus.prep.len()).collect();
    let mut grouping = Grouping::default();
    corpus.group_scope(&all, opts, &mut |part| {
        match part {
            Part::Scope(_) => {}
            Part::Links(links) => grouping.links = links,
            Part::Utterances(utterances) => grouping.utterances.extend(utterances),
            Part::Conflicts(conflicts) => grouping.conflicts = conflicts,
        }
        true
    });
    grouping.utterances.sort_by(|a, b| a.id.cmp(&b.id));
    grouping
}

/// A piece of a grouping, handed over by [`regroup`] as soon as it is
/// known, in this order: the scope once, the links once, the utterances
/// in batches (each utterance whole, in the order of their first
/// quotations), the conflicts once.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// The quotations whose grouping is recomputed: the caller replaces
    /// the utterances that held any of them, and their links, inferred
    /// speakers and conflicts, with the parts that follow.
    Scope(Vec<QuotationId>),
    /// Every link between two quotations of the scope, sorted by ids.
    Links(Vec<Link>),
    /// Some of the scope's utterances.
    Utterances(Vec<Utterance>),
    /// Attributions that disagree, sorted.
    Conflicts(Vec<Conflict>),
}

/// Utterances per [`Part::Utterances`]: enough that rendering keeps every
/// core busy between two, few enough that the caller starts storing them
/// early (at 100k articles, 249k utterances in about 60 batches).
const UTTERANCE_BATCH: usize = 4096;

/// Recompute the grouping around `dirty` quotations (new ones, and the
/// remaining members of utterances that lost some), leaving every
/// utterance they cannot touch as it is, and hand it to `sink` in
/// [`Part`]s.
///
/// `previous` maps each already grouped quotation to its utterance id.
/// The scope is the dirty quotations, every quotation they link to, and
/// every member of those quotations' previous utterances; it is grouped
/// as a whole with the corpus statistics of all `records`.
///
/// Grouping runs on a thread of its own (and rayon's) while `sink` runs on
/// the caller's, so the caller stores each part while the next is
/// computed: at 100,000 articles, storing took 4 s after 12 s of
/// computing, on one core. An error from `sink` stops the grouping and is
/// returned; nothing is handed over when nothing is dirty.
pub fn regroup<E>(
    records: &[Record],
    dirty: &BTreeSet<QuotationId>,
    previous: &HashMap<QuotationId, String>,
    opts: &Options,
    mut sink: impl FnMut(Part) -> Result<(), E>,
) -> Result<(), E> {
    // Prepared here, on the thread that allocated the records: prepared
    // on the grouping thread, a 100k ingest held 766 MiB while linking
    // instead of 729.
    let corpus = Corpus::new(records);
    let corpus = &corpus;
    std::thread::scope(|threads| {
        // Two parts ahead at most: a batch of utterances is a few MB.
        let (parts, received) = sync_channel::<Part>(2);
        threads.spawn(move || {
            regroup_parts(corpus, dirty, previous, opts, &mut |part| {
                parts.send(part).is_ok()
            });
        });
        // On an error the receiver goes, and grouping stops at its next part.
        received.into_iter().try_for_each(&mut sink)
    })
}

/// [`regroup`]'s work: hand each part to `emit` until it returns false.
fn regroup_parts(
    corpus: &Corpus,
    dirty: &BTreeSet<QuotationId>,
    previous: &HashMap<QuotationId, String>,
    opts: &Options,
    emit: &mut dyn FnMut(Part) -> bool,
) {
    let is_dirty: Vec<bool> = corpus
        .prep
        .iter()
        .map(|p| dirty.contains(&p.rec.id))
        .collect();
    if !is_dirty.contains(&true) {
        return;
    }
    // With every record dirty the scope is every record: the candidate
    // pairs and their links would only be computed twice.
    if !is_dirty.contains(&false) {
        let all: Vec<usize> = (0..corpus.prep.len()).collect();
        corpus.group_scope(&all, opts, emit);
        return;
    }
    let mut touched: BTreeSet<usize> = (0..corpus.prep.len()).filter(|&i| is_dirty[i]).collect();
    let everyone = vec![true; corpus.prep.len()];
    let pairs = block::candidates(corpus, opts, &everyone, Some(&is_dirty));
    let found: Vec<block::Pair> = pairs
        .par_iter()
        .filter(|pair| link::evaluate(corpus, pair.i() as usize, pair.j() as usize).is_some())
        .copied()
        .collect();
    for pair in found {
        touched.insert(pair.i() as usize);
        touched.insert(pair.j() as usize);
    }
    // Same-article neighbours: an article's quotations are all dirty
    // together (an article is stored or replaced whole), so continuation
    // links need nothing more.
    let utterances: BTreeSet<&String> = touched
        .iter()
        .filter_map(|&i| previous.get(&corpus.prep[i].rec.id))
        .collect();
    if !utterances.is_empty() {
        for (i, p) in corpus.prep.iter().enumerate() {
            if previous
                .get(&p.rec.id)
                .is_some_and(|u| utterances.contains(u))
            {
                touched.insert(i);
            }
        }
    }
    let scope: Vec<usize> = touched.into_iter().collect();
    corpus.group_scope(&scope, opts, emit);
}

/// How a quotation's speaker is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Attrib {
    /// Named in the article (a name, or a pronoun resolved to one):
    /// speaker index.
    Named(u32),
    /// Only described ("a Kremlin spokesman", "a state department
    /// spokesperson"): speaker index of what attribution made of it.
    Role(u32),
    Unknown,
}

impl Attrib {
    pub(crate) fn named(self) -> Option<u32> {
        match self {
            Attrib::Named(s) => Some(s),
            _ => None,
        }
    }

    /// Whether two quotations may be the same person's words.
    pub(crate) fn compatible(self, other: Attrib) -> bool {
        match (self, other) {
            (Attrib::Named(a), Attrib::Named(b)) => a == b,
            _ => true,
        }
    }
}

/// One record made ready for comparison.
///
/// Grouping holds every record prepared at once (553k at 100k articles),
/// so the stem lists share one exactly sized allocation: a vector each,
/// grown by doubling, cost half as much again (with `LinksOf`, 131 MiB of
/// the peak at 100k articles).
pub(crate) struct Prepared<'r> {
    pub(crate) rec: &'r Record,
    pub(crate) words: align::Words,
    /// [`Prepared::stems`], [`Prepared::bag`], [`Prepared::names`] and
    /// [`Prepared::numbers`], one after the other; `ends` holds where
    /// each of the first three ends.
    hashes: Box<[u64]>,
    ends: [u32; 3],
    /// Days since 1970-01-01 of the article's date.
    pub(crate) day: Option<i32>,
    pub(crate) attrib: Attrib,
    /// Its [`link::Content`], set once the corpus knows every stem's
    /// rarity. Here rather than in a list of its own: every candidate
    /// pair that shares a few stems reads it, and the record's other
    /// fields are in the processor's cache by then.
    pub(crate) content: link::Content,
}

impl Prepared<'_> {
    /// Content stems in text order.
    pub(crate) fn stems(&self) -> &[u64] {
        &self.hashes[..self.ends[0] as usize]
    }

    /// The distinct content stems, sorted: a cheap test of whether two
    /// records share anything before aligning them.
    pub(crate) fn bag(&self) -> &[u64] {
        &self.hashes[self.ends[0] as usize..self.ends[1] as usize]
    }

    /// Stems of capitalised words inside a sentence.
    pub(crate) fn names(&self) -> &[u64] {
        &self.hashes[self.ends[1] as usize..self.ends[2] as usize]
    }

    /// Stems of numbers.
    pub(crate) fn numbers(&self) -> &[u64] {
        &self.hashes[self.ends[2] as usize..]
    }
}

/// The records, prepared and sorted by content, with the statistics
/// linking needs.
pub(crate) struct Corpus<'r> {
    pub(crate) prep: Vec<Prepared<'r>>,
    /// Speakers (people, see `people`) by index, sorted by name, so
    /// indices do not depend on input order.
    pub(crate) speakers: Vec<String>,
    /// Each content stem's [`Corpus::idf`], computed once: linking asks
    /// for it millions of times.
    idf: FastMap<u64, f64>,
}

impl<'r> Corpus<'r> {
    fn new(records: &'r [Record]) -> Corpus<'r> {
        let mut sorted: Vec<&Record> = records.iter().collect();
        sorted.par_sort_unstable_by(|a, b| content_order(a, b));
        let (speakers, index) = people(&sorted);
        let prep: Vec<Prepared> = sorted
            .par_iter()
            .map_init(Scratch::default, |scratch, rec| {
                prepare(rec, &index, scratch)
            })
            .collect();
        let df = prep
            .par_iter()
            .fold(FastMap::default, |mut df: FastMap<u64, u32>, p| {
                for &s in p.bag() {
                    *df.entry(s).or_default() += 1;
                }
                df
            })
            .reduce(FastMap::default, |mut a, b| {
                for (k, v) in b {
                    *a.entry(k).or_default() += v;
                }
                a
            });
        let n = prep.len() as f64;
        let idf = df
            .into_iter()
            .map(|(stem, df)| (stem, (1.0 + n / f64::from(df.max(1))).ln()))
            .collect();
        let mut corpus = Corpus {
            prep,
            speakers,
            idf,
        };
        let content: Vec<link::Content> = corpus
            .prep
            .par_iter()
            .map(|p| link::Content::of(|s| corpus.idf(s), p))
            .collect();
        for (p, content) in corpus.prep.iter_mut().zip(content) {
            p.content = content;
        }
        corpus
    }

    /// The rarity weight of a content stem: its inverse document
    /// frequency over all records.
    pub(crate) fn idf(&self, stem: u64) -> f64 {
        self.idf
            .get(&stem)
            .copied()
            .unwrap_or_else(|| (1.0 + self.prep.len() as f64).ln())
    }

    /// Group the records at `scope` (indices into `prep`, ascending) and
    /// hand the grouping to `emit` in [`Part`]s, stopping when it returns
    /// false.
    fn group_scope(&self, scope: &[usize], opts: &Options, emit: &mut dyn FnMut(Part) -> bool) {
        if !emit(Part::Scope(
            scope.iter().map(|&i| self.prep[i].rec.id).collect(),
        )) {
            return;
        }
        let mut in_scope = vec![false; self.prep.len()];
        for &i in scope {
            in_scope[i] = true;
        }
        let pairs = block::candidates(self, opts, &in_scope, None);
        // The links, and the alignments linking took, in pair order:
        // rendering reuses those of pairs that end up in one utterance.
        //
        // A pair's second record is anywhere in the corpus, and reading it
        // was most of linking's time at 100k articles: the records a few
        // pairs ahead are asked for while this one is assessed.
        let (mut links, mut aligned): (Vec<link::Found>, Vec<link::Aligned>) = pairs
            .par_chunks(LINK_CHUNK)
            .flat_map_iter(|chunk| {
                chunk.iter().enumerate().flat_map(move |(k, pair)| {
                    if let Some(ahead) = chunk.get(k + 2 * PREFETCH_DISTANCE) {
                        let record: *const Prepared = &self.prep[ahead.j() as usize];
                        prefetch(record);
                        prefetch(record.wrapping_byte_add(64));
                    }
                    if let Some(ahead) = chunk.get(k + PREFETCH_DISTANCE) {
                        // The stems every pair reads first: its distinct ones.
                        let bag = self.prep[ahead.j() as usize].bag().as_ptr();
                        prefetch(bag);
                        prefetch(bag.wrapping_byte_add(64));
                    }
                    let (i, j) = (pair.i(), pair.j());
                    let (found, agreement) = link::assess(self, i as usize, j as usize);
                    let aligned =
                        agreement.and_then(|agreement| link::Aligned::new(i, j, agreement));
                    let found = found.map(Either::Left);
                    found.into_iter().chain(aligned.map(Either::Right))
                })
            })
            .partition_map(|either| either);
        drop(pairs);
        links.extend(link::continuations(self, scope));
        links.sort_by(|x, y| x.order(y));
        links.dedup_by(|x, y| (x.i.min(x.j), x.i.max(x.j)) == (y.i.min(y.j), y.i.max(y.j)));
        // The links are stored while the components are worked out.
        if !emit(Part::Links(self.reported(&links))) {
            return;
        }

        let mut uf = Components::new(self, scope);
        let mut conflicts = Vec::new();
        // Strong links first, best first; then each weak quotation joins
        // the one component it fits best.
        let mut strong: Vec<&link::Found> = links.iter().filter(|l| !l.weak).collect();
        strong.sort_by(|x, y| y.rank().total_cmp(&x.rank()).then(x.order(y)));
        for l in strong {
            if self.bridges(&mut uf, l) {
                continue;
            }
            if let Err(c) = uf.union(l.i, l.j) {
                conflicts.push(self.refused(l, c));
            }
        }
        let mut weak: BTreeMap<usize, Vec<&link::Found>> = BTreeMap::new();
        for l in links.iter().filter(|l| l.weak) {
            weak.entry(l.i).or_default().push(l);
        }
        for (q, options) in weak {
            let own = uf.find(q);
            let spoken = self.prep[q].words.spoken();
            let mut best: Option<&link::Found> = None;
            let mut roots = BTreeSet::new();
            for l in options {
                let other = if l.i == q { l.j } else { l.i };
                let root = uf.find(other);
                if root == own
                    || !uf.compatible(q, other)
                    || self.unconfirmed(&mut uf, own, root, spoken)
                {
                    continue;
                }
                roots.insert(root);
                if best.is_none_or(|b| l.score.total_cmp(&b.score).then(b.j.cmp(&l.j)).is_gt()) {
                    best = Some(l);
                }
            }
            // A phrase that fits several statements says nothing about
            // which one it comes from: it stays on its own.
            if roots.len() == 1
                && let Some(l) = best
                && let Err(c) = uf.union(l.i, l.j)
            {
                conflicts.push(self.refused(l, c));
            }
        }

        // Rendering aligns quotations of one utterance only.
        aligned.retain(|a| uf.find(a.i as usize) == uf.find(a.j as usize));
        aligned.shrink_to_fit();
        let mut components = uf.components();
        components.sort_unstable_by_key(|members| members[0]);
        let by_record = LinksOf::new(&links, self.prep.len());
        // Each batch is stored while the next is rendered.
        for batch in components.chunks(UTTERANCE_BATCH) {
            let rendered: Vec<(Utterance, Vec<Conflict>)> = batch
                .par_iter()
                .map(|members| render::utterance(self, members, &by_record, &aligned))
                .collect();
            let mut utterances = Vec::with_capacity(rendered.len());
            for (u, c) in rendered {
                utterances.push(u);
                conflicts.extend(c);
            }
            if !emit(Part::Utterances(utterances)) {
                return;
            }
        }
        conflicts
            .sort_by(|a, b| (a.quotation, a.other, &a.note).cmp(&(b.quotation, b.other, &b.note)));
        conflicts.dedup();
        emit(Part::Conflicts(conflicts));
    }

    /// `links` as reported: by quotation id, the smaller first, sorted,
    /// with scores to three decimals.
    fn reported(&self, links: &[link::Found]) -> Vec<Link> {
        let mut reported: Vec<Link> = links
            .iter()
            .map(|l| {
                let (a, b) = (self.prep[l.i].rec.id, self.prep[l.j].rec.id);
                Link {
                    a: a.min(b),
                    b: a.max(b),
                    relation: l.relation,
                    score: (l.score * 1000.0).round() / 1000.0,
                }
            })
            .collect();
        reported.sort_by_key(|l| (l.a, l.b));
        reported
    }

    /// Whether `l` would only bridge two statements through words they
    /// share (see [`Corpus::unconfirmed`]). Only a link that says one
    /// quotation holds a piece of the other can: the same words, a
    /// continuation or another translation are about the whole.
    fn bridges(&self, uf: &mut Components, l: &link::Found) -> bool {
        if !l.relation.is_containment() {
            return false;
        }
        let (ri, rj) = (uf.find(l.i), uf.find(l.j));
        let short = self.prep[l.i]
            .words
            .spoken()
            .min(self.prep[l.j].words.spoken());
        self.unconfirmed(uf, ri, rj, short)
    }

    /// Whether joining components `ri` and `rj` through a quotation of
    /// `short` spoken tokens would chain two statements: both already
    /// hold a longer quotation (so the short one is a piece of a
    /// statement on either side), and those two are not linked when
    /// compared. Words a speaker repeats ("the Russian contingent was
    /// led by") recur in different statements; two reports of one
    /// statement link by their own words too, even when their dates were
    /// too far apart to make them candidates.
    fn unconfirmed(&self, uf: &mut Components, ri: usize, rj: usize, short: usize) -> bool {
        if ri == rj {
            return false;
        }
        let ((li, a), (lj, b)) = (uf.longest[ri], uf.longest[rj]);
        li > short && lj > short && link::evaluate(self, a.min(b), a.max(b)).is_none()
    }

    fn refused(&self, l: &link::Found, _: Refused) -> Conflict {
        let (p, q) = (&self.prep[l.i], &self.prep[l.j]);
        Conflict {
            quotation: p.rec.id,
            speaker: p.rec.speaker.as_deref().map(str::to_string),
            other: q.rec.id,
            other_speaker: q.rec.speaker.as_deref().map(str::to_string),
            note: format!(
                "{} link refused: it would join statements by different named speakers",
                l.relation.as_str()
            ),
        }
    }

    pub(crate) fn speaker_name(&self, i: u32) -> &str {
        self.speakers.get(i as usize).map_or("", String::as_str)
    }
}

/// Candidate pairs linked in a row by one thread (see `group_scope`).
const LINK_CHUNK: usize = 1024;

/// How many pairs ahead linking asks for a record's stems, and at twice
/// that, for the record itself (whose address the stems' is read from).
const PREFETCH_DISTANCE: usize = 4;

/// Ask the processor to bring the memory at `at` into its cache, without
/// waiting for it. Only a hint: nothing is read, and on processors other
/// than x86-64 it does nothing.
fn prefetch<T>(at: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing and cannot fault, whatever the
    // address; SSE, which it needs, is part of every x86-64 processor.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(at.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// Each record's links, in compressed rows: the links of record `i` are
/// `links[ids[starts[i]..starts[i + 1]]]`. At 100k articles a map of
/// vectors took tens of megabytes at grouping's peak.
pub(crate) struct LinksOf<'l> {
    links: &'l [link::Found],
    starts: Vec<u32>,
    ids: Vec<u32>,
}

impl<'l> LinksOf<'l> {
    /// Index `links` between `records` records.
    fn new(links: &'l [link::Found], records: usize) -> LinksOf<'l> {
        let mut starts = vec![0_u32; records + 1];
        for l in links {
            starts[l.i + 1] += 1;
            starts[l.j + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut ids = vec![0_u32; 2 * links.len()];
        for (id, l) in links.iter().enumerate() {
            for end in [l.i, l.j] {
                ids[next[end] as usize] = id as u32;
                next[end] += 1;
            }
        }
        LinksOf { links, starts, ids }
    }

    /// The links of record `i`, in link order.
    pub(crate) fn of(&self, i: usize) -> impl Iterator<Item = &'l link::Found> + '_ {
        let (from, to) = (self.starts[i] as usize, self.starts[i + 1] as usize);
        self.ids[from..to]
            .iter()
            .map(|&id| &self.links[id as usize])
    }
}

/// A deterministic source of numbers below `n` (xorshift64 from `seed`),
/// for the unit tests that compare the alignment's shortcuts with the
/// textbook algorithms on random token sequences.
#[cfg(test)]
pub(crate) fn numbers_below(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    }
}

/// The speakers of `records` as people: names that differ only in case,
/// accents, transliteration of the first name ("Sergey"/"Sergei Lavrov"),
/// or a missing first name ("Lavrov", when only one Lavrov is quoted) are
/// one person. Returns each person's display name (the form quoted most,
/// then the longest) and each name's person.
fn people<'r>(records: &[&'r Record]) -> (Vec<String>, foldhash::HashMap<&'r str, u32>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records {
        if let Some(s) = r.speaker.as_deref() {
            *counts.entry(s).or_default() += 1;
        }
    }
    let words = |name: &str| -> Vec<String> {
        let mut w: Vec<String> = fold(name)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if let Some(last) = w.last_mut() {
            *last = transliterated(last);
        }
        w
    };
    // Proper names by surname, then by the initial of the first name.
    let mut classes: BTreeMap<(String, Option<char>), Vec<&str>> = BTreeMap::new();
    let mut singles: Vec<(String, &str)> = Vec::new();
    for &name in counts.keys() {
        let w = words(name);
        let proper = name.chars().next().is_some_and(char::is_uppercase);
        match (proper, w.as_slice()) {
            (true, [.., last]) if w.len() >= 2 => {
                let initial = w[0].chars().next();
                classes
                    .entry((last.clone(), initial))
                    .or_default()
                    .push(name);
            }
            (true, [only]) => singles.push((only.clone(), name)),
            _ => {
                classes.entry((fold(name), None)).or_default().push(name);
            }
        }
    }
    for (surname, name) in singles {
        let full: Vec<&(String, Option<char>)> = classes
            .keys()
            .filter(|(last, initial)| *last == surname && initial.is_some())
            .collect();
        let key = match full.as_slice() {
            [one] => (*one).clone(),
            _ => (surname, None),
        };
        classes.entry(key).or_default().push(name);
    }
    let mut people: Vec<(String, Vec<&str>)> = classes
        .into_values()
        .map(|names| {
            let display = names
                .iter()
                .copied()
                .max_by(|a, b| {
                    counts[a]
                        .cmp(&counts[b])
                        .then(a.len().cmp(&b.len()))
                        .then(b.cmp(a))
                })
                .unwrap_or_default()
                .to_string();
            (display, names)
        })
        .collect();
    people.sort();
    let mut index = foldhash::HashMap::default();
    let mut display = Vec::with_capacity(people.len());
    for (i, (name, names)) in people.into_iter().enumerate() {
        for n in names {
            index.insert(n, i as u32);
        }
        display.push(name);
    }
    (display, index)
}

/// A surname with the endings transliterations disagree on made one:
/// "Zelenskiy", "Zelenskyy" and "Zelensky" are one name.
fn transliterated(surname: &str) -> String {
    for (from, to) in [
        ("skiy", "sky"),
        ("skyy", "sky"),
        ("skii", "sky"),
        ("skyi", "sky"),
        ("iy", "y"),
        ("yy", "y"),
    ] {
        if let Some(stem) = surname.strip_suffix(from)
            && stem.len() >= 3
        {
            return format!("{stem}{to}");
        }
    }
    surname.to_string()
}

/// The order everything is sorted in: article path, offset, then text.
fn content_order(a: &Record, b: &Record) -> std::cmp::Ordering {
    (&a.article, a.start, &a.text, a.id).cmp(&(&b.article, b.start, &b.text, b.id))
}

/// A record's tokens for alignment, its content stems, date and
/// attribution: normalised straight into the compact forms, with no
/// string per token.
fn prepare<'r>(
    rec: &'r Record,
    speakers: &foldhash::HashMap<&str, u32>,
    scratch: &mut Scratch,
) -> Prepared<'r> {
    let Scratch {
        tokenizer,
        words,
        stem,
        stems,
        bag,
        names,
        numbers,
    } = scratch;
    words.clear();
    stems.clear();
    names.clear();
    numbers.clear();
    tokenizer.tokens(&rec.text, |t| {
        words.push(t);
        let stop = words.flags.last().map(|f| f & align::STOP != 0);
        if !t.bracket && normalize::stem_into(t.text, stop, stem) {
            let h = align::hash_str(stem);
            stems.push(h);
            if t.number {
                numbers.push(h);
            } else if t.name {
                names.push(h);
            }
        }
    });
    bag.clear();
    bag.extend_from_slice(stems);
    bag.sort_unstable();
    bag.dedup();
    let mut hashes = Vec::with_capacity(stems.len() + bag.len() + names.len() + numbers.len());
    let mut ends = [0; 3];
    for (list, end) in [&*stems, &*bag, &*names].into_iter().zip(&mut ends) {
        hashes.extend_from_slice(list);
        *end = hashes.len() as u32;
    }
    hashes.extend_from_slice(numbers);
    Prepared {
        rec,
        // A clone is sized exactly: grouping keeps one per quotation.
        words: words.clone(),
        hashes: hashes.into_boxed_slice(),
        ends,
        day: rec.published.as_deref().and_then(day_number),
        attrib: attribution(rec, speakers),
        content: link::Content::default(),
    }
}

/// What [`prepare`] reuses from one record to the next: the tokenizer's
/// buffers and the lists a record's own are copied from, so that a
/// record costs only the allocations it keeps.
#[derive(Default)]
struct Scratch {
    tokenizer: normalize::Tokenizer,
    words: align::Words,
    stem: String,
    stems: Vec<u64>,
    bag: Vec<u64>,
    names: Vec<u64>,
    numbers: Vec<u64>,
}

/// Whether the record's speaker is named, described, or unknown.
fn attribution(rec: &Record, speakers: &foldhash::HashMap<&str, u32>) -> Attrib {
    let Some(name) = rec.speaker.as_deref() else {
        return Attrib::Unknown;
    };
    let Some(&index) = speakers.get(name) else {
        return Attrib::Unknown;
    };
    let words = |s: &str| -> Vec<String> {
        fold(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let name_words = words(name);
    // A description attribution made up ("state department spokesperson"):
    // lower case, or headed by a role noun.
    let described = !rec.speaker_registered
        && (name.chars().next().is_some_and(char::is_lowercase)
            || name_words
                .last()
                .is_some_and(|w| crate::lexicon::is_role_noun(w)));
    if described {
        return Attrib::Role(index);
    }
    // A registry speaker found through one of their roles ("A Kremlin
    // spokesman" for Peskov): the article does not name them.
    if let Some(mention) = rec.mention.as_deref() {
        let mention_words = words(mention);
        let pronoun =
            mention_words.len() == 1 && crate::lexicon::pronoun_gender(&mention_words[0]).is_some();
        if !pronoun
            && !mention_words.is_empty()
            && !mention_words.iter().any(|w| name_words.contains(w))
        {
            return Attrib::Role(index);
        }
    }
    Attrib::Named(index)
}

/// Days since 1970-01-01 of an ISO date (`YYYY-MM-DD`, anything after the
/// day ignored); `None` if it does not parse.
pub(crate) fn day_number(date: &str) -> Option<i32> {
    let mut parts = date.get(..10)?.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy as i32;
    Some(era * 146_097 + doe - 719_468)
}

/// A union that would have joined two different named speakers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Refused;

/// Union-find over the records in scope, refusing to join two named
/// speakers.
struct Components {
    parent: Vec<usize>,
    /// The named speaker of each root's component, if any.
    named: Vec<Option<u32>>,
    /// Each root's component's longest quotation: its spoken length and
    /// its index (the first of the longest).
    longest: Vec<(usize, usize)>,
    scope: Vec<usize>,
}

impl Components {
    fn new(corpus: &Corpus, scope: &[usize]) -> Components {
        let n = corpus.prep.len();
        Components {
            parent: (0..n).collect(),
            named: corpus.prep.iter().map(|p| p.attrib.named()).collect(),
            longest: corpus
                .prep
                .iter()
                .enumerate()
                .map(|(i, p)| (p.words.spoken(), i))
                .collect(),
            scope: scope.to_vec(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn compatible(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        match (self.named[ra], self.named[rb]) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        }
    }

    fn union(&mut self, a: usize, b: usize) -> Result<(), Refused> {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return Ok(());
        }
        if !self.compatible(ra, rb) {
            return Err(Refused);
        }
        // The smaller index stays root, so roots do not depend on the
        // order of unions.
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[child] = root;
        self.named[root] = self.named[root].or(self.named[child]);
        self.longest[root] =
            std::cmp::max_by_key(self.longest[root], self.longest[child], |&(spoken, i)| {
                (spoken, std::cmp::Reverse(i))
            });
        Ok(())
    }

    /// The components, each a sorted list of record indices.
    fn components(mut self) -> Vec<Vec<usize>> {
        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in self.scope.clone() {
            let r = self.find(i);
            by_root.entry(r).or_default().push(i);
        }
        by_root.into_values().collect()
    }
}

/// A hasher for keys that are already hashes (token and shingle hashes):
/// one multiply to spread them, no SipHash rounds.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
pub(crate) type FastSet<K> = std::collections::HashSet<K, BuildHasherDefault<IdHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2025-02-27"), Some(20146));
        assert_eq!(day_number("2025-03-01T10:00:00Z"), Some(20148));
        assert_eq!(day_number("27 Feb"), None);
    }
}
