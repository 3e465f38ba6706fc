//! Attribution: who said each quotation, and the words that say so.
//!
//! The stage works on a token stream of the whole article in which every
//! token knows its paragraph and whether it stands inside a quote. For each
//! quote it reads the reporter's words of the same sentence around it and
//! applies, in order:
//!
//! 1. **after** the quote: `“…,” he said`, `“…,” said Sen. Ted Cruz`,
//!    `“…,” Peskov, the Kremlin's spokesman, told reporters`;
//! 2. **before** it: the reporting verb nearest the quote and its subject
//!    (`Lavrov said the meetings sought to resolve “…”`), `according to X`,
//!    `X quoted Y as saying`, a colon lead-in (`he said: “…”`, `Trump: “…”`);
//! 3. **continuation**: a quote with no cue of its own takes the speaker of
//!    the previous quote in its paragraph, or, when it opens a paragraph, of
//!    the last quote in the paragraph before (the multi-paragraph
//!    convention).
//!
//! A subject is a noun phrase: a registry name or role ("A Kremlin
//! spokesman" → Dmitry Peskov), a capitalised name with its titles, a
//! described source ("a state department spokesperson"), or a pronoun,
//! resolved to the latest compatible person named outside quotes. The
//! mention recorded as evidence is always the words in the sentence (the
//! pronoun, not its antecedent), so a user can check it in place.
//!
//! Quoted spans that no rule attributes and that do not read as speech
//! (short phrases, titles in Title Case) become [`Aside`]s: scare quotes
//! and names of works are nobody's words.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::analyze::{Analysis, Aside, Quotation};
use crate::byteclass::{ByteClasses, count_words};
use crate::extract::{Quote, QuoteForm, paragraphs};
use crate::fold::Folded;
use crate::lexicon::{
    QUOTING_VERBS, WordList, WordTable, bars_name, cue_verb_forms, first_name_gender, is_cue_verb,
    is_determiner, is_document_noun, is_institution_word, is_not_name, is_place_word,
    is_preposition, is_role_noun, is_time_word, is_title, is_verb_filler, is_verbish, is_weak_cue,
    is_work_noun, looks_adjectival, pronoun_gender, title_gender,
};
use crate::registry::{Gender, Registry, RegistryMatch, Room, SpeakerKind, Via};
use crate::span::Span;

/// Who a quotation is attributed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Speaker {
    /// Canonical name for a registry speaker, else the name as discovered
    /// (the longest form the article uses) or the description ("state
    /// department spokesperson").
    pub name: String,
    pub kind: SpeakerKind,
    /// Whether the speaker is in the registry.
    pub registered: bool,
}

/// The evidence for a quotation's speaker.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    pub speaker: Option<Speaker>,
    /// The words in this article the attribution rests on: a name, title or
    /// pronoun (for a continuation, the mention of the quote it continues).
    pub mention: Option<Span>,
    /// The speech cue ("said", "told", "according").
    pub cue: Option<Span>,
    /// The intermediary the article credits ("TASS", "Fox News").
    pub cited: Option<String>,
    /// The rule that made the attribution: see [`Rule`].
    pub rule: &'static str,
    /// How sure the rule is, from 0 to 1.
    pub confidence: f64,
    /// A fragment inside the reporter's own sentence ("“below zero”").
    pub partial: bool,
}

/// Attribute every quote of `text`; quotes that are nobody's words become
/// asides.
pub fn attribute(text: &str, quotes: &[Quote], registry: &Registry) -> Analysis {
    let classes = ByteClasses::new(text.as_bytes());
    let paras = paragraphs(text);
    attribute_in(
        text,
        &paras,
        &classes,
        quotes,
        registry,
        &mut Buffers::default(),
    )
}

/// [`attribute`] with the text's [`paragraphs`] already split and its
/// bytes classified, in `buffers` that an earlier attribution may have
/// left.
pub fn attribute_in(
    text: &str,
    paras: &[Span],
    classes: &ByteClasses,
    quotes: &[Quote],
    registry: &Registry,
    buffers: &mut Buffers,
) -> Analysis {
    let Buffers { folded, spare } = buffers;
    folded.refold(text);
    let mut doc = Doc::new(text, paras, classes, folded, quotes, registry, spare);
    let analysis = doc.run(quotes);
    doc.release(spare);
    analysis
}

/// What an attribution builds for its article and drops when it is done,
/// kept for the next one (see [`crate::analyze::Scratch`]): the folded
/// text, the tokens, and the lists of positions `Doc` searches.
#[derive(Default)]
pub struct Buffers {
    folded: Folded,
    spare: Spare,
}

/// The vectors that a [`Doc`] and its registry search fill, empty, with
/// the room an earlier article gave them. Those whose items borrow an
/// article are held for the longest lifetime and [`recycle`]d into the
/// next article's.
#[derive(Default)]
struct Spare {
    toks: Vec<Tok<'static>>,
    /// For every list of token positions: [`Spare::list`].
    lists: Vec<Vec<usize>>,
    read: Vec<bool>,
    bounds: Vec<(usize, usize)>,
    entities: Vec<Entity<'static>>,
    alone: Vec<(usize, &'static str)>,
    covering: Vec<Span>,
    /// Room for the registry's search, and for its matches: all of
    /// them, and those that name a speaker where they stand
    /// ([`Doc::names_registry_speaker`]).
    registry: Room,
    matches: Vec<RegistryMatch>,
    standing: Vec<RegistryMatch>,
    barren: Barren,
}

impl Spare {
    /// An empty list of token positions.
    fn list(&mut self) -> Vec<usize> {
        let mut list = self.lists.pop().unwrap_or_default();
        list.clear();
        list
    }
}

/// `v` emptied, as a vector of `U`, in `v`'s allocation when `T` and `U`
/// have the same size and alignment (as the same type for two lifetimes
/// has): the standard library collects a vector's `into_iter` mapped to
/// such a type in place. That is an optimisation, not a promise:
/// `recycled_vectors_keep_their_allocation` tells if it goes.
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter()
        .map(|_| unreachable!("the vector is empty"))
        .collect()
}

/// The vector in `slot`, emptied but with its room, leaving an empty one
/// in its place: a spare vector of the same type, as [`recycle`] gives
/// one for another lifetime.
fn taken<T>(slot: &mut Vec<T>) -> Vec<T> {
    let mut v = std::mem::take(slot);
    v.clear();
    v
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    Punct,
}

#[derive(Clone, Debug)]
struct Tok<'a> {
    span: Span,
    /// The token folded (see [`crate::fold`]): a slice of the folded text.
    lower: &'a str,
    kind: Kind,
    cap: bool,
    /// See [`Doc::is_name_word`], computed once per token.
    name: bool,
    /// The quote whose marks enclose this token.
    quote: Option<usize>,
    para: usize,
}

/// A noun phrase: tokens `first..=last`.
#[derive(Clone, Copy, Debug)]
struct Np {
    first: usize,
    last: usize,
}

impl Np {
    /// A phrase of one token: a pronoun, a surname.
    fn one(token: usize) -> Np {
        Np {
            first: token,
            last: token,
        }
    }
}

/// A [`Speaker`] whose name is borrowed where it can be: a registry
/// speaker's canonical name, or a name as the article writes it. Most
/// persons and institutions noted as [`Entity`]s are never a quote's
/// speaker, so their names are not copied until one is.
#[derive(Clone, Debug)]
struct Named<'a> {
    name: Cow<'a, str>,
    kind: SpeakerKind,
    registered: bool,
}

impl Named<'_> {
    fn into_speaker(self) -> Speaker {
        Speaker {
            name: self.name.into_owned(),
            kind: self.kind,
            registered: self.registered,
        }
    }
}

/// A person or institution named outside quotes, for pronoun resolution.
#[derive(Clone, Debug)]
struct Entity<'a> {
    at: usize,
    named: Named<'a>,
    gender: Option<Gender>,
    /// Named as the subject of a clause or as a quotation's speaker: the
    /// likelier antecedent of a later "he" or "she" than a mere object.
    subject: bool,
}

/// A found attribution before it becomes an [`Attribution`].
#[derive(Clone, Debug)]
struct Found {
    np: Np,
    cue: Option<usize>,
    rule: &'static str,
    confidence: f64,
    /// The subject of a quoting verb ("TASS" in "TASS quoted Putin").
    via: Option<Np>,
}

/// The article as attribution reads it. Everything a rule asks of the
/// whole paragraph or article (where sentences end, which registry names
/// stand in a phrase, which reporting verbs precede a quote, who was named
/// before) is computed once here and searched by position, so the work per
/// quote does not grow with the number of quotes in its paragraph.
struct Doc<'a> {
    text: &'a str,
    toks: Vec<Tok<'a>>,
    /// The capitalised words of `toks`, in order (see [`Tokens::caps`]).
    caps: Vec<usize>,
    /// See [`Tokens::para_starts`] and [`Doc::para_tokens`].
    para_starts: Vec<usize>,
    paras: &'a [Span],
    registry: &'a Registry,
    /// In text order, never overlapping (leftmost-longest), so the
    /// matches inside a span are a range found by binary search.
    matches: Vec<RegistryMatch>,
    /// The tokens that end a sentence ([`Doc::ends_sentence`]), in order.
    /// This list and the four after it hold only the tokens of paragraphs
    /// a quote reads (its own and the one before), see [`Doc::new`].
    sentence_ends: Vec<usize>,
    /// The tokens that are sentence-ending punctuation outside quotes
    /// (`.`, `?`, `!`), in order.
    plain_ends: Vec<usize>,
    /// The tokens outside quotes that may be a reporting verb
    /// ([`Doc::may_be_cue`]) or
    /// open an "according to", "in the words of" or "as saying", in order:
    /// the only tokens [`Doc::before`] stops at.
    cue_words: Vec<usize>,
    /// The tokens after which a clause may open: a pause
    /// ([`Doc::is_pause`]) or the last token of a quote followed by the
    /// reporter's words. [`Doc::sentence_subject`] tries the first few.
    openers: Vec<usize>,
    /// The tokens outside quotes that may credit an intermediary, in order:
    /// reporting verbs (their subject) and words that name who was spoken
    /// to or quoted by ([`Doc::names_addressee`]); the only tokens
    /// [`Doc::credits`] reads.
    credit_words: Vec<usize>,
    /// Persons and institutions named outside quotes, in text order: by
    /// position, then in the order they were noted. An article names a
    /// few dozen, so the questions asked of them (the first with a name,
    /// the latest with a surname, those before a pronoun) are answered
    /// by walking the list, which costs less than keeping maps for them.
    entities: Vec<Entity<'a>>,
    /// See [`Doc::lone_names`].
    alone: Vec<(usize, &'a str)>,
    /// The first and last token of each quote (`usize::MAX` for a quote
    /// with no token).
    quote_tokens: Vec<(usize, usize)>,
    /// The first token of each quote that has one, in order.
    quote_starts: Vec<usize>,
    /// The sentence subjects of the last paragraph
    /// [`Doc::paragraph_subject`] read: its quotes read the same.
    subjects: RefCell<Option<Subjects>>,
    /// The intermediaries credited in the last range [`Doc::cited_in`]
    /// read: the quotes of one sentence read the same range.
    cited: RefCell<Option<Credits>>,
    /// For [`Doc::before`]: which words of `cue_words` are known to
    /// give nothing for a floor, so a later quote of the same sentence
    /// jumps over them instead of reading them again.
    barren: RefCell<Barren>,
}

/// The words of [`Doc::cue_words`] that [`Doc::before`] found barren: for
/// the floor they were read with, no quote after them takes its speaker
/// from them. Whether a word is barren depends on the word and the floor
/// only (not on the quote), unless it opens "according to" or "in the
/// words of" or is the floor itself: those are never marked. Without this,
/// a sentence of `said “a” said “a” …` read every `said` again for every
/// quote.
#[derive(Default)]
struct Barren {
    /// The floor each entry was found barren for (`usize::MAX`: none).
    floor: Vec<usize>,
    /// For a barren entry, the index in `cue_words` below which the next
    /// word that may not be barren stands: walking left from entry `i`, go
    /// on at `skip[i] - 1`. Shortened as walks pass (path compression).
    skip: Vec<usize>,
}

impl Barren {
    /// `barren` with nothing found barren, for another article.
    fn emptied(mut barren: Barren) -> Barren {
        barren.floor.clear();
        barren.skip.clear();
        barren
    }
}

/// The clause subjects of paragraph `para`, from
/// [`Doc::sentence_subjects`].
struct Subjects {
    para: usize,
    found: Vec<(usize, Found)>,
}

/// Every media name credited between tokens `start` and `end`: the token
/// that credits it, the phrase naming it, the name.
struct Credits {
    start: usize,
    end: usize,
    found: Vec<(usize, Np, String)>,
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "adm", "pres",
    "st", "jr", "sr", "prof", "rev", "hon", "vs", "inc", "co", "corp", "ltd", "jan", "feb", "aug",
    "sept", "sep", "oct", "nov", "dec", "no", "amb", "sec", "atty", "messrs", "calif", "fla", "ga",
    "ill", "mass", "mich", "minn", "nev", "pa", "tenn", "va", "wash", "wis", "ariz", "ark", "colo",
    "conn", "del", "ind", "kan", "ky", "la", "md", "miss", "mo", "mont", "neb", "okla", "ore",
    "vt", "wyo", "n.h", "n.j", "n.y", "n.c", "s.c", "n.d", "s.d", "w.va", "r.i", "d.c", "u.s",
    "u.k", "u.n", "e.u",
];

/// What an ASCII byte is to the tokenizer: [`SPACE`], [`ALNUM`] or
/// [`PUNCT`]; 0 for a byte of a non-ASCII character, which is decoded
/// instead. The same as `char::is_whitespace` and `is_alphanumeric` on
/// ASCII, without a branch per question.
static ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => SPACE,
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => ALNUM,
            _ => PUNCT,
        };
        b += 1;
    }
    table
};
const SPACE: u8 = 1;
const ALNUM: u8 = 2;
const PUNCT: u8 = 4;

/// The tokens of an article, and which of them are capitalised words.
struct Tokens<'a> {
    toks: Vec<Tok<'a>>,
    /// The tokens with `cap` set, in order: what the passes over names
    /// read, about one token in six.
    caps: Vec<usize>,
    /// For each paragraph up to the last that has a token, its first
    /// token (or, if it has none, the next paragraph's).
    para_starts: Vec<usize>,
}

