//! The speaker registry: who quotetrail knows by name, alias or role.
//!
//! A registry is a data file (JSON, see `samples/speakers.json`, which is also
//! the embedded default) listing speakers with their canonical name, aliases
//! and transliterations, the roles that name them in context ("Kremlin
//! spokesman" → Dmitry Peskov) and their gender for pronoun resolution, plus
//! the media that articles credit as intermediaries ("told TASS").
//!
//! All of it is compiled into one aho-corasick automaton, matched
//! leftmost-longest over [`Folded`] text so "Sergey LAVROV" and "Keçeli"
//! match their entries and every match maps back to original bytes. Speakers
//! that are not in the registry are still attributed (the attribution stage
//! discovers names); the registry only makes the known ones certain.
//!
//! The search runs over every byte of every article, so it walks the
//! automaton's DFA, copied into a table of its own, with a loop of its
//! own ([`Scan`]) rather than through `AhoCorasick::find_iter`, which
//! costs about three times as much per byte here. A match it finds that
//! does not start a word, or a name in lower case, is no match, and the
//! words it covers are searched again with anchored automata
//! ([`Registry::stand`]), so it hides nothing that starts inside it.

use std::path::Path;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::nfa::contiguous;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, MatchKind, StartKind};
use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::fold::{Folded, fold};
use crate::span::Span;

/// The registry shipped with quotetrail (the five speakers of the samples).
pub const DEFAULT_REGISTRY: &str = include_str!("../samples/speakers.json");

/// What sort of source a speaker is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    Person,
    Institution,
}

impl SpeakerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Person => "person",
            SpeakerKind::Institution => "institution",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
}

/// One known speaker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerEntry {
    pub name: String,
    #[serde(default = "person")]
    pub kind: SpeakerKind,
    #[serde(default)]
    pub gender: Option<Gender>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub roles: Vec<String>,
}

fn person() -> SpeakerKind {
    SpeakerKind::Person
}

/// The registry file's shape.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryFile {
    #[serde(default)]
    pub speakers: Vec<SpeakerEntry>,
    #[serde(default)]
    pub media: Vec<String>,
}

/// How a registry match names its entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// The canonical name or an alias ("Peskov", "Sergey Lavrov").
    Name,
    /// A role that names the speaker in context ("Kremlin spokesman").
    Role,
    /// A news medium credited as an intermediary ("TASS").
    Media,
}

/// One occurrence of a registry pattern in an article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegistryMatch {
    /// The speaker entry, or for [`Via::Media`] the index into `media`.
    pub entry: usize,
    pub via: Via,
    pub span: Span,
}

/// The vectors a search of the registry fills on its way to its matches,
/// kept for the next search: [`Registry::find_outside_in`].
#[derive(Default)]
pub struct Room {
    /// The folded text's spans outside the skipped ones.
    between: Vec<Span>,
    /// Every pattern's leftmost-longest matches, before [`Registry::stand`].
    found: Vec<(usize, usize, usize)>,
    /// [`Scan::pieces`].
    pieces: Vec<Span>,
}

#[derive(Clone, Debug)]
struct Pattern {
    entry: usize,
    via: Via,
}

/// A compiled speaker registry.
#[derive(Clone, Debug)]
pub struct Registry {
    speakers: Vec<SpeakerEntry>,
    media: Vec<String>,
    patterns: Vec<Pattern>,
    matcher: AhoCorasick,
    /// The same search, faster; `None` when a pattern is empty (it would
    /// match between every two bytes, which only `matcher` handles).
    scan: Option<Scan>,
    /// Whether some pattern might match across a quotation mark (see
    /// [`may_cross_marks`]): then [`Registry::find_outside`] reads quotes
    /// too.
    crosses_marks: bool,
    /// Every pattern, and the roles alone, for the words that a match that
    /// does not start as it must covers ([`Registry::stand`]).
    any: Set,
    roles: Set,
}

impl Default for Registry {
    fn default() -> Registry {
        // The embedded file is checked by a unit test, so this cannot fail
        // at run time.
        let file: RegistryFile =
            serde_json::from_str(DEFAULT_REGISTRY).unwrap_or_else(|_| RegistryFile::default());
        Registry::new(file)
    }
}

