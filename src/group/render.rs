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
//! A rendering is labelled by the intermediary its articles credit
//! (`cited`), else by the outlet that carried it first (publication date,
//! then article path). An uncredited rendering whose content words mostly
//! come from another rendering names that one as its likely source.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::align::{Agreement, agreement, hash_str};
use super::link::Found;
use super::{Attrib, Conflict, Corpus, Inference, Rendering, Utterance};

/// The utterance made of `members` (record indices, ascending), with the
/// attribution conflicts found inside it.
pub(crate) fn utterance(
    corpus: &Corpus,
    members: &[usize],
    links: &HashMap<usize, Vec<&Found>>,
) -> (Utterance, Vec<Conflict>) {
    let prep = &corpus.prep;
    let first = &prep[members[0]].rec;
    let id = format!(
        "u{:012x}",
        hash_str(&format!("{}\u{0}{}", first.article, first.start)) >> 16
    );

    let mut families = renderings(corpus, members);
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
            .map(|&i| prep[i].rec.outlet.clone())
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
                    .flat_map(|&i| prep[i].stems.iter().copied())
                    .collect()
            })
            .collect();
        let articles: Vec<BTreeSet<&str>> = families
            .iter()
            .map(|f| f.iter().map(|&i| prep[i].rec.article.as_str()).collect())
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
                .get(&i)
                .into_iter()
                .flatten()
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
                            speaker: rec.speaker.clone(),
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
                            was: rec.speaker.clone(),
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
fn renderings(corpus: &Corpus, members: &[usize]) -> Vec<(Vec<usize>, String)> {
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
    let words = |x: usize| &prep[nodes[x][0]].words;
    let mut rel = vec![Agreement::Disjoint; n * n];
    for x in 0..n {
        for y in x + 1..n {
            let a = agreement(words(x), words(y));
            rel[x * n + y] = a;
            rel[y * n + x] = match a {
                Agreement::Agree(o) => Agreement::Agree(o.swapped()),
                Agreement::Differ(o) => Agreement::Differ(o.swapped()),
                Agreement::Disjoint => Agreement::Disjoint,
            };
        }
    }
    let differ = |x: usize, y: usize| matches!(rel[x * n + y], Agreement::Differ(_));
    let agree = |x: usize, y: usize| match rel[x * n + y] {
        Agreement::Agree(o) => Some(o.matched),
        _ => None,
    };
    let articles: Vec<BTreeSet<&str>> = nodes
        .iter()
        .map(|node| node.iter().map(|&i| prep[i].rec.article.as_str()).collect())
        .collect();

    let mut uf = NodeSets::new(n);
    // 1. Agreement over three tokens or more, longest first.
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for x in 0..n {
        for y in x + 1..n {
            if let Some(m) = agree(x, y)
                && m >= 3
            {
                pairs.push((m, x, y));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    for (_, x, y) in pairs {
        uf.join_if(x, y, &differ);
    }
    // 2. Nodes on their own join the component they fit.
    for x in 0..n {
        if uf.members(x).len() > 1 {
            continue;
        }
        let mut best: Option<(bool, usize, usize)> = None;
        for root in uf.roots() {
            if root == uf.find(x) {
                continue;
            }
            let ms = uf.members(root);
            if ms.iter().any(|&y| differ(x, y)) || !ms.iter().any(|&y| agree(x, y).is_some()) {
                continue;
            }
            let same_article = ms.iter().any(|&y| !articles[x].is_disjoint(&articles[y]));
            let candidate = (same_article, ms.len(), usize::MAX - root);
            if best.is_none_or(|b| candidate > b) {
                best = Some(candidate);
            }
        }
        if let Some((_, _, r)) = best {
            uf.join_if(x, usize::MAX - r, &differ);
        }
    }
    // 3. One article's quotations share a wording where nothing differs.
    let mut by_article: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (x, arts) in articles.iter().enumerate() {
        for a in arts {
            by_article.entry(a).or_default().push(x);
        }
    }
    for xs in by_article.values() {
        for w in xs.windows(2) {
            uf.join_if(w[0], w[1], &differ);
        }
        if let Some((&first, rest)) = xs.split_first() {
            for &y in rest {
                uf.join_if(first, y, &differ);
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
            .entry(prep[i].rec.article.as_str())
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
            if family_of[&i] != home && !uf.members(home).iter().any(|&y| differ(x, y)) {
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
            let mut xs: Vec<usize> = family.iter().map(|i| node_of[i]).collect();
            xs.sort_unstable();
            xs.dedup();
            // The rendering's words: its nodes that no other node of it
            // contains, in the order of their first quotations.
            let within = |x: usize, y: usize| {
                matches!(rel[x * n + y], Agreement::Agree(o) if o.a_within_b && (!o.b_within_a || y < x))
            };
            let mut maximal: Vec<usize> = xs
                .iter()
                .copied()
                .filter(|&x| !xs.iter().any(|&y| y != x && within(x, y)))
                .collect();
            // Each node as this family's first quotation of it writes it.
            let first = |x: usize| {
                family
                    .iter()
                    .copied()
                    .find(|i| node_of[i] == x)
                    .unwrap_or(nodes[x][0])
            };
            maximal.sort_by_key(|&x| first(x));
            let text: Vec<&str> = maximal
                .iter()
                .map(|&x| prep[first(x)].rec.text.as_str())
                .collect();
            (family, text.join(" … "))
        })
        .collect();
    out.sort_by_key(|f| f.0[0]);
    out
}

/// Union-find over nodes that keeps each component's member list.
struct NodeSets {
    parent: Vec<usize>,
    members: Vec<Vec<usize>>,
}

impl NodeSets {
    fn new(n: usize) -> NodeSets {
        NodeSets {
            parent: (0..n).collect(),
            members: (0..n).map(|x| vec![x]).collect(),
        }
    }

    fn find(&self, mut x: usize) -> usize {
        while self.parent[x] != x {
            x = self.parent[x];
        }
        x
    }

    fn members(&self, x: usize) -> &[usize] {
        &self.members[self.find(x)]
    }

    fn roots(&self) -> Vec<usize> {
        (0..self.parent.len())
            .filter(|&x| self.parent[x] == x)
            .collect()
    }

    /// Join the components of `x` and `y` unless a pair across them
    /// differs.
    fn join_if(&mut self, x: usize, y: usize, differ: &impl Fn(usize, usize) -> bool) {
        let (rx, ry) = (self.find(x), self.find(y));
        if rx == ry {
            return;
        }
        let clash = self.members[rx]
            .iter()
            .any(|&a| self.members[ry].iter().any(|&b| differ(a, b)));
        if clash {
            return;
        }
        let (root, child) = if rx < ry { (rx, ry) } else { (ry, rx) };
        self.parent[child] = root;
        let moved = std::mem::take(&mut self.members[child]);
        self.members[root].extend(moved);
        self.members[root].sort_unstable();
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
