//! Myers' diff of two token-hash sequences, the alignment under every
//! comparison of two quotations.
//!
//! This is the divide-and-conquer (middle snake) algorithm of
//! `similar::algorithms::myers`, step for step, so it finds the same edit
//! script among the equally short ones, and its operations go through the
//! same compaction (`similar`'s `Compact`, ported, see [`compact`]) and
//! `Replace` hook: the alignments, and so the grouping, are those
//! `similar` gives. It exists because grouping runs it millions of times
//! on short sequences, where `similar`'s generic indexing and stepped
//! range iterators cost about half of the diff's time, and `Compact` a
//! new `Vec` of operations for every diff.
//!
//! * time `O((N + M) D)`, space `O(N + M)`;
//! * Eugene W. Myers, "An O(ND) Difference Algorithm and Its Variations",
//!   Algorithmica 1 (1986).

use std::cell::RefCell;
use std::convert::Infallible;
use std::ops::{ControlFlow, Range};

#[cfg(test)]
use similar::DiffOp;
use similar::algorithms::{DiffHook, Replace};

/// The diff operations that turn `old` into `new`, as
/// `similar::capture_diff_slices(Algorithm::Myers, old, new)` returns them.
#[cfg(test)]
pub(crate) fn diff(old: &[u64], new: &[u64]) -> Vec<DiffOp> {
    diff_into(old, new, similar::algorithms::Capture::new()).into_ops()
}

/// The diff of `old` and `new` fed to `hook`, as
/// `similar::capture_diff_slices(Algorithm::Myers, old, new)` feeds its
/// `Capture`: the operations [`diff`] returns, without collecting them
/// when the caller only walks them. `hook` is fed while this thread's
/// buffers are borrowed, so it must not diff in turn (it would panic).
pub(crate) fn diff_into<D: DiffHook<Error = Infallible>>(old: &[u64], new: &[u64], hook: D) -> D {
    SEARCH.with_borrow_mut(|search| {
        let Search { passes, rev, ops } = search;
        rev.clear();
        rev.extend(old.iter().rev());
        rev.extend(new.iter().rev());
        let (old_rev, new_rev) = rev.split_at(old.len());
        let (old_side, new_side) = (Side::new(old, old_rev), Side::new(new, new_rev));
        ops.clear();
        conquer(ops, old_side, 0..old.len(), new_side, 0..new.len(), passes);
        compact(old, new, ops);
        let mut hook = Replace::new(hook);
        for op in ops.iter() {
            let Ok(()) = match op.kind {
                Kind::Equal => hook.equal(op.old, op.new, op.len),
                Kind::Delete => hook.delete(op.old, op.len, op.new),
                Kind::Insert => hook.insert(op.old, op.new, op.len),
            };
        }
        let Ok(()) = hook.finish();
        hook.into_inner()
    })
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
            ops: Vec::new(),
        })
    };
}

/// What a diff works in.
struct Search {
    passes: Passes,
    /// The two sequences reversed, one after the other (see [`Side`]).
    rev: Vec<u64>,
    /// The edit script, as found and then as compacted.
    ops: Vec<Op>,
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

fn conquer(
    ops: &mut Vec<Op>,
    old: Side,
    mut old_range: Range<usize>,
    new: Side,
    mut new_range: Range<usize>,
    passes: &mut Passes,
) {
    let prefix = common_prefix_len(&old.seq[old_range.clone()], &new.seq[new_range.clone()]);
    if prefix > 0 {
        ops.push(Op::equal(old_range.start, new_range.start, prefix));
    }
    old_range.start += prefix;
    new_range.start += prefix;

    let suffix = common_suffix_len(&old.seq[old_range.clone()], &new.seq[new_range.clone()]);
    let suffix_at = (old_range.end - suffix, new_range.end - suffix);
    old_range.end -= suffix;
    new_range.end -= suffix;

    let delete = Op {
        kind: Kind::Delete,
        old: old_range.start,
        new: new_range.start,
        len: old_range.len(),
    };
    let insert = Op {
        kind: Kind::Insert,
        old: old_range.start,
        new: new_range.start,
        len: new_range.len(),
    };
    if old_range.is_empty() && new_range.is_empty() {
        // Nothing between the prefix and the suffix.
    } else if new_range.is_empty() {
        ops.push(delete);
    } else if old_range.is_empty() {
        ops.push(insert);
    } else if let Some((x, y)) =
        find_middle_snake(old, old_range.clone(), new, new_range.clone(), passes)
    {
        conquer(
            ops,
            old,
            old_range.start..x,
            new,
            new_range.start..y,
            passes,
        );
        conquer(ops, old, x..old_range.end, new, y..new_range.end, passes);
    } else {
        ops.push(delete);
        ops.push(insert);
    }

    if suffix > 0 {
        ops.push(Op::equal(suffix_at.0, suffix_at.1, suffix));
    }
}

/// One operation of an edit script: `len` tokens of `old` from index
/// `old` that are equal to those of `new` from `new`, or deleted from
/// `old` there, or inserted from `new` there.
#[derive(Clone, Copy)]
struct Op {
    kind: Kind,
    old: usize,
    new: usize,
    len: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Equal,
    Delete,
    Insert,
}

/// The moves `similar`'s `Compact` makes on its operations, which are
/// these: a range of `old` and one of `new` (one of them empty unless the
/// tokens are equal) with a common length, so `similar`'s `DiffOp`
/// adjustments are these same ones for every kind.
impl Op {
    fn equal(old: usize, new: usize, len: usize) -> Op {
        Op {
            kind: Kind::Equal,
            old,
            new,
            len,
        }
    }