impl Registry {
    /// Compile a registry from its file form.
    pub fn new(file: RegistryFile) -> Registry {
        let mut needles = Vec::new();
        let mut patterns = Vec::new();
        for (i, s) in file.speakers.iter().enumerate() {
            for name in std::iter::once(&s.name).chain(&s.aliases) {
                needles.push(fold(name));
                patterns.push(Pattern {
                    entry: i,
                    via: Via::Name,
                });
            }
            for role in &s.roles {
                needles.push(fold(role));
                patterns.push(Pattern {
                    entry: i,
                    via: Via::Role,
                });
            }
        }
        for (i, m) in file.media.iter().enumerate() {
            needles.push(fold(m));
            patterns.push(Pattern {
                entry: i,
                via: Via::Media,
            });
        }
        // Leftmost-longest: "Russian Foreign Ministry spokeswoman" wins over
        // "Russian", and "Sergey Lavrov" over "Lavrov".
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&needles)
            .unwrap_or_else(|_| AhoCorasick::new(Vec::<String>::new()).expect("empty automaton"));
        let roles: Vec<usize> = (0..patterns.len())
            .filter(|&k| patterns[k].via == Via::Role)
            .collect();
        Registry {
            speakers: file.speakers,
            media: file.media,
            matcher,
            scan: Scan::new(&needles),
            crosses_marks: needles.iter().any(|n| may_cross_marks(n)),
            any: Set::new(&needles, (0..patterns.len()).collect()),
            roles: Set::new(
                &roles.iter().map(|&k| &needles[k]).collect::<Vec<_>>(),
                roles,
            ),
            patterns,
        }
    }

    /// Parse a registry file's JSON text.
    pub fn parse(json: &str) -> anyhow::Result<RegistryFile> {
        let file: RegistryFile = serde_json::from_str(json)?;
        for (i, s) in file.speakers.iter().enumerate() {
            if s.name.trim().is_empty() {
                bail!("speaker #{} has an empty name", i + 1);
            }
        }
        Ok(file)
    }

    /// Read a registry file; `extend` adds its entries to the default
    /// registry instead of replacing it.
    pub fn load(path: &Path, extend: bool) -> anyhow::Result<Registry> {
        let json = std::fs::read_to_string(path)
            .with_context(|| format!("reading speaker registry {}", path.display()))?;
        let file = Registry::parse(&json)
            .with_context(|| format!("{}: not a valid speaker registry", path.display()))?;
        if !extend {
            return Ok(Registry::new(file));
        }
        let mut base: RegistryFile = serde_json::from_str(DEFAULT_REGISTRY)?;
        for s in file.speakers {
            match base
                .speakers
                .iter_mut()
                .find(|b| fold(&b.name) == fold(&s.name))
            {
                Some(b) => {
                    b.aliases.extend(s.aliases);
                    b.roles.extend(s.roles);
                    b.gender = s.gender.or(b.gender);
                    b.kind = s.kind;
                }
                None => base.speakers.push(s),
            }
        }
        base.media.extend(file.media);
        Ok(Registry::new(base))
    }

    pub fn speakers(&self) -> &[SpeakerEntry] {
        &self.speakers
    }

    pub fn speaker(&self, entry: usize) -> &SpeakerEntry {
        &self.speakers[entry]
    }

    pub fn media(&self) -> &[String] {
        &self.media
    }

    /// Every registry match in `text`, in order, on word boundaries. Names
    /// and media must be capitalised as written in the article ("Time" the
    /// magazine is not "time"); roles may be in any case.
    pub fn find_all(&self, text: &str) -> Vec<RegistryMatch> {
        let folded = Folded::new(text);
        self.find_in(text, &folded)
    }

    /// [`Registry::find_all`] over text already folded.
    pub fn find_in(&self, text: &str, folded: &Folded) -> Vec<RegistryMatch> {
        self.find_outside(text, folded, std::iter::empty())
    }

    /// [`Registry::find_in`] without the matches that start inside the
    /// spans `skip` (in order, apart), which are not searched: the quotes
    /// of an article, whose words name nobody attribution notes. A match
    /// outside them is the same either way as long as no pattern can match
    /// across a quotation mark, which for a registry whose patterns could
    /// ([`may_cross_marks`]) is not left to chance: it searches them too.
    pub fn find_outside(
        &self,
        text: &str,
        folded: &Folded,
        skip: impl Iterator<Item = Span>,
    ) -> Vec<RegistryMatch> {
        let mut out = Vec::new();
        self.find_outside_in(text, folded, skip, &mut Room::default(), &mut out);
        out
    }

    /// [`Registry::find_outside`] into `out` (whatever it held is
    /// replaced), in the buffers of `room`, which an earlier search may
    /// have left (see [`crate::analyze::Scratch`]).
    pub fn find_outside_in(
        &self,
        text: &str,
        folded: &Folded,
        skip: impl Iterator<Item = Span>,
        room: &mut Room,
        out: &mut Vec<RegistryMatch>,
    ) {
        let f = folded.as_str();
        let whole = [Span::new(0, f.len())];
        let Room {
            between,
            found,
            pieces,
        } = room;
        between.clear();
        let gaps = match &self.scan {
            Some(_) if !self.crosses_marks => {
                // The folded text between the skipped spans.
                let mut from = 0;
                for span in folded.folded_spans(skip) {
                    if span.start > from {
                        between.push(Span::new(from, span.start));
                    }
                    from = from.max(span.end);
                }
                between.push(Span::new(from, f.len()));
                &between[..]
            }
            _ => &whole[..],
        };
        found.clear();
        match &self.scan {
            Some(scan) => scan.find_all(f.as_bytes(), gaps, pieces, found),
            None => found.extend(
                self.matcher
                    .find_iter(f)
                    .map(|m| (m.start(), m.end(), m.pattern().as_usize())),
            ),
        }
        out.clear();
        self.stand(text, folded, found, gaps, out);
    }

    /// Of `found` (the leftmost-longest matches of every pattern in the
    /// folded text, within `gaps`, as (start, end, pattern)), those that
    /// stand: a match stands where a word starts and one ends, and a name
    /// or medium only where its first word is capitalised ("Time" the
    /// magazine is not "time"). The words covered by a match that does not
    /// start as it must are searched again, each from its start, for the
    /// longest pattern that may start there, as if that match had not been
    /// found: else it would hide them ("the New York Times" is no name of
    /// the paper, but "New York Times" after it is). Such a match is rare
    /// (a "the" before a medium, an "rt" inside "report"), so the search
    /// over every byte is left as it is, and this costs next to nothing.
    /// They go to `out`, which comes empty.
    fn stand(
        &self,
        text: &str,
        folded: &Folded,
        found: &[(usize, usize, usize)],
        gaps: &[Span],
        out: &mut Vec<RegistryMatch>,
    ) {
        let f = folded.as_str();
        let bytes = f.as_bytes();
        out.reserve(found.len());
        let mut push = |end: usize, pattern: usize, span: Span| {
            if is_word_boundary(f, end) {
                let pattern = &self.patterns[pattern];
                out.push(RegistryMatch {
                    entry: pattern.entry,
                    via: pattern.via,
                    span,
                });
            }
        };
        let capital = |span: Span| {
            span.slice(text)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        };
        // Where the next match may start: not inside the last one. Only a
        // match found again moves it past the end of one of `found`.
        let mut from = 0;
        let mut gaps = gaps.iter().peekable();
        for &(start, end, pattern) in found {
            if end <= from {
                continue;
            }
            if start >= from && is_word_boundary(f, start) {
                let span = folded.original(start, end);
                if self.patterns[pattern].via == Via::Role || capital(span) {
                    push(end, pattern, span);
                    from = end;
                    continue;
                }
            }
            // The word starts it covers, after the last match and before
            // the end of its gap. Nothing is looked for just after an ASCII
            // letter or digit ("rt" inside "report" covers no word start):
            // a pattern that begins with a letter or digit, as all but odd
            // ones do, cannot start there.
            while gaps.next_if(|gap| gap.end <= start).is_some() {}
            let limit = gaps.peek().map_or(f.len(), |gap| gap.end);
            let mut at = start.max(from);
            while at < end.min(limit) {
                let after = at.checked_sub(1).and_then(|k| bytes.get(k));
                if after.is_some_and(u8::is_ascii_alphanumeric)
                    || !f.is_char_boundary(at)
                    || !is_word_boundary(f, at)
                {
                    at += 1;
                    continue;
                }
                let set = if capital(folded.original(at, at + 1)) {
                    &self.any
                } else {
                    &self.roles
                };
                match set.longest(bytes, at, limit) {
                    Some((stop, pattern)) => {
                        push(stop, pattern, folded.original(at, stop));
                        from = stop;
                        at = stop;
                    }
                    None => at += 1,
                }
            }
        }
    }

    /// Find a speaker by a forgiving name: any case, accents optional, an
    /// alias or transliteration, or a surname alone ("putin", "Sergey
    /// Lavrov").
    pub fn lookup(&self, name: &str) -> Option<&SpeakerEntry> {
        let wanted = fold(name.trim());
        self.speakers.iter().find(|s| {
            std::iter::once(&s.name)
                .chain(&s.aliases)
                .any(|n| fold(n) == wanted)
        })
    }
}

