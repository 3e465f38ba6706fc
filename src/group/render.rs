//! Renderings: the wording families of one utterance, their labels and
//! likely sources, and the speakers its quotations lend each other.
//!
//! Quotations with the same normalised words are one node. Two nodes
//! *agree* when the alignment finds them equal wherever they overlap, and
//! *differ* when it finds different words inside the overlap or at its
//! edge (see `align.rs`). Renderings are then built by union-find, never
//! joining two components with a differing pair between them:
//!
//! 1. nodes that agree over at least three tokens join (longest overlap
//!    first);
//! 2. a node left on its own — a short fragment — joins the component it
//!    agrees with; if it fits several, the one holding another quotation
//!    of its own article, else the largest;
//! 3. the quotations of one article join each other where nothing differs:
//!    an article quotes one source's wording, even in pieces that do not
//!    overlap (two consecutive sentences).
//!
//! Only nodes that share an n-gram an anchor can rest on are aligned
//! (`may_overlap`): the others cannot overlap, and in an utterance of
//! hundreds of nodes they are most pairs. A pair that linking aligned
//! already (about half of them: the candidate pairs inside the utterance)
//! takes linking's alignment instead of being aligned again. The
//! union-find then works from each node's list of overlapping nodes,
//! never from all pairs. A pair that cannot agree (`may_agree`) matters
//! only if it differs, and only when a join would put its two nodes in
//! one rendering: it is aligned then, if ever (most never are).
//!
//! A rendering is labelled by the intermediary its articles credit
//! (`cited`), else by the outlet that carried it first (publication date,
//! then article path). An uncredited rendering whose content words mostly
//! come from another rendering names that one as its likely source.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::ops::Range;

use rayon::prelude::*;

use super::align::{Agreement, Overlap, STOP, Words, agreement, hash_str, may_agree, ngram};
use super::link::Aligned;
use super::{Attrib, Conflict, Corpus, Inference, LinksOf, Rendering, Utterance};