    fn old_range(&self) -> Range<usize> {
        let len = if self.kind == Kind::Insert {
            0
        } else {
            self.len
        };
        self.old..self.old + len
    }

    fn new_range(&self) -> Range<usize> {
        let len = if self.kind == Kind::Delete {
            0
        } else {
            self.len
        };
        self.new..self.new + len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn shift_left(&mut self, by: usize) {
        self.old -= by;
        self.new -= by;
    }

    fn shift_right(&mut self, by: usize) {
        self.old += by;
        self.new += by;
    }

    fn grow_left(&mut self, by: usize) {
        self.shift_left(by);
        self.len += by;
    }

    fn grow_right(&mut self, by: usize) {
        self.len += by;
    }

    fn shrink_left(&mut self, by: usize) {
        self.len -= by;
    }

    fn shrink_right(&mut self, by: usize) {
        self.shift_right(by);
        self.len -= by;
    }
}

/// What `similar`'s `Compact` hook does to the script before it passes
/// it on, step for step (`cleanup_diff_ops` in `similar`'s
/// `algorithms/compact.rs`): each deletion, then each insertion, is slid
/// up and then down the script, merged with neighbours of its kind and
/// swapped past those of the other, so that gaps join up.
///
/// A deletion has no tokens of `new`, so the common run by which
/// `similar` would slide it past an equal run is always empty: only
/// insertions slide.
fn compact(old: &[u64], new: &[u64], ops: &mut Vec<Op>) {
    for kind in [Kind::Delete, Kind::Insert] {
        let mut at = 0;
        while let Some(op) = ops.get(at) {
            if op.kind == kind {
                at = shift_up(old, new, ops, at);
                at = shift_down(old, new, ops, at);
            }
            at += 1;
        }
    }
}

/// Move the deletion or insertion at `at` up the script as far as it
/// goes; where it ends up.
fn shift_up(old: &[u64], new: &[u64], ops: &mut Vec<Op>, mut at: usize) -> usize {
    while let Some(&prev) = at.checked_sub(1).and_then(|i| ops.get(i)) {
        let this = ops[at];
        if prev.kind == Kind::Equal {
            let suffix = common_suffix_len(&old[prev.old_range()], &new[this.new_range()]);
            if suffix > 0 {
                if ops.get(at + 1).is_some_and(|op| op.kind == Kind::Equal) {
                    ops[at + 1].grow_left(suffix);
                } else {
                    let (old_end, new_end) = (prev.old_range().end, this.new_range().end);
                    ops.insert(
                        at + 1,
                        Op::equal(old_end - suffix, new_end - suffix, suffix),
                    );
                }
                ops[at].shift_left(suffix);
                ops[at - 1].shrink_left(suffix);
                if ops[at - 1].is_empty() {
                    ops.remove(at - 1);
                    at -= 1;
                }
            } else if prev.is_empty() {
                ops.remove(at - 1);
                at -= 1;
            } else {
                break;
            }
        } else if prev.kind == this.kind {
            ops[at - 1].grow_right(this.len);
            ops.remove(at);
            at -= 1;
        } else {
            ops.swap(at - 1, at);
            at -= 1;
        }
    }
    at
}

/// Move the deletion or insertion at `at` down the script as far as it
/// goes; where it ends up.
fn shift_down(old: &[u64], new: &[u64], ops: &mut Vec<Op>, mut at: usize) -> usize {
    while let Some(&next) = ops.get(at + 1) {
        let this = ops[at];
        if next.kind == Kind::Equal {
            let prefix = common_prefix_len(&old[next.old_range()], &new[this.new_range()]);
            if prefix > 0 {
                let before = at.checked_sub(1).and_then(|i| ops.get(i));
                if before.is_some_and(|op| op.kind == Kind::Equal) {
                    ops[at - 1].grow_right(prefix);
                } else {
                    ops.insert(at, Op::equal(next.old, this.new, prefix));
                    at += 1;
                }
                ops[at].shift_right(prefix);
                ops[at + 1].shrink_right(prefix);
                if ops[at + 1].is_empty() {
                    ops.remove(at + 1);
                }
            } else if next.is_empty() {
                ops.remove(at + 1);
            } else {
                break;
            }
        } else if next.kind == this.kind {
            ops[at].grow_right(next.len);
            ops.remove(at + 1);
        } else {
            ops.swap(at, at + 1);
            at += 1;
        }
    }
    at
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