/// Some of the registry's patterns, for anchored, leftmost-longest
/// searches: the longest of them that starts at a given byte.
#[derive(Clone, Debug)]
struct Set {
    automaton: Patterns,
    /// For each of the automaton's patterns, the registry's number of it.
    ids: Vec<usize>,
}

/// Patterns compiled for anchored searches: a DFA, or, should the DFA be
/// too large to build, an NFA.
#[derive(Clone, Debug)]
enum Patterns {
    Dfa(DFA, StateID),
    Nfa(contiguous::NFA, StateID),
    /// No pattern, or none that could be compiled: nothing matches.
    None,
}

impl Set {
    /// The patterns `needles` (folded) numbered `ids`.
    fn new(needles: &[impl AsRef<[u8]>], ids: Vec<usize>) -> Set {
        let dfa = || {
            let (dfa, start) = leftmost_longest_dfa(needles, Anchored::Yes)?;
            Some(Patterns::Dfa(dfa, start))
        };
        let nfa = || {
            let nfa = contiguous::NFA::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(needles)
                .ok()?;
            let start = nfa.start_state(Anchored::Yes).ok()?;
            Some(Patterns::Nfa(nfa, start))
        };
        let automaton = if needles.is_empty() {
            Patterns::None
        } else {
            dfa().or_else(nfa).unwrap_or(Patterns::None)
        };
        Set { automaton, ids }
    }

    /// The longest pattern that `bytes[at..end]` begins with, as its end
    /// and the registry's number of it.
    fn longest(&self, bytes: &[u8], at: usize, end: usize) -> Option<(usize, usize)> {
        let found = match &self.automaton {
            Patterns::Dfa(dfa, start) => longest(dfa, *start, bytes, at, end),
            Patterns::Nfa(nfa, start) => longest(nfa, *start, bytes, at, end),
            Patterns::None => None,
        };
        found.and_then(|(stop, k)| Some((stop, *self.ids.get(k)?)))
    }
}

/// `needles` as aho-corasick's DFA for leftmost-longest searches,
/// `anchored` or not, and the state they start from. Without a
/// prefilter: then only the dead and match states are special.
fn leftmost_longest_dfa(
    needles: &[impl AsRef<[u8]>],
    anchored: Anchored,
) -> Option<(DFA, StateID)> {
    let start_kind = if anchored.is_anchored() {
        StartKind::Anchored
    } else {
        StartKind::Unanchored
    };
    let dfa = DFA::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(start_kind)
        .prefilter(false)
        .build(needles)
        .ok()?;
    let start = dfa.start_state(anchored).ok()?;
    Some((dfa, start))
}

/// [`Set::longest`] on `automaton`, from its anchored start state, as the
/// end and the automaton's number of the pattern.
fn longest(
    automaton: &impl Automaton,
    start: StateID,
    bytes: &[u8],
    at: usize,
    end: usize,
) -> Option<(usize, usize)> {
    let mut sid = start;
    let mut found = None;
    for (stop, &byte) in (at + 1..).zip(bytes.get(at..end)?) {
        sid = automaton.next_state(Anchored::Yes, sid, byte);
        if !automaton.is_special(sid) {
            continue;
        }
        if automaton.is_dead(sid) {
            break;
        }
        // A match state may also hold the shorter patterns that end here
        // but start later, which an anchored search does not want.
        found = (0..automaton.match_len(sid))
            .map(|k| automaton.match_pattern(sid, k))
            .find(|&pattern| automaton.pattern_len(pattern) == stop - at)
            .map(|pattern| (stop, pattern.as_usize()))
            .or(found);
    }
    found
}

