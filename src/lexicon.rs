//! Word lists the attribution stage reads: reporting verbs, role nouns,
//! titles, pronouns, and first names with their usual gender.
//!
//! They are data, kept apart from the rules so a linguist can extend them
//! without reading the parser. Every lookup takes a lower-case word.

use std::sync::LazyLock;

use crate::registry::Gender;

/// Reporting-verb lemmas; [`is_cue_verb`] accepts their regular inflections.
/// Verbs that report thought or feeling ("hope", "believe") and verbs that
/// mostly mean something else ("point", "find", "state") are left out on
/// purpose: they attribute paraphrase, not quoted words.
const CUE_LEMMAS: &[&str] = &[
    "praise",
    "hail",
    "applaud",
    "commend",
    "laud",
    "portray",
    "say",
    "tell",
    "add",
    "ask",
    "answer",
    "write",
    "tweet",
    "declare",
    "announce",
    "explain",
    "note",
    "continue",
    "argue",
    "insist",
    "warn",
    "claim",
    "recall",
    "acknowledge",
    "admit",
    "reply",
    "respond",
    "remark",
    "observe",
    "suggest",
    "quip",
    "joke",
    "shout",
    "yell",
    "exclaim",
    "complain",
    "concede",
    "conclude",
    "confirm",
    "emphasize",
    "emphasise",
    "stress",
    "predict",
    "promise",
    "vow",
    "pledge",
    "urge",
    "describe",
    "characterize",
    "characterise",
    "relate",
    "report",
    "muse",
    "boast",
    "brag",
    "counter",
    "caution",
    "charge",
    "contend",
    "maintain",
    "lament",
    "reiterate",
    "testify",
    "wonder",
    "scoff",
    "retort",
    "thunder",
    "chime",
    "interject",
    "assert",
    "mention",
    "agree",
    "deny",
    "allege",
    "proclaim",
    "recount",
    "reveal",
    "disclose",
    "assure",
    "whisper",
    "plead",
    "demand",
    "grumble",
    "mutter",
    "speculate",
    "posit",
    "quote",
    "email",
    "blog",
    "opine",
    "gush",
    "rave",
    "marvel",
    "enthuse",
    "tout",
    "blast",
    "slam",
    "criticize",
    "criticise",
    "mock",
    "dismiss",
    "apologize",
    "apologise",
    "liken",
    "threaten",
    "advise",
    "recommend",
    "propose",
    "call",
    "label",
    "brand",
    "summarize",
    "summarise",
    "elaborate",
    "clarify",
    "concur",
    "lecture",
    "preach",
    "rail",
    "fume",
    "chant",
    "inform",
    "confide",
    "volunteer",
    "interrupt",
    "intone",
    "guarantee",
    "counsel",
    "jab",
    "snipe",
    "tease",
    "taunt",
    "ridicule",
    "lambast",
    "accuse",
    "vent",
    "rant",
    "sneer",
    "rebut",
    "refute",
    "contradict",
    "stipulate",
    "pronounce",
    "decree",
    "surmise",
    "acknowledge",
];

/// Irregular forms that the inflection rules would miss, and forms whose
/// lemma is left out above but which do report speech.
const CUE_IRREGULAR: &[&str] = &[
    "put",
    "said",
    "told",
    "wrote",
    "written",
    "spoke",
    "spoken",
    "speak",
    "speaks",
    "stated",
    "states",
    "termed",
    "posted",
    "texted",
    "read",
    "reads",
    "according",
];

/// Verbs whose object, not their subject, is the speaker: "TASS quoted
/// Putin as saying".
pub const QUOTING_VERBS: &[&str] = &["quoted", "quotes", "quoting", "cited", "cites"];

/// A quick no, before the table, for most words that are not in a
/// word list: which (first letter, last letter) and (first letter,
/// length) pairs its words have. The lists are asked about nearly every
/// token of every article, and most tokens are in none of them, so the
/// hash and the probe are kept for the few that pass.
#[derive(Default)]
struct Sieve {
    /// Bit `last & 31` of entry `first & 31`.
    ends: [u32; 32],
    /// Bit `len.min(31)` of entry `first & 31`.
    lens: [u32; 32],
}

impl Sieve {
    fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> Sieve {
        let mut sieve = Sieve::default();
        for w in words {
            if let (Some(&first), Some(&last)) = (w.as_bytes().first(), w.as_bytes().last()) {
                let f = usize::from(first & 31);
                sieve.ends[f] |= 1 << (last & 31);
                sieve.lens[f] |= 1 << w.len().min(31);
            }
        }
        sieve
    }

    /// False only if `word` is in none of the words the sieve was made of
    /// (the empty word always passes).
    #[inline]
    fn may_hold(&self, b: &[u8]) -> bool {
        let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
            return true;
        };
        let f = usize::from(first & 31);
        self.ends[f] >> (last & 31) & 1 != 0 && self.lens[f] >> b.len().min(31) & 1 != 0
    }
}

/// A word cut into three integers for a look-up: its length and, for a
/// word of eight bytes or more, its first and last eight bytes (they
/// overlap below sixteen); for a shorter word its first and last four
/// bytes, or its first, middle and last. Two words of one length up to
/// sixteen bytes with the same pieces are the same word, so a look-up
/// compares integers instead of hashing bytes and calling `memcmp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    head: u64,
    tail: u64,
    len: usize,
}

/// The longest word a [`Key`] tells apart from every other.
const KEY_EXACT: usize = 16;

