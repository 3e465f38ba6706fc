//! Myers' diff of two token-hash sequences, the alignment under every
//! comparison of two quotations.
//!
//! This is the divide-and-conquer (middle snake) algorithm of
//! `similar::algorithms::myers`, step for step, so it finds the same edit
//! script among the equally short ones, and its operations go through the
//! same `Compact` and `Replace` hooks: the alignments, and so the grouping,
//! are those `similar` gives. It exists because grouping runs it millions
//! of times on short sequences, where `similar`'s generic indexing and
//! stepped range iterators cost about half of the diff's time.
//!
//! * time `O((N + M) D)`, space `O(N + M)`;
//! * Eugene W. Myers, "An O(ND) Difference Algorithm and Its Variations",
//!   Algorithmica 1 (1986).

use std::cell::RefCell;
use std::convert::Infallible;
use std::ops::Range;

#[cfg(test)]
use similar::DiffOp;
use similar::algorithms::{Compact, DiffHook, Replace};

/// The diff operations that turn `old` into `new`, as
/// `similar::capture_diff_slices(Algorithm::Myers, old, new)` returns them.
#[cfg(test)]
pub(crate) fn diff(old: &[u64], new: &[u64]) -> Vec<DiffOp> {
    diff_into(old, new, similar::algorithms::Capture::new()).into_ops()
}

/// The diff of `old` and `new` fed to `hook`, as
/// `similar::capture_diff_slices(Algorithm::Myers, old, new)` feeds its
/// `Capture`: the operations [`diff`] returns, without collecting them
/// when the caller only walks them.
pub(crate) fn diff_into<D: DiffHook<Error = Infallible>>(old: &[u64], new: &[u64], hook: D) -> D {
    let mut hook = Compact::new(Replace::new(hook), old, new);
    let max_d = max_d(old.len(), new.len());
    SEARCH.with_borrow_mut(|search| {
        let Search { vf, vb, rev } = search;
        vf.fit(max_d);
        vb.fit(max_d);
        rev.clear();
        rev.extend(old.iter().rev());
        rev.extend(new.iter().rev());
        let (old_rev, new_rev) = rev.split_at(old.len());
        let (old, new) = (Side::new(old, old_rev), Side::new(new, new_rev));
        let Ok(()) = conquer(&mut hook, old, 0..old.len(), new, 0..new.len(), vf, vb);
    });
    let Ok(()) = hook.finish();
    hook.into_inner().into_inner()
}

thread_local! {
    /// This thread's buffers, kept from one diff to the next instead of
    /// allocated (and zeroed) for each.
    static SEARCH: RefCell<Search> = const {
        RefCell::new(Search {
            vf: V::EMPTY,
            vb: V::EMPTY,
            rev: Vec::new(),
        })
    };
}

/// What a diff works in. What a previous diff left in the `V`s is never
/// read: pass `d` of a search reads only the diagonals pass `d - 1`
/// wrote, and the one diagonal it starts from is set first (see
/// `find_middle_snake`).
struct Search {
    vf: V,
    vb: V,
    /// The two sequences reversed, one after the other (see [`Side`]).
    rev: Vec<u64>,
}

/// One of the two sequences, and the same reversed: the backward search
/// follows its snakes through the reversed copies, with indices that
/// grow as the forward search's do, so that neither pays for computing
/// an index from the end at every comparison.
#[derive(Clone, Copy)]
struct Side<'s> {
    seq: &'s [u64],
    rev: &'s [u64],
}

impl<'s> Side<'s> {
    fn new(seq: &'s [u64], rev: &'s [u64]) -> Side<'s> {
        debug_assert_eq!(seq.len(), rev.len());
        Side { seq, rev }
    }

    fn len(&self) -> usize {
        self.seq.len()
    }

    /// `range` of the sequence, and the same tokens reversed.
    fn slices(&self, range: Range<usize>) -> (&'s [u64], &'s [u64]) {
        let n = self.seq.len();
        (
            &self.seq[range.clone()],
            &self.rev[n - range.end..n - range.start],
        )
    }
}

/// The furthest-reaching x of each diagonal `k`, indexed from `-offset`.
struct V {
    offset: isize,
    v: Vec<usize>,
}

impl V {
    const EMPTY: V = V {
        offset: 0,
        v: Vec::new(),
    };

    fn new(max_d: usize) -> V {
        V {
            offset: max_d as isize,
            v: vec![0; 2 * max_d],
        }
    }

    /// Make room for a diff of `max_d`: a larger `V` serves as well.
    fn fit(&mut self, max_d: usize) {
        if self.offset < max_d as isize {
            *self = V::new(max_d);
        }
    }

    fn set(&mut self, k: isize, x: usize) {
        self.v[(k + self.offset) as usize] = x;
    }
}

fn max_d(len1: usize, len2: usize) -> usize {
    (len1 + len2).div_ceil(2) + 1
}

fn common_prefix_len(old: &[u64], new: &[u64]) -> usize {
    old.iter().zip(new).take_while(|(a, b)| a == b).count()
}

fn common_suffix_len(old: &[u64], new: &[u64]) -> usize {
    old.iter()
        .rev()
        .zip(new.iter().rev())
        .take_while(|(a, b)| a == b)
        .count()
}