/// The utterance made of `members` (record indices, ascending), with the
/// attribution conflicts found inside it.
///
/// `aligned` holds alignments linking took, sorted by record pair:
/// rendering looks a pair up there before aligning it.
pub(crate) fn utterance(
    corpus: &Corpus,
    members: &[usize],
    links: &LinksOf,
    aligned: &[Aligned],
) -> (Utterance, Vec<Conflict>) {
    let prep = &corpus.prep;
    let first = &prep[members[0]].rec;
    // "u" and twelve hex digits (48 bits of the hash), written out by
    // hand: `format!` takes about a thousand instructions a call, and
    // every utterance is named.
    let hash = hash_str(&format!("{}\u{0}{}", first.article, first.start)) >> 16;
    let mut id = String::with_capacity(13);
    id.push('u');
    for digit in (0..12).rev() {
        id.extend(char::from_digit((hash >> (4 * digit)) as u32 & 0xf, 16));
    }

    let mut families = renderings(corpus, members, aligned);
    if families.len() > 1 {
        let first_day = |family: &[usize]| family.iter().filter_map(|&i| prep[i].day).min();
        families.sort_by_cached_key(|f| (first_day(&f.0).unwrap_or(i32::MAX), f.0[0]));
    }

    let mut renderings: Vec<Rendering> = Vec::with_capacity(families.len());
    // Slugs taken so far, and how many times: a later rendering with the
    // same one is numbered.
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for (family, text) in &mut families {
        let credited = most_common(family.iter().filter_map(|&i| prep[i].rec.cited.as_deref()));
        let label = credited.clone().unwrap_or_else(|| {
            family
                .iter()
                .min_by_key(|&&i| (prep[i].day.unwrap_or(i32::MAX), i))
                .map(|&i| prep[i].rec.outlet.to_string())
                .unwrap_or_default()
        });
        let id = match used.entry(slug(&label)) {
            Entry::Vacant(slug) => {
                let id = [&id, "/", slug.key()].concat();
                slug.insert(1);
                id
            }
            Entry::Occupied(mut slug) => {
                *slug.get_mut() += 1;
                format!("{id}/{}-{}", slug.key(), slug.get())
            }
        };
        renderings.push(Rendering {
            id,
            label,
            credited,
            source: None,
            text: std::mem::take(text),
            first_seen: family
                .iter()
                .filter(|&&i| prep[i].day.is_some())
                .min_by_key(|&&i| prep[i].day)
                .and_then(|&i| prep[i].rec.published.as_deref())
                .map(|d| {
                    d.char_indices()
                        .nth(10)
                        .map_or(d, |(end, _)| &d[..end])
                        .to_string()
                }),
            quotations: family.iter().map(|&i| prep[i].rec.id).collect(),
        });
    }
    // Likely sources of uncredited renderings.
    if families.len() > 1 {
        // Each family's distinct content stems, ascending, with their
        // weights, and its articles, sorted.
        let bags: Vec<Vec<(u64, f64)>> = families
            .iter()
            .map(|(f, _)| {
                let mut stems: Vec<u64> = f
                    .iter()
                    .flat_map(|&i| prep[i].stems().iter().copied())
                    .collect();
                stems.sort_unstable();
                stems.dedup();
                stems.into_iter().map(|s| (s, corpus.idf(s))).collect()
            })
            .collect();
        let weights: Vec<f64> = bags
            .iter()
            .map(|bag| bag.iter().map(|&(_, w)| w).sum())
            .collect();
        let articles: Vec<Vec<&str>> = families
            .iter()
            .map(|(f, _)| {
                let mut articles: Vec<&str> = f.iter().map(|&i| &*prep[i].rec.article).collect();
                articles.sort_unstable();
                articles.dedup();
                articles
            })
            .collect();
        for r in 0..families.len() {
            if renderings[r].credited.is_some() {
                continue;
            }
            let own = weights[r];
            let mut best: Option<(f64, bool, bool, usize)> = None;
            for o in 0..families.len() {
                // A source is a fuller wording this one condenses (a
                // headline's paraphrase, a trim): it has at least twice
                // the weight, and most of this one's weight comes from it.
                if o == r || weights[o] < 2.0 * own {
                    continue;
                }
                let shared: f64 = bags[r]
                    .iter()
                    .filter(|&&(s, _)| bags[o].binary_search_by_key(&s, |&(t, _)| t).is_ok())
                    .map(|&(_, w)| w)
                    .sum();
                let score = shared / own.max(f64::MIN_POSITIVE);
                if score < 0.4 {
                    continue;
                }
                let same_article = articles[r]
                    .iter()
                    .any(|a| articles[o].binary_search(a).is_ok());
                let credited = renderings[o].credited.is_some();
                let candidate = (score, same_article, credited, usize::MAX - o);
                if best.is_none_or(|b| {
                    (candidate.1, candidate.2, candidate.0, candidate.3) > (b.1, b.2, b.0, b.3)
                }) {
                    best = Some(candidate);
                }
            }
            if let Some((_, _, _, o)) = best {
                renderings[r].source = Some(renderings[usize::MAX - o].id.clone());
            }
        }
    }

    // The speaker: the one named; else a role all agree on.
    let named = members.iter().find_map(|&i| prep[i].attrib.named());
    let speaker = match named {
        Some(s) => Some(corpus.speaker_name(s).to_string()),
        None => {
            let mut roles = members
                .iter()
                .filter_map(|&i| prep[i].rec.speaker.as_deref());
            let first = roles.next();
            first
                .filter(|&role| roles.all(|r| r == role))
                .map(str::to_string)
        }
    };

    let mut inferred = Vec::new();
    let mut conflicts = Vec::new();
    if let Some(s) = named {
        let name = corpus.speaker_name(s);
        // The quotation that names the speaker most directly for `i`:
        // its best-scored link partner that names them, else the first.
        let evidence = |i: usize| -> usize {
            links
                .of(i)
                .filter_map(|l| {
                    let other = if l.i == i { l.j } else { l.i };
                    (prep[other].attrib == Attrib::Named(s)).then_some((l.score, other))
                })
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
                .map(|(_, o)| o)
                .or_else(|| {
                    members
                        .iter()
                        .copied()
                        .find(|&m| prep[m].attrib == Attrib::Named(s))
                })
                .unwrap_or(i)
        };
        for &i in members {
            let rec = prep[i].rec;
            match prep[i].attrib {
                Attrib::Unknown => inferred.push(Inference {
                    quotation: rec.id,
                    speaker: name.to_string(),
                    was: None,
                    evidence: prep[evidence(i)].rec.id,
                }),
                Attrib::Role(r) if r != s => {
                    let e = evidence(i);
                    if rec.speaker_registered {
                        conflicts.push(Conflict {
                            quotation: rec.id,
                            speaker: rec.speaker.as_deref().map(str::to_string),
                            other: prep[e].rec.id,
                            other_speaker: Some(name.to_string()),
                            note: format!(
                                "{} here (from the role {:?}), {} in {}",
                                corpus.speaker_name(r),
                                rec.mention.as_deref().unwrap_or_default(),
                                name,
                                prep[e].rec.outlet
                            ),
                        });
                    } else {
                        inferred.push(Inference {
                            quotation: rec.id,
                            speaker: name.to_string(),
                            was: rec.speaker.as_deref().map(str::to_string),
                            evidence: prep[e].rec.id,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    // The first ten characters of the earliest date, compared as text:
    // ISO dates sort as strings, and a date grouping cannot read still
    // counts.
    let first_seen = members
        .iter()
        .filter_map(|&i| prep[i].rec.published.as_deref())
        .map(|d| d.char_indices().nth(10).map_or(d, |(end, _)| &d[..end]))
        .min()
        .map(str::to_string);
    (
        Utterance {
            id,
            speaker,
            renderings,
            inferred,
            first_seen,
        },
        conflicts,
    )
}

/// The wording families of `members` (see the module docs), each a sorted
/// list of record indices with the family's words.
///
/// Most utterances are a few quotations, so everything here is indexed by
/// a member's position in `members` or by node, in flat vectors: maps and
/// sets per utterance cost more in allocation than in the work itself.
fn renderings(
    corpus: &Corpus,
    members: &[usize],
    aligned: &[Aligned],
) -> Vec<(Vec<usize>, String)> {
    let prep = &corpus.prep;
    let keys = |p: usize| &prep[members[p]].words.keys[..];
    if (1..members.len()).all(|p| keys(p) == keys(0)) {
        return vec![(members.to_vec(), prep[members[0]].rec.text.clone())];
    }
    // Nodes: members with the same words, numbered in the order of their
    // first quotations. `order` lists positions sorted by words, then by
    // article; a run's first is its earliest member.
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&p, &q| keys(p).cmp(keys(q)).then(p.cmp(&q)));
    let mut earliest = vec![0; members.len()];
    for run in order.chunk_by(|&p, &q| keys(p) == keys(q)) {
        for &p in run {
            earliest[p] = run[0];
        }
    }
    let mut node_of = vec![0; members.len()];
    let mut firsts: Vec<usize> = Vec::new();
    for p in 0..members.len() {
        node_of[p] = if earliest[p] == p {
            firsts.push(members[p]);
            firsts.len() - 1
        } else {
            node_of[earliest[p]]
        };
    }
    let n = firsts.len();
    let words: Vec<&Words> = firsts.iter().map(|&i| &prep[i].words).collect();
    let rel = Relations::new(&words, |x, y| {
        // A node's words are its first quotation's, and nodes are in the
        // order of their first quotations: node pair (x, y), x < y, is
        // record pair (firsts[x], firsts[y]), in the order linking
        // aligned it.
        let pair = (firsts[x] as u32, firsts[y] as u32);
        aligned
            .binary_search_by_key(&pair, |a| (a.i, a.j))
            .ok()
            .map(|k| aligned[k].agreement())
    });
    // Articles, numbered in name order (the order step 3 joins in), and
    // the nodes of each: `by_article` holds (article, node) pairs sorted,
    // `articles_of` the same pairs turned round (see [`row`]).
    let article = |p: usize| &*prep[members[p]].rec.article;
    order.sort_by(|&p, &q| article(p).cmp(article(q)).then(p.cmp(&q)));
    let mut article_of = vec![0; members.len()];
    for (a, run) in order
        .chunk_by(|&p, &q| article(p) == article(q))
        .enumerate()
    {
        for &p in run {
            article_of[p] = a;
        }
    }
    let mut by_article: Vec<(usize, usize)> = (0..members.len())
        .map(|p| (article_of[p], node_of[p]))
        .collect();
    by_article.sort_unstable();
    by_article.dedup();
    let mut articles_of: Vec<(usize, usize)> = by_article.iter().map(|&(a, x)| (x, a)).collect();
    articles_of.sort_unstable();

    let mut uf = NodeSets::new(n);
    // 1. Agreement over three tokens or more, longest first.
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for x in 0..n {
        for &(y, a) in rel.of(x) {
            if let Tie::Agree(o) = a
                && x < y
                && o.matched >= 3
            {
                pairs.push((o.matched, x, y));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    for (_, x, y) in pairs {
        uf.join_if(x, y, &rel);
    }
    // 2. Nodes on their own join the component they fit: one holding a
    // node it agrees with and none it differs from.
    let mut fits: Vec<usize> = Vec::new();
    for x in 0..n {
        if uf.size(x) > 1 {
            continue;
        }
        let own = uf.find(x);
        fits.clear();
        fits.extend(
            rel.of(x)
                .iter()
                .filter(|(_, a)| matches!(a, Tie::Agree(_)))
                .map(|&(y, _)| uf.find(y))
                .filter(|&root| root != own),
        );
        fits.sort_unstable();
        fits.dedup();
        let mut best: Option<(bool, usize, usize)> = None;
        for &root in &fits {
            if rel
                .of(x)
                .iter()
                .any(|&(y, a)| uf.find(y) == root && rel.differ(a))
            {
                continue;
            }
            let same_article = articles_of[row(&articles_of, x)].iter().any(|&(_, a)| {
                by_article[row(&by_article, a)]
                    .iter()
                    .any(|&(_, y)| uf.find(y) == root)
            });
            let candidate = (same_article, uf.size(root), usize::MAX - root);
            if best.is_none_or(|b| candidate > b) {
                best = Some(candidate);
            }
        }
        if let Some((_, _, r)) = best {
            uf.join_if(x, usize::MAX - r, &rel);
        }
    }
    // 3. One article's quotations share a wording where nothing differs.
    for run in by_article.chunk_by(|a, b| a.0 == b.0) {
        for w in run.windows(2) {
            uf.join_if(w[0].1, w[1].1, &rel);
        }
        if let Some((&(_, first), rest)) = run.split_first() {
            for &(_, y) in rest {
                uf.join_if(first, y, &rel);
            }
        }
    }
    // Each quotation's family, by the root of its node...
    let mut family_of: Vec<usize> = node_of.iter().map(|&x| uf.find(x)).collect();
    // ...except that a quotation whose words also fit the family of its
    // article's longest quotation goes there: the same words in two
    // translations ("Nobody wants peace more than Ukrainians") belong, in
    // each article, to that article's wording.
    for quotations in order.chunk_by(|&p, &q| article_of[p] == article_of[q]) {
        let Some(&main) = quotations
            .iter()
            .max_by_key(|&&p| (prep[members[p]].words.spoken(), usize::MAX - p))
        else {
            continue;
        };
        let home = family_of[main];
        for &p in quotations {
            let clash = rel
                .of(node_of[p])
                .iter()
                .any(|&(y, a)| uf.find(y) == home && rel.differ(a));
            if family_of[p] != home && !clash {
                family_of[p] = home;
            }
        }
    }
    // The families, in the order of their first quotations.
    let mut slot = vec![usize::MAX; n];
    let mut families: Vec<Vec<usize>> = Vec::new();
    for (p, &f) in family_of.iter().enumerate() {
        if slot[f] == usize::MAX {
            slot[f] = families.len();
            families.push(Vec::new());
        }
        families[slot[f]].push(p);
    }
    // Each node of a family, with the family's first quotation of it
    // (as that one writes the words), in the order of those quotations;
    // `first` is reset after each family.
    let mut first = vec![usize::MAX; n];
    let mut nodes: Vec<usize> = Vec::new();
    families
        .into_iter()
        .map(|family| {
            nodes.clear();
            for &p in &family {
                let x = node_of[p];
                if first[x] == usize::MAX {
                    first[x] = p;
                    nodes.push(x);
                }
            }
            // The rendering's words: its nodes that no other node of it
            // contains.
            let within = |x: usize| {
                rel.of(x).iter().any(|&(y, a)| {
                    matches!(a, Tie::Agree(o) if o.a_within_b && (!o.b_within_a || y < x))
                        && first[y] != usize::MAX
                })
            };
            let mut text = String::new();
            for (k, &x) in nodes.iter().filter(|&&x| !within(x)).enumerate() {
                if k > 0 {
                    text.push_str(" … ");
                }
                text.push_str(&prep[members[first[x]]].rec.text);
            }
            for &x in &nodes {
                first[x] = usize::MAX;
            }
            (family.into_iter().map(|p| members[p]).collect(), text)
        })
        .collect()
}

/// The second members of the pairs in `pairs` (sorted) whose first is
/// `key`, as a range of `pairs`.
fn row(pairs: &[(usize, usize)], key: usize) -> Range<usize> {
    pairs.partition_point(|&(k, _)| k < key)..pairs.partition_point(|&(k, _)| k <= key)
}

/// The alignments of an utterance's nodes, kept only where they overlap:
/// in a large utterance most pairs of nodes are different sentences of
/// the statement, which share no anchor, so they are never aligned.
struct Relations<'w> {
    /// Each node's overlapping nodes (and those it may overlap, see
    /// [`Tie::Unsure`]), ascending, with the tie as seen from it: node
    /// `x`'s are `ties[starts[x]..starts[x + 1]]`.
    starts: Vec<usize>,
    ties: Vec<(usize, Tie)>,
    words: &'w [&'w Words],
    /// The pairs of nodes behind [`Tie::Unsure`], `x < y`, with whether
    /// they differ once aligned.
    unsure: Vec<(usize, usize, Cell<Option<bool>>)>,
}

/// How two nodes relate, as rendering reads it: a disagreement's overlap
/// is never read.
#[derive(Clone, Copy, Debug)]
enum Tie {
    Agree(Overlap),
    Differ,
    /// They cannot agree (`may_agree`), and are not aligned yet: they
    /// differ or are disjoint. An index into `Relations::unsure`.
    Unsure(usize),
}

impl<'w> Relations<'w> {
    /// The relations of nodes with `words`; `known(x, y)` is the
    /// agreement of nodes `x < y` if it was taken already.
    fn new(
        words: &'w [&'w Words],
        known: impl Fn(usize, usize) -> Option<Agreement> + Sync,
    ) -> Relations<'w> {
        let n = words.len();
        // `None` for a pair that cannot agree, aligned only if asked.
        let align = |(x, y): (usize, usize)| {
            let agreement = match known(x, y) {
                Some(a) => a,
                None if !may_agree(words[x], words[y]) => return Some((x, y, None)),
                None => agreement(words[x], words[y]),
            };
            match agreement {
                Agreement::Disjoint => None,
                Agreement::Agree(o) => Some((x, y, Some(Tie::Agree(o)))),
                Agreement::Differ(_) => Some((x, y, Some(Tie::Differ))),
            }
        };
        // A few nodes are aligned pair by pair: indexing their n-grams
        // would cost more than it saves. The pairs come in order either
        // way, so each node's list below fills in ascending order.
        let found: Vec<(usize, usize, Option<Tie>)> = if n <= 16 {
            (0..n)
                .flat_map(|x| (x + 1..n).map(move |y| (x, y)))
                .filter_map(align)
                .collect()
        } else {
            let pairs = may_overlap(words);
            // Utterances are rendered in parallel already; only a large
            // one is worth splitting.
            if pairs.len() > 1024 {
                pairs.into_par_iter().filter_map(align).collect()
            } else {
                pairs.into_iter().filter_map(align).collect()
            }
        };
        let mut starts = vec![0; n + 1];
        for &(x, y, _) in &found {
            starts[x + 1] += 1;
            starts[y + 1] += 1;
        }
        for x in 0..n {
            starts[x + 1] += starts[x];
        }
        let mut next = starts.clone();
        let mut ties = vec![(0, Tie::Differ); starts[n]];
        let mut unsure = Vec::new();
        for (x, y, tie) in found {
            let (tie, swapped) = match tie {
                Some(Tie::Agree(o)) => (Tie::Agree(o), Tie::Agree(o.swapped())),
                Some(tie) => (tie, tie),
                None => {
                    unsure.push((x, y, Cell::new(None)));
                    let tie = Tie::Unsure(unsure.len() - 1);
                    (tie, tie)
                }
            };
            ties[next[x]] = (y, tie);
            next[x] += 1;
            ties[next[y]] = (x, swapped);
            next[y] += 1;
        }
        Relations {
            starts,
            ties,
            words,
            unsure,
        }
    }

    fn of(&self, x: usize) -> &[(usize, Tie)] {
        &self.ties[self.starts[x]..self.starts[x + 1]]
    }

    /// Whether the two nodes of `tie` differ, aligning them the first
    /// time an unsure pair is asked about.
    fn differ(&self, tie: Tie) -> bool {
        match tie {
            Tie::Agree(_) => false,
            Tie::Differ => true,
            Tie::Unsure(k) => {
                let (x, y, differ) = &self.unsure[k];
                differ.get().unwrap_or_else(|| {
                    let d = matches!(
                        agreement(self.words[*x], self.words[*y]),
                        Agreement::Differ(_)
                    );
                    differ.set(Some(d));
                    d
                })
            }
        }
    }
}

/// An n-gram shared by more nodes than this pairs each only with its
/// [`NEIGHBOURS`] next ones (see `may_overlap`). No utterance of the
/// samples, PolNeAR or the synthetic 10k-article corpus (whose largest
/// utterance has 504 quotations) changes for it; with 64 and 16, three quotations of the 10k
/// corpus's largest utterance changed rendering.
const SHARED_BY_MANY: usize = 128;
const NEIGHBOURS: usize = 32;

/// Up to this many nodes an utterance's common n-grams pair each node
/// with [`NEIGHBOURS`] others; beyond it, with proportionally fewer (at
/// least [`FEWEST_NEIGHBOURS`]), so that the alignments of an utterance
/// grow with its nodes, not with their square times the length of its
/// quotations. Only an utterance that chained statements together grows
/// this large: the 10k-article corpus's largest has 504 quotations.
const NODES_AT_FULL_REACH: usize = 512;
const FEWEST_NEIGHBOURS: usize = 4;

/// How many neighbours a node meets in a common n-gram's run, in an
/// utterance of `nodes` nodes.
fn neighbours(nodes: usize) -> usize {
    if nodes <= NODES_AT_FULL_REACH {
        NEIGHBOURS
    } else {
        (NEIGHBOURS * NODES_AT_FULL_REACH / nodes).max(FEWEST_NEIGHBOURS)
    }
}

/// Every pair of nodes `(x, y)`, `x < y`, whose alignment can have an
/// anchor (see `align.rs`): an equal run of three tokens, of two with a
/// content word, or as long as the shorter quotation. Such a run means a
/// shared trigram or content bigram; with two spoken tokens, any bigram;
/// with one, any token. Pairs sharing none of these are disjoint, so
/// leaving them out changes nothing but the time. Pairs sharing only
/// n-grams common to more than [`SHARED_BY_MANY`] nodes are left out
/// too, but for the nearest neighbours in each.
fn may_overlap(words: &[&Words]) -> Vec<(usize, usize)> {
    let spoken: Vec<usize> = words.iter().map(|w| w.spoken()).collect();
    // Postings: (n-gram hash, kind, node); kind 0 for anchor n-grams,
    // 1 for any bigram, 2 for any token.
    let mut postings: Vec<(u64, u8, usize)> = Vec::new();
    for (x, w) in words.iter().enumerate() {
        let k = &w.keys;
        for t in 0..k.len() {
            postings.push((k[t], 2, x));
            if t + 1 < k.len() {
                let bigram = ngram(&k[t..t + 2]);
                postings.push((bigram, 1, x));
                if w.flags[t] & STOP == 0 || w.flags[t + 1] & STOP == 0 {
                    postings.push((bigram, 0, x));
                }
            }
            if t + 2 < k.len() {
                postings.push((ngram(&k[t..t + 3]), 0, x));
            }
        }
    }
    postings.sort_unstable();
    postings.dedup();
    let reach = neighbours(words.len());
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for run in postings.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        // A shared bigram counts only for a side of two spoken tokens or
        // fewer, a shared token only for one of one: pair those with the
        // rest of the run, not the rest with each other.
        let small = match run[0].1 {
            0 => usize::MAX,
            1 => 2,
            _ => 1,
        };
        let is_small = |x: usize| spoken[x].max(1) <= small;
        if run.len() > SHARED_BY_MANY {
            // An n-gram most of a large utterance's sentences share ("it
            // is not") says little about which of them overlap: each node
            // is aligned with its next few neighbours in it, not with all,
            // so that an utterance of thousands of nodes (the 100k-article
            // corpus has one) costs linear time, not hours.
            for (u, &(_, _, x)) in run.iter().enumerate() {
                for &(_, _, y) in run.iter().skip(u + 1).take(reach) {
                    if is_small(x) || is_small(y) {
                        pairs.push((x.min(y), x.max(y)));
                    }
                }
            }
            continue;
        }
        for (u, &(_, _, x)) in run.iter().enumerate() {
            if !is_small(x) {
                continue;
            }
            for (v, &(_, _, y)) in run.iter().enumerate() {
                // Two small ones pair once.
                if v != u && (v > u || !is_small(y)) {
                    pairs.push((x.min(y), x.max(y)));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Union-find over nodes that keeps each component's members in a ring
/// (`next`), so that joining two is a swap, not a copy. A component is
/// named by its smallest node (its *root*), whatever order the joins
/// came in.
struct NodeSets {
    /// Each node's set (an index into `size` and `least`).
    set: Vec<usize>,
    /// The next node of the same set, round the ring.
    next: Vec<usize>,
    size: Vec<usize>,
    least: Vec<usize>,
}

impl NodeSets {
    fn new(n: usize) -> NodeSets {
        NodeSets {
            set: (0..n).collect(),
            next: (0..n).collect(),
            size: vec![1; n],
            least: (0..n).collect(),
        }
    }

    fn find(&self, x: usize) -> usize {
        self.least[self.set[x]]
    }

    /// How many nodes the component of `x` holds.
    fn size(&self, x: usize) -> usize {
        self.size[self.set[x]]
    }

    /// The nodes of the component of `x`, starting from `x`.
    fn ring(&self, x: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(x), move |&a| Some(self.next[a]).filter(|&b| b != x))
    }

    /// Join the components of `x` and `y` unless a pair across them
    /// differs.
    fn join_if(&mut self, x: usize, y: usize, rel: &Relations) {
        let (sx, sy) = (self.set[x], self.set[y]);
        if sx == sy {
            return;
        }
        // The smaller set moves: its differing neighbours are the only
        // pairs to check, and its members the only ones relabelled.
        let (big, small, from) = if self.size[sx] >= self.size[sy] {
            (sx, sy, y)
        } else {
            (sy, sx, x)
        };
        let clash = self.ring(from).any(|a| {
            rel.of(a)
                .iter()
                .any(|&(b, r)| self.set[b] == big && rel.differ(r))
        });
        if clash {
            return;
        }
        let mut a = from;
        loop {
            self.set[a] = big;
            a = self.next[a];
            if a == from {
                break;
            }
        }
        self.next.swap(x, y);
        self.size[big] += self.size[small];
        self.least[big] = self.least[big].min(self.least[small]);
    }
}

/// The most frequent of `values`; ties go to the first in sort order.
fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut values: Vec<&str> = values.collect();
    values.sort_unstable();
    let mut most: Option<&[&str]> = None;
    for run in values.chunk_by(|a, b| a == b) {
        if most.is_none_or(|m| run.len() > m.len()) {
            most = Some(run);
        }
    }
    most.map(|run| run[0].to_string())
}

/// A label as an id part: lower-case ASCII letters and digits, other runs
/// as one `-` ("arise.tv" → `arise-tv`, "Fox News" → `fox-news`).
pub(crate) fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in crate::fold::fold(label).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push('r');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("arise.tv"), "arise-tv");
        assert_eq!(slug("TASS"), "tass");
        assert_eq!(slug("unidentified live blog"), "unidentified-live-blog");
        assert_eq!(slug("Ölçü!"), "olcu");
        assert_eq!(slug("…"), "r");
    }

    #[test]
    fn most_common_breaks_ties_by_name() {
        assert_eq!(
            most_common(["b", "a", "b", "a"].into_iter()),
            Some("a".into())
        );
        assert_eq!(most_common(std::iter::empty()), None);
    }
}