impl Key {
    #[inline(always)]
    fn of(word: &[u8]) -> Key {
        let n = word.len();
        let eight = |at: usize| {
            word.get(at..at + 8)
                .and_then(|b| b.try_into().ok())
                .map_or(0, u64::from_le_bytes)
        };
        let four = |at: usize| {
            word.get(at..at + 4)
                .and_then(|b| b.try_into().ok())
                .map_or(0, u32::from_le_bytes)
        };
        let byte = |at: usize| word.get(at).copied().map_or(0, u64::from);
        let (head, tail) = if n >= 8 {
            (eight(0), eight(n - 8))
        } else if n >= 4 {
            (u64::from(four(0)) | u64::from(four(n - 4)) << 32, 0)
        } else if n > 0 {
            (byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16, 0)
        } else {
            (0, 0)
        };
        Key { head, tail, len: n }
    }

    #[inline(always)]
    fn hash(self) -> u64 {
        (self.head ^ self.tail.rotate_left(29) ^ self.len as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

/// A fixed word list with a value per word (`()` for a set), looked up by
/// [`Key`]: open addressing in a table at most half full, behind a
/// [`Sieve`]. The lists are asked about several times per token; hashing a
/// word's bytes and comparing them with `memcmp` cost several times what
/// comparing its key costs.
pub(crate) struct WordTable<V> {
    sieve: Sieve,
    /// A power of two many keys; [`EMPTY`] marks a free slot.
    keys: Vec<Key>,
    /// For each slot of `keys` that holds one, the word and its value.
    entries: Vec<Option<(Box<str>, V)>>,
    /// How far to shift a hash right to index the table.
    shift: u32,
}

/// A free slot of a [`WordTable`]: no word has this length.
const EMPTY: Key = Key {
    head: 0,
    tail: 0,
    len: usize::MAX,
};

impl<V> WordTable<V> {
    pub(crate) fn new(words: impl IntoIterator<Item = (impl Into<Box<str>>, V)>) -> WordTable<V> {
        let words: Vec<(Box<str>, V)> = words.into_iter().map(|(w, v)| (w.into(), v)).collect();
        let size = (words.len() * 2).next_power_of_two().max(8);
        let mut table = WordTable {
            sieve: Sieve::new(words.iter().map(|(w, _)| &**w)),
            keys: vec![EMPTY; size],
            entries: (0..size).map(|_| None).collect(),
            shift: 64 - size.trailing_zeros(),
        };
        for (word, value) in words {
            let key = Key::of(word.as_bytes());
            let mut i = table.slot(key);
            // A word listed twice keeps its last value, as a map would.
            while table.keys[i] != EMPTY
                && !(table.keys[i] == key
                    && table.entries[i].as_ref().is_some_and(|(w, _)| *w == word))
            {
                i = (i + 1) & (size - 1);
            }
            table.keys[i] = key;
            table.entries[i] = Some((word, value));
        }
        table
    }

    #[inline(always)]
    fn slot(&self, key: Key) -> usize {
        (key.hash() >> self.shift) as usize
    }

    /// The value of `word`, if it is in the list.
    #[inline(always)]
    pub(crate) fn get(&self, word: &str) -> Option<&V> {
        self.get_bytes(word.as_bytes())
    }

    /// [`WordTable::get`] for a word as bytes: one lower-cased on the
    /// stack need not be checked as UTF-8 first.
    #[inline(always)]
    pub(crate) fn get_bytes(&self, word: &[u8]) -> Option<&V> {
        if !self.sieve.may_hold(word) {
            return None;
        }
        let key = Key::of(word);
        let mask = self.keys.len() - 1;
        let mut i = self.slot(key);
        loop {
            let k = *self.keys.get(i)?;
            if k == key {
                let (w, value) = self.entries.get(i)?.as_ref()?;
                if key.len <= KEY_EXACT || w.as_bytes() == word {
                    return Some(value);
                }
            } else if k == EMPTY {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// False only if `word` is not in the list, as its sieve tells
    /// without hashing it. ASCII case does not matter to the sieve (it
    /// reads a letter's low five bits), so a word can be asked before it
    /// is lower-cased.
    #[inline(always)]
    pub(crate) fn may_hold(&self, word: &[u8]) -> bool {
        self.sieve.may_hold(word)
    }

    #[inline(always)]
    pub(crate) fn contains(&self, word: &str) -> bool {
        self.get(word).is_some()
    }

    /// Every word with its value, in no particular order.
    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.entries.iter().flatten().map(|(w, v)| (&**w, v))
    }
}

/// A [`WordTable`] of words alone.
pub(crate) type WordList = WordTable<()>;

impl WordList {
    pub(crate) fn of<W: Into<Box<str>>>(words: impl IntoIterator<Item = W>) -> WordList {
        WordTable::new(words.into_iter().map(|w| (w, ())))
    }
}

static CUE_WORDS: LazyLock<WordList> = LazyLock::new(|| WordList::of(cue_verb_forms()));

/// Every form [`is_cue_verb`] accepts.
pub(crate) fn cue_verb_forms() -> Vec<String> {
    let mut words: Vec<String> = CUE_IRREGULAR.iter().map(|s| s.to_string()).collect();
    for lemma in CUE_LEMMAS {
        words.extend(inflect(lemma));
    }
    words
}

fn inflect(lemma: &str) -> Vec<String> {
    let mut out = vec![lemma.to_string()];
    let (stem_e, ends_e) = match lemma.strip_suffix('e') {
        Some(stem) => (stem, true),
        None => (lemma, false),
    };
    let ends_y = lemma.ends_with('y') && !lemma.ends_with("ay") && !lemma.ends_with("ey");
    let sibilant = ["s", "sh", "ch", "x", "z", "o"]
        .iter()
        .any(|s| lemma.ends_with(s));
    // third person
    out.push(if ends_y {
        format!("{}ies", &lemma[..lemma.len() - 1])
    } else if sibilant {
        format!("{lemma}es")
    } else {
        format!("{lemma}s")
    });
    // past
    out.push(if ends_e {
        format!("{lemma}d")
    } else if ends_y {
        format!("{}ied", &lemma[..lemma.len() - 1])
    } else if doubles_final(lemma) {
        format!("{lemma}{}ed", &lemma[lemma.len() - 1..])
    } else {
        format!("{lemma}ed")
    });
    // progressive
    out.push(if ends_e && !lemma.ends_with("ee") {
        format!("{stem_e}ing")
    } else if doubles_final(lemma) {
        format!("{lemma}{}ing", &lemma[lemma.len() - 1..])
    } else {
        format!("{lemma}ing")
    });
    out
}

/// Short verbs ending consonant-vowel-consonant double their last letter
/// ("quip" → "quipped", "chat" → "chatted").
fn doubles_final(lemma: &str) -> bool {
    let b = lemma.as_bytes();
    let vowel = |c: u8| b"aeiou".contains(&c);
    matches!(
        lemma,
        "quip" | "jab" | "snap" | "chat" | "admit" | "rebut" | "blog" | "rap" | "slam" | "snipe"
    ) && b.len() >= 3
        && !vowel(b[b.len() - 1])
        && !b"wxy".contains(&b[b.len() - 1])
        && vowel(b[b.len() - 2])
}

/// Whether `word` (lower case) is a reporting verb form.
#[inline]
pub fn is_cue_verb(word: &str) -> bool {
    CUE_WORDS.contains(word)
}

/// Nouns that head a speaker's description: "spokesman", "the statement".
const ROLE_NOUNS: &[&str] = &[
    "authors",
    "writers",
    "editors",
    "organizers",
    "sponsors",
    "founders",
    "hosts",
    "front-runner",
    "frontrunner",
    "hopeful",
    "hopefuls",
    "contender",
    "challenger",
    "incumbent",
    "billionaire",
    "businessman",
    "businesswoman",
    "mogul",
    "tycoon",
    "developer",
    "investor",
    "entrepreneur",
    "actor",
    "actress",
    "comedian",
    "singer",
    "star",
    "celebrity",
    "pastor",
    "priest",
    "bishop",
    "cardinal",
    "imam",
    "preacher",
    "neurosurgeon",
    "surgeon",
    "physician",
    "nurse",
    "scientist",
    "scholar",
    "academic",
    "lecturer",
    "principal",
    "coach",
    "player",
    "athlete",
    "soldier",
    "marine",
    "pilot",
    "sergeant",
    "captain",
    "colonel",
    "lieutenant",
    "admiral",
    "governor-elect",
    "president-elect",
    "legislator",
    "legislators",
    "councilman",
    "councilwoman",
    "alderman",
    "commissioner",
    "regulator",
    "regulators",
    "auditor",
    "inspector",
    "investigator",
    "investigators",
    "detective",
    "trooper",
    "firefighter",
    "advocate",
    "advocates",
    "campaigner",
    "canvasser",
    "volunteer",
    "volunteers",
    "attendee",
    "attendees",
    "participant",
    "participants",
    "protestor",
    "protestors",
    "heckler",
    "narrator",
    "voiceover",
    "announcer",
    "spokeswomen",
    "company",
    "firm",
    "bureau",
    "institute",
    "foundation",
    "pac",
    "coalition",
    "alliance",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "spokespeople",
    "spokesmen",
    "secretary",
    "minister",
    "official",
    "officials",
    "adviser",
    "advisers",
    "advisor",
    "advisors",
    "aide",
    "aides",
    "director",
    "chairman",
    "chairwoman",
    "chair",
    "leader",
    "leaders",
    "president",
    "senator",
    "candidate",
    "nominee",
    "strategist",
    "strategists",
    "analyst",
    "analysts",
    "expert",
    "experts",
    "source",
    "sources",
    "statement",
    "report",
    "campaign",
    "governor",
    "lawmaker",
    "lawmakers",
    "representative",
    "congressman",
    "congresswoman",
    "ambassador",
    "envoy",
    "diplomat",
    "diplomats",
    "general",
    "commander",
    "manager",
    "chief",
    "head",
    "founder",
    "executive",
    "officer",
    "attorney",
    "lawyer",
    "judge",
    "justice",
    "mayor",
    "member",
    "members",
    "speaker",
    "prosecutor",
    "prosecutors",
    "economist",
    "economists",
    "professor",
    "researcher",
    "researchers",
    "historian",
    "pollster",
    "pollsters",
    "consultant",
    "operative",
    "organizer",
    "activist",
    "activists",
    "supporter",
    "supporters",
    "critic",
    "critics",
    "voter",
    "voters",
    "resident",
    "residents",
    "host",
    "anchor",
    "moderator",
    "reporter",
    "columnist",
    "editor",
    "author",
    "writer",
    "commentator",
    "correspondent",
    "ministry",
    "department",
    "agency",
    "office",
    "committee",
    "council",
    "commission",
    "government",
    "administration",
    "white",
    "house",
    "kremlin",
    "memo",
    "letter",
    "release",
    "website",
    "ad",
    "advertisement",
    "post",
    "tweet",
    "email",
    "note",
    "document",
    "filing",
    "complaint",
    "lawsuit",
    "ruling",
    "opinion",
    "order",
    "survey",
    "poll",
    "study",
    "spokesmen",
    "staffer",
    "staffers",
    "adviser",
    "deputy",
    "counsel",
    "negotiator",
    "negotiators",
    "delegate",
    "delegates",
    "superdelegate",
    "superdelegates",
    "democrat",
    "democrats",
    "republican",
    "republicans",
    "conservative",
    "conservatives",
    "liberal",
    "liberals",
    "insider",
    "insiders",
    "observer",
    "observers",
    "witness",
    "witnesses",
    "friend",
    "friends",
    "ally",
    "allies",
    "rival",
    "rivals",
    "opponent",
    "opponents",
    "backer",
    "backers",
    "donor",
    "donors",
    "surrogate",
    "surrogates",
    "person",
    "people",
    "woman",
    "man",
    "father",
    "mother",
    "wife",
    "husband",
    "son",
    "daughter",
    "brother",
    "sister",
    "veteran",
    "veterans",
    "worker",
    "workers",
    "owner",
    "student",
    "students",
    "teacher",
    "doctor",
    "officer",
    "police",
    "sheriff",
    "agent",
    "agents",
    "group",
    "organization",
    "union",
    "party",
    "team",
    "staff",
    "panel",
    "board",
    "court",
    "paper",
    "newspaper",
    "network",
    "magazine",
    "outlet",
    "blog",
    "book",
    "article",
    "editorial",
    "column",
    "announcement",
    "message",
    "video",
    "caption",
    "headline",
    "transcript",
    "speech",
    "platform",
    "manifesto",
    "memoir",
    "biography",
    "interview",
    "audience",
    "crowd",
    "protesters",
    "protester",
    "demonstrators",
    "fans",
    "fan",
    "users",
    "user",
    "viewers",
    "followers",
    "senators",
    "governors",
    "mayors",
    "presidents",
    "ministers",
    "secretaries",
    "chairmen",
    "representatives",
    "congressmen",
    "members",
    "directors",
    "managers",
];

static ROLES: LazyLock<WordList> = LazyLock::new(|| WordList::of(ROLE_NOUNS.iter().copied()));

/// Whether `word` can head a speaker description.
#[inline]
pub fn is_role_noun(word: &str) -> bool {
    ROLES.contains(word)
}

/// Titles that stand before a name ("Sen.", "Mr.", "President").
const TITLES: &[&str] = &[
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "sen.",
    "rep.",
    "gov.",
    "gen.",
    "lt.",
    "col.",
    "sgt.",
    "capt.",
    "adm.",
    "pres.",
    "prof.",
    "rev.",
    "hon.",
    "amb.",
    "sec.",
    "atty.",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gov",
    "president",
    "senator",
    "governor",
    "secretary",
    "minister",
    "ambassador",
    "general",
    "judge",
    "justice",
    "mayor",
    "speaker",
    "chairman",
    "chairwoman",
    "representative",
    "congressman",
    "congresswoman",
    "sir",
    "lady",
    "lord",
    "prince",
    "king",
    "queen",
    "pope",
    "rabbi",
    "reverend",
    "father",
    "sister",
    "chancellor",
    "premier",
    "commissioner",
    "director",
    "chief",
    "professor",
    "deputy",
    "vice",
    "leader",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "envoy",
    "colonel",
    "captain",
    "sergeant",
    "lieutenant",
    "admiral",
    "major",
    "dame",
    "sheikh",
    "ayatollah",
    "emir",
    "officer",
    "detective",
    "attorney",
    "counsel",
    "candidate",
    "nominee",
    "former",
    "acting",
    "foreign",
    "prime",
    "state",
    "interior",
    "defense",
    "defence",
    "finance",
    "press",
    "mrs.",
    "messrs.",
];

static TITLE_SET: LazyLock<WordList> = LazyLock::new(|| WordList::of(TITLES.iter().copied()));

/// Whether `word` is a title or role word that precedes a name.
#[inline]
pub fn is_title(word: &str) -> bool {
    TITLE_SET.contains(word)
}

/// Male titles and female titles, for pronoun resolution.
pub fn title_gender(word: &str) -> Option<Gender> {
    match word {
        "mr." | "mr" | "sir" | "lord" | "king" | "prince" | "father" | "spokesman"
        | "congressman" | "chairman" | "sheikh" | "emir" | "messrs." => Some(Gender::Male),
        "mrs." | "mrs" | "ms." | "ms" | "lady" | "queen" | "dame" | "sister" | "spokeswoman"
        | "congresswoman" | "chairwoman" => Some(Gender::Female),
        _ => None,
    }
}

/// Personal pronouns that can be the subject of a reporting verb.
pub fn pronoun_gender(word: &str) -> Option<Option<Gender>> {
    match word {
        "he" => Some(Some(Gender::Male)),
        "she" => Some(Some(Gender::Female)),
        "they" | "it" | "we" | "i" | "you" | "who" => Some(None),
        _ => None,
    }
}

/// Words that end a noun phrase walking left: determiners and possessive
/// pronouns are kept as its first word.
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my",
    "your", "one", "two", "three", "several", "some", "many", "other", "another", "both", "all",
    "most", "few",
];

static DETERMINER_SET: LazyLock<WordList> =
    LazyLock::new(|| WordList::of(DETERMINERS.iter().copied()));

/// Whether `word` is one of [`DETERMINERS`] (a set: rules ask this of many
/// tokens).
#[inline]
pub fn is_determiner(word: &str) -> bool {
    DETERMINER_SET.contains(word)
}

/// Adverbs and auxiliaries that stand between a subject and its reporting
/// verb ("Trump later said", "he had previously told").
const VERB_FILLERS: &[&str] = &[
    "also",
    "then",
    "later",
    "again",
    "once",
    "has",
    "had",
    "have",
    "would",
    "will",
    "did",
    "does",
    "do",
    "was",
    "is",
    "were",
    "are",
    "not",
    "never",
    "still",
    "even",
    "just",
    "now",
    "further",
    "first",
    "soon",
    "often",
    "ever",
    "too",
    "previously",
    "since",
    "reportedly",
    "already",
    "could",
    "might",
    "may",
    "should",
    "can",
    "had,",
    "simply",
    "then,",
    "similarly",
    "likewise",
    "separately",
    "earlier",
    "today",
    "yesterday",
    "tonight",
    "recently",
    "subsequently",
    "initially",
    "originally",
    "always",
    "in",
    "turn",
];

static VERB_FILLER_SET: LazyLock<WordList> =
    LazyLock::new(|| WordList::of(VERB_FILLERS.iter().copied()));

/// Whether `word` is one of [`VERB_FILLERS`], or an adverb in -ly.
#[inline]
pub fn is_verb_filler(word: &str) -> bool {
    VERB_FILLER_SET.contains(word) || (word.len() > 4 && word.ends_with("ly"))
}

/// Capitalised words that begin sentences or name days rather than people.
const NOT_NAMES: &[&str] = &[
    "alongside",
    "amid",
    "amidst",
    "following",
    "including",
    "regarding",
    "concerning",
    "considering",
    "given",
    "except",
    "beneath",
    "inside",
    "outside",
    "onto",
    "off",
    "out",
    "up",
    "down",
    "the",
    "a",
    "an",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "in",
    "on",
    "at",
    "for",
    "of",
    "to",
    "by",
    "with",
    "from",
    "as",
    "if",
    "when",
    "while",
    "after",
    "before",
    "since",
    "because",
    "although",
    "though",
    "however",
    "meanwhile",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "update",
    "asked",
    "said",
    "says",
    "told",
    "speaking",
    "according",
    "still",
    "last",
    "next",
    "earlier",
    "later",
    "then",
    "now",
    "today",
    "yesterday",
    "also",
    "both",
    "despite",
    "during",
    "until",
    "where",
    "what",
    "why",
    "how",
    "who",
    "which",
    "not",
    "no",
    "yes",
    "all",
    "some",
    "many",
    "most",
    "every",
    "each",
    "one",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "unless",
    "whether",
    "indeed",
    "moreover",
    "furthermore",
    "instead",
    "perhaps",
    "maybe",
    "besides",
    "otherwise",
    "thus",
    "therefore",
    "hence",
    "nevertheless",
    "nonetheless",
    "anyway",
    "even",
    "just",
    "only",
    "again",
    "finally",
    "first",
    "second",
    "third",
    "lastly",
    "overall",
    "plus",
    "like",
    "unlike",
    "among",
    "between",
    "about",
    "above",
    "below",
    "against",
    "across",
    "around",
    "through",
    "throughout",
    "toward",
    "towards",
    "within",
    "without",
    "via",
    "per",
    "upon",
    "into",
    "over",
    "under",
    "behind",
    "beyond",
    "near",
    "once",
    "whenever",
    "wherever",
    "whatever",
    "whoever",
    "let",
    "please",
    "thank",
    "thanks",
    "oh",
    "well",
    "here's",
    "that's",
    "it's",
    "there's",
    "what's",
    "he's",
    "she's",
    "sources",
    "photo",
    "video",
    "watch",
    "read",
    "related",
    "see",
    "click",
    "follow",
    "share",
    "advertisement",
    "editor's",
    "note",
];

static NOT_NAME_SET: LazyLock<WordList> = LazyLock::new(|| WordList::of(NOT_NAMES.iter().copied()));

/// Whether `word` is one of [`NOT_NAMES`] (a set: this is asked of every
/// capitalised word).
#[inline]
pub fn is_not_name(word: &str) -> bool {
    NOT_NAME_SET.contains(word)
}

/// [`NOT_NAMES`] and [`DETERMINERS`] in one table, each word with the
/// bits of the lists it is in, for [`bars_name`].
static NAME_BARS: LazyLock<WordTable<u8>> = LazyLock::new(|| {
    let mut bits: std::collections::BTreeMap<&str, u8> = Default::default();
    for word in NOT_NAMES {
        *bits.entry(word).or_default() |= NOT_NAME;
    }
    for word in DETERMINERS {
        *bits.entry(word).or_default() |= DETERMINER;
    }
    WordTable::new(bits)
});
const NOT_NAME: u8 = 1;
const DETERMINER: u8 = 2;

/// Whether a capitalised word cannot be part of a name: without its
/// trailing periods it is one of [`NOT_NAMES`], or it is one of
/// [`DETERMINERS`]. Asked of every capitalised word, so one look-up
/// answers both: no determiner ends with a period, so a word that does
/// is none, and one that does not is its own stem.
#[inline]
pub fn bars_name(word: &str) -> bool {
    let periods = word.bytes().rev().take_while(|&b| b == b'.').count();
    let stem = word.get(..word.len() - periods).unwrap_or(word);
    let bits = NAME_BARS.get(stem).copied().unwrap_or(0);
    bits & NOT_NAME != 0 || (periods == 0 && bits & DETERMINER != 0)
}

/// Last words of place names ("South Carolina", "New York", "United
/// States"), which are not people.
const PLACE_WORDS: &[&str] = &[
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "georgia",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "hampshire",
    "jersey",
    "mexico",
    "york",
    "carolina",
    "dakota",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "island",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "washington",
    "wisconsin",
    "wyoming",
    "states",
    "america",
    "kingdom",
    "russia",
    "ukraine",
    "china",
    "germany",
    "france",
    "britain",
    "england",
    "israel",
    "iran",
    "iraq",
    "syria",
    "turkey",
    "turkiye",
    "japan",
    "korea",
    "india",
    "pakistan",
    "afghanistan",
    "cuba",
    "canada",
    "brazil",
    "europe",
    "asia",
    "africa",
    "moscow",
    "kyiv",
    "kiev",
    "istanbul",
    "riyadh",
    "beijing",
    "london",
    "paris",
    "berlin",
    "angeles",
    "francisco",
    "chicago",
    "boston",
    "vegas",
    "orleans",
    "diego",
    "city",
    "county",
    "valley",
    "beach",
    "street",
    "avenue",
    "square",
    "park",
    "airport",
    "arabia",
    "emirates",
    "qatar",
    "d.c.",
    "u.s.",
    "arctic",
    "atlantic",
    "pacific",
];

static PLACE_SET: LazyLock<WordList> = LazyLock::new(|| WordList::of(PLACE_WORDS.iter().copied()));

/// Whether `word` is one of [`PLACE_WORDS`] (a set: rules ask this of many
/// tokens).
#[inline]
pub fn is_place_word(word: &str) -> bool {
    PLACE_SET.contains(word)
}

/// Words in a capitalised name that make it an institution, not a person.
const INSTITUTION_WORDS: &[&str] = &[
    "kremlin",
    "house",
    "department",
    "ministry",
    "office",
    "committee",
    "campaign",
    "party",
    "agency",
    "council",
    "commission",
    "court",
    "government",
    "administration",
    "times",
    "post",
    "news",
    "journal",
    "press",
    "service",
    "foundation",
    "institute",
    "university",
    "association",
    "union",
    "bank",
    "fund",
    "group",
    "organization",
    "organisation",
    "company",
    "corporation",
    "inc.",
    "corp.",
    "network",
    "channel",
    "tv",
    "radio",
    "embassy",
    "consulate",
    "mission",
    "senate",
    "congress",
    "parliament",
    "duma",
    "pentagon",
    "fbi",
    "cia",
    "nato",
    "un",
    "eu",
    "gop",
    "dnc",
    "rnc",
    "magazine",
    "review",
    "tribune",
    "herald",
    "gazette",
    "daily",
    "weekly",
    "telegraph",
    "guardian",
    "reuters",
    "tass",
    "bloomberg",
    "politico",
    "breitbart",
    "cnn",
    "msnbc",
    "fox",
    "abc",
    "cbs",
    "nbc",
    "npr",
    "bbc",
    "council,",
    "center",
    "centre",
    "project",
    "coalition",
    "alliance",
    "federation",
    "board",
    "bureau",
    "authority",
    "police",
    "army",
    "navy",
    "forces",
    "cabinet",
    "staff",
    "team",
    "club",
    "league",
    "church",
    "state",
    "states",
    "city",
    "county",
];

static INSTITUTION_SET: LazyLock<WordList> =
    LazyLock::new(|| WordList::of(INSTITUTION_WORDS.iter().copied()));

/// Whether `word` is one of [`INSTITUTION_WORDS`] (a set: rules ask this of many
/// tokens).
#[inline]
pub fn is_institution_word(word: &str) -> bool {
    INSTITUTION_SET.contains(word)
}

static FIRST_NAMES: LazyLock<WordTable<Gender>> = LazyLock::new(|| {
    let male = [
        "james",
        "john",
        "robert",
        "michael",
        "william",
        "david",
        "richard",
        "joseph",
        "thomas",
        "charles",
        "christopher",
        "daniel",
        "matthew",
        "anthony",
        "mark",
        "donald",
        "steven",
        "paul",
        "andrew",
        "joshua",
        "kenneth",
        "kevin",
        "brian",
        "george",
        "timothy",
        "ronald",
        "edward",
        "jason",
        "jeffrey",
        "ryan",
        "jacob",
        "gary",
        "nicholas",
        "eric",
        "jonathan",
        "stephen",
        "larry",
        "justin",
        "scott",
        "brandon",
        "benjamin",
        "samuel",
        "gregory",
        "frank",
        "alexander",
        "raymond",
        "patrick",
        "jack",
        "dennis",
        "jerry",
        "tyler",
        "aaron",
        "jose",
        "adam",
        "henry",
        "nathan",
        "douglas",
        "zachary",
        "peter",
        "kyle",
        "walter",
        "ethan",
        "jeremy",
        "harold",
        "keith",
        "christian",
        "roger",
        "noah",
        "gerald",
        "carl",
        "terry",
        "sean",
        "austin",
        "arthur",
        "lawrence",
        "jesse",
        "dylan",
        "bryan",
        "joe",
        "jordan",
        "billy",
        "bruce",
        "albert",
        "willie",
        "gabriel",
        "logan",
        "alan",
        "juan",
        "wayne",
        "roy",
        "ralph",
        "randy",
        "eugene",
        "vincent",
        "russell",
        "elijah",
        "louis",
        "bobby",
        "philip",
        "johnny",
        "bill",
        "bernie",
        "ted",
        "marco",
        "jeb",
        "ben",
        "chris",
        "mike",
        "rand",
        "newt",
        "rudy",
        "barack",
        "mitch",
        "harry",
        "chuck",
        "jim",
        "tom",
        "tim",
        "bob",
        "dick",
        "rick",
        "steve",
        "jeff",
        "ron",
        "dan",
        "greg",
        "jon",
        "vladimir",
        "dmitry",
        "dmitri",
        "sergei",
        "sergey",
        "alexei",
        "alexey",
        "nikolai",
        "ivan",
        "mikhail",
        "yuri",
        "boris",
        "igor",
        "oleg",
        "andrei",
        "andrey",
        "viktor",
        "volodymyr",
        "emmanuel",
        "olaf",
        "recep",
        "xi",
        "narendra",
        "benjamin",
        "justin",
        "kim",
        "abdullah",
        "mohammed",
        "muhammad",
        "ali",
        "ahmed",
        "hassan",
        "hussein",
        "omar",
        "mohammad",
        "karl",
        "hans",
        "pierre",
        "jean",
        "francois",
        "luis",
        "carlos",
        "pedro",
        "antonio",
        "giuseppe",
        "marco",
        "matteo",
        "reince",
        "sean",
        "corey",
        "jared",
        "eric",
        "mitt",
        "lindsey",
        "rex",
        "jd",
        "pete",
        "keir",
        "rishi",
        "boris",
    ];
    let female = [
        "mary",
        "patricia",
        "jennifer",
        "linda",
        "elizabeth",
        "barbara",
        "susan",
        "jessica",
        "sarah",
        "karen",
        "lisa",
        "nancy",
        "betty",
        "margaret",
        "sandra",
        "ashley",
        "kimberly",
        "emily",
        "donna",
        "michelle",
        "carol",
        "amanda",
        "dorothy",
        "melissa",
        "deborah",
        "stephanie",
        "rebecca",
        "sharon",
        "laura",
        "cynthia",
        "kathleen",
        "amy",
        "angela",
        "shirley",
        "anna",
        "brenda",
        "pamela",
        "emma",
        "nicole",
        "helen",
        "samantha",
        "katherine",
        "christine",
        "debra",
        "rachel",
        "carolyn",
        "janet",
        "catherine",
        "maria",
        "heather",
        "diane",
        "ruth",
        "julie",
        "olivia",
        "joyce",
        "virginia",
        "victoria",
        "kelly",
        "lauren",
        "christina",
        "joan",
        "evelyn",
        "judith",
        "megan",
        "andrea",
        "cheryl",
        "hannah",
        "jacqueline",
        "martha",
        "gloria",
        "teresa",
        "ann",
        "sara",
        "madison",
        "frances",
        "kathryn",
        "janice",
        "abigail",
        "alice",
        "judy",
        "sophia",
        "grace",
        "denise",
        "amber",
        "doris",
        "marilyn",
        "danielle",
        "beverly",
        "isabella",
        "theresa",
        "diana",
        "natalie",
        "brittany",
        "charlotte",
        "marie",
        "kayla",
        "alexis",
        "lori",
        "hillary",
        "kellyanne",
        "huma",
        "carly",
        "elizabeth",
        "nikki",
        "sarah",
        "condoleezza",
        "madeleine",
        "nancy",
        "dianne",
        "kamala",
        "karoline",
        "kayleigh",
        "jen",
        "jill",
        "michele",
        "ivanka",
        "melania",
        "chelsea",
        "debbie",
        "donna",
        "hope",
        "kate",
        "katie",
        "kathy",
        "liz",
        "meghan",
        "megyn",
        "tammy",
        "tulsi",
        "marsha",
        "angela",
        "theresa",
        "ursula",
        "christine",
        "marine",
        "giorgia",
        "jacinda",
        "golda",
        "indira",
        "benazir",
        "aung",
        "yulia",
        "maria",
        "mariya",
        "valentina",
        "irina",
        "olga",
        "natalia",
        "natalya",
        "svetlana",
        "tatiana",
        "tatyana",
        "elena",
        "yelena",
        "ekaterina",
        "anastasia",
        "oksana",
        "lyudmila",
        "marina",
        "galina",
    ];
    // A name in both lists is female, as it was when a map was filled
    // with the male names first.
    WordTable::new(
        male.into_iter()
            .map(|n| (n, Gender::Male))
            .chain(female.into_iter().map(|n| (n, Gender::Female))),
    )
});

/// The usual gender of a first name (lower case), if it has one.
#[inline]
pub fn first_name_gender(word: &str) -> Option<Gender> {
    FIRST_NAMES.get(word).copied()
}

/// A lower-case word that reads as a finite verb: a reporting verb, a past
/// tense in -ed, a present tense in -s, or a common irregular past.
pub fn is_verbish(w: &str) -> bool {
    is_cue_verb(w)
        || (w.len() > 3 && w.ends_with("ed"))
        || (w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("'s"))
        || matches!(
            w,
            "shot"
                | "fired"
                | "went"
                | "gave"
                | "made"
                | "took"
                | "came"
                | "ran"
                | "kept"
                | "felt"
                | "left"
                | "held"
                | "brought"
                | "began"
                | "sent"
                | "stood"
                | "struck"
                | "hit"
                | "put"
                | "thought"
                | "saw"
                | "knew"
                | "got"
                | "found"
                | "spoke"
                | "wrote"
                | "told"
                | "said"
                | "laid"
                | "led"
                | "won"
                | "lost"
                | "sought"
                | "set"
                | "let"
                | "is"
                | "was"
                | "has"
                | "had"
                | "will"
                | "would"
                | "can"
                | "could"
                | "does"
                | "did"
                | "may"
                | "might"
                | "must"
                | "should"
                | "seems"
                | "seemed"
        )
}

/// Reporting verbs that usually mean something else unless a quote or
/// punctuation follows at once: "he continued, “…”" but "would continue to".
pub fn is_weak_cue(w: &str) -> bool {
    matches!(
        w,
        "continue"
            | "continued"
            | "continues"
            | "continuing"
            | "read"
            | "reads"
            | "begin"
            | "began"
            | "begins"
    )
}

const PREPOSITIONS: &[&str] = &[
    "at", "in", "on", "during", "after", "before", "with", "for", "from", "to", "of", "about",
    "into", "through", "by", "over", "under", "near",
];

static PREPOSITION_SET: LazyLock<WordList> =
    LazyLock::new(|| WordList::of(PREPOSITIONS.iter().copied()));

/// Whether `word` is one of [`PREPOSITIONS`] (a set: rules ask this of many
/// tokens).
#[inline]
pub fn is_preposition(word: &str) -> bool {
    PREPOSITION_SET.contains(word)
}

/// Words of a time expression between a subject and its verb.
const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "morning",
    "afternoon",
    "evening",
    "night",
    "week",
    "month",
    "year",
    "on",
    "last",
    "this",
    "late",
    "early",
    "day",
    "days",
    "weeks",
    "months",
    "years",
    "hours",
    "minutes",
    "decades",
    "ago",
    "times",
];

static TIME_SET: LazyLock<WordList> = LazyLock::new(|| WordList::of(TIME_WORDS.iter().copied()));

/// Whether `word` is one of [`TIME_WORDS`] (a set: rules ask this of many
/// tokens).
#[inline]
pub fn is_time_word(word: &str) -> bool {
    TIME_SET.contains(word)
}

/// A lower-case word with an adjective's ending or a participle's: before
/// a reporting verb it makes the verb a noun ("explosive claim").
pub fn looks_adjectival(w: &str) -> bool {
    w.len() > 4
        && [
            "ive", "ous", "ful", "able", "ible", "ical", "ed", "est", "ish", "less",
        ]
        .iter()
        .any(|suffix| w.ends_with(suffix))
}

/// Nouns for works whose titles stand in quotation marks: `the film
/// “Barton Fink”`, `the show “Meet the Press”`.
pub fn is_work_noun(w: &str) -> bool {
    matches!(
        w,
        "film"
            | "movie"
            | "show"
            | "book"
            | "novel"
            | "song"
            | "series"
            | "program"
            | "programme"
            | "album"
            | "play"
            | "musical"
            | "documentary"
            | "column"
            | "memoir"
            | "podcast"
            | "episode"
            | "newsletter"
            | "biography"
            | "essay"
            | "op-ed"
            | "poem"
            | "painting"
            | "sitcom"
            | "drama"
            | "comedy"
            | "thriller"
            | "hashtag"
            | "slogan"
    )
}

/// Documents that may carry a title after it (`''Trump Revealed,'' a
/// report by ...`) but whose name before a quote is usually its source
/// ("the report “…”"): only looked at after a quote.
pub fn is_document_noun(w: &str) -> bool {
    matches!(
        w,
        "article" | "report" | "study" | "paper" | "campaign" | "ad" | "video" | "speech"
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn sieves_let_every_listed_word_through() {
        for (w, _) in CUE_WORDS.iter() {
            assert!(is_cue_verb(w), "{w}");
        }
        for w in ROLE_NOUNS {
            assert!(is_role_noun(w), "{w}");
        }
        for w in TITLES {
            assert!(is_title(w), "{w}");
        }
        for w in NOT_NAMES {
            assert!(is_not_name(w), "{w}");
        }
        for (words, test) in [
            (DETERMINERS, is_determiner as fn(&str) -> bool),
            (VERB_FILLERS, is_verb_filler),
            (PLACE_WORDS, is_place_word),
            (INSTITUTION_WORDS, is_institution_word),
            (PREPOSITIONS, is_preposition),
            (TIME_WORDS, is_time_word),
        ] {
            for w in words {
                assert!(test(w), "{w}");
            }
        }
        for (w, g) in FIRST_NAMES.iter() {
            assert_eq!(first_name_gender(w), Some(*g), "{w}");
        }
        let sieve = Sieve::new(["said", "told"]);
        assert!(sieve.may_hold(b"said") && sieve.may_hold(b"") && !sieve.may_hold(b"the"));
    }

    #[test]
    fn name_bars_are_the_two_lists() {
        assert!(DETERMINERS.iter().all(|d| !d.ends_with('.')));
        let mut words: Vec<String> = NOT_NAMES
            .iter()
            .chain(DETERMINERS)
            .map(|w| w.to_string())
            .collect();
        words.extend(
            [
                "mr.", "the.", "the..", "your.", "smith", "", ".", "few", "note..",
            ]
            .map(String::from),
        );
        for w in &words {
            let want = is_not_name(w.trim_end_matches('.')) || is_determiner(w);
            assert_eq!(bars_name(w), want, "{w:?}");
        }
    }

    #[test]
    fn word_tables_answer_as_a_hash_map_does() {
        let listed = [
            "a",
            "an",
            "aaaaaaaa",
            "aaaaaaaaa",
            "aaaaaaaaaa",
            "abcdefghabcdefgh",
            "abcdefghabcdefghX",
            "abcdefghabcdefghY",
            "characterizations",
            "said",
            "sai\0d",
            "\u{e9}t\u{e9}",
        ];
        let table = WordTable::new(listed.iter().enumerate().map(|(i, w)| (*w, i)));
        let map: HashMap<&str, usize> = listed.iter().enumerate().map(|(i, w)| (*w, i)).collect();
        let mut asked: Vec<String> = listed.iter().map(|w| w.to_string()).collect();
        for w in listed {
            asked.push(format!("{w}a"));
            asked.push(format!("{w}\0"));
            asked.push(w.get(1..).unwrap_or("").to_string());
        }
        asked.extend(["", "\0", "aaaaaaa", "aaaaaaaaaaa", "abcdefghabcdefghZ"].map(String::from));
        for w in &asked {
            assert_eq!(table.get(w), map.get(w.as_str()), "{w:?}");
        }
        // A word listed twice keeps its last value.
        let twice = WordTable::new([("x", 1), ("y", 2), ("x", 3)]);
        assert_eq!((twice.get("x"), twice.get("y")), (Some(&3), Some(&2)));
    }

    #[test]
    fn inflects_regular_and_irregular_reporting_verbs() {
        for w in [
            "said",
            "says",
            "told",
            "added",
            "adding",
            "warned",
            "quipped",
            "described",
            "replied",
            "according",
            "acknowledged",
            "wrote",
            "tweeted",
            "relates",
        ] {
            assert!(is_cue_verb(w), "{w}");
        }
        for w in ["sees", "citing", "the", "hopes", "spokesman"] {
            assert!(!is_cue_verb(w), "{w}");
        }
    }
}