/// The tokens of `text`: words (letters and digits, with the apostrophes,
/// hyphens, periods and ampersands inside them, and an abbreviation's
/// period) and single punctuation characters; white space separates.
/// Each token's `lower` is its slice of `folded`, the whole text folded
/// once, so tokens allocate nothing. Tokens, paragraphs and quotes all
/// come in text order, so each token's paragraph and quote are found as
/// it is made (see [`Place`]).
///
/// Two passes: [`scan`] finds the tokens, then one walk over them gives
/// each its folded form, paragraph and quote. Together in one loop, the
/// two held more than the registers could, and the loop over the bytes
/// of a word reloaded what it needed from the stack; for the same reason
/// neither is inlined into [`Doc::new`].
#[inline(never)]
fn tokenize<'a>(
    text: &'a str,
    classes: &ByteClasses,
    folded: &'a Folded,
    paras: &[Span],
    quotes: &[Quote],
    spare: &mut Spare,
) -> Tokens<'a> {
    let (mut toks, caps) = scan(
        text,
        classes,
        recycle(std::mem::take(&mut spare.toks)),
        spare.list(),
    );
    let mut para_starts = spare.list();
    para_starts.reserve(paras.len() + 1);
    let mut lower = folded.slices();
    let mut place = Place::new(paras, quotes);
    if !toks.is_empty() {
        para_starts.resize(place.para + 1, 0);
    }
    for (k, t) in toks.iter_mut().enumerate() {
        // The paragraph changes only here.
        if t.span.start >= place.next {
            place.advance(t.span.start);
            while para_starts.len() <= place.para {
                para_starts.push(k);
            }
        }
        t.lower = lower.get(t.span);
        t.quote = place.quote;
        t.para = place.para;
    }
    Tokens {
        toks,
        caps,
        para_starts,
    }
}

/// The tokens of `text` as [`tokenize`] makes them, with their spans,
/// kinds and capitals only, and the capitalised ones. The loop keeps to
/// ASCII words and punctuation, nearly every token of news text, and the
/// rest is out of line; the letters and digits of a word are skipped by
/// [`ByteClasses`], many bytes at a step. A function of its own, so that
/// its loop has the registers to itself. `toks` and `caps` come empty.
#[inline(never)]
fn scan<'a>(
    text: &'a str,
    classes: &ByteClasses,
    mut toks: Vec<Tok<'a>>,
    mut caps: Vec<usize>,
) -> (Vec<Tok<'a>>, Vec<usize>) {
    let bytes = text.as_bytes();
    toks.reserve(text.len() / 4 + 16);
    caps.reserve(text.len() / 16 + 4);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII by table: nearly every character of news text.
        let class = ASCII_CLASS[usize::from(b)];
        let (end, kind, cap) = if class == SPACE {
            i += 1;
            continue;
        } else if class == ALNUM {
            let run = classes.skip_word(i + 1);
            let cap = b.is_ascii_uppercase();
            if bytes.get(run) == Some(&b' ') {
                // A word and one space, the most common token of all: the
                // next token's start known without reading the byte again
                // after the token is stored (which the compiler cannot
                // assume leaves it unchanged), one read fewer in the chain
                // from each token's start to the next one's.
                push(
                    &mut toks,
                    &mut caps,
                    Span { start: i, end: run },
                    Kind::Word,
                    cap,
                );
                i = run + 1;
                continue;
            }
            (ascii_word_end(text, i, run), Kind::Word, cap)
        } else if class == PUNCT {
            (i + 1, Kind::Punct, false)
        } else {
            match other_token(text, i) {
                Other::Space(next) => {
                    i = next;
                    continue;
                }
                Other::Token(end, kind, cap) => (end, kind, cap),
                Other::End => break,
            }
        };
        push(&mut toks, &mut caps, Span { start: i, end }, kind, cap);
        // One space after a token, the most common gap, is skipped here
        // rather than by a turn of the loop.
        i = end + usize::from(bytes.get(end) == Some(&b' '));
    }
    (toks, caps)
}

/// A token of [`scan`], noted in `caps` too if it is capitalised.
#[inline(always)]
fn push(toks: &mut Vec<Tok<'_>>, caps: &mut Vec<usize>, span: Span, kind: Kind, cap: bool) {
    if cap {
        caps.push(toks.len());
    }
    toks.push(Tok {
        span,
        lower: "",
        kind,
        cap,
        name: false,
        quote: None,
        para: 0,
    });
}

/// Which paragraph and quote the token at a byte stands in, for bytes
/// asked in text order: the paragraph whose end it does not reach (the
/// last one takes the rest), the quote whose marks enclose it. Both stay
/// the same up to `next`, so a token costs one comparison. `advance` is
/// inlined although it is seldom called, for the reason given at
/// [`crate::fold::Slices`].
struct Place<'p> {
    paras: &'p [Span],
    quotes: &'p [Quote],
    para: usize,
    /// Where paragraph `para` ends (`usize::MAX` for the last).
    para_end: usize,
    /// The first quote whose marks do not end before the last byte asked.
    q: usize,
    quote: Option<usize>,
    /// The first byte at which `para` or `quote` may change.
    next: usize,
}

impl<'p> Place<'p> {
    fn new(paras: &'p [Span], quotes: &'p [Quote]) -> Place<'p> {
        let mut place = Place {
            paras,
            quotes,
            para: 0,
            para_end: 0,
            q: 0,
            quote: None,
            next: 0,
        };
        place.para_end = place.end_of(0);
        place.advance(0);
        place
    }

    /// Where paragraph `p` ends, unless it is the last.
    fn end_of(&self, p: usize) -> usize {
        match (self.paras.get(p), self.paras.get(p + 1)) {
            (Some(para), Some(_)) => para.end,
            _ => usize::MAX,
        }
    }

    #[inline]
    fn advance(&mut self, at: usize) {
        while at >= self.para_end {
            self.para += 1;
            self.para_end = self.end_of(self.para);
        }
        while self.quotes.get(self.q).is_some_and(|q| q.outer.end <= at) {
            self.q += 1;
        }
        let outer = self.quotes.get(self.q).map(|q| q.outer);
        self.quote = outer.filter(|o| o.start <= at).map(|_| self.q);
        let quote_change = match (outer, self.quote) {
            (Some(o), Some(_)) => o.end,
            (Some(o), None) => o.start,
            (None, _) => usize::MAX,
        };
        self.next = self.para_end.min(quote_change);
    }
}

/// The end of the word starting at `start`, whose ASCII letters and
/// digits run to `run`.
#[inline]
fn ascii_word_end(text: &str, start: usize, run: usize) -> usize {
    let bytes = text.as_bytes();
    // A run of ASCII letters and digits that white space or plain
    // punctuation ends is the whole word; anything else (a joiner, a
    // non-ASCII letter, a period) is for `word_end`.
    match bytes.get(run) {
        None => run,
        Some(&n) if ASCII_CLASS[usize::from(n)] == SPACE => run,
        Some(&n)
            if ASCII_CLASS[usize::from(n)] == PUNCT && !matches!(n, b'\'' | b'-' | b'.' | b'&') =>
        {
            run
        }
        _ => joined_word_end(text, start, run),
    }
}

/// [`ascii_word_end`] for a run that a joiner, a non-ASCII character or
/// a period follows.
#[cold]
#[inline(never)]
fn joined_word_end(text: &str, start: usize, run: usize) -> usize {
    let bytes = text.as_bytes();
    let first = bytes.get(start).copied().unwrap_or(b' ');
    // A period that ends a sentence (no letter or digit after it) joins
    // nothing: the word is the run, with its period if it is an
    // abbreviation. What `word_end` decides, without its walk: this is
    // the last word of nearly every sentence.
    let final_period = bytes.get(run) == Some(&b'.')
        && bytes
            .get(run + 1)
            .is_none_or(|&n| n.is_ascii() && ASCII_CLASS[usize::from(n)] & ALNUM == 0);
    if final_period {
        let single_cap = run - start == 1 && first.is_ascii_uppercase();
        if single_cap || is_abbreviation(&text[start..run]) {
            run + 1
        } else {
            run
        }
    } else {
        word_end(text, start, char::from(first))
    }
}

/// What [`other_token`] found.
enum Other {
    /// White space up to here.
    Space(usize),
    /// A token: its end, kind and whether it is capitalised.
    Token(usize, Kind, bool),
    /// No character here.
    End,
}

/// The token at a byte of a non-ASCII character, or the white space there.
#[cold]
#[inline(never)]
fn other_token(text: &str, i: usize) -> Other {
    let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
        return Other::End;
    };
    if c.is_whitespace() {
        Other::Space(i + c.len_utf8())
    } else if is_alphanumeric(c) {
        Other::Token(word_end(text, i, c), Kind::Word, c.is_uppercase())
    } else {
        Other::Token(i + c.len_utf8(), Kind::Punct, false)
    }
}

/// `word` without its trailing "'s" (all of them, as `trim_end_matches`
/// would), found without building a substring searcher for each word.
fn without_possessives(mut word: &str) -> &str {
    while let Some(stem) = word.strip_suffix("'s") {
        word = stem;
    }
    word
}

/// `char::is_alphanumeric`, answered at once for the typographic dashes,
/// quotes, bullets and ellipsis (U+2010 to U+2027), none of which is a
/// letter or digit: they are most of the non-ASCII characters of news
/// text, and the general test searches Unicode's tables for each.
fn is_alphanumeric(c: char) -> bool {
    !('\u{2010}'..='\u{2027}').contains(&c) && c.is_alphanumeric()
}

/// The character at byte `i` of `text`, if any (ASCII without decoding).
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => text.get(i..)?.chars().next(),
        None => None,
    }
}