/// The registry's patterns as a DFA, searched leftmost-longest by
/// [`Scan::find_all`]: what `AhoCorasick::find_iter` does with the same
/// automaton (its `try_find_fwd` without a prefilter). The search reads
/// every byte of every article, so the automaton's states and
/// transitions are copied into a table of our own, laid out for that
/// loop: bytes that no state tells apart share a class, state numbers
/// are premultiplied by the (power of two) number of classes, the table
/// is indexed under a mask so no step needs a bounds check, and the
/// states the loop must stop at (dead, match) are numbered last and
/// carry [`STOP`] above the mask. In `trans` those states lead only to
/// themselves, so the state after eight steps says whether any of them
/// reached one; where they really lead is in `resume`, for the walk
/// byte by byte that follows.
#[derive(Clone, Debug)]
struct Scan {
    /// The class of each byte.
    classes: [u8; 256],
    /// The next state of state `s` on class `c` at `s + c`; its length
    /// is `mask + 1`, a power of two. A dead or match state's row leads
    /// back to itself.
    trans: Vec<u32>,
    /// The rows of the dead and match states as the automaton has them,
    /// from `special` on: the next state of `s` on `c` at
    /// `s - special + c`.
    resume: Vec<u32>,
    mask: usize,
    start: u32,
    /// The first dead or match state (without [`STOP`]); every state
    /// from here on is one.
    special: u32,
    /// log2 of the number of classes.
    stride2: u32,
    /// For each state from `special` on, in order: the pattern it matches
    /// and its length, or `None` for the dead state.
    outcomes: Vec<Option<(usize, usize)>>,
    /// The bytes no pattern holds, after which [`Scan::find_all`] may cut
    /// the text.
    resets: [bool; 256],
    /// What a lane with nothing left to search walks: eight such bytes (if
    /// there is one), which lead from the start state back to it.
    idle: [u8; 8],
}

/// The bit a dead or match state carries in [`Scan::trans`], above every
/// index into it.
const STOP: u32 = 1 << 31;

impl Scan {
    fn new(needles: &[String]) -> Option<Scan> {
        if needles.iter().any(String::is_empty) {
            return None;
        }
        let (dfa, start) = leftmost_longest_dfa(needles, Anchored::No)?;
        // Every state the search can reach, from the start, breadth first;
        // the search stops at the dead state, so nothing is read past it.
        let mut states = vec![start];
        let mut seen = std::collections::HashMap::from([(start, 0usize)]);
        let mut k = 0;
        while let Some(&sid) = states.get(k) {
            k += 1;
            if dfa.is_dead(sid) {
                continue;
            }
            for byte in 0..=255u8 {
                let next = dfa.next_state(Anchored::No, sid, byte);
                seen.entry(next).or_insert_with(|| {
                    states.push(next);
                    states.len() - 1
                });
            }
        }
        // Bytes alike in every state share a class.
        let mut classes = [0u8; 256];
        let mut columns: Vec<Vec<StateID>> = Vec::new();
        for byte in 0..=255u8 {
            let column: Vec<StateID> = states
                .iter()
                .map(|&sid| {
                    if dfa.is_dead(sid) {
                        sid
                    } else {
                        dfa.next_state(Anchored::No, sid, byte)
                    }
                })
                .collect();
            let class = match columns.iter().position(|c| *c == column) {
                Some(class) => class,
                None => {
                    columns.push(column);
                    columns.len() - 1
                }
            };
            classes[usize::from(byte)] = u8::try_from(class).ok()?;
        }
        let stride = columns.len().next_power_of_two();
        // Ordinary states first, then the dead and match states.
        let stops = |sid: StateID| dfa.is_dead(sid) || dfa.is_match(sid);
        let mut order: Vec<usize> = (0..states.len()).collect();
        order.sort_by_key(|&k| stops(states[k]));
        let mut number = vec![0u32; states.len()];
        for (n, &k) in order.iter().enumerate() {
            number[k] = u32::try_from(n * stride).ok()?;
        }
        let len = (states.len() * stride).next_power_of_two();
        if len > STOP as usize {
            return None;
        }
        let ordinary = order.iter().filter(|&&k| !stops(states[k])).count();
        let special = u32::try_from(ordinary * stride).ok()?;
        let mut trans = vec![0u32; len];
        let mut resume = vec![0u32; states.len() * stride - special as usize];
        for (k, column) in columns.iter().enumerate() {
            for (s, next) in column.iter().enumerate() {
                let next = number[*seen.get(next)?];
                let next = if next >= special { next | STOP } else { next };
                let row = number[s];
                if row >= special {
                    resume[(row - special) as usize + k] = next;
                    trans[row as usize + k] = row | STOP;
                } else {
                    trans[row as usize + k] = next;
                }
            }
        }
        let outcomes = order[ordinary..]
            .iter()
            .map(|&k| {
                let sid = states[k];
                (!dfa.is_dead(sid)).then(|| {
                    let pattern = dfa.match_pattern(sid, 0);
                    (pattern.as_usize(), dfa.pattern_len(pattern))
                })
            })
            .collect();
        let mut resets = [true; 256];
        for &byte in needles.iter().flat_map(|needle| needle.as_bytes()) {
            resets[usize::from(byte)] = false;
        }
        let idle = resets.iter().position(|&reset| reset).unwrap_or(0);
        Some(Scan {
            resets,
            idle: [u8::try_from(idle).unwrap_or(0); 8],
            classes,
            trans,
            resume,
            mask: len - 1,
            start: number[0],
            special,
            stride2: stride.trailing_zeros(),
            outcomes,
        })
    }

