//! Blocking: the candidate pairs worth aligning, without comparing all
//! pairs.
//!
//! Every record contributes *shingles*: pairs of adjacent content stems
//! ("certain hope"), plus single stems when it has three content words or
//! fewer ("irritant"), plus its whole token sequence when it has none. Each
//! shingle is keyed by a speaker *bucket*: the named speaker's, or one
//! bucket for quotations with no speaker or only a role, which a named
//! quotation also *probes*. Entries are sorted by (key, date) and each run
//! of one key pairs its records: all of them when the run is short, each
//! with its next [`Options::neighbours`] in date order when it is long, so
//! a shingle common to thousands of quotations costs linear time and a
//! statement carried by hundreds of outlets still chains together.
//!
//! Pairs whose dates are both known and further apart than the window,
//! and pairs of two different named speakers, are dropped here.

use rayon::prelude::*;

use super::{Attrib, Corpus, FastSet, Options, align::hash_bytes};

/// One posting: a shingle key, the record's day, the record, and
/// whether it is a named record probing the unresolved bucket (the top
/// bit of `rec`, which keeps an entry at 16 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    key: u64,
    day: i32,
    rec: u32,
}

const PROBE: u32 = 1 << 31;

impl Entry {
    fn probe(&self) -> bool {
        self.rec & PROBE != 0
    }
    fn index(&self) -> u32 {
        self.rec & !PROBE
    }
}

/// The bucket of quotations without a named speaker.
const UNRESOLVED: u64 = 0;

/// A candidate pair of records `(i, j)`, `i < j`, in one word (`i` in the
/// high half): sorting and merging ten million of them compare one number
/// instead of two, in the same order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pair(u64);

impl Pair {
    fn new(a: u32, b: u32) -> Pair {
        Pair(u64::from(a.min(b)) << 32 | u64::from(a.max(b)))
    }

    /// The lower record.
    pub(crate) fn i(self) -> u32 {
        (self.0 >> 32) as u32
    }

    /// The higher record.
    pub(crate) fn j(self) -> u32 {
        self.0 as u32
    }
}

/// Candidate pairs, sorted and unique. Only records with
/// `index[i]` take part; with `need`, a pair must have a `need`ed end.
/// Pairs are record indices as `u32`: at 100k articles there are tens of
/// millions of them, and their size is much of grouping's peak memory.
pub(crate) fn candidates(
    corpus: &Corpus,
    opts: &Options,
    index: &[bool],
    need: Option<&[bool]>,
) -> Vec<Pair> {
    let prep = &corpus.prep;
    let indexed = |i: usize| index.get(i).copied().unwrap_or(false);
    // Named records probe the unresolved bucket only for shingles some
    // unresolved record has: few records are unresolved, so this halves
    // the postings.
    let unresolved: FastSet<u64> = prep
        .par_iter()
        .enumerate()
        .filter(|(i, p)| indexed(*i) && p.attrib.named().is_none())
        .fold_with(
            (Vec::new(), Vec::new()),
            |(mut all, mut scratch), (_, p)| {
                shingles(p, &mut scratch);
                all.extend_from_slice(&scratch);
                (all, scratch)
            },
        )
        .flat_map_iter(|(all, _)| all)
        .collect();
    // Each task writes its records' postings into one list, with one
    // buffer for a record's shingles: a list and a buffer per record
    // were 1.1 million allocations at 100k articles.
    let lists: Vec<Vec<Entry>> = prep
        .par_iter()
        .enumerate()
        .filter(|(i, _)| indexed(*i))
        .fold_with(
            (Vec::new(), Vec::new()),
            |(mut out, mut scratch), (i, p)| {
                let day = p.day.unwrap_or(i32::MIN);
                let bucket = match p.attrib {
                    Attrib::Named(s) => u64::from(s) + 1,
                    Attrib::Role(_) | Attrib::Unknown => UNRESOLVED,
                };
                let rec = i as u32;
                shingles(p, &mut scratch);
                for &sh in &scratch {
                    out.push(Entry {
                        key: mix(bucket, sh),
                        day,
                        rec,
                    });
                    if bucket != UNRESOLVED && unresolved.contains(&sh) {
                        out.push(Entry {
                            key: mix(UNRESOLVED, sh),
                            day,
                            rec: rec | PROBE,
                        });
                    }
                }
                (out, scratch)
            },
        )
        .map(|(out, _)| out)
        .collect();
    let mut entries = lists.concat();
    drop(lists);
    entries.par_sort_unstable();

    // Runs of one key.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for k in 1..=entries.len() {
        if k == entries.len() || entries[k].key != entries[start].key {
            if k - start > 1 {
                runs.push((start, k));
            }
            start = k;
        }
    }

    // Tens of millions of pairs are checked, each for two records picked
    // all over `prep`: their attributions side by side (8 bytes a record,
    // not a `Prepared` each) stay in the processor's cache.
    let attribs: Vec<Attrib> = prep.iter().map(|p| p.attrib).collect();
    let window = opts.date_window_days;
    let keep = |a: &Entry, b: &Entry| -> bool {
        if a.index() == b.index() || (a.probe() && b.probe()) {
            return false;
        }
        if a.day != i32::MIN && b.day != i32::MIN && (a.day - b.day).abs() > window {
            return false;
        }
        let (i, j) = (a.index() as usize, b.index() as usize);
        if let Some(need) = need
            && !(need[i] || need[j])
        {
            return false;
        }
        attribs[i].compatible(attribs[j])
    };
    // Two records sharing several shingles are paired once per shingle:
    // each task's pairs are sorted and deduplicated whenever they have
    // doubled since, so duplicates never pile up (they were much of
    // grouping's peak memory at 100k articles), and the tasks' sorted
    // lists are merged once the postings are freed.
    let mut lists: Vec<Vec<Pair>> = runs
        .par_iter()
        .with_min_len(runs.len() / 64 + 1)
        .fold(Distinct::default, |mut out, &(s, e)| {
            let run = &entries[s..e];
            let reach = if run.len() <= opts.posting_cap {
                run.len()
            } else {
                opts.neighbours + 1
            };
            for x in 0..run.len() {
                for y in x + 1..run.len().min(x + reach) {
                    let (a, b) = (&run[x], &run[y]);
                    if keep(a, b) {
                        out.push(Pair::new(a.index(), b.index()));
                    }
                }
            }
            out
        })
        .map(Distinct::finish)
        .collect();
    drop(entries);
    // Merged two by two, the merges of a round in parallel: each round
    // halves the lists.
    while lists.len() > 1 {
        let mut twos = Vec::with_capacity(lists.len().div_ceil(2));
        let mut it = lists.into_iter();
        while let Some(a) = it.next() {
            twos.push((a, it.next()));
        }
        lists = twos
            .into_par_iter()
            .map(|(a, b)| match b {
                Some(b) => merge(a, b),
                None => a,
            })
            .collect();
    }
    lists.pop().unwrap_or_default()
}

