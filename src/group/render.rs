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
use std::collections::{BTreeMap, BTreeSet};

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
    let id = format!(
        "u{:012x}",
        hash_str(&format!("{}\u{0}{}", first.article, first.start)) >> 16
    );

    let mut families = renderings(corpus, members, aligned);
    let first_day = |family: &[usize]| family.iter().filter_map(|&i| prep[i].day).min();
    families.sort_by_key(|f| (first_day(&f.0).unwrap_or(i32::MAX), f.0[0]));
    let (families, texts): (Vec<Vec<usize>>, Vec<String>) = families.into_iter().unzip();

    let mut renderings: Vec<Rendering> = Vec::with_capacity(families.len());
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for (family, text) in families.iter().zip(texts) {
        let credited = most_common(family.iter().filter_map(|&i| prep[i].rec.cited.as_deref()));
        let earliest = family
            .iter()
            .min_by_key(|&&i| (prep[i].day.unwrap_or(i32::MAX), i))
            .map(|&i| prep[i].rec.outlet.to_string())
            .unwrap_or_default();
        let label = credited.clone().unwrap_or(earliest);
        let mut slug = slug(&label);
        let n = used.entry(slug.clone()).or_default();
        *n += 1;
        if *n > 1 {
            slug = format!("{slug}-{n}");
        }
        renderings.push(Rendering {
            id: format!("{id}/{slug}"),
            label,
            credited,
            source: None,
            text,
            first_seen: family
                .iter()
                .filter(|&&i| prep[i].day.is_some())
                .min_by_key(|&&i| prep[i].day)
                .and_then(|&i| prep[i].rec.published.as_deref())
                .map(|d| d.chars().take(10).collect()),
            quotations: family.iter().map(|&i| prep[i].rec.id).collect(),
        });
    }
    // Likely sources of uncredited renderings.
    if families.len() > 1 {
        let bags: Vec<BTreeSet<u64>> = families
            .iter()
            .map(|f| {
                f.iter()
                    .flat_map(|&i| prep[i].stems().iter().copied())
                    .collect()
            })
            .collect();
        let articles: Vec<BTreeSet<&str>> = families
            .iter()
            .map(|f| f.iter().map(|&i| &*prep[i].rec.article).collect())
            .collect();
        for r in 0..families.len() {
            if renderings[r].credited.is_some() {
                continue;
            }
            let own: f64 = bags[r].iter().map(|s| corpus.idf(*s)).sum();
            let mut best: Option<(f64, bool, bool, usize)> = None;
            for o in 0..families.len() {
                if o == r {
                    continue;
                }
                let shared: f64 = bags[r].intersection(&bags[o]).map(|s| corpus.idf(*s)).sum();
                // A source is a fuller wording this one condenses (a
                // headline's paraphrase, a trim): most of this one's weight
                // comes from it, and it has at least twice the weight.
                let other: f64 = bags[o].iter().map(|s| corpus.idf(*s)).sum();
                let score = shared / own.max(f64::MIN_POSITIVE);
                if score < 0.4 || other < 2.0 * own {
                    continue;
                }
                let same_article = !articles[r].is_disjoint(&articles[o]);
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
            let roles: BTreeSet<&str> = members
                .iter()
                .filter_map(|&i| prep[i].rec.speaker.as_deref())
                .collect();
            (roles.len() == 1)
                .then(|| roles.into_iter().next().map(str::to_string))
                .flatten()
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
    (
        Utterance {
            id,
            speaker,
            renderings,
            inferred,
        },
        conflicts,
    )
}

/// The wording families of `members` (see the module docs), each a sorted
/// list of record indices with the family's words.
fn renderings(
    corpus: &Corpus,
    members: &[usize],
    aligned: &[Aligned],
) -> Vec<(Vec<usize>, String)> {
    let prep = &corpus.prep;
    // Nodes: members with the same words.
    let mut by_words: BTreeMap<&[u64], Vec<usize>> = BTreeMap::new();
    for &i in members {
        by_words.entry(&prep[i].words.keys).or_default().push(i);
    }
    let mut nodes: Vec<Vec<usize>> = by_words.into_values().collect();
    nodes.sort_by_key(|n| n[0]);
    let n = nodes.len();
    if n == 1 {
        let text = prep[nodes[0][0]].rec.text.clone();
        return vec![(nodes.swap_remove(0), text)];
    }
    let words: Vec<&Words> = nodes.iter().map(|node| &prep[node[0]].words).collect();
    let rel = Relations::new(&words, |x, y| {
        // A node's words are its first quotation's, and nodes are in the
        // order of their first quotations: node pair (x, y), x < y, is
        // record pair (nodes[x][0], nodes[y][0]), in the order linking
        // aligned it.
        let pair = (nodes[x][0] as u32, nodes[y][0] as u32);
        aligned
            .binary_search_by_key(&pair, |a| (a.i, a.j))
            .ok()
            .map(|k| aligned[k].agreement())
    });
    let articles: Vec<BTreeSet<&str>> = nodes
        .iter()
        .map(|node| node.iter().map(|&i| &*prep[i].rec.article).collect())
        .collect();
    // Nodes by article, for "does this component hold a node of my
    // article?" without walking the component.
    let mut by_article: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (x, arts) in articles.iter().enumerate() {
        for a in arts {
            by_article.entry(a).or_default().push(x);
        }
    }

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
    for (x, arts) in articles.iter().enumerate() {
        if uf.members(x).len() > 1 {
            continue;
        }
        let own = uf.find(x);
        let fits: BTreeSet<usize> = rel
            .of(x)
            .iter()
            .filter(|(_, a)| matches!(a, Tie::Agree(_)))
            .map(|&(y, _)| uf.find(y))
            .filter(|&root| root != own)
            .collect();
        let mut best: Option<(bool, usize, usize)> = None;
        for root in fits {
            if rel
                .of(x)
                .iter()
                .any(|&(y, a)| uf.find(y) == root && rel.differ(a))
            {
                continue;
            }
            let same_article = arts.iter().any(|a| {
                by_article
                    .get(a)
                    .is_some_and(|ys| ys.iter().any(|&y| uf.find(y) == root))
            });
            let candidate = (same_article, uf.members(root).len(), usize::MAX - root);
            if best.is_none_or(|b| candidate > b) {
                best = Some(candidate);
            }
        }
        if let Some((_, _, r)) = best {
            uf.join_if(x, usize::MAX - r, &rel);
        }
    }
    // 3. One article's quotations share a wording where nothing differs.
    for xs in by_article.values() {
        for w in xs.windows(2) {
            uf.join_if(w[0], w[1], &rel);
        }
        if let Some((&first, rest)) = xs.split_first() {
            for &y in rest {
                uf.join_if(first, y, &rel);
            }
        }
    }
    // Each quotation's family, by the root of its node...
    let mut family_of: BTreeMap<usize, usize> = BTreeMap::new();
    let mut node_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (x, node) in nodes.iter().enumerate() {
        for &i in node {
            family_of.insert(i, uf.find(x));
            node_of.insert(i, x);
        }
    }
    // ...except that a quotation whose words also fit the family of its
    // article's longest quotation goes there: the same words in two
    // translations ("Nobody wants peace more than Ukrainians") belong, in
    // each article, to that article's wording.
    let mut per_article: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in members {
        per_article
            .entry(&*prep[i].rec.article)
            .or_default()
            .push(i);
    }
    for quotations in per_article.values() {
        let Some(&main) = quotations
            .iter()
            .max_by_key(|&&i| (prep[i].words.spoken(), usize::MAX - i))
        else {
            continue;
        };
        let home = family_of[&main];
        for &i in quotations {
            let x = node_of[&i];
            let clash = rel
                .of(x)
                .iter()
                .any(|&(y, a)| uf.find(y) == home && rel.differ(a));
            if family_of[&i] != home && !clash {
                family_of.insert(i, home);
            }
        }
    }
    let mut grouped: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (&i, &f) in &family_of {
        grouped.entry(f).or_default().push(i);
    }
    let mut out: Vec<(Vec<usize>, String)> = grouped
        .into_values()
        .map(|family| {
            // Each node of the family, with the family's first quotation
            // of it (as that one writes the words).
            let mut first: BTreeMap<usize, usize> = BTreeMap::new();
            for &i in &family {
                first.entry(node_of[&i]).or_insert(i);
            }
            // The rendering's words: its nodes that no other node of it
            // contains, in the order of their first quotations.
            let within = |x: usize| {
                rel.of(x).iter().any(|&(y, a)| {
                    matches!(a, Tie::Agree(o) if o.a_within_b && (!o.b_within_a || y < x))
                        && first.contains_key(&y)
                })
            };
            let mut maximal: Vec<usize> = first.keys().copied().filter(|&x| !within(x)).collect();
            maximal.sort_by_key(|x| first[x]);
            let text: Vec<&str> = maximal
                .iter()
                .map(|x| prep[first[x]].rec.text.as_str())
                .collect();
            (family, text.join(" … "))
        })
        .collect();
    out.sort_by_key(|f| f.0[0]);
    out
}

/// The alignments of an utterance's nodes, kept only where they overlap:
/// in a large utterance most pairs of nodes are different sentences of
/// the statement, which share no anchor, so they are never aligned.
struct Relations<'w> {
    /// Each node's overlapping nodes (and those it may overlap, see
    /// [`Tie::Unsure`]), ascending, with the tie as seen from it.
    adj: Vec<Vec<(usize, Tie)>>,
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
        // A few nodes are aligned pair by pair: indexing their n-grams
        // would cost more than it saves.
        let pairs = if n <= 16 {
            (0..n)
                .flat_map(|x| (x + 1..n).map(move |y| (x, y)))
                .collect()
        } else {
            may_overlap(words)
        };
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
        // Utterances are rendered in parallel already; only a large one
        // is worth splitting.
        let found: Vec<(usize, usize, Option<Tie>)> = if pairs.len() > 1024 {
            pairs.into_par_iter().filter_map(align).collect()
        } else {
            pairs.into_iter().filter_map(align).collect()
        };
        let mut adj: Vec<Vec<(usize, Tie)>> = vec![Vec::new(); n];
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
            adj[x].push((y, tie));
            adj[y].push((x, swapped));
        }
        for list in &mut adj {
            list.sort_by_key(|&(y, _)| y);
        }
        Relations { adj, words, unsure }
    }

    fn of(&self, x: usize) -> &[(usize, Tie)] {
        &self.adj[x]
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

/// Union-find over nodes that keeps each component's member list. A
/// component is named by its smallest node (its *root*), whatever order
/// the joins came in.
struct NodeSets {
    /// Each node's set (an index into `members` and `least`).
    set: Vec<usize>,
    members: Vec<Vec<usize>>,
    least: Vec<usize>,
}

impl NodeSets {
    fn new(n: usize) -> NodeSets {
        NodeSets {
            set: (0..n).collect(),
            members: (0..n).map(|x| vec![x]).collect(),
            least: (0..n).collect(),
        }
    }

    fn find(&self, x: usize) -> usize {
        self.least[self.set[x]]
    }

    fn members(&self, x: usize) -> &[usize] {
        &self.members[self.set[x]]
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
        let (big, small) = if self.members[sx].len() >= self.members[sy].len() {
            (sx, sy)
        } else {
            (sy, sx)
        };
        let clash = self.members[small].iter().any(|&a| {
            rel.of(a)
                .iter()
                .any(|&(b, r)| self.set[b] == big && rel.differ(r))
        });
        if clash {
            return;
        }
        let moved = std::mem::take(&mut self.members[small]);
        for &a in &moved {
            self.set[a] = big;
        }
        self.members[big].extend(moved);
        self.least[big] = self.least[big].min(self.least[small]);
    }
}

/// The most frequent of `values`; ties go to the first in sort order.
fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let max = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, c)| *c == max)
        .map(|(v, _)| v.to_string())
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