    /// Every leftmost-longest match in `haystack`, in order, as (start,
    /// end, pattern), each found within one of `gaps` (in order, apart).
    ///
    /// Each step of the walk waits on the table read of the step before,
    /// so one walk leaves the processor idle most of the time. The text is
    /// therefore cut into [`LANES`] runs of about equal length, each walked
    /// by a [`Lane`] of its own, and the lanes take their steps side by
    /// side. A run ends after a byte that no pattern holds, where a walk
    /// over the whole text would be back at the start state with no match
    /// pending: so the lanes find what one walk over each gap finds.
    /// `pieces` is room for [`Scan::pieces`]; `out` comes empty.
    fn find_all(
        &self,
        haystack: &[u8],
        gaps: &[Span],
        pieces: &mut Vec<Span>,
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        // Most matches are pieces of words ("rt" in "report"), about one
        // in a few hundred bytes.
        out.reserve(haystack.len() / 128 + 4);
        let bounds = self.pieces(haystack, gaps, pieces);
        let trans = &self.trans[..=self.mask];
        let step = |sid: u32, byte: u8| {
            trans[(sid + u32::from(self.classes[usize::from(byte)])) as usize & self.mask]
        };
        let mut lanes: [Lane; LANES] = std::array::from_fn(|k| {
            let mut lane = Lane {
                haystack,
                hay: &self.idle,
                pieces: &pieces[bounds[k]..bounds[k + 1]],
                at: 0,
                stride: 0,
                sid: self.start,
                found: None,
            };
            lane.next_piece(self);
            lane
        });
        while lanes.iter().any(|lane| lane.stride != 0) {
            if lanes.iter().all(|lane| lane.at + 8 <= lane.hay.len()) {
                // Eight bytes a lane while none reaches a dead or match
                // state: most of the text, read without a test per byte.
                // Such a state leads only to itself in `trans`, so the
                // last state says whether one was reached.
                let mut next = [0; LANES];
                for (next, lane) in next.iter_mut().zip(&lanes) {
                    let chunk: &[u8; 8] = lane.hay[lane.at..][..8].try_into().unwrap_or(&[0; 8]);
                    *next = lane.sid;
                    for &byte in chunk {
                        *next = step(*next, byte);
                    }
                }
                for (lane, next) in lanes.iter_mut().zip(next) {
                    if next & STOP == 0 {
                        lane.sid = next;
                        lane.at += lane.stride;
                    } else {
                        lane.crawl(self, out);
                    }
                }
            } else {
                for lane in &mut lanes {
                    if lane.at + 8 > lane.hay.len() {
                        lane.crawl(self, out);
                    }
                }
            }
        }
        // Each lane found its matches in order, and the lanes' runs follow
        // one another.
        out.sort_unstable_by_key(|&(start, ..)| start);
    }

    /// `gaps` cut into pieces, each to be searched on its own, in place of
    /// what `pieces` held, and the pieces each lane searches: those from
    /// `bounds[k]` to `bounds[k + 1]`, returned. A gap is cut only just
    /// after a byte no pattern holds (see [`Scan::find_all`]); a registry
    /// without such a byte, or a short text, keeps to fewer lanes.
    fn pieces(&self, haystack: &[u8], gaps: &[Span], pieces: &mut Vec<Span>) -> [usize; LANES + 1] {
        let gaps = gaps
            .iter()
            .map(|gap| Span::new(gap.start, gap.end.min(haystack.len())));
        let total: usize = gaps.clone().map(|gap| gap.len()).sum();
        // Below this a lane's start and end cost more than it saves.
        let share = total.div_ceil(LANES).max(256);
        pieces.clear();
        pieces.reserve(gaps.len() + LANES);
        let mut bounds = [0; LANES + 1];
        let mut lane = 0;
        let mut room = share;
        for Span { mut start, end } in gaps {
            while end - start > room && lane + 1 < LANES {
                let cut = haystack[start + room..end]
                    .iter()
                    .position(|&byte| self.resets[usize::from(byte)]);
                let Some(cut) = cut else { break };
                let cut = start + room + cut + 1;
                pieces.push(Span::new(start, cut));
                start = cut;
                lane += 1;
                bounds[lane] = pieces.len();
                room = share;
            }
            if start < end {
                pieces.push(Span::new(start, end));
                room = room.saturating_sub(end - start);
            }
            if room == 0 && lane + 1 < LANES {
                lane += 1;
                bounds[lane] = pieces.len();
                room = share;
            }
        }
        bounds[lane + 1..].fill(pieces.len());
        bounds
    }
}

/// How many walks [`Scan::find_all`] takes side by side.
const LANES: usize = 4;

/// One of the walks of [`Scan::find_all`]: its pieces of the text, each
/// searched leftmost-longest from the start state, one after the other.
struct Lane<'h> {
    haystack: &'h [u8],
    /// The text up to the end of the piece being searched, or, once the
    /// lane has no piece left, [`Scan::idle`].
    hay: &'h [u8],
    /// The pieces after the one being searched.
    pieces: &'h [Span],
    at: usize,
    /// How far a step of eight bytes moves `at`: 8, or 0 once the lane is
    /// done and walks `idle` in place, from the start state to itself.
    stride: usize,
    sid: u32,
    /// The longest match so far of the walk under way.
    found: Option<(usize, usize, usize)>,
}