/// The end of the word whose first character `first` stands at `start`.
fn word_end(text: &str, start: usize, first: char) -> usize {
    let bytes = text.as_bytes();
    let mut end = start + first.len_utf8();
    let mut last = first;
    loop {
        // Most words are ASCII letters and digits only.
        let run = bytes.get(end..).map_or(0, |rest| {
            rest.iter()
                .position(|&b| ASCII_CLASS[usize::from(b)] & ALNUM == 0)
                .unwrap_or(rest.len())
        });
        if run > 0 {
            end += run;
            last = char::from(bytes[end - 1]);
        }
        let Some(&b) = bytes.get(end) else {
            break;
        };
        // Apostrophes, hyphens, periods and ampersands join the letters
        // around them: "Russia's", "U.S", "AT&T". Mojibake (UTF-8 read as
        // Latin-1) keeps names whole: "TrÃ©vidic".
        let (d, joins) = if b.is_ascii() {
            // The run took every ASCII letter and digit.
            let joiner = matches!(b, b'\'' | b'-' | b'.' | b'&');
            (
                char::from(b),
                joiner && char_at(text, end + 1).is_some_and(char::is_alphanumeric),
            )
        } else {
            let Some(d) = text.get(end..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            let mojibake =
                ('\u{80}'..='\u{BF}').contains(&d) && ('\u{C2}'..='\u{C3}').contains(&last);
            let joins = mojibake
                || d == '\u{2019}'
                    && char_at(text, end + d.len_utf8()).is_some_and(char::is_alphanumeric);
            (d, joins || is_alphanumeric(d))
        };
        if !joins {
            break;
        }
        end += d.len_utf8();
        last = d;
    }
    // An abbreviation keeps its period: "Mr.", "U.S.", "R.".
    if bytes.get(end) == Some(&b'.') {
        let word = &text[start..end];
        let single_cap = end - start == first.len_utf8() && first.is_uppercase();
        if single_cap || word.contains('.') || is_abbreviation(word) {
            end += 1;
        }
    }
    end
}

/// Phrasal reporting verbs, as (verb, particle): "pointed out", "shot
/// back", "weighed in" ([`Doc::is_phrasal_cue`]).
const PHRASAL_CUES: &[(&str, &str)] = &[
    ("pointed", "out"),
    ("points", "out"),
    ("point", "out"),
    ("shot", "back"),
    ("fired", "back"),
    ("hit", "back"),
    ("snapped", "back"),
    ("chimed", "in"),
    ("weighed", "in"),
    ("chimes", "in"),
    ("weighs", "in"),
    ("went", "on"),
    ("goes", "on"),
    ("spoke", "out"),
    ("speaks", "out"),
    ("spoke", "up"),
    ("speaks", "up"),
];

/// The words after which [`Doc::names_addressee`] may find who was spoken
/// to or quoted by.
const ADDRESSEE_WORDS: &[&str] = &["told", "tells", "telling", "to", "with", "by"];

/// What [`Doc::new`] asks of each word outside quotes in the paragraphs
/// the rules read, as bits of [`LISTED`]: a reporting verb
/// ([`is_cue_verb`]), a word that opens "according to", "in the words of"
/// or "as saying", the verb of a phrasal reporting verb, a word after
/// which an addressee may be named.
const CUE: u8 = 1;
const OPENS_SOURCE: u8 = 2;
const PHRASAL: u8 = 4;
const ADDRESSEE: u8 = 8;

/// Every word that is any of [`CUE`], [`OPENS_SOURCE`], [`PHRASAL`] and
/// [`ADDRESSEE`], with its bits: one look-up for the many words that are
/// none, instead of one per question.
static LISTED: LazyLock<WordTable<u8>> = LazyLock::new(|| {
    let mut bits: BTreeMap<String, u8> = BTreeMap::new();
    let mut add = |word: &str, bit: u8| *bits.entry(word.to_string()).or_default() |= bit;
    for word in cue_verb_forms() {
        add(&word, CUE);
    }
    for word in ["according", "words", "saying"] {
        add(word, OPENS_SOURCE);
    }
    for (word, _) in PHRASAL_CUES {
        add(word, PHRASAL);
    }
    for word in ADDRESSEE_WORDS {
        add(word, ADDRESSEE);
    }
    WordTable::new(bits)
});

/// The length of the longest of [`ABBREVIATIONS`].
const LONGEST: usize = 6;

/// Whether `word` in lower case is one of [`ABBREVIATIONS`].
fn is_abbreviation(word: &str) -> bool {
    // Sieved: it is asked of the last word of nearly every sentence.
    static SET: LazyLock<WordList> = LazyLock::new(|| WordList::of(ABBREVIATIONS.iter().copied()));
    if word.is_ascii() {
        // Lower-cased on the stack: most words before a period are no
        // abbreviation, and this runs for all of them. Most are turned
        // away before, by their length or the sieve.
        let mut buf = [0u8; LONGEST];
        let Some(lower) = buf.get_mut(..word.len()) else {
            return false;
        };
        if !SET.may_hold(word.as_bytes()) {
            return false;
        }
        // A byte at a time: `copy_from_slice` of a length not known when
        // compiled is a call to `memcpy`, which cost more than the rest.
        for (l, b) in lower.iter_mut().zip(word.bytes()) {
            *l = b.to_ascii_lowercase();
        }
        SET.get_bytes(lower).is_some()
    } else {
        // Some capitals outside ASCII lower-case into it (the Kelvin sign).
        ABBREVIATIONS.contains(&word.to_lowercase().as_str())
    }
}

impl<'a> Doc<'a> {
    fn new(
        text: &'a str,
        paras: &'a [Span],
        classes: &ByteClasses,
        folded: &'a Folded,
        quotes: &[Quote],
        registry: &'a Registry,
        spare: &mut Spare,
    ) -> Doc<'a> {
        let Tokens {
            mut toks,
            caps,
            para_starts,
        } = tokenize(text, classes, folded, paras, quotes, spare);
        for &i in &caps {
            toks[i].name = Doc::names(&toks, i);
        }
        // Only matches outside quotes are read: a quote's words name nobody
        // attribution notes (entities, subjects and the phrases around a
        // quote stop at its marks).
        let mut matches = std::mem::take(&mut spare.matches);
        registry.find_outside_in(
            text,
            folded,
            quotes.iter().map(|q| q.outer),
            &mut spare.registry,
            &mut matches,
        );
        debug_assert!(matches.windows(2).all(|w| w[0].span.end <= w[1].span.start));
        let mut doc = Doc {
            text,
            toks,
            caps,
            para_starts,
            paras,
            registry,
            matches,
            sentence_ends: Vec::new(),
            plain_ends: Vec::new(),
            cue_words: Vec::new(),
            openers: Vec::new(),
            credit_words: Vec::new(),
            entities: Vec::new(),
            alone: Vec::new(),
            quote_tokens: Vec::new(),
            quote_starts: Vec::new(),
            subjects: RefCell::new(None),
            cited: RefCell::new(None),
            barren: RefCell::new(Barren::emptied(std::mem::take(&mut spare.barren))),
        };
        let mut standing = taken(&mut spare.standing);
        standing.extend(
            doc.matches
                .iter()
                .copied()
                .filter(|m| doc.names_registry_speaker(m)),
        );
        spare.matches = std::mem::replace(&mut doc.matches, standing);
        // One pass for every list of token positions, over the paragraphs
        // the rules read them in: a quote's own, and the one before it (a
        // block quote's lead-in, the lead-in of a quote that opens its
        // paragraph after a colon, the intermediary credited there). The
        // lists are searched by ranges inside those paragraphs only, so
        // leaving the others out changes no answer, and most paragraphs of
        // an article hold no quote.
        let mut read = taken(&mut spare.read);
        read.resize(paras.len(), false);
        for q in quotes {
            for p in q.paragraph.saturating_sub(1)..=q.paragraph {
                if let Some(r) = read.get_mut(p) {
                    *r = true;
                }
            }
        }
        // Sized so that they seldom grow: a list grown from empty was
        // reallocated several times per article.
        let some = doc.toks.len() / 16 + 8;
        let mut list = |room| {
            let mut list = spare.list();
            list.reserve(room);
            list
        };
        let (mut sentence_ends, mut plain_ends) = (list(some), list(some));
        let mut openers = list(2 * some);
        let (mut cue_words, mut credit_words) = (list(some), list(some));
        let mut quote_starts = list(quotes.len());
        let mut bounds = taken(&mut spare.bounds);
        bounds.resize(quotes.len(), (usize::MAX, 0));
        let mut from = 0;
        while let Some(para) = doc.toks.get(from).map(|t| t.para) {
            let (_, to) = doc.para_tokens(para);
            if !read.get(para).copied().unwrap_or(true) {
                from = to;
                continue;
            }
            let tokens = doc.toks.get(from..to).unwrap_or_default();
            for (k, t) in (from..).zip(tokens) {
                match (t.quote, t.kind) {
                    (None, Kind::Punct) => {
                        if matches!(t.lower, "." | "?" | "!") {
                            plain_ends.push(k);
                            if doc.ends_sentence(k, quotes) {
                                sentence_ends.push(k);
                            }
                        } else if doc.is_pause(k) {
                            openers.push(k);
                        }
                    }
                    (None, Kind::Word) => {
                        // One look-up says whether the word may be any of
                        // these, which most words are not.
                        let listed = LISTED.get(t.lower).copied().unwrap_or(0);
                        if listed == 0 {
                            continue;
                        }
                        let cue = listed & CUE != 0;
                        if cue
                            || listed & OPENS_SOURCE != 0
                            || (listed & PHRASAL != 0 && doc.is_phrasal_cue(k))
                        {
                            cue_words.push(k);
                        }
                        if cue || (listed & ADDRESSEE != 0 && doc.names_addressee(k)) {
                            credit_words.push(k);
                        }
                    }
                    (Some(q), _) => {
                        if let Some(b) = bounds.get_mut(q) {
                            if b.0 == usize::MAX {
                                b.0 = k;
                            }
                            b.1 = k;
                        }
                        // Only a quote's last token may end a sentence or open
                        // the reporter's words.
                        let next = doc.toks.get(k + 1).map(|n| n.quote);
                        if next == Some(Some(q)) {
                            continue;
                        }
                        if doc.ends_sentence(k, quotes) {
                            sentence_ends.push(k);
                        }
                        if next == Some(None) {
                            openers.push(k);
                        }
                    }
                }
            }
            from = to;
        }
        doc.sentence_ends = sentence_ends;
        doc.plain_ends = plain_ends;
        doc.openers = openers;
        doc.cue_words = cue_words;
        doc.credit_words = credit_words;
        quote_starts.extend(
            bounds
                .iter()
                .map(|&(first, _)| first)
                .filter(|&first| first != usize::MAX),
        );
        doc.quote_starts = quote_starts;
        doc.quote_tokens = bounds;
        spare.read = read;
        doc.alone = Doc::lone_names(
            &doc.toks,
            &doc.caps,
            recycle(std::mem::take(&mut spare.alone)),
        );
        // In text order already, and noted in that order.
        doc.entities = doc.collect_entities(
            recycle(std::mem::take(&mut spare.entities)),
            &mut spare.covering,
        );
        doc
    }

    /// Hand this article's vectors to `spare` for the next.
    fn release(self, spare: &mut Spare) {
        spare.toks = recycle(self.toks);
        spare.lists.extend([
            self.caps,
            self.para_starts,
            self.sentence_ends,
            self.plain_ends,
            self.cue_words,
            self.openers,
            self.credit_words,
            self.quote_starts,
        ]);
        spare.entities = recycle(self.entities);
        spare.alone = recycle(self.alone);
        spare.bounds = self.quote_tokens;
        spare.standing = self.matches;
        spare.barren = self.barren.into_inner();
    }

    /// Add an entity after those at or before its position.
    fn add_entity(&mut self, entity: Entity<'a>) {
        let after = self.entities.partition_point(|e| e.at <= entity.at);
        self.entities.insert(after, entity);
    }

    /// The entities named `surname` and more before it ("Ted Cruz" for
    /// "Cruz"), in the order of [`Doc::entities`].
    fn with_surname<'s, 'n>(
        &'s self,
        surname: &'n str,
    ) -> impl DoubleEndedIterator<Item = &'s Entity<'a>> + use<'s, 'a, 'n> {
        // The words after a name's last space, compared from its end: a
        // search for that space in every entity's name cost more.
        let one_word = !surname.contains(' ');
        self.entities.iter().filter(move |e| {
            let name = e.named.name.as_bytes();
            let space = name.len().checked_sub(surname.len() + 1);
            one_word
                && name.ends_with(surname.as_bytes())
                && space.and_then(|k| name.get(k)) == Some(&b' ')
        })
    }

    /// The registry matches that start at byte `start`.
    fn matches_from(&self, start: usize) -> impl Iterator<Item = &RegistryMatch> {
        let from = self.matches.partition_point(|m| m.span.start < start);
        self.matches[from..]
            .iter()
            .take_while(move |m| m.span.start == start)
    }

    /// Whether a registry match covers `span`. Matches do not overlap, so
    /// their ends rise with their starts: only those that start at or before
    /// `span` and end at or after it can.
    fn match_around(&self, span: Span) -> bool {
        let to = self.matches.partition_point(|m| m.span.start <= span.start);
        self.matches[..to]
            .iter()
            .rev()
            .take_while(|m| m.span.end >= span.end)
            .any(|m| m.span.contains(span))
    }

    /// The registry matches inside `span`, in order.
    fn matches_in(&self, span: Span) -> impl DoubleEndedIterator<Item = &RegistryMatch> {
        let from = self.matches.partition_point(|m| m.span.start < span.start);
        let to = self.matches.partition_point(|m| m.span.start <= span.end);
        self.matches[from..to.max(from)]
            .iter()
            .filter(move |m| span.contains(m.span))
    }

    /// The first and one-past-last token of paragraph `para`.
    fn para_tokens(&self, para: usize) -> (usize, usize) {
        // Past the last paragraph with a token: none.
        let start = |p: usize| self.para_starts.get(p).copied().unwrap_or(self.toks.len());
        (start(para), start(para + 1))
    }

    /// The tokens of `list` (sorted) in `from..to`.
    fn between(list: &[usize], from: usize, to: usize) -> &[usize] {
        let lo = list.partition_point(|&k| k < from);
        let hi = list.partition_point(|&k| k < to);
        &list[lo..hi.max(lo)]
    }

    /// Whether a registry match names its speaker here. Roles pass from
    /// one holder to the next, so a role followed by another name is that
    /// person's title ("White House press secretary Josh Earnest"), and a
    /// surname after a different first name is someone else ("Michael
    /// Leavitt").
    fn names_registry_speaker(&self, m: &RegistryMatch) -> bool {
        let (Some(first), Some(last)) = (
            self.token_at(m.span.start),
            self.token_at(m.span.end.saturating_sub(1)),
        ) else {
            return false;
        };
        match m.via {
            Via::Media => true,
            Via::Role => {
                let next = last + 1;
                let named_after = next < self.toks.len()
                    && self.is_name_word(next)
                    && self.toks[next].para == self.toks[last].para
                    && !self.matches_from(self.toks[next].span.start).any(|o| {
                        o.via == Via::Name
                            && o.entry == m.entry
                            && o.span.start == self.toks[next].span.start
                    });
                !named_after || self.is_possessive(last)
            }
            Via::Name => {
                let single = first == last;
                let other_first_name = first > 0
                    && self.is_name_word(first - 1)
                    && !is_title(self.word(first - 1))
                    && self.toks[first - 1].para == self.toks[first].para
                    && !self.match_around(self.toks[first - 1].span);
                !(single && other_first_name)
            }
        }
    }

    /// Whether the words ending at token `last` are followed by a verb (or
    /// an apposition), i.e. stand as a clause subject.
    fn followed_by_verb(&self, last: usize) -> bool {
        let j = self.skip_fillers_right(last + 1, self.toks.len());
        j < self.toks.len()
            && self.toks[j].para == self.toks[last].para
            && (self.is_verb_after_subject(j) || self.is_punct(j, ","))
    }

    fn word(&self, i: usize) -> &str {
        self.toks[i].lower
    }

    fn is_punct(&self, i: usize, c: &str) -> bool {
        self.toks[i].kind == Kind::Punct && self.toks[i].lower == c
    }

    fn is_possessive(&self, i: usize) -> bool {
        let w = self.word(i);
        w.ends_with("'s") || (w.ends_with("s'") && self.toks[i].cap)
    }

    /// A capitalised word that can be part of a name.
    fn is_name_word(&self, i: usize) -> bool {
        self.toks[i].name
    }

    /// [`Doc::is_name_word`] from the tokens themselves.
    fn names(toks: &[Tok], i: usize) -> bool {
        let t = &toks[i];
        t.kind == Kind::Word
            && t.cap
            && !bars_name(t.lower)
            // "Shortly after ...", "Finally, ...", but "Kelly Ayotte" and
            // "Schlafly endorsed".
            && !(t.lower.len() > 4
                && t.lower.ends_with("ly")
                && first_name_gender(t.lower).is_none()
                && toks.get(i + 1).is_some_and(|n| {
                    n.lower == "," || is_preposition(n.lower) || is_not_name(n.lower)
                }))
    }

    fn np_span(&self, np: Np) -> Span {
        Span::new(self.toks[np.first].span.start, self.toks[np.last].span.end)
    }

    // ----- noun phrases ---------------------------------------------------

    /// A noun phrase ending at token `end`, going no further left than
    /// `floor`.
    fn np_left(&self, end: usize, floor: usize) -> Option<Np> {
        // "Sen. Claire McCaskill (D-Mo.)": the name stands before the
        // parenthesis.
        if self.is_punct(end, ")")
            && let Some(open) = (end.saturating_sub(10).max(floor)..end)
                .rev()
                .find(|&k| self.is_punct(k, "("))
            && open > floor
        {
            return self.np_left(open - 1, floor);
        }
        let t = &self.toks[end];
        if t.kind != Kind::Word || t.quote.is_some() {
            return None;
        }
        if pronoun_gender(t.lower).is_some() {
            return Some(Np::one(end));
        }
        if self.is_possessive(end) {
            // "Rubio's proposed credit": a possessive modifies what follows.
            return None;
        }
        // "the secretary of state", "minister of defence"
        let title_of = is_title(t.lower) && end > floor && self.word(end - 1) == "of";
        let head_ok = self.is_name_word(end) || is_role_noun(t.lower) || title_of;
        if !head_ok {
            return self.generic_np_left(end, floor);
        }
        let mut first = end;
        let mut modifiers = 0;
        while first > floor {
            let j = first - 1;
            let tj = &self.toks[j];
            if tj.quote.is_some() || tj.kind != Kind::Word || tj.para != t.para {
                break;
            }
            let w = tj.lower;
            if is_determiner(w) {
                first = j;
                break;
            }
            if self.is_name_word(j) || is_title(w) || is_role_noun(w) {
                first = j;
                continue;
            }
            // "Secretary of State", "the head of state"
            if w == "of"
                && j > floor
                && (self.is_name_word(j - 1)
                    || is_title(self.word(j - 1))
                    || is_role_noun(self.word(j - 1)))
            {
                first = j;
                continue;
            }
            // An adjective after a determiner: "an angry Hollande".
            if !tj.cap && j > floor && is_determiner(self.word(j - 1)) && is_plain_word(w) {
                first = j - 1;
                break;
            }
            // Lower-case modifiers of a role: "state department spokesperson".
            if !tj.cap
                && modifiers < 2
                && is_role_noun(self.word(first))
                && !is_cue_verb(w)
                && !is_verb_filler(w)
                && !is_not_name(w)
                && w.chars().all(char::is_alphabetic)
            {
                modifiers += 1;
                first = j;
                continue;
            }
            break;
        }
        Some(Np { first, last: end })
    }

    /// A common noun after a determiner, up to two adjectives between:
    /// "the heckler", "a senior aide".
    fn generic_np_left(&self, end: usize, floor: usize) -> Option<Np> {
        if !is_plain_word(self.word(end)) || self.toks[end].cap || looks_adjectival(self.word(end))
        {
            return None;
        }
        let mut j = end;
        while j > floor && end - j < 3 {
            j -= 1;
            let t = &self.toks[j];
            if t.kind != Kind::Word || t.quote.is_some() {
                return None;
            }
            if is_determiner(t.lower) && t.lower != "that" {
                return Some(Np {
                    first: j,
                    last: end,
                });
            }
            // Adjectives, capitalised ones too: "the Democratic front-runner".
            if !is_plain_word(t.lower) || self.is_possessive(j) {
                return None;
            }
        }
        None
    }

    /// A noun phrase starting at token `start`, ending before `ceil`.
    fn np_right(&self, start: usize, ceil: usize) -> Option<Np> {
        if start >= ceil {
            return None;
        }
        let t = &self.toks[start];
        if t.kind != Kind::Word || t.quote.is_some() {
            return None;
        }
        if pronoun_gender(t.lower).is_some() {
            return Some(Np::one(start));
        }
        let mut i = start;
        if is_determiner(t.lower) {
            i += 1;
            // Adjectives before a name or role: "one well-connected Democrat".
            let mut j = i;
            while j < ceil
                && j < i + 2
                && is_plain_word(self.word(j))
                && !self.toks[j].cap
                && (!is_verbish(self.word(j)) || self.word(j).ends_with("ed"))
                && !is_role_noun(self.word(j))
            {
                j += 1;
            }
            if j > i && j < ceil && (self.is_name_word(j) || is_role_noun(self.word(j))) {
                i = j;
            }
            // "one of those advisers", "some of his aides"
            if i + 1 < ceil && self.word(i) == "of" {
                i += 1;
                if is_determiner(self.word(i)) {
                    i += 1;
                }
            }
        }
        let mut last = None;
        while i < ceil {
            let ti = &self.toks[i];
            if ti.quote.is_some() || ti.kind != Kind::Word || ti.para != t.para {
                break;
            }
            let w = ti.lower;
            if self.is_name_word(i) || is_title(w) || is_role_noun(w) {
                last = Some(i);
                i += 1;
                continue;
            }
            // "Trump and Ryan issued a statement"
            if w == "and"
                && last.is_some_and(|l| self.is_name_word(l))
                && i + 1 < ceil
                && self.is_name_word(i + 1)
            {
                i += 1;
                continue;
            }
            if w == "of" && last.is_some() && i + 1 < ceil && self.is_name_word(i + 1) {
                i += 1;
                continue;
            }
            // Lower-case modifiers before a role noun: "a senior
            // administration official".
            let role_ahead = (i + 1..ceil.min(i + 4))
                .take_while(|&k| {
                    let tk = &self.toks[k];
                    tk.kind == Kind::Word && tk.quote.is_none() && !tk.cap
                })
                .any(|k| is_role_noun(self.word(k)));
            if !ti.cap && is_plain_word(w) && !w.ends_with("ed") && role_ahead {
                i += 1;
                continue;
            }
            break;
        }
        let verb_or_stop = |k: usize| {
            k >= ceil
                || self.toks[k].kind == Kind::Punct
                || (!self.toks[k].cap && is_verbish(self.word(k)))
        };
        // A possessive opens the phrase like a determiner: "Obama's first
        // five questioners ranged ...".
        if let Some(l) = last
            && self.is_possessive(l)
        {
            let head = (l + 1..ceil.min(l + 5))
                .take_while(|&k| {
                    self.toks[k].kind == Kind::Word
                        && self.toks[k].quote.is_none()
                        && !self.toks[k].cap
                        && (is_plain_word(self.word(k))
                            || self.word(k).chars().all(|c| c.is_ascii_digit()))
                })
                .find(|&k| !is_verbish(self.word(k)) && verb_or_stop(k + 1));
            if let Some(head) = head {
                return Some(Np {
                    first: start,
                    last: head,
                });
            }
        }
        if last.is_none() && is_determiner(t.lower) {
            // "said the heckler.", "the company said", "the retired
            // neurosurgeon addressed": the head is the last plain word
            // before the verb.
            let head = (i..ceil.min(i + 3))
                .take_while(|&k| is_plain_word(self.word(k)) && !self.toks[k].cap)
                .find(|&k| {
                    !is_verbish(self.word(k))
                        && verb_or_stop(k + 1)
                        && !matches!(self.word(k), "few" | "lot")
                })?;
            return Some(Np {
                first: start,
                last: head,
            });
        }
        // A common noun closing the phrase: "the Lincoln actor says".
        if let Some(l) = last
            && l + 1 == i
            && i < ceil
            && is_plain_word(self.word(i))
            && !self.toks[i].cap
            && !is_verbish(self.word(i))
            && verb_or_stop(i + 1)
        {
            return Some(Np {
                first: start,
                last: i,
            });
        }
        last.map(|last| Np { first: start, last })
    }

    /// Whether token `k` is a reporting verb here: in lower case (or opening
    /// its sentence at `floor`), and for the weak cues ("continued",
    /// "read") only right before punctuation or a quote.
    fn is_cue(&self, k: usize, floor: usize) -> bool {
        let t = &self.toks[k];
        if t.kind != Kind::Word || t.quote.is_some() {
            return false;
        }
        if !self.may_be_cue(k) {
            return false;
        }
        if t.cap && k != floor {
            return false;
        }
        if let Some(p) = k.checked_sub(1) {
            let prev = &self.toks[p];
            // "as he put it"
            if t.lower == "put" {
                return self.toks.get(k + 1).is_some_and(|n| n.lower == "it");
            }
            let w = prev.lower;
            // A noun, not a verb: "a statement", "Trump's tweet", "his
            // claim". Before a quote, a hypothetical is no attribution
            // either ("Americans will say “no”", "to tell"); after one,
            // "“…,” the president will say" is.
            let hypothetical = floor != usize::MAX
                && matches!(
                    w,
                    "will" | "would" | "could" | "should" | "might" | "may" | "can" | "must" | "to"
                );
            if prev.kind == Kind::Word
                && prev.quote.is_none()
                && (matches!(
                    w,
                    "a" | "an" | "the" | "his" | "her" | "their" | "its" | "our" | "my" | "your"
                ) || self.is_possessive(p)
                    || hypothetical)
            {
                return false;
            }
            // An adjective before it makes it a noun: "most explosive
            // claim", "a snappy retort", "her recovered emails"; so does a
            // noun after an indefinite article: "a phone call", "a news
            // report".
            if prev.kind == Kind::Word && !prev.cap && looks_adjectival(w) {
                return false;
            }
            if prev.kind == Kind::Word
                && !prev.cap
                && p > 0
                && matches!(self.word(p - 1), "a" | "an")
                && !t.lower.ends_with("ed")
                && !matches!(t.lower, "said" | "told" | "wrote")
            {
                return false;
            }
            // Naming, not speech: "a short film called “Tenemos Familias”"
            // (but "one lawmaker called Trump “the orange prince”").
            if matches!(
                t.lower,
                "called" | "dubbed" | "labeled" | "labelled" | "branded" | "termed"
            ) && self.toks.get(k + 1).is_some_and(|n| n.quote.is_some())
                && prev.kind == Kind::Word
                && !prev.cap
                && pronoun_gender(w).is_none()
                && (is_role_noun(w) || is_plain_word(w))
            {
                return false;
            }
        }
        if is_weak_cue(t.lower) {
            return self
                .toks
                .get(k + 1)
                .is_none_or(|n| n.kind == Kind::Punct || n.quote.is_some());
        }
        true
    }

    /// Whether the word at token `k` is a reporting verb, phrasal ("pointed
    /// out", "shot back", "weighed in") or not, wherever it stands.
    fn may_be_cue(&self, k: usize) -> bool {
        self.is_phrasal_cue(k) || is_cue_verb(self.toks[k].lower)
    }

    /// Whether token `k` opens a phrasal reporting verb: "pointed out",
    /// "shot back", "weighed in".
    fn is_phrasal_cue(&self, k: usize) -> bool {
        // The particle first: it rules out nearly every word.
        let Some(particle) = self.toks.get(k + 1).map(|n| n.lower) else {
            return false;
        };
        if !matches!(particle, "out" | "back" | "in" | "on" | "up") {
            return false;
        }
        let word = self.toks[k].lower;
        PHRASAL_CUES.contains(&(word, particle))
    }

    /// Skip, leftwards from `i` (exclusive), what stands between a subject
    /// and its verb: adverbs, auxiliaries, a time ("later Thursday", "on
    /// Monday") and a parenthesis ("Harry Reid (D-Nev.)").
    fn skip_fillers_left(&self, mut i: usize, floor: usize) -> usize {
        loop {
            if i <= floor {
                return i;
            }
            let t = &self.toks[i - 1];
            if t.quote.is_some() {
                return i;
            }
            // Fillers in lower case ("Will" is a name); days and months
            // either way ("later Thursday").
            if t.kind == Kind::Word
                && ((!t.cap && is_verb_filler(t.lower)) || is_time_word(t.lower))
            {
                i -= 1;
                continue;
            }
            if t.kind == Kind::Punct && t.lower == ")" {
                let open = (i.saturating_sub(10).max(floor)..i - 1)
                    .rev()
                    .find(|&k| self.is_punct(k, "("));
                if let Some(open) = open {
                    i = open;
                    continue;
                }
            }
            return i;
        }
    }

    /// The subject of the reporting verb at `cue`.
    fn subject_of(&self, cue: usize, floor: usize) -> Option<Np> {
        let j = self.skip_fillers_left(cue, floor);
        if j <= floor {
            return None;
        }
        let prev = j - 1;
        if self.toks[prev].quote.is_some() {
            return None;
        }
        if self.is_pause(prev) {
            // "Trump, who spoke in Iowa, said" / "Sen. X, D-Calif., said" /
            // "John Dickey, the chief executive -- of Ora Media -- told me":
            // the subject stands before the comma-delimited aside. A
            // participle's subject is never behind a comma ("Reached by
            // POLITICO, Bennett denied it, explaining ...").
            if self.word(cue).ends_with("ing") {
                return None;
            }
            // The first comma of the window whose left side is a source:
            // "Clinton, during a meeting in Columbus, Ohio, said".
            let limit = prev.saturating_sub(45).max(floor);
            let start = (limit..prev)
                .rev()
                .take_while(|&k| self.toks[k].quote.is_none())
                .last()
                .unwrap_or(prev);
            let commas = || (start.max(floor + 1)..prev).filter(|&k| self.is_pause(k));
            // The chunk right before the verb is the subject itself when it
            // is a name and nothing else, after an opening phrase: "Tuesday
            // in Berea, after winning Ohio, Gov. John Kasich (R-OH), said".
            // An apposition ("the Kremlin's spokesman", "Putin's aide") or a
            // relative clause ("who spoke in Iowa") is not.
            let chunk = commas().next_back().map_or(floor, |c| c + 1);
            if prev > floor
                && let Some(np) = self.np_left(prev - 1, floor)
                && np.first == chunk
                && self.is_name_word(np.first)
                && !self.is_possessive(np.first)
                && (np.first < np.last || is_title(self.word(np.first)))
                && !self.names_place(np)
            {
                return Some(np);
            }
            // The first phrase before a comma that is a source, else the last.
            let mut last = None;
            for np in commas().filter_map(|k| self.np_left(k - 1, floor)) {
                if self.is_speaker_like(np, true) && !self.names_place(np) {
                    return Some(np);
                }
                last = Some(np);
            }
            return last;
        }
        let np = self.np_left(prev, floor)?;
        // "Trump at the time said", "a source speaking to Fox News said":
        // the phrase before the verb is a complement; the subject stands
        // before it.
        // Only a phrase that is no source itself ("at the time"), or one
        // hanging on a participle ("speaking to Fox News"), is skipped:
        // in "after the front-runner had said" the front-runner spoke.
        let after_participle = np.first >= floor + 2
            && self.word(np.first - 2).ends_with("ing")
            && !self.toks[np.first - 2].cap;
        // "Sanders' fundraising email to his supporters notes": a phrase
        // hanging on a noun.
        let after_noun = np.first >= floor + 2
            && matches!(
                self.word(np.first - 1),
                "to" | "of" | "for" | "from" | "with"
            )
            && self.toks[np.first - 2].kind == Kind::Word
            && (is_role_noun(self.word(np.first - 2)) || self.is_name_word(np.first - 2));
        if np.first > floor
            && is_preposition(self.word(np.first - 1))
            && (after_participle || after_noun || !self.is_speaker_like(np, true))
        {
            let mut k = np.first - 1;
            if after_participle {
                k -= 1;
            }
            let k = self.skip_fillers_left(k, floor);
            if k > floor
                && let Some(subject) = self.np_left(k - 1, floor)
            {
                return Some(subject);
            }
            if matches!(
                self.word(np.last),
                "time" | "moment" | "point" | "end" | "start"
            ) {
                return None;
            }
        }
        Some(np)
    }

    // ----- entities and names --------------------------------------------

    /// Persons and institutions named outside quotes, in order: registry
    /// names and roles, and capitalised names of two words or more.
    /// `out` comes empty; `covering` is room for a list of spans.
    fn collect_entities(
        &self,
        mut out: Vec<Entity<'a>>,
        covering: &mut Vec<Span>,
    ) -> Vec<Entity<'a>> {
        out.reserve(self.caps.len() / 4 + self.matches.len());
        // The registry matches that take their words from the runs below,
        // in order and apart, as the matches are.
        covering.clear();
        covering.reserve(self.matches.len());
        for m in &self.matches {
            let Some(ti) = self.token_at(m.span.start) else {
                continue;
            };
            if self.toks[ti].quote.is_some() || m.via == Via::Media {
                continue;
            }
            let end_tok = self.token_at(m.span.end.saturating_sub(1)).unwrap_or(ti);
            covering.push(m.span);
            if self.is_possessive(end_tok) {
                continue;
            }
            let entry = self.registry.speaker(m.entry);
            out.push(Entity {
                at: m.span.start,
                named: Named {
                    name: Cow::Borrowed(&entry.name),
                    kind: entry.kind,
                    registered: true,
                },
                gender: entry.gender,
                subject: self.followed_by_verb(end_tok),
            });
        }
        // Whether a registry match covers byte `at`, asked in text order.
        let mut next = 0;
        let mut covered = |at: usize| {
            while covering.get(next).is_some_and(|s: &Span| s.end <= at) {
                next += 1;
            }
            covering.get(next).is_some_and(|s| s.start <= at)
        };
        // Runs of name words, each from the first name word no run took.
        let mut i = 0;
        for &start in &self.caps {
            if start < i
                || !self.is_name_word(start)
                || self.toks[start].quote.is_some()
                || covered(self.toks[start].span.start)
            {
                continue;
            }
            i = start;
            while i < self.toks.len()
                && self.is_name_word(i)
                && self.toks[i].quote.is_none()
                && !covered(self.toks[i].span.start)
                && self.toks[i].para == self.toks[start].para
            {
                i += 1;
                if self.is_possessive(i - 1) {
                    break;
                }
            }
            let np = Np {
                first: start,
                last: i - 1,
            };
            let titled =
                start > 0 && is_title(self.word(start - 1)) && self.toks[start - 1].quote.is_none();
            let words = (start..i).filter(|&k| !is_title(self.word(k))).count();
            // A person, not a place or a thing: titled, a known first name,
            // or a surname the article also uses alone ("Bayh said").
            let personal = || {
                titled
                    || first_name_gender(self.word(start)).is_some()
                    || (start..i)
                        .any(|k| title_gender(self.word(k)).is_some() || is_title(self.word(k)))
                    || self.used_alone(self.word(i - 1), start)
                    // "Dorian Vale spoke briefly": a two-word name doing something.
                    || (words == 2
                        && self.followed_by_verb(i - 1)
                        && !is_place_word(self.word(i - 1))
                        && !is_institution_word(self.word(i - 1)))
            };
            // Most runs are one capitalised word, which is no entity:
            // whether it is personal is not asked.
            if (words >= 2 || titled)
                && personal()
                && !self.is_possessive(i - 1)
                && let Some((named, gender)) = self.name_speaker(np, titled)
            {
                out.push(Entity {
                    at: self.toks[start].span.start,
                    named,
                    gender,
                    subject: self.followed_by_verb(i - 1),
                });
            }
        }
        out.sort_by_key(|e| e.at);
        out
    }

    /// Whether `surname` also stands alone as a name somewhere other than
    /// the run starting at `run`.
    fn used_alone(&self, surname: &str, run: usize) -> bool {
        // Only runs of two name words or more ask, a few per article: a
        // walk back from the end costs less than a map of every word.
        self.alone
            .iter()
            .rev()
            .take_while(|&&(k, _)| k > run + 3)
            .any(|&(_, name)| name == surname)
    }

    /// Every capitalised word that stands alone outside quotes (no
    /// capitalised word on either side), with its token, in order, less a
    /// possessive: what [`Doc::used_alone`] asks.
    /// `out` comes empty.
    fn lone_names(
        toks: &[Tok<'a>],
        caps: &[usize],
        mut out: Vec<(usize, &'a str)>,
    ) -> Vec<(usize, &'a str)> {
        let capital = |k: usize| toks.get(k).is_some_and(|t| t.cap && t.kind == Kind::Word);
        out.reserve(caps.len());
        for &k in caps {
            let t = &toks[k];
            if t.quote.is_none() && !capital(k + 1) && !(k > 0 && capital(k - 1)) {
                out.push((k, t.lower.strip_suffix("'s").unwrap_or(t.lower)));
            }
        }
        out
    }

    fn token_at(&self, byte: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| t.span.end <= byte);
        (i < self.toks.len() && self.toks[i].span.start <= byte).then_some(i)
    }

    /// A speaker from a run of capitalised words (titles dropped), with the
    /// surname completed from a fuller form the article used earlier.
    fn name_speaker(&self, np: Np, titled: bool) -> Option<(Named<'a>, Option<Gender>)> {
        // Leading titles and roles: "Sen. Ted Cruz", "Kremlin spokesperson Dmitry Peskov".
        let mut gender = None;
        for k in np.first..=np.last {
            if let Some(g) = title_gender(self.word(k)) {
                gender = Some(g);
            }
        }
        // The name words after the last word that is not one or is a
        // title: every word from there on is a name word.
        let from = match (np.first..=np.last)
            .rev()
            .find(|&k| !self.is_name_word(k) || is_title(self.word(k)))
        {
            Some(cut) => cut + 1,
            None => np.first,
        };
        let words = from..np.last + 1;
        if words.is_empty() {
            return None;
        }
        // Countries and cities speak in the news ("Russia said"), but they are
        // never "he" or "she".
        let institution = words
            .clone()
            .any(|k| is_institution_word(without_possessives(self.word(k))))
            || is_place_word(without_possessives(self.word(np.last)));
        // Each word as written, without a possessive.
        let raw = |k: usize| {
            let s = self.toks[k].span.slice(self.text);
            s.strip_suffix("'s")
                .or_else(|| s.strip_suffix("\u{2019}s"))
                .unwrap_or(s)
        };
        // The words joined by spaces: a slice of the text when one space
        // stands between each two and only the last lost a possessive.
        let as_written = (from..np.last).all(|k| {
            let t = &self.toks[k];
            raw(k).len() == t.span.len()
                && self.toks[k + 1].span.start == t.span.end + 1
                && self.text.as_bytes().get(t.span.end) == Some(&b' ')
        });
        let end = self.toks[np.last].span.start + raw(np.last).len();
        let mut name: Cow<'a, str> = match self.text.get(self.toks[from].span.start..end) {
            Some(slice) if as_written => Cow::Borrowed(slice),
            _ => {
                let mut name = String::with_capacity(self.np_span(np).len());
                for k in words.clone() {
                    if k > from {
                        name.push(' ');
                    }
                    name.push_str(raw(k));
                }
                Cow::Owned(name)
            }
        };
        if institution {
            return Some((
                Named {
                    name,
                    kind: SpeakerKind::Institution,
                    registered: false,
                },
                None,
            ));
        }
        let single = words.len() == 1;
        if single && !titled {
            // A surname alone: complete it from an earlier full name.
            let latest_person = self
                .with_surname(&name)
                .rev()
                .find(|e| e.named.kind == SpeakerKind::Person);
            if let Some(full) = latest_person {
                return Some((full.named.clone(), full.gender.or(gender)));
            }
        } else if single {
            let earliest = self.with_surname(&name).next();
            if let Some(full) = earliest {
                gender = gender.or(full.gender);
                name = full.named.name.clone();
            }
        }
        if gender.is_none() {
            // The first word folded is its token's folded form, less the
            // possessive ("'s" and "\u{2019}s" both fold to two bytes).
            let lower = self.word(from);
            let stripped = raw(from).len() < self.toks[from].span.len();
            let first = if stripped {
                lower.get(..lower.len().saturating_sub(2)).unwrap_or("")
            } else {
                lower
            };
            gender = first_name_gender(first);
        }
        Some((
            Named {
                name,
                kind: SpeakerKind::Person,
                registered: false,
            },
            gender,
        ))
    }

    /// The speaker a noun phrase names, and its gender.
    fn resolve(&self, np: Np) -> (Option<Speaker>, Option<Gender>) {
        let span = self.np_span(np);
        let w = self.word(np.last);
        if np.first == np.last
            && let Some(g) = pronoun_gender(w)
        {
            return self.resolve_pronoun(np.first, w, g);
        }
        // A registry match, the last one that is not a possessive.
        let hit = self.matches_in(span).rev().find(|m| {
            !self
                .token_at(m.span.end.saturating_sub(1))
                .is_some_and(|k| self.is_possessive(k) && k < np.last)
        });
        if let Some(m) = hit {
            if m.via == Via::Media {
                let name = &self.registry.media()[m.entry];
                return (
                    Some(Speaker {
                        name: name.clone(),
                        kind: SpeakerKind::Institution,
                        registered: false,
                    }),
                    None,
                );
            }
            let entry = self.registry.speaker(m.entry);
            return (
                Some(Speaker {
                    name: entry.name.clone(),
                    kind: entry.kind,
                    registered: true,
                }),
                entry.gender,
            );
        }
        if self.is_name_word(np.last) && !is_title(w) {
            let titled = np.first < np.last;
            if let Some((named, g)) = self.name_speaker(np, titled) {
                return (Some(named.into_speaker()), g);
            }
        }
        // A description: "a state department spokesperson", "the campaign".
        let first = if is_determiner(self.word(np.first)) && np.first < np.last {
            np.first + 1
        } else {
            np.first
        };
        let text = Span::new(self.toks[first].span.start, span.end).slice(self.text);
        let gender = (np.first..=np.last).find_map(|k| title_gender(self.word(k)));
        let institution = is_institution_word(w);
        (
            Some(Speaker {
                name: text.to_string(),
                kind: if institution {
                    SpeakerKind::Institution
                } else {
                    SpeakerKind::Person
                },
                registered: false,
            }),
            gender,
        )
    }

    fn resolve_pronoun(
        &self,
        at: usize,
        word: &str,
        gender: Option<Gender>,
    ) -> (Option<Speaker>, Option<Gender>) {
        let pos = self.toks[at].span.start;
        let before = self.entities.partition_point(|e| e.at < pos);
        let candidates = self.entities[..before].iter().rev();
        let found = match word {
            "he" | "she" => {
                // The latest compatible person, unless a compatible subject
                // or speaker stands close before it: in "…get along with
                // Putin," he said, "he" is the speaker, not Putin.
                let compatible = || {
                    candidates.clone().take(12).filter(|e| {
                        e.named.kind == SpeakerKind::Person
                            && (e.gender.is_none() || e.gender == gender)
                    })
                };
                let para = self.toks[at].para;
                let near = |e: &&Entity| {
                    self.token_at(e.at)
                        .is_some_and(|k| self.toks[k].para + 2 >= para)
                };
                // A subject whose gender is known to match first, then any
                // near subject, then the latest known match, then the latest.
                // A dozen entities at most: walked again for each question
                // rather than collected.
                let known = |e: &&Entity| e.gender.is_some();
                compatible()
                    .find(|e| e.subject && near(e) && known(e))
                    .or_else(|| compatible().find(|e| e.subject && near(e)))
                    .or_else(|| compatible().find(|e| near(e) && known(e)))
                    .or_else(|| compatible().next())
            }
            "it" => candidates
                .take(6)
                .find(|e| e.named.kind == SpeakerKind::Institution),
            "who" => {
                // The antecedent stands just before the comma before "who".
                return match at.checked_sub(2) {
                    Some(k) if self.is_punct(at - 1, ",") => match self.np_left(k, 0) {
                        Some(np) => self.resolve(np),
                        None => (None, None),
                    },
                    _ => (None, None),
                };
            }
            _ => None,
        };
        match found {
            Some(e) => (Some(e.named.clone().into_speaker()), e.gender),
            None => (None, gender),
        }
    }

    // ----- sentences -------------------------------------------------------

    /// Whether token `i` ends a sentence: terminal punctuation outside
    /// quotes, or a quote whose words end with it and after which a new
    /// sentence starts.
    fn ends_sentence(&self, i: usize, quotes: &[Quote]) -> bool {
        let t = &self.toks[i];
        match t.quote {
            None => {
                t.kind == Kind::Punct
                    && matches!(t.lower, "." | "?" | "!")
                    // "(R-Ky.) said", "p.m. on": a period before a closing
                    // bracket, a comma or a lower-case word ends no sentence.
                    && !self.toks.get(i + 1).is_some_and(|n| {
                        n.para == t.para
                            && n.quote.is_none()
                            && (matches!(n.lower, ")" | "," | ";") || (n.kind == Kind::Word && !n.cap))
                    })
            }
            Some(q) => {
                let last_of_quote = self.toks.get(i + 1).is_none_or(|n| n.quote != Some(q));
                if !last_of_quote {
                    return false;
                }
                let words = quotes[q]
                    .span
                    .slice(self.text)
                    .trim_end_matches(['"', '\'', ')', '\u{2019}', '\u{201D}']);
                let terminal = words.ends_with(['.', '?', '!', '\u{2026}']);
                let next_cap = self
                    .toks
                    .get(i + 1)
                    .is_none_or(|n| n.para != t.para || n.cap || n.quote.is_some());
                terminal && next_cap
            }
        }
    }

    // ----- the rules ---------------------------------------------------------

    fn run(&mut self, quotes: &[Quote]) -> Analysis {
        let mut quotations: Vec<Quotation> = Vec::with_capacity(quotes.len());
        let mut asides = Vec::new();
        for (qi, quote) in quotes.iter().enumerate() {
            let (first, last) = self.quote_tokens[qi];
            if first == usize::MAX {
                continue;
            }
            let (sent_start, sent_end) = self.sentence_around(first, last);
            let found = if quote.form == QuoteForm::Block {
                self.block_lead_in(first)
            } else {
                // A reporting verb right before the quote ("she angrily
                // said, “…” about her record, Sanders jabbed") takes
                // precedence over anything after it.
                let mut p = first;
                while p > sent_start && matches!(self.word(p - 1), "," | ":") {
                    p -= 1;
                }
                let immediate = p > sent_start && p < first && self.is_cue(p - 1, sent_start);
                immediate
                    .then(|| self.before(first, sent_start))
                    .flatten()
                    .or_else(|| self.after(last, sent_end, quote))
                    .or_else(|| self.before(first, sent_start))
                    .or_else(|| {
                        // "Dr. Ward stated:" ¶ "The U.S. Department ..."
                        let opens = self.paras[quote.paragraph].start == quote.outer.start;
                        let led = quote.paragraph > 0
                            && self.paras[quote.paragraph - 1]
                                .slice(self.text)
                                .ends_with(':');
                        (opens && led).then(|| self.block_lead_in(first)).flatten()
                    })
            };
            let attribution = match found {
                Some(f) => Some(self.make(f, sent_start, sent_end)),
                None if quote.form == QuoteForm::Block => {
                    // A colon paragraph with no speech cue: a list or a
                    // caption, not a block quote.
                    continue;
                }
                None => {
                    let partial = self.is_partial(first, quote);
                    let lead_in = first > sent_start
                        && (self.is_punct(first - 1, ":")
                            || (!partial && self.is_punct(first - 1, ",")));
                    let subject = (partial || lead_in)
                        .then(|| self.sentence_subject(sent_start, first, false))
                        .flatten()
                        .map(|f| Found {
                            rule: if lead_in { "lead-in" } else { f.rule },
                            ..f
                        })
                        .or_else(|| {
                            (first == sent_start)
                                .then(|| self.previous_sentence(sent_start))
                                .flatten()
                        })
                        .map(|f| self.make(f, sent_start, sent_end));
                    subject.or_else(|| self.continuation(quote, &quotations))
                }
            };
            let partial = self.is_partial(first, quote);
            if quote.form == QuoteForm::Marked && self.names_a_work(first, last, quote) {
                asides.push(Aside {
                    quote: *quote,
                    reason: "title",
                });
                continue;
            }
            match attribution {
                Some(mut a) => {
                    a.partial = partial && quote.form != QuoteForm::Block;
                    // "TASS quoted Putin as saying “…” ¶ He added that …
                    // “…”": the same speaker's next words, in this or the
                    // next paragraph, come through the same intermediary.
                    // The cue is a token: its folded form is at hand.
                    let adds = a.cue.and_then(|c| self.token_at(c.start)).is_some_and(|k| {
                        matches!(self.word(k), "added" | "adds" | "continued" | "continues")
                    });
                    if a.cited.is_none()
                        && adds
                        && let Some(prev) = quotations.last()
                        && prev.attribution.speaker.is_some()
                        && prev.attribution.speaker == a.speaker
                        && prev.quote.paragraph + 1 >= quote.paragraph
                    {
                        a.cited = prev.attribution.cited.clone();
                    }
                    // Only named speakers become antecedents: "he" never
                    // refers back to "a senior aide".
                    let named = a
                        .mention
                        .and_then(|m| self.token_at(m.end.saturating_sub(1)))
                        .is_some_and(|k| {
                            self.is_name_word(k) || pronoun_gender(self.word(k)).is_some()
                        });
                    if let Some(s) = &a.speaker
                        && let Some(m) = a.mention
                        && (named || s.registered)
                    {
                        self.note_entity(m.start, s.clone());
                    }
                    quotations.push(Quotation {
                        quote: *quote,
                        attribution: a,
                    });
                }
                None => match self.aside_reason(quote) {
                    Some(reason) => asides.push(Aside {
                        quote: *quote,
                        reason,
                    }),
                    None => {
                        let attribution = match self.paragraph_subject(first, last) {
                            Some(f) => Attribution {
                                partial,
                                ..self.make(f, sent_start, sent_end)
                            },
                            None => Attribution {
                                speaker: None,
                                mention: None,
                                cue: None,
                                cited: None,
                                rule: "unattributed",
                                confidence: 0.0,
                                partial,
                            },
                        };
                        quotations.push(Quotation {
                            quote: *quote,
                            attribution,
                        })
                    }
                },
            }
        }
        Analysis { quotations, asides }
    }

    /// Record an attributed speaker at its mention, so later pronouns can
    /// refer to it.
    fn note_entity(&mut self, at: usize, speaker: Speaker) {
        if speaker.kind != SpeakerKind::Person {
            return;
        }
        let gender = self
            .entities
            .iter()
            .find(|e| e.named.name == speaker.name)
            .and_then(|e| e.gender)
            .or_else(|| {
                self.registry
                    .speakers()
                    .iter()
                    .find(|s| s.name == speaker.name)
                    .and_then(|s| s.gender)
            });
        self.add_entity(Entity {
            at,
            named: Named {
                name: Cow::Owned(speaker.name),
                kind: speaker.kind,
                registered: speaker.registered,
            },
            gender,
            subject: true,
        });
    }

    /// The first and one-past-last token of the sentence holding the quote
    /// whose tokens are `first..=last`, within its paragraph.
    fn sentence_around(&self, first: usize, last: usize) -> (usize, usize) {
        let (para_start, para_end) = self.para_tokens(self.toks[first].para);
        let start = Doc::between(&self.sentence_ends, para_start, first)
            .last()
            .map_or(para_start, |&e| e + 1);
        let end = if last + 1 >= para_end {
            last + 1
        } else {
            Doc::between(&self.sentence_ends, last + 1, para_end)
                .first()
                .map_or(para_end, |&e| e + 1)
        };
        (start, end)
    }

    /// A clause that closes the quote's sentence: `“…” that is blatantly
    /// sexist, Brock said.`
    fn sentence_final(&self, last: usize, ceil: usize) -> Option<Found> {
        let end = (last + 1..ceil)
            .rev()
            .find(|&k| self.toks[k].kind == Kind::Word)?;
        let floor = (last + 1).max(end.saturating_sub(14));
        for k in (floor..=end).rev() {
            if self.toks[k].quote.is_some() {
                return None;
            }
            // ", according to her lawyers."
            if self.word(k) == "according"
                && k > 0
                && self.is_punct(k - 1, ",")
                && k + 2 <= end
                && self.word(k + 1) == "to"
                && let Some(np) = self.np_right(k + 2, ceil)
            {
                return Some(Found {
                    np,
                    cue: Some(k),
                    rule: "according-to",
                    confidence: 0.85,
                    via: None,
                });
            }
            if !self.is_cue(k, usize::MAX) || self.word(k).ends_with("ing") {
                continue;
            }
            // ", Brock said." / ", said Brock."
            let np = self.subject_of(k, last + 1).or_else(|| {
                self.np_right(k + 1, ceil)
                    .filter(|_| k > 0 && self.is_punct(k - 1, ","))
            })?;
            let before = if np.first < k { np.first } else { k };
            // ", Brock said." or a second quote's `,”` before the clause:
            // `Guns are “…” and “…,” Howard Dean proclaimed.`
            if before == 0
                || !(self.is_punct(before - 1, ",") || self.toks[before - 1].quote.is_some())
            {
                return None;
            }
            return Some(Found {
                np,
                cue: Some(k),
                rule: "after",
                confidence: 0.85,
                via: None,
            });
        }
        None
    }

    /// A dash and a name closing the paragraph or sentence: `“Maybe we can
    /// build a wall around him.” ― Steve Quinlan`.
    fn byline(&self, last: usize) -> Option<Found> {
        let d = last + 1;
        let para = self.toks[last].para;
        if d + 1 >= self.toks.len()
            || self.toks[d].para != para
            || !matches!(self.word(d), "\u{2015}" | "\u{2014}" | "\u{2013}" | "-")
        {
            return None;
        }
        let mut a = d + 1;
        while a < self.toks.len() && self.is_punct(a, "-") {
            a += 1;
        }
        let (_, end) = self.para_tokens(para);
        if a >= end {
            return None;
        }
        let np = self.np_right(a, end)?;
        let closes = np.last + 1 >= end || matches!(self.word(np.last + 1), "." | "," | "(" | ";");
        (closes && self.is_name_word(np.last)).then_some(Found {
            np,
            cue: Some(d),
            rule: "byline",
            confidence: 0.8,
            via: None,
        })
    }

    /// A parenthetical attribution anywhere later in the sentence: `“…” to
    /// drive up the stock price, she said, referencing ...`.
    fn parenthetical(&self, last: usize, ceil: usize) -> Option<Found> {
        for k in last + 1..ceil {
            if self.toks[k].quote.is_some() {
                return None;
            }
            if !self.is_cue(k, usize::MAX) || self.word(k).ends_with("ing") {
                continue;
            }
            let after_ok = |i: usize| i >= ceil || matches!(self.word(i), "," | "." | ";");
            // ", she said," / ", said Peskov,"
            let before = self.subject_of(k, last + 1).filter(|np| {
                np.first > last + 1 && self.is_punct(np.first - 1, ",") && after_ok(k + 1)
            });
            let inverted = || {
                self.np_right(k + 1, ceil)
                    .filter(|np| self.is_punct(k - 1, ",") && after_ok(np.last + 1))
            };
            if let Some(np) = before
                .filter(|&np| self.is_speaker_like(np, true))
                .or_else(|| inverted().filter(|&np| self.is_speaker_like(np, true)))
            {
                return Some(Found {
                    np,
                    cue: Some(k),
                    rule: "after",
                    confidence: 0.8,
                    via: None,
                });
            }
        }
        None
    }

    /// `“…,” he said` / `“…,” said Peskov` / `“…,” Peskov, the Kremlin's
    /// spokesman, told reporters`.
    fn after(&self, last: usize, ceil: usize, quote: &Quote) -> Option<Found> {
        self.right_after(last, ceil, quote)
            .or_else(|| self.sentence_final(last, ceil))
            .or_else(|| self.parenthetical(last, ceil))
    }

    fn right_after(&self, last: usize, ceil: usize, quote: &Quote) -> Option<Found> {
        if let Some(found) = self.byline(last) {
            return Some(found);
        }
        let mut a = last + 1;
        while a < ceil
            && self.toks[a].kind == Kind::Punct
            && matches!(self.word(a), "," | "\u{2014}" | "-" | "\u{2013}")
        {
            a += 1;
        }
        if a >= ceil || self.toks[a].quote.is_some() {
            return None;
        }
        // After a quote that ends its sentence, only a lower-case
        // continuation ("he said") or a bare "Name said." attributes it.
        let words = quote.span.slice(self.text);
        let ended = words.ends_with(['.', '?', '!', '\u{2026}']);
        if ended && self.toks[a].cap {
            // `“Why now?” Mills then writes back, “…”` starts a new
            // sentence; `“Why now?” Mills asked.` does not.
            let np = self
                .np_right(a, ceil)
                .filter(|&np| self.is_speaker_like(np, true))?;
            let mut v = self.skip_fillers_right(np.last + 1, ceil);
            if v < ceil && self.is_punct(v, ",") {
                // `“…?” Miller, a retired worker, said pleasantly.`
                let close = (v + 1..ceil.min(v + 16)).find(|&k| self.is_punct(k, ","))?;
                v = self.skip_fillers_right(close + 1, ceil);
            }
            // The verb ends the clause: punctuation, or an adverb or a
            // phrase of place or time follows, never an object or a
            // clause of its own.
            // After the verb only adverbs, times and short phrases of place
            // may stand before the sentence ends: "said pleasantly into the
            // phone." but not "warned Saturday that the move ...".
            let mut e = v + 1;
            while e < ceil
                && self.toks[e].kind == Kind::Word
                && (is_verb_filler(self.word(e))
                    || is_time_word(self.word(e))
                    || is_preposition(self.word(e))
                    || is_determiner(self.word(e))
                    || (e > v + 1 && is_preposition(self.word(e - 1))))
                && self.word(e) != "that"
            {
                e += 1;
            }
            let bare = v < ceil
                && self.is_cue(v, usize::MAX)
                && (e >= ceil || matches!(self.word(e), "." | "," | ";" | "!" | "?"))
                && !(v + 1..ceil).any(|k| self.toks[k].quote.is_some());
            return bare.then_some(Found {
                np,
                cue: Some(v),
                rule: "after",
                confidence: 0.8,
                via: None,
            });
        }
        let w = self.word(a);
        if w == "according" && a + 2 < ceil && self.word(a + 1) == "to" {
            let np = self.np_right(a + 2, ceil)?;
            return Some(Found {
                np,
                cue: Some(a),
                rule: "according-to",
                confidence: 0.9,
                via: None,
            });
        }
        let inverted_any = words.ends_with([',', '?', '!'])
            && !self.toks[a].cap
            && w.ends_with("ed")
            && self
                .np_right(a + 1, ceil)
                .is_some_and(|np| self.is_name_word(np.last) || is_role_noun(self.word(np.last)));
        if self.is_cue(a, usize::MAX) || inverted_any {
            // Inversion: "said Kremlin spokesman Dmitry Peskov".
            let np = self.np_right(a + 1, ceil)?;
            return Some(Found {
                np,
                cue: Some(a),
                rule: "after",
                confidence: 0.95,
                via: None,
            });
        }
        // “a unifier” who soon wanted...: the relative clause is about the
        // quoted words, not their speaker.
        if matches!(w, "who" | "which" | "that") {
            return None;
        }
        // Only a quote that leaves its sentence open (`,”` `?”` `!”` `—”`)
        // hands it to a verb that is not a reporting verb, or to a speaker
        // the phrase parser does not take whole; a fragment like
        // “segregate” continues the reporter's own sentence.
        let open_end = words.ends_with([',', '?', '!', '\u{2014}', '-', '\u{2013}']);
        self.np_right(a, ceil)
            .and_then(|np| self.speaker_then_verb(np, ceil, open_end))
            .or_else(|| {
                if !open_end {
                    return None;
                }
                // Words the phrase parser does not take, then the speaker and
                // the verb: "CBS This Morning co-anchor DeMarco Morgan said".
                let cue = (a + 1..ceil.min(a + 9))
                    .take_while(|&k| {
                        self.toks[k].kind == Kind::Word && self.toks[k].quote.is_none()
                    })
                    .find(|&k| self.is_cue(k, usize::MAX))?;
                let np = self.np_left(cue - 1, a)?;
                Some(Found {
                    np,
                    cue: Some(cue),
                    rule: "after",
                    confidence: 0.8,
                    via: None,
                })
            })
    }

    /// `“…,” NP [, apposition,] VERB`: the speaker first, then the verb.
    fn speaker_then_verb(&self, np: Np, ceil: usize, open_end: bool) -> Option<Found> {
        let mut v = self.skip_fillers_right(np.last + 1, ceil);
        if v < ceil && self.is_punct(v, ",") {
            // "Peskov, the Kremlin's spokesman, said"
            let close = (v + 1..ceil.min(v + 16)).find(|&k| self.is_punct(k, ","))?;
            v = self.skip_fillers_right(close + 1, ceil);
        }
        if v >= ceil {
            return None;
        }
        let cue = self.word(v);
        // After `,”` any verb reports the quote: “…,” an angry Hollande
        // retaliated.
        if open_end
            && !is_cue_verb(cue)
            && (is_verbish(cue)
                || (self.is_verb_after_subject(v) && self.is_speaker_like(np, true)))
            && self.is_verb_after_subject(v)
        {
            return Some(Found {
                np,
                cue: Some(v),
                rule: "after",
                confidence: 0.8,
                via: None,
            });
        }
        if QUOTING_VERBS.contains(&cue) {
            // "TASS quoted Putin as saying"
            let speaker = self.np_right(v + 1, ceil)?;
            return Some(Found {
                np: speaker,
                cue: Some(v),
                rule: "quoted-as",
                confidence: 0.9,
                via: Some(np),
            });
        }
        self.is_cue(v, usize::MAX).then_some(Found {
            np,
            cue: Some(v),
            rule: "after",
            confidence: 0.95,
            via: None,
        })
    }

    /// [`Doc::skip_fillers_left`], rightwards.
    fn skip_fillers_right(&self, mut i: usize, ceil: usize) -> usize {
        loop {
            if i >= ceil {
                return i;
            }
            let t = &self.toks[i];
            if t.quote.is_some() {
                return i;
            }
            // Fillers in lower case ("Will" is a name); days and months
            // either way ("later Thursday").
            if t.kind == Kind::Word
                && ((!t.cap && is_verb_filler(t.lower)) || is_time_word(t.lower))
            {
                i += 1;
                continue;
            }
            if t.kind == Kind::Punct
                && t.lower == "("
                && let Some(close) = (i + 1..ceil.min(i + 10)).find(|&k| self.is_punct(k, ")"))
            {
                i = close + 1;
                continue;
            }
            return i;
        }
    }

    /// The reporting verb nearest before the quote, within its sentence, and
    /// its subject.
    fn before(&self, first: usize, floor: usize) -> Option<Found> {
        // "Trump: “…”" — a name and a colon opening the sentence.
        if first > floor + 1
            && self.is_punct(first - 1, ":")
            && let Some(np) = self.np_left(first - 2, floor)
            && np.last - np.first < 4
            // "HEADLINE - Jeffrey M. Jones: “…”"
            && (np.first == floor || self.is_pause(np.first - 1))
        {
            return Some(Found {
                np,
                cue: Some(first - 1),
                rule: "colon",
                confidence: 0.8,
                via: None,
            });
        }
        // Only words that may be a cue or open a source can stop the walk.
        let lo = self.cue_words.partition_point(|&k| k < floor);
        let mut hi = lo + Doc::between(&self.cue_words, floor, first).len();
        let mut barren = self.barren.borrow_mut();
        if barren.floor.len() != self.cue_words.len() {
            // First asked for this article (they come empty).
            let Barren { floor, skip } = &mut *barren;
            floor.resize(self.cue_words.len(), usize::MAX);
            skip.resize(self.cue_words.len(), 0);
        }
        // The barren entries walked over since the last live one: they all
        // skip to wherever the walk goes on.
        let mut passed: Vec<usize> = Vec::new();
        while hi > lo {
            let i = hi - 1;
            if barren.floor[i] == floor {
                passed.push(i);
                hi = barren.skip[i].max(lo);
                continue;
            }
            for p in passed.drain(..) {
                barren.skip[p] = hi;
            }
            hi = i;
            let k = self.cue_words[i];
            if let Some(found) = self.before_at(k, floor, first) {
                return Some(found);
            }
            let w = self.toks[k].lower;
            if k != floor && !matches!(w, "according" | "words") {
                barren.floor[i] = floor;
                barren.skip[i] = i;
                passed.push(i);
            }
        }
        for p in passed {
            barren.skip[p] = hi;
        }
        None
    }

    /// What [`Doc::before`] finds at the cue word `k`, for the quote at
    /// `first` in the sentence from `floor`.
    fn before_at(&self, k: usize, floor: usize, first: usize) -> Option<Found> {
        let w = self.toks[k].lower;
        // "according to X", "in the words of X"
        let according = w == "according" && k + 2 < first && self.word(k + 1) == "to";
        let in_words_of = w == "words"
            && k + 2 < first
            && self.word(k + 1) == "of"
            && k >= 2
            && self.word(k - 1) == "the"
            && self.word(k - 2) == "in";
        // "in Forbes' words, “…”"
        if w == "words"
            && k >= 2
            && self.word(k - 2) == "in"
            && self.toks[k - 1].cap
            && (self.is_possessive(k - 1) || self.word(k - 1).ends_with('\''))
        {
            return Some(Found {
                np: Np::one(k - 1),
                cue: Some(k),
                rule: "according-to",
                confidence: 0.85,
                via: None,
            });
        }
        let source = (according || in_words_of).then_some(k + 2);
        if let Some(at) = source {
            // Whatever stands between "according to" and its comma is
            // the source, parsed or not: "According to some on
            // Twitter, Kelly was “incognito”".
            let up_to_comma = || {
                let comma = (at..first.min(at + 9)).find(|&c| self.is_punct(c, ","))?;
                (comma > at && (at..comma).all(|c| self.toks[c].kind == Kind::Word)).then_some(Np {
                    first: at,
                    last: comma - 1,
                })
            };
            if let Some(np) = self.np_right(at, first).or_else(up_to_comma) {
                return Some(Found {
                    np,
                    cue: Some(k),
                    rule: "according-to",
                    confidence: 0.9,
                    via: None,
                });
            }
            return None;
        }
        if w == "saying" && k > floor && self.word(k - 1) == "as" {
            // "TASS quoted Putin as saying “…”"
            let quoting = (floor..k)
                .rev()
                .find(|&v| QUOTING_VERBS.contains(&self.word(v)));
            if let Some(v) = quoting
                && let Some(np) = self.np_right(v + 1, k)
            {
                return Some(Found {
                    np,
                    cue: Some(v),
                    rule: "quoted-as",
                    confidence: 0.9,
                    via: self.subject_of(v, floor),
                });
            }
        }
        if !self.is_cue(k, floor) {
            return None;
        }
        // A participle's nearest noun is often its object, not its
        // subject: "issued a statement describing", "started out their
        // ninth debate saying".
        let object =
            |np: &Np| matches!(self.word(np.first), "a" | "an") || !self.is_speaker_like(*np, true);
        let participle = w.ends_with("ing");
        // The sentence's subject, credited through the participle.
        let through_participle = |f: Found| Found {
            cue: Some(k),
            rule: "before",
            confidence: 0.7,
            ..f
        };
        let subject = self.subject_of(k, floor);
        if participle
            && subject.is_some_and(|np| object(&np))
            && let Some(f) = self.sentence_subject(floor, k, false)
        {
            // "Trump and Ryan issued a statement describing ..."
            return Some(through_participle(f));
        }
        if let Some(np) = subject {
            return Some(Found {
                np,
                cue: Some(k),
                rule: "before",
                confidence: 0.9,
                via: None,
            });
        }
        // "Said Trump: “…”"
        if k == floor
            && let Some(np) = self.np_right(k + 1, first)
        {
            return Some(Found {
                np,
                cue: Some(k),
                rule: "before",
                confidence: 0.85,
                via: None,
            });
        }
        // A participle with its subject further left ("he said, adding
        // “…”"): keep looking; failing that, the sentence's subject
        // ("Mr. Cruz seemed to mock him, saying ''…''").
        if participle && let Some(f) = self.sentence_subject(floor, k, false) {
            return Some(through_participle(f));
        }
        None
    }

    /// The subject of the sentence a partial quote stands in, when the
    /// sentence has no reporting verb: `He anticipated that the biggest
    /// challenge would be “dealing with …”`.
    fn sentence_subject(&self, start: usize, first: usize, strict: bool) -> Option<Found> {
        // The subject may follow an opening phrase: "On Monday, he ...",
        // "Moreover, as part of the exchange, Gowdy referenced ...", "But he".
        let mut starts = vec![start];
        if start < first
            && matches!(
                self.word(start),
                "but" | "and" | "so" | "yet" | "still" | "then" | "now" | "instead"
            )
        {
            starts.push(start + 1);
        }
        // After a comma, or after a quoted title: `Wednesday on “Fox &
        // Friends,” Rep. Michael McCaul discussed ...`.
        starts.extend(
            Doc::between(&self.openers, start, first)
                .iter()
                .take(4)
                .map(|&k| {
                    let mut i = k + 1;
                    while i < first && (self.toks[i].quote.is_some() || self.is_punct(i, ",")) {
                        i += 1;
                    }
                    i
                }),
        );
        let (np, v) = starts.into_iter().find_map(|i| {
            let np = self.np_right(i, first)?;
            let mut v = self.skip_fillers_right(np.last + 1, first);
            // "Netanyahu and other right-wing Israeli leaders shunned ..."
            if v < first
                && self.word(v) == "and"
                && let Some(other) = self.np_right(v + 1, first)
            {
                v = self.skip_fillers_right(other.last + 1, first);
            }
            // "A spokesman for Platte River declined", "The French
            // minister, Ségolène Royal, alluded": a short phrase or an
            // apposition between the subject and its verb.
            if v < first && is_preposition(self.word(v)) && self.word(v) != "to" {
                let mut k = v + 1;
                while k < first.min(v + 5)
                    && self.toks[k].kind == Kind::Word
                    && !self.is_verb_after_subject(k)
                {
                    k += 1;
                }
                v = self.skip_fillers_right(k, first);
            } else if v < first
                && self.is_punct(v, ",")
                && let Some(close) = (v + 1..first.min(v + 14)).find(|&k| self.is_punct(k, ","))
            {
                v = self.skip_fillers_right(close + 1, first);
            }
            let verb = v < first && self.is_verb_after_subject(v);
            // "Gowdy did not release ...": an auxiliary makes the clause.
            let aux = np.last + 1 < first
                && is_verb_filler(self.word(np.last + 1))
                && is_verbish(self.word(np.last + 1));
            ((verb || aux) && self.is_speaker_like(np, strict)).then_some((np, v))
        })?;
        Some(Found {
            np,
            cue: Some(v),
            rule: "sentence-subject",
            confidence: 0.5,
            via: None,
        })
    }

    /// A comma or a dash: what sets an apposition off.
    fn is_pause(&self, k: usize) -> bool {
        let t = &self.toks[k];
        t.kind == Kind::Punct
            && t.quote.is_none()
            && matches!(t.lower, "," | "-" | "\u{2014}" | "\u{2013}")
    }

    /// Whether token `k`, right after a subject, is its finite verb: any
    /// lower-case word that is not a function word ("Fiorina threw her
    /// support", "Gowdy referenced a report").
    fn is_verb_after_subject(&self, k: usize) -> bool {
        let t = &self.toks[k];
        if t.kind != Kind::Word || t.cap || t.quote.is_some() {
            return false;
        }
        let w = t.lower;
        is_verbish(w)
            || (w.chars().all(char::is_alphabetic)
                && !is_preposition(w)
                && !is_determiner(w)
                && !is_not_name(w)
                && !matches!(
                    w,
                    "who" | "which" | "whose" | "whom" | "and" | "or" | "nor" | "not"
                ))
    }

    /// Whether a phrase names a place ("Columbus, Ohio").
    fn names_place(&self, np: Np) -> bool {
        is_place_word(without_possessives(self.word(np.last)))
    }

    /// Whether a subject can be a source: a pronoun, a registry speaker or a
    /// name, or (unless `strict`, which is for sentences with no reporting
    /// verb at all) any described source ("the retired neurosurgeon").
    fn is_speaker_like(&self, np: Np, strict: bool) -> bool {
        let head = self.word(np.last);
        // "Trump's gloomy tone was ...": a possessive modifies the subject.
        if self.is_possessive(np.last) {
            return false;
        }
        if np.first == np.last && pronoun_gender(head).is_some() {
            return !strict || matches!(head, "he" | "she" | "they" | "i" | "we");
        }
        if self.is_name_word(np.last) || is_role_noun(head) {
            return true;
        }
        let registered = self
            .matches_in(self.np_span(np))
            .any(|m| m.via != Via::Media);
        registered || (!strict && is_determiner(self.word(np.first)))
    }

    /// The last source named as a clause subject earlier in the paragraph,
    /// else the first one after the quote: the article's focus when no
    /// sentence says who spoke (`Viguerie is upbeat about Cruz's chances.
    /// “Not only can Ted Cruz win …”`). Low confidence by design.
    fn paragraph_subject(&self, first: usize, last: usize) -> Option<Found> {
        let para = self.toks[first].para;
        let (_, para_end) = self.para_tokens(para);
        let mut cache = self.subjects.borrow_mut();
        let subjects = match &mut *cache {
            Some(c) if c.para == para => c,
            other => other.insert(Subjects {
                para,
                found: self.sentence_subjects(para),
            }),
        };
        let found = &subjects.found;
        // The last one before the quote, else the clause right after it
        // (the quote's own sentence may go on), else the next sentence's.
        let before = found[..found.partition_point(|(s, _)| *s < first)].last();
        let found = match before {
            Some((_, f)) => f.clone(),
            None => (last + 1 < para_end)
                .then(|| self.subject_from(last + 1, para_end))
                .flatten()
                .or_else(|| {
                    let next = found.partition_point(|(s, _)| *s <= last + 1);
                    found.get(next).map(|(_, f)| f.clone())
                })?,
        };
        Some(Found {
            rule: "paragraph-subject",
            confidence: 0.4,
            ..found
        })
    }

    /// The clause subjects ([`Doc::subject_from`]) of the sentences of
    /// paragraph `para`, with the token each sentence starts at: the
    /// paragraph's start and every token after a sentence-ending
    /// punctuation mark outside quotes.
    fn sentence_subjects(&self, para: usize) -> Vec<(usize, Found)> {
        let (start, end) = self.para_tokens(para);
        std::iter::once(start)
            .chain(
                Doc::between(&self.plain_ends, start, end)
                    .iter()
                    .map(|&k| k + 1),
            )
            .filter(|&s| s < end)
            .filter_map(|s| Some((s, self.subject_from(s, end)?)))
            .collect()
    }

    /// The subject of the clause starting at token `s`, read up to the next
    /// quote or `end`.
    fn subject_from(&self, s: usize, end: usize) -> Option<Found> {
        let next_quote = if self.toks[s].quote.is_some() {
            s
        } else {
            let q = self.quote_starts.partition_point(|&first| first < s);
            self.quote_starts.get(q).copied().unwrap_or(end)
        };
        self.sentence_subject(s, next_quote.min(end), true)
    }

    /// For a quote that is a sentence of its own, the speaker of the
    /// sentence before it in the paragraph, when that sentence reports
    /// speech: `she said she had made progress. "I really believe ..."`.
    fn previous_sentence(&self, start: usize) -> Option<Found> {
        let end = start.checked_sub(1)?;
        let para = self.toks[start].para;
        if self.toks[end].para != para || self.toks[end].quote.is_some() {
            return None;
        }
        let mut floor = end;
        while floor > 0
            && self.toks[floor - 1].para == para
            && !(self.toks[floor - 1].kind == Kind::Punct
                && matches!(self.word(floor - 1), "." | "?" | "!"))
        {
            if self.toks[floor - 1].quote.is_some() {
                return None;
            }
            floor -= 1;
        }
        let found =
            (floor..end).find(|&k| self.is_cue(k, floor) && !self.word(k).ends_with("ing"))?;
        let np = self.subject_of(found, floor)?;
        Some(Found {
            np,
            cue: Some(found),
            rule: "previous-sentence",
            confidence: 0.7,
            via: None,
        })
    }

    /// The lead-in of a block quote: the last sentence of the paragraph
    /// before it, which must hold a reporting verb with its subject.
    fn block_lead_in(&self, first: usize) -> Option<Found> {
        let para = self.toks[first].para.checked_sub(1)?;
        let end = first;
        let mut start = end;
        while start > 0 && self.toks[start - 1].para == para {
            start -= 1;
        }
        let mut floor = start;
        for k in start..end.saturating_sub(1) {
            if self.toks[k].kind == Kind::Punct && matches!(self.word(k), "." | "?" | "!") {
                floor = k + 1;
            }
        }
        self.before(end, floor)
            .filter(|f| f.rule != "colon")
            .or_else(|| {
                // "Trump issued the following statement:"
                self.sentence_subject(floor, end, false).map(|f| Found {
                    rule: "lead-in",
                    confidence: 0.6,
                    ..f
                })
            })
    }

    /// A quote with no cue of its own continues the previous quote of its
    /// paragraph, or opens a paragraph that continues the last one.
    fn continuation(&self, quote: &Quote, done: &[Quotation]) -> Option<Attribution> {
        let prev = done.last()?;
        // A speaker, or at least a mention ("“Okay,” I said. “I was
        // seventeen …”" continues the same unnamed "I").
        if prev.attribution.speaker.is_none() && prev.attribution.mention.is_none() {
            return None;
        }
        let same_para = prev.quote.paragraph == quote.paragraph;
        let para_start = self.paras[quote.paragraph].start == quote.outer.start;
        let next_para = para_start && prev.quote.paragraph + 1 == quote.paragraph;
        if !(same_para || next_para) {
            return None;
        }
        Some(Attribution {
            rule: if same_para {
                "continuation"
            } else {
                "next-paragraph"
            },
            confidence: 0.75,
            partial: false,
            ..prev.attribution.clone()
        })
    }

    fn make(&self, f: Found, sent_start: usize, sent_end: usize) -> Attribution {
        let (speaker, _) = self.resolve(f.np);
        let mention = Some(self.np_span(f.np));
        let mut cited = f.via.and_then(|np| self.media_name(np));
        if cited.is_none() {
            // The intermediary may stand in the lead-in of a block quote,
            // outside the quote's own sentence: "TASS relates he told the
            // FSB that:".
            let (para_start, _) = self.para_tokens(self.toks[f.np.first].para);
            let lead = Doc::between(&self.plain_ends, para_start, f.np.first)
                .last()
                .map_or(para_start, |&e| e + 1);
            cited = self.cited_in(sent_start.min(lead), sent_end.max(f.np.last + 1), f.np);
        }
        Attribution {
            speaker,
            mention,
            cue: f.cue.map(|c| self.toks[c].span),
            cited,
            rule: f.rule,
            confidence: f.confidence,
            partial: false,
        }
    }

    /// The medium a noun phrase names ("Russian state news agency TASS").
    fn media_name(&self, np: Np) -> Option<String> {
        let span = self.np_span(np);
        if let Some(m) = self.matches_in(span).find(|m| m.via == Via::Media) {
            return Some(self.registry.media()[m.entry].clone());
        }
        let words = || (np.first..=np.last).filter(|&k| self.is_name_word(k));
        let newsy = words().any(|k| {
            matches!(
                self.word(k),
                "news"
                    | "times"
                    | "post"
                    | "journal"
                    | "tribune"
                    | "herald"
                    | "gazette"
                    | "magazine"
                    | "radio"
                    | "tv"
                    | "television"
                    | "agency"
                    | "network"
                    | "channel"
            )
        });
        newsy.then(|| {
            let mut name = String::with_capacity(self.np_span(np).len());
            for (i, k) in words().enumerate() {
                if i > 0 {
                    name.push(' ');
                }
                name.push_str(self.toks[k].span.slice(self.text));
            }
            name
        })
    }

    /// An intermediary the sentence credits besides the speaker: "told
    /// TASS", "told Fox News", "Reuters reported", "TASS relates".
    fn cited_in(&self, start: usize, end: usize, speaker: Np) -> Option<String> {
        let mut cache = self.cited.borrow_mut();
        let credits = match &mut *cache {
            Some(c) if c.start == start && c.end == end => c,
            other => other.insert(Credits {
                start,
                end,
                found: self.credits(start, end),
            }),
        };
        credits
            .found
            .iter()
            .find(|(k, np, _)| {
                let apart = np.last < speaker.first || np.first > speaker.last;
                !(speaker.first..=speaker.last).contains(k) && apart
            })
            .map(|(_, _, name)| name.clone())
    }

    /// Every media name credited between tokens `start` and `end`, whoever
    /// the speaker: what [`Doc::cited_in`] chooses from.
    fn credits(&self, start: usize, end: usize) -> Vec<(usize, Np, String)> {
        let mut out = Vec::new();
        for &k in Doc::between(&self.credit_words, start, end) {
            let w = self.toks[k].lower;
            // The word before "to", "with" or "by" must be in the range.
            let addressee =
                self.names_addressee(k) && (k > start || matches!(w, "told" | "tells" | "telling"));
            let object = if addressee {
                self.np_right(k + 1, end)
            } else if is_cue_verb(w) {
                self.subject_of(k, start)
            } else {
                None
            };
            if let Some(np) = object
                && let Some(name) = self.media_name(np)
            {
                out.push((k, np, name));
            }
        }
        out
    }

    /// Whether the phrase after token `k` names who was spoken to or quoted
    /// by: "told TASS", "said to Reuters", "in an interview with Interfax",
    /// "speaking to Fox News", "was quoted as saying by the RIA Novosti news
    /// agency".
    fn names_addressee(&self, k: usize) -> bool {
        let prev = || k.checked_sub(1).map(|p| self.word(p));
        // The words below, and no other (see [`LISTED`]).
        if !ADDRESSEE_WORDS.contains(&self.word(k)) {
            return false;
        }
        match self.word(k) {
            "told" | "tells" | "telling" => true,
            "to" => matches!(
                prev(),
                Some("said" | "says" | "according" | "speaking" | "spoke" | "comments" | "remarks")
            ),
            "with" => matches!(prev(), Some("interview" | "conversation")),
            "by" => matches!(prev(), Some("saying" | "quoted" | "cited")),
            _ => false,
        }
    }

    /// A fragment inside the reporter's sentence: it starts in lower case,
    /// or a word of the reporter's stands right before it.
    fn is_partial(&self, first: usize, quote: &Quote) -> bool {
        if quote.form == QuoteForm::Block {
            return false;
        }
        let starts_lower = quote
            .span
            .slice(self.text)
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(char::is_lowercase);
        if starts_lower {
            return true;
        }
        first.checked_sub(1).is_some_and(|p| {
            let t = &self.toks[p];
            t.para == self.toks[first].para
                && t.quote.is_none()
                && t.kind == Kind::Word
                && !is_cue_verb(t.lower)
                && t.lower != "saying"
        })
    }

    /// A title of a work or show: Title Case words right after a
    /// possessive or a word that introduces one (`on NBC's “Meet the
    /// Press”`, `the film “Barton Fink”`).
    fn names_a_work(&self, first: usize, last: usize, quote: &Quote) -> bool {
        // An article's headline with its byline: `"Pop-up art show opens,"
        // by DNAinfo's Eddie Small`.
        let mut n = last + 1;
        while n < self.toks.len() && self.is_punct(n, ",") {
            n += 1;
        }
        let para = self.toks[first].para;
        let next_word = |k: usize| {
            (k < self.toks.len() && self.toks[k].para == para && self.toks[k].quote.is_none())
                .then(|| self.word(k))
        };
        let text = quote.span.slice(self.text);
        // The words are counted last: the tokens around the quote rule
        // out nearly every quote first.
        let by_line = next_word(n) == Some("by") && n + 1 < self.toks.len() && self.toks[n + 1].cap;
        if by_line
            && text.ends_with(',')
            && text.starts_with(char::is_uppercase)
            && count_words(text, 4) == 4
        {
            return true;
        }
        // `''Trump Revealed,'' a biography written by ...`
        let comma = n > last + 1 || text.ends_with(',');
        let described = comma
            && matches!(next_word(n), Some("a" | "an" | "the"))
            && (n + 1..n + 4)
                .any(|k| next_word(k).is_some_and(|w| is_work_noun(w) || is_document_noun(w)));
        let introduced = first.checked_sub(1).is_some_and(|p| {
            let t = &self.toks[p];
            let apart =
                t.quote.is_some() || t.kind != Kind::Word || t.para != self.toks[first].para;
            !apart
                && ((t.cap && self.is_possessive(p))
                    || is_work_noun(t.lower)
                    || matches!(
                        t.lower,
                        "on" | "titled"
                            | "entitled"
                            | "dubbed"
                            | "nicknamed"
                            | "publish"
                            | "published"
                            | "publishes"
                            | "released"
                            | "wrote"
                            | "authored"
                            | "starred"
                            | "stars"
                            | "hosted"
                            | "hosts"
                            | "watched"
                            | "read"
                    ))
        });
        // Up to 8 words (counting stops at 9: quotes can be paragraphs).
        (described || introduced) && (1..=8).contains(&count_words(text, 9)) && is_title_case(text)
    }

    /// Why an unattributed quoted span is not a quotation, or `None` when
    /// it reads as speech.
    fn aside_reason(&self, quote: &Quote) -> Option<&'static str> {
        let text = quote.span.slice(self.text);
        // Counted up to four: only whether there are two and four is asked.
        let words = text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .take(4)
            .count();
        let terminal = text.ends_with(['.', '?', '!']);
        if words >= 2 && !terminal && is_title_case(text) {
            return Some("title");
        }
        if words < 4 {
            return Some("scare-quote");
        }
        None
    }
}