/// Pairs collected with duplicates, compacted (sorted, deduplicated)
/// each time they double.
#[derive(Default)]
struct Distinct {
    pairs: Vec<Pair>,
    compacted: usize,
}

impl Distinct {
    fn push(&mut self, pair: Pair) {
        self.pairs.push(pair);
        if self.pairs.len() >= 2 * self.compacted.max(1 << 16) {
            self.compact();
        }
    }

    fn compact(&mut self) {
        self.pairs.sort_unstable();
        self.pairs.dedup();
        self.compacted = self.pairs.len();
    }

    fn finish(mut self) -> Vec<Pair> {
        self.compact();
        self.pairs.shrink_to_fit();
        self.pairs
    }
}

/// The union of two sorted, distinct lists, sorted and distinct.
fn merge(a: Vec<Pair>, b: Vec<Pair>) -> Vec<Pair> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    // The lesser of the two heads goes out, and the side (or sides, when
    // they are equal) it came from steps on: computed from the comparison
    // rather than branched on, as in `link::shared_count`, since which
    // side steps is a coin toss.
    let (mut x, mut y) = (0, 0);
    while let (Some(&p), Some(&q)) = (a.get(x), b.get(y)) {
        out.push(p.min(q));
        x += usize::from(p <= q);
        y += usize::from(q <= p);
    }
    out.extend_from_slice(a.get(x..).unwrap_or_default());
    out.extend_from_slice(b.get(y..).unwrap_or_default());
    out.shrink_to_fit();
    out
}

/// The shingles of a record (see the module docs), into `out`, sorted
/// and distinct.
fn shingles(p: &super::Prepared, out: &mut Vec<u64>) {
    out.clear();
    let stems = p.stems();
    out.extend(stems.windows(2).map(|w| mix(w[0], w[1].rotate_left(17))));
    if stems.len() <= 3 {
        out.extend(stems.iter().map(|s| mix(*s, 0x5eed)));
    }
    if stems.is_empty() && !p.words.is_empty() {
        let bytes: Vec<u8> = p.words.keys.iter().flat_map(|k| k.to_le_bytes()).collect();
        out.push(hash_bytes(&bytes));
    }
    out.sort_unstable();
    out.dedup();
}

fn mix(a: u64, b: u64) -> u64 {
    let mut h = a ^ 0x9E37_79B9_7F4A_7C15;
    h = (h ^ b).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 31;
    h.wrapping_mul(0x94D0_49BB_1331_11EB) ^ (h >> 29)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn pairs(mut values: Vec<u64>) -> Vec<Pair> {
        values.sort_unstable();
        values.dedup();
        values.into_iter().map(Pair).collect()
    }

    #[test]
    fn a_merge_keeps_one_of_each_pair_in_order() {
        let merged = merge(pairs(vec![1, 4, 6, 9]), pairs(vec![2, 4, 9, 10, 11]));
        assert_eq!(merged, pairs(vec![1, 2, 4, 6, 9, 10, 11]));
        assert_eq!(merge(Vec::new(), pairs(vec![3])), pairs(vec![3]));
        assert_eq!(merge(pairs(vec![3]), Vec::new()), pairs(vec![3]));
    }

    proptest! {
        #[test]
        fn a_merge_is_the_sorted_union(
            a in proptest::collection::vec(0u64..64, 0..40),
            b in proptest::collection::vec(0u64..64, 0..40),
        ) {
            let union = pairs(a.iter().chain(&b).copied().collect());
            prop_assert_eq!(merge(pairs(a), pairs(b)), union);
        }
    }
}