impl<'h> Lane<'h> {
    /// Start on the next piece, or, with none left, idle.
    fn next_piece(&mut self, scan: &'h Scan) {
        self.sid = scan.start;
        self.found = None;
        match self.pieces.split_first() {
            Some((piece, rest)) => {
                self.hay = &self.haystack[..piece.end];
                self.at = piece.start;
                self.stride = 8;
                self.pieces = rest;
            }
            None => {
                self.hay = &scan.idle;
                self.at = 0;
                self.stride = 0;
            }
        }
    }

    /// Byte by byte through the next eight bytes (or the piece's last
    /// few), out of a dead or match state by `resume`; a dead state ends
    /// the walk with the match it found, and a new one starts where that
    /// match ends, as at the end of the piece.
    fn crawl(&mut self, scan: &'h Scan, out: &mut Vec<(usize, usize, usize)>) {
        if self.stride == 0 {
            return;
        }
        let stop = self.hay.len().min(self.at + 8);
        while self.at < stop {
            let class = u32::from(scan.classes[usize::from(self.hay[self.at])]);
            self.sid = if self.sid & STOP == 0 {
                scan.trans[(self.sid + class) as usize & scan.mask]
            } else {
                let row = (self.sid & !STOP) - scan.special;
                match scan.resume.get((row + class) as usize) {
                    Some(&next) => next,
                    None => return self.restart(scan, out),
                }
            };
            self.at += 1;
            if self.sid & STOP != 0 {
                let stop = ((self.sid & !STOP) - scan.special) >> scan.stride2;
                match scan.outcomes.get(stop as usize) {
                    Some(&Some((pattern, len))) => {
                        self.found = Some((self.at.saturating_sub(len), self.at, pattern));
                    }
                    _ => return self.restart(scan, out),
                }
            }
        }
        if self.at >= self.hay.len() {
            self.restart(scan, out);
        }
    }

    /// The walk under way is over: note its match, and search again from
    /// its end; without one, go on to the next piece.
    fn restart(&mut self, scan: &'h Scan, out: &mut Vec<(usize, usize, usize)>) {
        match self.found.take() {
            Some(found) => {
                out.push(found);
                // No pattern is empty, so the match ends past where the
                // walk began.
                self.at = found.1;
                self.sid = scan.start;
            }
            None => self.next_piece(scan),
        }
    }
}

/// Whether a pattern (folded) might match across a quotation mark: one
/// that holds a double mark or a backtick, or an apostrophe (which ‘ and ’
/// fold to) anywhere but between two letters or digits, where no single
/// mark opens or closes a quote (see [`crate::extract`]).
fn may_cross_marks(needle: &str) -> bool {
    let chars: Vec<char> = needle.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| match c {
        '"' | '`' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{AB}' | '\u{BB}' => true,
        '\'' => {
            let alnum = |k: Option<usize>| {
                k.and_then(|k| chars.get(k))
                    .is_some_and(|c| c.is_alphanumeric())
            };
            !(alnum(i.checked_sub(1)) && alnum(Some(i + 1)))
        }
        _ => false,
    })
}