/// A lower-case word that can be part of a common noun phrase: letters
/// only, not a function word, verb filler or reporting verb.
fn is_plain_word(w: &str) -> bool {
    w.chars().all(|c| c.is_alphanumeric() || c == '-')
        && w.chars().any(char::is_alphabetic)
        && !w.is_empty()
        && !is_not_name(w)
        && !is_verb_filler(w)
        && !is_cue_verb(w)
        && !is_time_word(w)
        && !matches!(
            w,
            "who" | "which" | "whom" | "whose" | "and" | "or" | "but" | "be" | "been" | "being"
        )
}

/// Whether words are in Title Case: nearly every word capitalised, the
/// small words of titles ("Meet the Press", "A Lantern in the Fog") aside.
fn is_title_case(text: &str) -> bool {
    let small = |w: &str| {
        matches!(
            w.trim_matches(|c: char| !c.is_alphanumeric()),
            "a" | "an"
                | "the"
                | "of"
                | "and"
                | "or"
                | "in"
                | "on"
                | "at"
                | "to"
                | "for"
                | "with"
                | "by"
                | "from"
                | "as"
                | "vs"
        )
    };
    // One pass over the words with a letter: whether the first is
    // capitalised, and how many of those that are not small words are.
    let mut first_capitalised = None;
    let (mut counted, mut capitalised) = (0usize, 0usize);
    for w in text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
    {
        let upper = w.chars().next().is_some_and(char::is_uppercase);
        first_capitalised.get_or_insert(upper);
        if !small(w) {
            counted += 1;
            capitalised += usize::from(upper);
        }
    }
    counted > 0 && first_capitalised == Some(true) && capitalised * 10 >= counted * 7
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold;

    #[test]
    fn paragraph_token_ranges_agree_with_a_search() {
        let registry = Registry::default();
        // One set of buffers for all of them, as an ingest's thread uses.
        let mut spare = Spare::default();
        for text in [
            "",
            "One.",
            "A “b” c.\n\n  \nD e, “f.”\r\nG\n\n\nh. “I”",
            "\n\nx\n \n",
        ] {
            let paras = paragraphs(text);
            let classes = ByteClasses::new(text.as_bytes());
            let quotes = crate::extract::extract_quotes_in(text, &paras, &classes);
            let folded = Folded::new(text);
            let doc = Doc::new(
                text, &paras, &classes, &folded, &quotes, &registry, &mut spare,
            );
            for para in 0..paras.len() + 2 {
                let searched = (
                    doc.toks.partition_point(|t| t.para < para),
                    doc.toks.partition_point(|t| t.para <= para),
                );
                assert_eq!(doc.para_tokens(para), searched, "{text:?} {para}");
            }
            doc.release(&mut spare);
        }
    }

    #[test]
    fn recycled_vectors_keep_their_allocation() {
        let text = String::from("a b c");
        let mut toks: Vec<(usize, &str)> = Vec::with_capacity(100);
        toks.extend(text.split(' ').enumerate());
        let (at, room) = (toks.as_ptr() as usize, toks.capacity());
        let kept: Vec<(usize, &'static str)> = recycle(toks);
        assert!(kept.is_empty());
        assert_eq!((kept.as_ptr() as usize, kept.capacity()), (at, room));
    }

    #[test]
    fn typographic_punctuation_is_no_letter_or_digit() {
        for c in '\u{2010}'..='\u{2027}' {
            assert!(!c.is_alphanumeric(), "{c:?}");
        }
        for c in [
            'a',
            '\u{e9}',
            '\u{2009}',
            '\u{2028}',
            '\u{2070}',
            '5',
            '\u{1f600}',
        ] {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn abbreviations_fit_the_lower_casing_buffer() {
        assert!(ABBREVIATIONS.iter().all(|a| a.len() <= LONGEST));
        assert!(is_abbreviation("Messrs") && is_abbreviation("U.S"));
        // In any case: the sieve is asked before the word is lower-cased.
        for a in ABBREVIATIONS {
            let capital = a[..1].to_uppercase() + &a[1..];
            for word in [a.to_string(), a.to_uppercase(), capital] {
                assert!(is_abbreviation(&word), "{word}");
            }
        }
        assert!(!is_abbreviation("Senator") && !is_abbreviation("said"));
    }

    #[test]
    fn tokens_carry_their_folded_form() {
        let text = "Sen. Öncu’s “U.S.” AT&T—TrÃ©vidic said.";
        let folded = Folded::new(text);
        let classes = ByteClasses::new(text.as_bytes());
        let paras = paragraphs(text);
        let toks = tokenize(text, &classes, &folded, &paras, &[], &mut Spare::default()).toks;
        let words: Vec<(&str, &str)> = toks.iter().map(|t| (t.span.slice(text), t.lower)).collect();
        for (original, lower) in &words {
            assert_eq!(fold(original), *lower);
        }
        let spans: Vec<&str> = words.iter().map(|w| w.0).collect();
        assert_eq!(
            spans,
            [
                "Sen.",
                "Öncu’s",
                "“",
                "U.S.",
                "”",
                "AT&T",
                "—",
                "TrÃ©vidic",
                "said",
                "."
            ]
        );
    }
}
