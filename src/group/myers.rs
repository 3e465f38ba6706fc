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
use std::ops::{ControlFlow, Range};

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
    SEARCH.with_borrow_mut(|search| {
        let Search { passes, rev } = search;
        rev.clear();
        rev.extend(old.iter().rev());
        rev.extend(new.iter().rev());
        let (old_rev, new_rev) = rev.split_at(old.len());
        let (old, new) = (Side::new(old, old_rev), Side::new(new, new_rev));
        let Ok(()) = conquer(&mut hook, old, 0..old.len(), new, 0..new.len(), passes);
    });
    let Ok(()) = hook.finish();
    hook.into_inner().into_inner()
}

thread_local! {
    /// This thread's buffers, kept from one diff to the next instead of
    /// allocated (and zeroed) for each.
    static SEARCH: RefCell<Search> = const {
        RefCell::new(Search {
            passes: Passes {
                forward: Vec::new(),
                forward_last: Vec::new(),
                backward: Vec::new(),
                backward_last: Vec::new(),
            },
            rev: Vec::new(),
        })
    };
}

/// What a diff works in.
struct Search {
    passes: Passes,
    /// The two sequences reversed, one after the other (see [`Side`]).
    rev: Vec<u64>,
}

/// The furthest x on each diagonal of the last two passes of each
/// search (see [`find_middle_snake`]), grown to the largest diff yet.
/// What a previous search left in them is never read: pass `d` reads
/// only the entries pass `d - 1` wrote, and the one entry the first
/// pass reads is set first.
struct Passes {
    forward: Vec<usize>,
    forward_last: Vec<usize>,
    backward: Vec<usize>,
    backward_last: Vec<usize>,
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
/// Pass `d` of each search reads only what its pass `d - 1` wrote, so
/// each keeps the furthest x of its last two passes, `d + 1` diagonals
/// each, in two buffers it swaps (see [`pass`]): a diagonal's neighbours
/// sit next to each other, and the indices stay inside slices of the
/// pass's length, which lets the compiler drop the bounds checks that
/// cost the one `V` indexed at `k + offset` a quarter of its loop.
fn find_middle_snake(
    old: Side,
    old_range: Range<usize>,
    new: Side,
    new_range: Range<usize>,
    passes: &mut Passes,
) -> Option<(usize, usize)> {
    let ((a, ra), (b, rb)) = (old.slices(old_range.clone()), new.slices(new_range.clone()));
    let n = a.len();
    let m = b.len();
    // The length of an optimal script is odd or even as `delta` is.
    let delta = n as isize - m as isize;
    let odd = delta & 1 == 1;
    let d_max = max_d(n, m);
    let Passes {
        forward,
        forward_last,
        backward,
        backward_last,
    } = passes;
    for v in [
        &mut *forward,
        &mut *forward_last,
        &mut *backward,
        &mut *backward_last,
    ] {
        v.resize(v.len().max(d_max), 0);
    }
    let (mut f, mut f_last) = (&mut forward[..d_max], &mut forward_last[..d_max]);
    let (mut r, mut r_last) = (&mut backward[..d_max], &mut backward_last[..d_max]);
    // Before the first pass, both searches stand on diagonal 0.
    f[0] = 0;
    r[0] = 0;

    for d in 0..d_max {
        (f, f_last) = (f_last, f);
        // Only an odd script's forward path can meet the backward search's
        // last pass: on diagonal `delta - k`, `(delta - 1) / 2 + d - t` in
        // that pass's `d` entries (the pass holds it if it is in range).
        let meet = if odd { &r[..d] } else { &[] };
        let at = ((delta - 1) / 2 + d as isize) as usize;
        if let ControlFlow::Break((t, x0, _)) = pass(a, b, d, f_last, f, meet, at) {
            let y0 = x0 + d - 2 * t;
            return Some((x0 + old_range.start, y0 + new_range.start));
        }
        (r, r_last) = (r_last, r);
        // An even script's backward path meets this forward pass, at
        // `delta / 2 + d - t`.
        let meet = if odd { &[] } else { &f[..=d] };
        let at = (delta / 2 + d as isize) as usize;
        if let ControlFlow::Break((t, _, x)) = pass(ra, rb, d, r_last, r, meet, at) {
            let y = x + d - 2 * t;
            return Some((n - x + old_range.start, m - y + new_range.start));
        }
    }
    None
}

/// Pass `d` of a search through `a` and `b`: the furthest x reached on
/// each diagonal `k = 2t - d`, `t` from `d` down to 0 (the order `similar`
/// takes), into `reach[t]`, from those of pass `d - 1` in `last` (on
/// diagonal `k - 1` at `t - 1`, on `k + 1` at `t`).
///
/// Breaks with `t` and x before and after the snake on the first
/// diagonal whose path overlaps the opposite search's: `meet` holds
/// that search's x on the same diagonal at `at - t` (a `t` out of its
/// range is a diagonal the other search has not reached, or one that
/// is not checked: `meet` is then empty).
#[inline(always)]
fn pass(
    a: &[u64],
    b: &[u64],
    d: usize,
    last: &[usize],
    reach: &mut [usize],
    meet: &[usize],
    at: usize,
) -> ControlFlow<(usize, usize, usize)> {
    let n = a.len();
    let reach = &mut reach[..=d];
    // Follow the snake from `x0` on the diagonal of `t`.
    let mut follow = |t: usize, x0: usize| {
        let mut x = x0;
        let mut y = x + d - 2 * t;
        while x < n && y < b.len() && a[x] == b[y] {
            x += 1;
            y += 1;
        }
        reach[t] = x;
        match meet.get(at.wrapping_sub(t)) {
            Some(&other) if x + other >= n => ControlFlow::Break((t, x0, x)),
            _ => ControlFlow::Continue(()),
        }
    };
    if d == 0 {
        return follow(0, last[0]);
    }
    let last = &last[..d];
    // Right from diagonal k - 1 on the top one.
    follow(d, last[d - 1] + 1)?;
    for t in (1..d).rev() {
        // Down from diagonal k + 1 or right from k - 1, whichever
        // reaches further: the move similar takes (down when the x of
        // k - 1 is below that of k + 1), without a branch to mispredict.
        follow(t, (last[t - 1] + 1).max(last[t]))?;
    }
    // Down from diagonal k + 1 on the bottom one.
    follow(0, last[0])
}

fn conquer<D: DiffHook>(
    d: &mut D,
    old: Side,
    mut old_range: Range<usize>,
    new: Side,
    mut new_range: Range<usize>,
    passes: &mut Passes,
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
        find_middle_snake(old, old_range.clone(), new, new_range.clone(), passes)
    {
        conquer(d, old, old_range.start..x, new, new_range.start..y, passes)?;
        conquer(d, old, x..old_range.end, new, y..new_range.end, passes)?;
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