/// Whether byte `at` of `text` (a character boundary) is not between two
/// letters or digits.
#[inline]
fn is_word_boundary(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    match (at.checked_sub(1).and_then(|k| bytes.get(k)), bytes.get(at)) {
        // Nearly always: two ASCII bytes, told apart without decoding.
        (Some(before), Some(after)) if before.is_ascii() && after.is_ascii() => {
            !(before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric())
        }
        (None, _) | (_, None) => true,
        _ => {
            let before = text[..at].chars().next_back();
            let after = text[at..].chars().next();
            !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Scan::find_all`] in vectors of its own.
    fn scanned(scan: &Scan, hay: &[u8], gaps: &[Span]) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        scan.find_all(hay, gaps, &mut Vec::new(), &mut found);
        found
    }

    #[test]
    fn matches_outside_skipped_spans_are_those_of_the_whole_text() {
        let registry = Registry::default();
        let text = "Peskov said: “Lavrov and TASS, Zakharova’s aides” — Sergey \
            Lavrov (RIA) told Reuters « Putin » that „Peskov“ ‘Leavitt’ 'RT' Kremlin spokesman.";
        let folded = Folded::new(text);
        let all = registry.find_in(text, &folded);
        let marks = ["“", "”", "«", "»", "„", "“", "‘", "’", "'", "'"];
        let mut at = 0;
        let mut skip = Vec::new();
        for pair in marks.chunks(2) {
            let start = at + text[at..].find(pair[0]).unwrap();
            let open = start + pair[0].len();
            let end = open + text[open..].find(pair[1]).unwrap() + pair[1].len();
            skip.push(Span::new(start, end));
            at = end;
        }
        let outside = registry.find_outside(text, &folded, skip.iter().copied());
        let expected: Vec<_> = all
            .iter()
            .copied()
            .filter(|m| {
                !skip
                    .iter()
                    .any(|s| s.start <= m.span.start && m.span.start < s.end)
            })
            .collect();
        assert_eq!(outside, expected);
        assert!(outside.len() >= 4 && outside.len() < all.len());
    }

    #[test]
    fn patterns_that_may_match_across_a_mark() {
        for (needle, crosses) in [
            ("russia's president", false),
            ("sergey lavrov", false),
            ("'rt'", true),
            ("democrats'", true),
            ("the \"times\"", true),
            ("a`b", true),
            ("\u{201C}x", true),
        ] {
            assert_eq!(may_cross_marks(needle), crosses, "{needle}");
        }
        assert!(!Registry::default().crosses_marks);
    }

    #[test]
    fn embedded_default_registry_parses() {
        let file = Registry::parse(DEFAULT_REGISTRY).unwrap();
        assert_eq!(file.speakers.len(), 5);
        assert!(file.media.iter().any(|m| m == "TASS"));
    }

    #[test]
    fn matches_transliterations_roles_and_media_on_word_boundaries() {
        let r = Registry::default();
        let text = "Russian Foreign Minister Sergey Lavrov told TASS; Lavrovsky did not.";
        let found: Vec<(&str, Via)> = r
            .find_all(text)
            .iter()
            .map(|m| (m.span.slice(text), m.via))
            .collect();
        assert_eq!(
            found,
            [
                ("Russian Foreign Minister", Via::Role),
                ("Sergey Lavrov", Via::Name),
                ("TASS", Via::Media),
            ]
        );
    }

    /// The same sequence of pseudo-random numbers every time.
    fn numbers() -> impl FnMut() -> usize {
        let mut seed = 1u64;
        move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        }
    }

    #[test]
    fn scan_finds_what_find_iter_finds() {
        let needles: Vec<String> = [
            "ria",
            "ria novosti",
            "novosti",
            "rt",
            "ap",
            "the times",
            "times",
            "a",
            "ab c",
            "c d",
            "ria",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&needles)
            .unwrap();
        let scan = Scan::new(&needles).unwrap();
        for hay in [
            "",
            "syria novosti report at the times, apart",
            "ab c d ria novostia the timesx",
            "aaaa rtrtrt ap",
            "ria novost",
        ] {
            let want: Vec<(usize, usize, usize)> = matcher
                .find_iter(hay)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            let whole = [Span::new(0, hay.len())];
            assert_eq!(scanned(&scan, hay.as_bytes(), &whole), want, "{hay:?}");
        }
        // Longer texts from the patterns' letters, so that matches, and
        // the dead states after them, fall anywhere in the eight bytes
        // the search reads at a time.
        let letters = b"riano vsthemcdpb ,";
        let mut next = numbers();
        for len in 0..300 {
            let hay: String = (0..len)
                .map(|_| char::from(letters[next() % letters.len()]))
                .collect();
            let want: Vec<(usize, usize, usize)> = matcher
                .find_iter(&hay)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            let whole = [Span::new(0, hay.len())];
            assert_eq!(scanned(&scan, hay.as_bytes(), &whole), want, "{hay:?}");
        }
        // Texts long enough to be cut between lanes (at the commas, which
        // no pattern holds), searched in gaps, as each gap on its own.
        let mut pieces = Vec::new();
        for len in (0..6000).step_by(97) {
            let hay: String = (0..len)
                .map(|_| char::from(letters[next() % letters.len()]))
                .collect();
            let mut gaps = Vec::new();
            let mut at = 0;
            while at < len {
                let end = (at + next() % 2000).min(len);
                gaps.push(Span::new(at, end));
                at = end + next() % 50;
            }
            let want: Vec<(usize, usize, usize)> = gaps
                .iter()
                .flat_map(|gap| {
                    matcher.find_iter(gap.slice(&hay)).map(|m| {
                        (
                            gap.start + m.start(),
                            gap.start + m.end(),
                            m.pattern().as_usize(),
                        )
                    })
                })
                .collect();
            assert_eq!(
                scanned(&scan, hay.as_bytes(), &gaps),
                want,
                "{hay:?} {gaps:?}"
            );
            // The last text's pieces are still there: replaced.
            let bounds = scan.pieces(hay.as_bytes(), &gaps, &mut pieces);
            let total: usize = gaps.iter().map(Span::len).sum();
            assert!(
                total < 2000 || bounds[LANES - 1] < bounds[LANES],
                "{total}: a lane idle"
            );
            assert_eq!(bounds[LANES], pieces.len());
        }
        assert!(Scan::new(&["x".to_string(), String::new()]).is_none());
    }

    /// What [`Registry::find_outside`] should find, the slow way, given the
    /// folded text between the skipped spans, `gaps`: at each character
    /// boundary in turn where a word starts, outside the last match, the
    /// longest pattern there (of the roles alone where the word is not
    /// capitalised), by aho-corasick's own anchored search; of those, the
    /// ones that end a word.
    fn find_slowly(
        registry: &Registry,
        text: &str,
        folded: &Folded,
        gaps: &[Span],
    ) -> Vec<RegistryMatch> {
        let f = folded.as_str();
        let needles: Vec<String> = (registry.speakers.iter())
            .flat_map(|s| std::iter::once(&s.name).chain(&s.aliases).chain(&s.roles))
            .chain(&registry.media)
            .map(|n| fold(n))
            .collect();
        let matcher = |role_only: bool| {
            let ids: Vec<usize> = (0..needles.len())
                .filter(|&k| !role_only || registry.patterns[k].via == Via::Role)
                .collect();
            let matcher = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                .build(ids.iter().map(|&k| &needles[k]))
                .unwrap();
            (matcher, ids)
        };
        let (any, roles) = (matcher(false), matcher(true));
        let mut out = Vec::new();
        let mut from = 0;
        for gap in gaps {
            for at in gap.start..gap.end {
                if at < from || !f.is_char_boundary(at) || !is_word_boundary(f, at) {
                    continue;
                }
                let first = folded.original(at, at + 1).slice(text).chars().next();
                let (matcher, ids) = if first.is_some_and(char::is_uppercase) {
                    &any
                } else {
                    &roles
                };
                let input = aho_corasick::Input::new(f)
                    .range(at..gap.end)
                    .anchored(Anchored::Yes);
                if let Some(m) = matcher.find(input) {
                    from = m.end();
                    if is_word_boundary(f, m.end()) {
                        let pattern = &registry.patterns[ids[m.pattern().as_usize()]];
                        out.push(RegistryMatch {
                            entry: pattern.entry,
                            via: pattern.via,
                            span: folded.original(m.start(), m.end()),
                        });
                    }
                }
            }
        }
        out
    }

    #[test]
    fn matches_are_the_longest_at_each_word_start() {
        // Roles match in any case, media only capitalised; some patterns
        // begin inside others, or as others do.
        let file = |media: &[&str]| RegistryFile {
            speakers: vec![SpeakerEntry {
                name: "Zz Qq".to_string(),
                kind: SpeakerKind::Person,
                gender: None,
                aliases: vec![],
                roles: ["ap", "the times", "c d", "élan", "rt"]
                    .map(String::from)
                    .to_vec(),
            }],
            media: media.iter().map(|m| m.to_string()).collect(),
        };
        let media = [
            "ria",
            "ria novosti",
            "novosti",
            "rt",
            "times",
            "a",
            "ab c",
            "жук",
            "x9",
            "d'a'b",
            "the times x",
        ];
        let mut marked = media.to_vec();
        // One that could match across a quotation mark: quotes are searched.
        marked.push("'rt'");
        for media in [&media[..], &marked[..]] {
            let registry = Registry::new(file(media));
            let check = |text: &str, skip: &[Span]| {
                let folded = Folded::new(text);
                let f = folded.as_str();
                let mut gaps = Vec::new();
                let mut from = 0;
                for span in folded.folded_spans(skip.iter().copied()) {
                    gaps.push(Span::new(from, span.start));
                    from = span.end;
                }
                gaps.push(Span::new(from, f.len()));
                if registry.crosses_marks {
                    gaps = vec![Span::new(0, f.len())];
                }
                let found = registry.find_outside(text, &folded, skip.iter().copied());
                let want = find_slowly(&registry, text, &folded, &gaps);
                assert_eq!(found, want, "{text:?} {skip:?}");
                found.len()
            };
            let mut found = 0;
            for text in [
                "",
                "Syria Novosti report at The Times, apart",
                "Ab C d RIA Novostia the Timesx the Times X",
                "aaaa rtrtrt AP 'RT' X'rt' 9X X9 `RT` x`rt` D`a`b d'a`b D'a'b",
                "Ria novost",
                "ÉRIA Élan Жук ажук —Ria ’RIA E\u{301}lan \u{301}Elan ﬁ",
            ] {
                found += check(text, &[]);
            }
            // Longer texts from the patterns' characters, with skipped
            // spans, so that matches fall anywhere in the search's steps.
            let letters: Vec<char> = "riaRIAnoNO vsVSThemcdpbx ,'`9XÉé—ЖжУу\u{301}"
                .chars()
                .collect();
            let mut next = numbers();
            for len in (0..3000).step_by(7) {
                let text: String = (0..len).map(|_| letters[next() % letters.len()]).collect();
                let bounds: Vec<usize> = (0..=text.len())
                    .filter(|&k| text.is_char_boundary(k))
                    .collect();
                let mut skip = Vec::new();
                let mut k = next() % 300;
                while k + 1 < bounds.len() {
                    let end = (k + 1 + next() % 20).min(bounds.len() - 1);
                    skip.push(Span::new(bounds[k], bounds[end]));
                    k = end + next() % 300;
                }
                found += check(&text, &skip);
            }
            assert!(found > 300, "{found}");
        }
    }

    #[test]
    fn media_after_a_lower_case_the_are_found() {
        // "the Washington Post" begins as "The Washington Post" does, but
        // in lower case it is no name of the paper: "Washington Post" is.
        let r = Registry::default();
        for (text, medium) in [
            ("Putin told the Washington Post.", "Washington Post"),
            ("according to the New York Times", "New York Times"),
            ("He told The Wall Street Journal", "The Wall Street Journal"),
        ] {
            let found: Vec<&str> = r
                .find_all(text)
                .iter()
                .filter(|m| m.via == Via::Media)
                .map(|m| m.span.slice(text))
                .collect();
            assert_eq!(found, [medium], "{text}");
        }
    }

    #[test]
    fn word_boundaries_are_those_of_the_characters() {
        let text = "a b,c9 ü-x éz’s жж “d”";
        for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let before = text[..at].chars().next_back();
            let after = text[at..].chars().next();
            let want = !(before.is_some_and(char::is_alphanumeric)
                && after.is_some_and(char::is_alphanumeric));
            assert_eq!(is_word_boundary(text, at), want, "{at}");
        }
    }

    #[test]
    fn names_must_be_capitalised_in_the_article() {
        let r = Registry::default();
        assert!(r.find_all("the putin doctrine").is_empty());
    }

    #[test]
    fn lookup_is_forgiving() {
        let r = Registry::default();
        assert_eq!(r.lookup("putin").unwrap().name, "Vladimir Putin");
        assert_eq!(r.lookup("Sergey Lavrov").unwrap().name, "Sergei Lavrov");
        assert_eq!(r.lookup("DMITRI PESKOV").unwrap().name, "Dmitry Peskov");
        assert!(r.lookup("Biden").is_none());
    }
}