/// The start of the middle snake of an optimal path from the start of
/// both ranges to their ends, found by searching forward from one corner
/// and backward from the other until the two meet.
///
/// Each step of the search looks at one diagonal, and grouping takes
/// hundreds of millions of them: they index the two `V`s directly at
/// `k + offset`, and follow a snake with a plain loop, which does only
/// the comparisons the snake needs.
fn find_middle_snake(
    old: Side,
    old_range: Range<usize>,
    new: Side,
    new_range: Range<usize>,
    vf: &mut V,
    vb: &mut V,
) -> Option<(usize, usize)> {
    let ((a, ra), (b, rb)) = (old.slices(old_range.clone()), new.slices(new_range.clone()));
    let n = a.len();
    let m = b.len();
    // The length of an optimal script is odd or even as `delta` is.
    let delta = n as isize - m as isize;
    let odd = delta & 1 == 1;
    vf.set(1, 0);
    vb.set(1, 0);
    let d_max = max_d(n, m);
    assert!(vf.v.len() >= d_max && vb.v.len() >= d_max && vf.offset == vb.offset);
    let offset = vf.offset;
    let (f, r) = (&mut vf.v[..], &mut vb.v[..]);
    // The index of diagonal `k` in `f` and `r`.
    let at = |k: isize| (k + offset) as usize;

    for d in 0..d_max as isize {
        // Forward paths, diagonals d, d - 2, ..., -d.
        let mut k = d;
        while k >= -d {
            let i = at(k);
            // Down from diagonal k + 1 or right from k - 1, whichever
            // reaches further: the move similar takes (down when the x of
            // k - 1 is below that of k + 1), without a branch to mispredict.
            let mut x = if k == -d {
                f[i + 1]
            } else if k == d {
                f[i - 1] + 1
            } else {
                (f[i - 1] + 1).max(f[i + 1])
            };
            let mut y = (x as isize - k) as usize;
            let (x0, y0) = (x, y);
            while x < n && y < m && a[x] == b[y] {
                x += 1;
                y += 1;
            }
            f[i] = x;
            if odd && (k - delta).abs() < d && x + r[at(delta - k)] >= n {
                return Some((x0 + old_range.start, y0 + new_range.start));
            }
            k -= 2;
        }
        // Backward paths.
        let mut k = d;
        while k >= -d {
            let i = at(k);
            // Down from diagonal k + 1 or right from k - 1, whichever
            // reaches further: the move similar takes (down when the x of
            // k - 1 is below that of k + 1), without a branch to mispredict.
            let mut x = if k == -d {
                r[i + 1]
            } else if k == d {
                r[i - 1] + 1
            } else {
                (r[i - 1] + 1).max(r[i + 1])
            };
            let mut y = (x as isize - k) as usize;
            while x < n && y < m && ra[x] == rb[y] {
                x += 1;
                y += 1;
            }
            r[i] = x;
            if !odd && (k - delta).abs() <= d && x + f[at(delta - k)] >= n {
                return Some((n - x + old_range.start, m - y + new_range.start));
            }
            k -= 2;
        }
    }
    None
}

fn conquer<D: DiffHook>(
    d: &mut D,
    old: Side,
    mut old_range: Range<usize>,
    new: Side,
    mut new_range: Range<usize>,
    vf: &mut V,
    vb: &mut V,
) -> Result<(), D::Error> {
    let prefix = common_prefix_len(&old.seq[old_range.clone()], &new.seq[new_range.clone()]);
    if prefix > 0 {
        d.equal(old_range.start, new_range.start, prefix)?;
    }
    old_range.start += prefix;
    new_range.start += prefix;

    let suffix = common_suffix_len(&old.seq[old_range.clone()], &new.seq[new_range.clone()]);
    let suffix_at = (old_range.end - suffix, new_range.end - suffix);
    old_range.end -= suffix;
    new_range.end -= suffix;

    if old_range.is_empty() && new_range.is_empty() {
        // Nothing between the prefix and the suffix.
    } else if new_range.is_empty() {
        d.delete(old_range.start, old_range.len(), new_range.start)?;
    } else if old_range.is_empty() {
        d.insert(old_range.start, new_range.start, new_range.len())?;
    } else if let Some((x, y)) =
        find_middle_snake(old, old_range.clone(), new, new_range.clone(), vf, vb)
    {
        conquer(d, old, old_range.start..x, new, new_range.start..y, vf, vb)?;
        conquer(d, old, x..old_range.end, new, y..new_range.end, vf, vb)?;
    } else {
        d.delete(old_range.start, old_range.len(), new_range.start)?;
        d.insert(old_range.start, new_range.start, new_range.len())?;
    }

    if suffix > 0 {
        d.equal(suffix_at.0, suffix_at.1, suffix)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use similar::{Algorithm, capture_diff_slices};

    #[test]
    fn the_same_operations_as_similar() {
        // Small alphabets make the ties an implementation breaks its own
        // way; lengths run from empty to past the 64 tokens of a row.
        let mut next = crate::group::numbers_below(0x9e37_79b9_7f4a_7c15_u64);
        for _ in 0..5000 {
            let alphabet = 1 + next(8);
            let old: Vec<u64> = (0..next(80)).map(|_| next(alphabet)).collect();
            let mut new: Vec<u64> = (0..next(80)).map(|_| next(alphabet)).collect();
            if next(3) == 0 {
                // A near copy: a trim, a splice, a substituted word.
                new = old.clone();
                for _ in 0..next(4) {
                    let at = next(new.len() as u64 + 1) as usize;
                    match next(3) {
                        0 if at < new.len() => {
                            new.remove(at);
                        }
                        1 => new.insert(at, next(alphabet + 3)),
                        _ if at < new.len() => new[at] = next(alphabet + 3),
                        _ => {}
                    }
                }
            }
            assert_eq!(
                diff(&old, &new),
                capture_diff_slices(Algorithm::Myers, &old, &new),
                "{old:?} {new:?}"
            );
        }
    }
}
