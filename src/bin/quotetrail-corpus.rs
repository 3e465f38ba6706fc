//! Build a synthetic news corpus of any size from the five sample articles,
//! offline and deterministically, to measure ingest speed and grouping at
//! scale (issue 4).
//!
//!     quotetrail-corpus --articles 100000 --out target/bench-corpus/100000
//!
//! Real corpora cannot be shipped, and a corpus that repeats the samples'
//! 29 quotations would make grouping degenerate (every article in one
//! block), so the corpus is organised the way news is: in *events*. An
//! event is one speaker saying two to four things on one day in one place;
//! one to twelve outlets report it, each carrying the whole quote, a trim,
//! a fragment in the reporter's sentence, a splice with "…", a [bracketed]
//! insertion, a second translation (a third of the words exchanged) or a
//! headline's paraphrase, credited to an agency or not.
//!
//! The statements are clauses of the samples' quotations and sentences
//! recombined (the head of one joined to the tail of another), with half
//! their content words exchanged for other words of the samples and for
//! made-up words from a pool that grows with the corpus. So the number of
//! distinct statements grows with the corpus as it does in real news, and
//! two statements of a speaker quoted every day do not pass for
//! translations of each other. Speakers are the registry's (Putin most
//! quoted) and made-up people, described sources ("a Kremlin spokesman")
//! and institutions, named the ways articles name them: with titles, by
//! surname, by pronoun, "TASS quoted X as saying", "according to X". The
//! rest of each article is sentences of the samples' narrative paragraphs
//! with their people and places swapped.
//!
//! Articles are written 1000 to a directory (`DIR/000/000123.txt`) with one
//! `DIR/manifest.tsv` (outlet, url, date, title) whose `file` column is the
//! path inside DIR, as `quotetrail ingest DIR` matches it. Shards are built
//! in parallel, each from its own seeded generator, so the output depends
//! on `--seed` and `--articles` only, never on the number of threads.
//!
//! Since the builder knows who said every quotation it writes, it also
//! writes their gold, `DIR/gold.jsonl`, in the scorer's format
//! (`seeds-gold.jsonl`'s fields, with `start`/`end` in characters), so
//! quote, speaker, utterance and rendering scores can be measured at any
//! size:
//!
//!     python3 score.py --gold DIR/gold.jsonl --corpus DIR
//!
//! `ingest DIR` passes over it (not a `.txt` article: a note on stderr).
//! Keeping the gold costs no draw of the generator: the articles and the
//! manifest are the same with it as without. Every quotation mark pair the
//! builder writes is in the gold, and every block quote after a colon
//! lead-in (narrative paragraphs are never put between a block quote and
//! its lead-in, nor between a split quotation's halves); the samples'
//! narrative, boilerplate and headlines carry none of their own. What the
//! gold says:
//!
//! - `utterance`: the statement, `e<shard>-<n>/s<k>` (statement `k` of the
//!   `n`th event of the shard), whatever part of it an article carries;
//! - `rendering`: the utterance and its wording: `/base` or `/alt` (the
//!   second translation); a headline's or live blog's paraphrase is a
//!   wording of its own, `/paraphrase-<article>`, as seeds-gold makes a
//!   headline paraphrase a rendering of its own;
//! - `speaker`: who a reader of the article would credit (see
//!   `credited_name`), also where the article names them only by pronoun,
//!   or as "Official" in a paraphrase;
//! - `cited`: the agency the quotation's own sentence credits ("told
//!   TASS", "TASS quoted … as saying"), or null; `partial`: a fragment in
//!   the reporter's sentence or a paraphrase; `note`: how it is carried
//!   (whole, trim, fragment, splice, bracket, block quote, paraphrase).

use std::collections::{HashSet, VecDeque};
use std::fmt::Write as _;
use std::io::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use anyhow::{Context, bail};
use clap::Parser;
use quotetrail::analyze::analyze;
use quotetrail::article::Manifest;
use quotetrail::extract::{extract_quotes, paragraphs};
use quotetrail::registry::{Gender, Registry, SpeakerKind};
use rayon::prelude::*;
use serde::Serialize;

/// Articles per subdirectory: few enough that listing a directory stays
/// cheap, many enough that 1M articles make only 1000 directories.
const SHARD: usize = 1000;

/// Build a synthetic corpus of news articles from the samples.
#[derive(Debug, Parser)]
#[command(name = "quotetrail-corpus", version, max_term_width = 100)]
struct Args {
    /// How many articles to write.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    articles: usize,
    /// The directory to write (created; it must not hold anything yet):
    /// DIR/000/000000.txt…, DIR/manifest.tsv, and DIR/gold.jsonl, every
    /// quotation of the articles with its speaker, utterance and
    /// rendering, for the scorer (--gold DIR/gold.jsonl --corpus DIR).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Seed of the generator: the same seed and size give the same corpus.
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,
    /// The sample articles to recombine: their *.txt files, manifest.tsv
    /// and speakers.json.
    #[arg(long, value_name = "DIR", default_value = "samples")]
    from: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("quotetrail-corpus: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let material = Material::read(&args.from)?;
    prepare_out(&args.out)?;
    let world = World::new(args.articles, args.seed);
    let shards = args.articles.div_ceil(SHARD);
    let written = (0..shards)
        .into_par_iter()
        .map(|shard| write_shard(&material, &world, &args.out, shard))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut manifest = String::from("file\toutlet\turl\tpublished\ttitle\n");
    let mut bytes = 0;
    for shard in &written {
        manifest.push_str(&shard.rows);
        bytes += shard.bytes;
    }
    let path = args.out.join("manifest.tsv");
    std::fs::write(&path, &manifest).with_context(|| format!("writing {}", path.display()))?;
    // The shards' gold files, joined in shard order and removed: a
    // million articles' gold is gigabytes, too much to hold in memory.
    let path = args.out.join("gold.jsonl");
    let file =
        std::fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?;
    let mut gold = std::io::BufWriter::new(file);
    for shard in &written {
        let mut part = std::fs::File::open(&shard.gold)
            .with_context(|| format!("reading {}", shard.gold.display()))?;
        std::io::copy(&mut part, &mut gold)
            .with_context(|| format!("writing {}", path.display()))?;
        std::fs::remove_file(&shard.gold)
            .with_context(|| format!("removing {}", shard.gold.display()))?;
    }
    gold.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!(
        "quotetrail-corpus: {} articles, {} bytes ({:.1} MB) in {}; {:.2} s",
        args.articles,
        bytes,
        bytes as f64 / 1e6,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Create `out`, refusing one that holds anything: a smaller corpus written
/// over a larger one would leave articles the manifest does not list.
fn prepare_out(out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut entries =
        std::fs::read_dir(out).with_context(|| format!("reading {}", out.display()))?;
    if entries.next().is_some() {
        bail!("{} is not empty; remove it first", out.display());
    }
    Ok(())
}

/// splitmix64: small, fast, and the same on every machine, so a seed names
/// one corpus everywhere (no dependency for a dozen lines).
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// In `0..n`, rank r drawn with weight about 1/r: a few outlets,
    /// speakers and agencies get most of the coverage, as in real news.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n.max(1) as f64).powf(u) as usize)
            .saturating_sub(1)
            .min(n.saturating_sub(1))
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// [`Rng::pick`] for the word lists, whose items are copied out.
    fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// The splitmix64 finaliser: also names made-up words and people by index.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

// Word lists. They hold only what the samples cannot give: names for
// made-up people, outlets and places, and the frames reporters put around
// quotations. Everything a quotation says comes from the samples.

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ter", "san", "vo", "ri", "dun", "pe", "sha", "gor", "nel", "tis", "ba",
    "ur", "fen", "ko", "lim", "dra", "zet", "mar", "ol", "vek", "an", "sel", "tro", "bi", "nas",
];
const SURNAME_ENDINGS: &[&str] = &[
    "ov", "enko", "ski", "son", "er", "es", "i", "ic", "man", "ard",
];
const MALE_NAMES: &[&str] = &[
    "Alexei", "Marco", "Steve", "Mike", "Ivan", "Pavel", "Oleg", "John", "David", "Mehmet",
    "Ahmed", "Viktor", "Jan", "Lars", "Kenji", "Luis", "Andrzej", "Nikolai", "Hakan", "Thomas",
    "Yuri", "Peter", "Omar", "Rafael",
];
const FEMALE_NAMES: &[&str] = &[
    "Maria", "Julie", "Sonata", "Anna", "Elena", "Olga", "Sarah", "Leyla", "Ingrid", "Aiko",
    "Fatima", "Irina", "Claire", "Marta", "Nadia", "Zeynep", "Helen", "Svetlana", "Laura", "Amina",
];
const NATIONS: &[&str] = &[
    "Russian",
    "US",
    "Turkish",
    "Ukrainian",
    "French",
    "German",
    "Finnish",
    "Polish",
    "Hungarian",
    "Saudi",
    "Qatari",
    "Chinese",
    "Indian",
    "Japanese",
    "Brazilian",
    "Kazakh",
    "Serbian",
    "Italian",
];
const OFFICES: &[&str] = &[
    "Foreign Minister",
    "Deputy Foreign Minister",
    "Prime Minister",
    "Defence Minister",
    "Finance Minister",
    "Energy Minister",
    "ambassador",
    "envoy",
    "foreign ministry spokesperson",
    "presidential aide",
    "National Security Adviser",
    "Trade Minister",
];
const DESCRIBED: &[&str] = &[
    "a Kremlin spokesman",
    "a state department spokesperson",
    "a senior EU diplomat",
    "a Turkish official",
    "a Western diplomat",
    "a senior Russian official",
    "a White House official",
    "a person familiar with the talks",
    "a NATO spokesperson",
    "a UN spokesman",
];
const INSTITUTIONS: &[&str] = &[
    "The Kremlin",
    "The State Department",
    "The Russian Foreign Ministry",
    "The European Commission",
    "The White House",
    "The Turkish Foreign Ministry",
];
const PLACES: &[&str] = &[
    "Istanbul",
    "Riyadh",
    "Ankara",
    "Doha",
    "Geneva",
    "Vienna",
    "Helsinki",
    "Abu Dhabi",
    "Budapest",
    "Belgrade",
    "Astana",
    "Baku",
    "Jeddah",
    "Muscat",
    "Oslo",
    "Minsk",
    "Tbilisi",
    "Cairo",
    "Beijing",
    "New Delhi",
    "Brussels",
    "Warsaw",
    "Rome",
    "Paris",
];
/// People and places of the samples' narrative, swapped for others so the
/// recombined paragraphs tell of other people in other places. The
/// registry's speakers are added to the people at run time.
const SAMPLE_PEOPLE: &[(&str, &str, Gender)] = &[
    ("Donald Trump", "Trump", Gender::Male),
    ("Joe Biden", "Biden", Gender::Male),
    ("Dmitry Koshelev", "Koshelev", Gender::Male),
    ("Sonata Coulter", "Coulter", Gender::Female),
    ("Alexander Darchiyev", "Darchiyev", Gender::Male),
    ("Julie A. Eadeh", "Eadeh", Gender::Female),
    ("Mike Waltz", "Waltz", Gender::Male),
    ("Marco Rubio", "Rubio", Gender::Male),
    ("Steve Witkoff", "Witkoff", Gender::Male),
    ("Öncu Keçeli", "Keçeli", Gender::Male),
];
const SAMPLE_PLACES: &[&str] = &[
    "Istanbul",
    "Riyadh",
    "Saudi Arabia",
    "Turkey",
    "Turkiye",
    "Ankara",
    "Qatar",
    "Osaka",
    "Japan",
    "Arctic",
];
const TOPICS: &[&str] = &[
    "talks",
    "meeting",
    "negotiations",
    "consultations",
    "ceasefire proposal",
    "sanctions",
    "summit",
    "agreement",
    "relations",
    "peace plan",
    "visit",
    "energy deal",
    "prisoner exchange",
    "embassy dispute",
];
const OCCASIONS: &[&str] = &[
    "at a news conference",
    "in a televised address",
    "during a visit",
    "at a briefing",
    "in an interview",
    "at a forum",
    "after a cabinet meeting",
    "to reporters",
];
const AUDIENCES: &[&str] = &[
    "a meeting of the FSB board",
    "reporters",
    "members of parliament",
    "a security council session",
    "students",
    "a business forum",
];
const OUTLET_WORDS: &[&str] = &[
    "daily", "the", "global", "metro", "national", "evening", "morning", "city", "world", "free",
    "new", "east", "west", "north", "south", "capital", "union", "coastal", "valley", "river",
];
const OUTLET_NOUNS: &[&str] = &[
    "post",
    "times",
    "herald",
    "tribune",
    "observer",
    "dispatch",
    "ledger",
    "gazette",
    "chronicle",
    "journal",
    "news",
    "wire",
    "report",
    "monitor",
    "star",
    "sun",
    "mail",
    "express",
    "record",
    "review",
];
const TLDS: &[&str] = &[
    "com", "net", "co.uk", "com.pk", "tv", "org", "ng", "in", "ie", "com.au",
];
const STOP: &[&str] = &[
    "that", "this", "with", "from", "have", "been", "were", "will", "would", "they", "their",
    "there", "which", "what", "when", "where", "these", "those", "into", "them", "than", "then",
    "also", "such", "each", "other", "about", "after", "before", "some", "more", "most", "only",
    "very", "just", "does", "done", "both", "able", "over", "under", "being", "here", "have",
];
const PRONOUN_SLOTS: &[&str] = &["it", "they", "them", "this", "we", "us", "our"];
/// Word pairs of the samples' two translations of the same remarks, for
/// the second translation of a statement; other words are exchanged for
/// words of the samples.
const SYNONYMS: &[(&str, &str)] = &[
    ("mutual", "reciprocal"),
    ("dedication", "mood"),
    ("interstate", "intergovernmental"),
    ("relations", "ties"),
    ("enormous", "huge"),
    ("volume", "number"),
    ("accumulated", "built-up"),
    ("global", "world’s"),
    ("hopes", "expectations"),
    ("inspire", "raise"),
    ("contacts", "engagements"),
    ("rapidly", "quickly"),
    ("problems", "issues"),
    ("determined", "intent"),
    ("instability", "turmoil"),
    ("disrupt", "derail"),
    ("compromise", "undermine"),
    ("dialogue", "talks"),
    ("closer", "nearer"),
    ("overcoming", "bridging"),
    ("differences", "disagreements"),
    ("strengthening", "building"),
    ("trust", "confidence"),
    ("effectively", "efficiently"),
    ("uncomfortable", "difficult"),
    ("conditions", "circumstances"),
    ("solutions", "answers"),
    ("easily", "readily"),
    ("complex", "complicated"),
    ("neglected", "overlooked"),
    ("willingness", "readiness"),
    ("apparent", "evident"),
    ("really", "truly"),
    ("potential", "possible"),
    ("cooperation", "collaboration"),
    ("companies", "firms"),
    ("detailed", "substantive"),
    ("restoring", "rebuilding"),
    ("gradually", "step by step"),
];
const MONTHS: &[(&str, usize)] = &[
    ("January", 31),
    ("February", 28),
    ("March", 31),
    ("April", 30),
    ("May", 31),
    ("June", 30),
    ("July", 31),
    ("August", 31),
    ("September", 30),
    ("October", 31),
    ("November", 30),
    ("December", 31),
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// What the samples give: clauses of their quotations, sentences of their
/// narrative (with people and places marked), their words, the registry.
struct Material {
    /// Clauses of the samples' quotations and narrative sentences, as words.
    clauses: Vec<Vec<String>>,
    /// Sentences of the samples' narrative paragraphs.
    sentences: Vec<Vec<Piece>>,
    /// Short lines that are no story (section names, "Related Articles").
    boilerplate: Vec<String>,
    /// Content words of the samples, lower case, sorted.
    vocabulary: Vec<String>,
    /// Every word of the samples, lower case.
    common: HashSet<String>,
    /// People named in the narrative: SAMPLE_PEOPLE, then the registry's.
    people: Vec<Person>,
    /// The registry's people, with their aliases and roles.
    registered: Vec<Registered>,
    media: Vec<String>,
    /// The samples' outlets, first in the outlet pool.
    outlets: Vec<String>,
}

/// A piece of a narrative sentence: text, or a person or place to swap.
enum Piece {
    Text(String),
    Person { who: usize, short: bool },
    Place,
}

#[derive(Clone)]
struct Person {
    full: String,
    short: String,
    gender: Option<Gender>,
}

struct Registered {
    person: Person,
    /// Other full names ("Sergey Lavrov").
    names: Vec<String>,
    roles: Vec<String>,
}

impl Material {
    fn read(from: &Path) -> anyhow::Result<Material> {
        let registry_path = from.join("speakers.json");
        let json = std::fs::read_to_string(&registry_path)
            .with_context(|| format!("reading {}", registry_path.display()))?;
        let file = Registry::parse(&json)
            .with_context(|| format!("reading {}", registry_path.display()))?;
        let manifest_path = from.join("manifest.tsv");
        let outlets = if manifest_path.is_file() {
            let manifest = Manifest::read(&manifest_path)?;
            let mut outlets: Vec<String> =
                manifest.rows.into_iter().filter_map(|r| r.outlet).collect();
            outlets.dedup();
            outlets
        } else {
            Vec::new()
        };
        let mut texts = Vec::new();
        let entries =
            std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))?;
        for entry in entries {
            let path = entry
                .with_context(|| format!("reading {}", from.display()))?
                .path();
            if path.extension().is_some_and(|e| e == "txt") {
                texts.push(path);
            }
        }
        texts.sort();
        if texts.is_empty() {
            bail!("{}: no .txt articles to recombine", from.display());
        }

        let registered: Vec<Registered> = file
            .speakers
            .iter()
            .filter(|s| s.kind == SpeakerKind::Person)
            .map(|s| {
                let short = s
                    .aliases
                    .iter()
                    .find(|a| !a.contains(' '))
                    .cloned()
                    .or_else(|| s.name.rsplit(' ').next().map(str::to_string))
                    .unwrap_or_else(|| s.name.clone());
                Registered {
                    person: Person {
                        full: s.name.clone(),
                        short,
                        gender: s.gender,
                    },
                    names: s
                        .aliases
                        .iter()
                        .filter(|a| a.contains(' '))
                        .cloned()
                        .collect(),
                    roles: s.roles.clone(),
                }
            })
            .collect();
        let mut people: Vec<Person> = SAMPLE_PEOPLE
            .iter()
            .map(|&(full, short, gender)| Person {
                full: full.into(),
                short: short.into(),
                gender: Some(gender),
            })
            .collect();
        people.extend(registered.iter().map(|r| r.person.clone()));
        let swaps = Swaps::new(&people, &registered)?;

        let registry = Registry::new(file.clone());
        let mut clauses = Vec::new();
        let mut sentences = Vec::new();
        let mut boilerplate = Vec::new();
        let mut vocabulary = HashSet::new();
        let mut common = HashSet::new();
        let stop: HashSet<&str> = STOP.iter().copied().collect();
        for path in &texts {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let text = text.trim_start_matches('\u{feff}');
            for word in text.split(|c: char| !c.is_alphabetic()) {
                common.insert(word.to_lowercase());
                if word.len() >= 4 && word.chars().all(|c| c.is_lowercase()) && !stop.contains(word)
                {
                    vocabulary.insert(word.to_string());
                }
            }
            for quotation in analyze(text, &registry).quotations {
                let words: Vec<&str> = quotation
                    .quote
                    .span
                    .slice(text)
                    .split_whitespace()
                    .collect();
                split_clauses(&words, &mut clauses);
            }
            let quotes = extract_quotes(text);
            for para in paragraphs(text) {
                if quotes
                    .iter()
                    .any(|q| q.outer.start < para.end && para.start < q.outer.end)
                {
                    continue;
                }
                let para = para.slice(text);
                if para.ends_with(':') || para.contains(['"', '“', '”']) {
                    continue;
                }
                if para.split_whitespace().count() < 8 || para.contains(" / ") {
                    boilerplate.push(para.to_string());
                    continue;
                }
                for sentence in split_sentences(para) {
                    let words: Vec<&str> = sentence.split_whitespace().collect();
                    if words.len() >= 6 {
                        sentences.push(swaps.pieces(sentence));
                        split_clauses(&words, &mut clauses);
                    }
                }
            }
        }
        if clauses.is_empty() || sentences.is_empty() {
            bail!(
                "{}: the samples need quotations and narrative paragraphs to recombine",
                from.display()
            );
        }
        let lower: HashSet<String> = vocabulary.iter().cloned().collect();
        for clause in &mut clauses {
            lower_first(clause, &lower);
        }
        let mut vocabulary: Vec<String> = vocabulary.into_iter().collect();
        vocabulary.sort();
        Ok(Material {
            clauses,
            sentences,
            boilerplate,
            vocabulary,
            common,
            people,
            registered,
            media: file.media,
            outlets,
        })
    }
}

/// Split a quotation's or a narrative sentence's words into clauses at commas, semicolons, colons,
/// ellipses and full stops, keeping those of 3 to 20 words.
fn split_clauses(words: &[&str], out: &mut Vec<Vec<String>>) {
    let mut clause: Vec<String> = Vec::new();
    for word in words {
        let bare = word.trim_end_matches([',', ';', ':', '.', '…', '!', '?']);
        let ends = bare.len() < word.len();
        let bare = bare.trim_matches(['“', '”', '"', '[', ']']);
        if !bare.is_empty() {
            clause.push(bare.to_string());
        }
        if ends || word.contains('…') {
            push_clause(std::mem::take(&mut clause), out);
        }
    }
    push_clause(clause, out);
}

/// Keep clauses of 3 to 20 words with two content words or more: "to
/// which we" would tie every statement it went into to every other.
fn push_clause(clause: Vec<String>, out: &mut Vec<Vec<String>>) {
    let content = clause.iter().filter(|w| is_content(w)).count();
    if (3..=20).contains(&clause.len()) && content >= 2 {
        out.push(clause);
    }
}

/// Lower-case a clause's first word where it is an ordinary word in
/// capitals only because it opened a sentence ("There" but not "US").
fn lower_first(clause: &mut [String], lower: &HashSet<String>) {
    if let Some(first) = clause.first_mut() {
        let lowered = first.to_lowercase();
        let title_case = first.chars().skip(1).all(|c| !c.is_uppercase());
        if title_case && first != "I" && (lower.contains(&lowered) || lowered.len() < 4) {
            *first = lowered;
        }
    }
}

/// The sentences of a paragraph that can stand anywhere: split after a
/// full stop followed by a space and a capital (not after "U.S."), without
/// a dateline ("MOSCOW: ", "Istanbul - "), and only those that end in a
/// full stop and open with a capital (no headlines, no "date 2025-02-27").
fn split_sentences(para: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in para.match_indices(". ") {
        let word = para[start..i].rsplit(' ').next().unwrap_or_default();
        let next = para[i + 2..].chars().next();
        if next.is_some_and(char::is_uppercase) && !word.contains('.') {
            out.push(para[start..=i].trim());
            start = i + 2;
        }
    }
    out.push(para[start..].trim());
    out.into_iter()
        .map(|s| {
            let dateline = s
                .find([':', '-'])
                .filter(|&i| s[..i].split_whitespace().count() == 1 && s[i + 1..].starts_with(' '));
            dateline.map_or(s, |i| s[i + 1..].trim_start())
        })
        .filter(|s| s.ends_with('.') && s.chars().next().is_some_and(char::is_uppercase))
        .collect()
}

/// Finds the samples' people and places in narrative sentences.
struct Swaps {
    matcher: AhoCorasick,
    /// Per pattern: a person (index, short form) or a place.
    targets: Vec<Option<(usize, bool)>>,
}

impl Swaps {
    fn new(people: &[Person], registered: &[Registered]) -> anyhow::Result<Swaps> {
        let mut patterns = Vec::new();
        let mut targets = Vec::new();
        for (who, person) in people.iter().enumerate() {
            patterns.push(person.full.clone());
            targets.push(Some((who, false)));
            if person.short != person.full {
                patterns.push(person.short.clone());
                targets.push(Some((who, true)));
            }
        }
        let first_registered = people.len() - registered.len();
        for (i, r) in registered.iter().enumerate() {
            for name in &r.names {
                patterns.push(name.clone());
                targets.push(Some((first_registered + i, false)));
            }
        }
        for place in SAMPLE_PLACES {
            patterns.push((*place).to_string());
            targets.push(None);
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .context("building the name matcher")?;
        Ok(Swaps { matcher, targets })
    }

    /// `sentence` cut into text and the people and places to swap.
    fn pieces(&self, sentence: &str) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut at = 0;
        for m in self.matcher.find_iter(sentence) {
            let before = sentence[..m.start()].chars().next_back();
            let after = sentence[m.end()..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            if m.start() > at {
                out.push(Piece::Text(sentence[at..m.start()].to_string()));
            }
            out.push(match self.targets[m.pattern().as_usize()] {
                Some((who, short)) => Piece::Person { who, short },
                None => Piece::Place,
            });
            at = m.end();
        }
        if at < sentence.len() {
            out.push(Piece::Text(sentence[at..].to_string()));
        }
        out
    }
}

/// What depends on the corpus size: how many made-up words, people and
/// outlets there are. Shards share it; each draws from it with its own
/// generator.
struct World {
    seed: u64,
    /// Made-up words for new statements: twice as many as articles, so a
    /// word stays rare whatever the size.
    words: usize,
    /// Made-up people: one per five articles.
    people: usize,
    outlets: Vec<String>,
    articles: usize,
}

impl World {
    fn new(articles: usize, seed: u64) -> World {
        let outlets = (0..300)
            .map(|i| {
                let word = OUTLET_WORDS[i % OUTLET_WORDS.len()];
                let noun = OUTLET_NOUNS[(i / OUTLET_WORDS.len()) % OUTLET_NOUNS.len()];
                let tld = TLDS[(mix(i as u64 ^ seed) % TLDS.len() as u64) as usize];
                format!("{word}{noun}.{tld}")
            })
            .collect();
        World {
            seed,
            words: (articles * 2).max(4096),
            people: (articles / 5).max(200),
            outlets,
            articles,
        }
    }

    /// Made-up word `i`: two to four syllables.
    fn word(&self, i: usize) -> String {
        let mut h = mix(i as u64 ^ self.seed.rotate_left(17));
        let n = 2 + (h % 3) as usize;
        let mut out = String::new();
        for _ in 0..n {
            h = mix(h);
            out.push_str(SYLLABLES[(h % SYLLABLES.len() as u64) as usize]);
        }
        out
    }

    /// Made-up person `i`, with a gender from their first name.
    fn person(&self, i: usize) -> Person {
        let h = mix(i as u64 ^ self.seed.rotate_left(29) ^ 0xA5A5);
        let female = i.is_multiple_of(3);
        let first = if female {
            FEMALE_NAMES[(h % FEMALE_NAMES.len() as u64) as usize]
        } else {
            MALE_NAMES[(h % MALE_NAMES.len() as u64) as usize]
        };
        let mut last = String::new();
        let mut g = mix(h);
        for _ in 0..(2 + g % 2) {
            g = mix(g);
            last.push_str(SYLLABLES[(g % SYLLABLES.len() as u64) as usize]);
        }
        let ending = SURNAME_ENDINGS[(mix(g) % SURNAME_ENDINGS.len() as u64) as usize];
        last.push_str(ending);
        if female && ending == "ov" {
            last.push('a');
        }
        let mut chars = last.chars();
        let last = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default();
        Person {
            full: format!("{first} {last}"),
            short: last,
            gender: Some(if female { Gender::Female } else { Gender::Male }),
        }
    }

    /// A made-up person of `gender`, drawn with a skew.
    fn person_of(&self, rng: &mut Rng, gender: Option<Gender>) -> Person {
        let mut i = rng.zipf(self.people);
        if gender == Some(Gender::Female) {
            i -= i % 3;
        } else if i.is_multiple_of(3) {
            i += 1;
        }
        self.person(i)
    }
}

/// Who said it.
#[derive(Clone)]
enum Speaker {
    /// A registry speaker, by index into `Material::registered`.
    Registered(usize),
    /// A made-up person with a title ("Finnish Foreign Minister").
    Named { person: Person, title: String },
    /// A source described, not named ("a state department spokesperson").
    Described(&'static str),
    /// "The Kremlin".
    Institution(&'static str),
}

/// One statement in its two translations.
struct Statement {
    base: Vec<String>,
    alt: Vec<String>,
}

/// A speaker saying one to three things on one day in one place.
struct Event {
    /// `e<shard>-<n>`: the gold's utterances are `<id>/s<statement>`.
    id: String,
    speaker: Speaker,
    day: usize,
    place: &'static str,
    occasion: &'static str,
    topic: &'static str,
    /// The agencies credited for the two translations.
    agency: Option<usize>,
    alt_agency: Option<usize>,
    statements: Vec<Statement>,
    /// Reports still to write.
    remaining: usize,
}

/// How one outlet carries one statement.
#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Whole,
    Trim,
    Fragment,
    Splice,
    Bracket,
}

/// One shard's manifest rows, bytes written and gold file.
struct Written {
    rows: String,
    bytes: u64,
    /// The gold of the shard's quotations, to be joined into
    /// `DIR/gold.jsonl` (a hidden file, which `ingest` passes over).
    gold: PathBuf,
}

/// What the gold says of a quotation: whose words, which statement, which
/// wording, credited to whom.
#[derive(Clone)]
struct Said {
    /// The name the quotation is credited to (see [`credited_name`]).
    speaker: String,
    /// `e<shard>-<n>/s<k>`: statement `k` of event `n` of the shard.
    utterance: String,
    /// The utterance and its wording: `/base` or `/alt` (the second
    /// translation), `/paraphrase-<article>` for a paraphrase.
    rendering: String,
    /// The agency the quotation's own sentence credits.
    cited: Option<String>,
    /// A fragment inside the reporter's sentence (or a paraphrase).
    partial: bool,
    /// How the statement is carried: "whole", "fragment", "splice"…
    note: &'static str,
}

/// A paragraph (or the title) being written, with the quotations in it.
struct Para {
    text: String,
    /// Byte spans of the quoted words (without their marks) in `text`.
    quotes: Vec<(Range<usize>, Said)>,
    kind: Kind,
}

/// What a paragraph is to the one before it: a block quote or a
/// quotation's second half must stay right after what introduces it.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Other,
    /// A quotation without marks after a colon lead-in.
    Block,
    /// The second half of a quotation split by its attribution.
    Continuation,
}

impl Para {
    /// A paragraph with no quotation in it.
    fn plain(text: String) -> Para {
        Para {
            text,
            quotes: Vec::new(),
            kind: Kind::Other,
        }
    }

    /// Record `words`, which `text` carries between curly marks after the
    /// quotations recorded so far. Searching for them, rather than
    /// counting bytes of format strings, keeps the templates readable;
    /// the words are known exactly, so the search cannot go wrong except
    /// by a bug, which the tests catch: every mark must be in the gold.
    fn quote(&mut self, words: &str, said: Said) {
        let from = self.quotes.last().map_or(0, |(span, _)| span.end);
        let marked = format!("“{words}”");
        let found = self.text[from..].find(&marked);
        debug_assert!(found.is_some(), "{marked} not in {}", self.text);
        if let Some(at) = found {
            let start = from + at + '“'.len_utf8();
            self.quotes.push((start..start + words.len(), said));
        }
    }
}

/// A quotation of an article as the gold records it, with character
/// offsets (the scorer's) into the article's final text.
struct GoldQuote {
    start: usize,
    end: usize,
    quote: String,
    said: Said,
}

/// One line of `gold.jsonl`: the fields of the scorer's gold files
/// (`seeds-gold.jsonl`), with the quotation's offsets.
#[derive(Serialize)]
struct GoldRow<'a> {
    file: &'a str,
    outlet: &'a str,
    start: usize,
    end: usize,
    quote: &'a str,
    speaker: &'a str,
    utterance: &'a str,
    rendering: &'a str,
    cited: Option<&'a str>,
    partial: bool,
    note: &'a str,
}

/// The name the gold credits `speaker`'s words to, as a reader of the
/// article would: a registered person's registry name, a made-up person's
/// full name; a described source that is a registered person's role is
/// that person ("a Kremlin spokesman" is Dmitry Peskov, as seeds-gold
/// has it), another is its description without the article ("state
/// department spokesperson"); an institution is its name without "The"
/// ("Kremlin", as seeds-gold has it).
fn credited_name(m: &Material, speaker: &Speaker) -> String {
    match speaker {
        Speaker::Registered(i) => m.registered[*i].person.full.clone(),
        Speaker::Named { person, .. } => person.full.clone(),
        Speaker::Described(d) => {
            let bare = d
                .strip_prefix("a ")
                .or_else(|| d.strip_prefix("an "))
                .unwrap_or(d);
            m.registered
                .iter()
                .find(|r| r.roles.iter().any(|role| role.eq_ignore_ascii_case(bare)))
                .map_or_else(|| bare.to_string(), |r| r.person.full.clone())
        }
        Speaker::Institution(name) => name.strip_prefix("The ").unwrap_or(name).to_string(),
    }
}

fn write_shard(m: &Material, w: &World, out: &Path, shard: usize) -> anyhow::Result<Written> {
    let mut rng = Rng::new(w.seed, shard as u64 + 1);
    let dir = out.join(format!("{shard:03}"));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut written = Written {
        rows: String::new(),
        bytes: 0,
        gold: out.join(format!(".gold-{shard:03}.jsonl")),
    };
    let mut gold = String::new();
    let mut open: VecDeque<Event> = VecDeque::new();
    let mut events = 0;
    let first = shard * SHARD;
    for n in first..(first + SHARD).min(w.articles) {
        while open.len() < 5 {
            let id = format!("e{shard:03}-{events}");
            events += 1;
            open.push_back(new_event(m, w, &mut rng, id));
        }
        let mut reported = vec![0];
        for _ in 0..1 + rng.below(3) {
            let other = 1 + rng.below(open.len() - 1);
            if !reported.contains(&other) {
                reported.push(other);
            }
        }
        let outlet = if rng.chance(3) && !m.outlets.is_empty() {
            rng.pick(&m.outlets).clone()
        } else {
            w.outlets[rng.zipf(w.outlets.len())].clone()
        };
        let style = Style::new(&outlet);
        let reports: Vec<&Event> = reported.iter().map(|&i| &open[i]).collect();
        let article = Article::write(m, w, &mut rng, &reports, &outlet, style, n);
        for &i in &reported {
            open[i].remaining -= 1;
        }
        open.retain(|e| e.remaining > 0);

        let name = format!("{n:06}.txt");
        let path = dir.join(&name);
        std::fs::write(&path, &article.text)
            .with_context(|| format!("writing {}", path.display()))?;
        written.bytes += article.text.len() as u64;
        let file = format!("{shard:03}/{name}");
        for q in &article.quotes {
            let row = GoldRow {
                file: &file,
                outlet: &outlet,
                start: q.start,
                end: q.end,
                quote: &q.quote,
                speaker: &q.said.speaker,
                utterance: &q.said.utterance,
                rendering: &q.said.rendering,
                cited: q.said.cited.as_deref(),
                partial: q.said.partial,
                note: q.said.note,
            };
            let line = serde_json::to_string(&row).context("writing the gold")?;
            gold.push_str(&line);
            gold.push('\n');
        }
        let url = if rng.chance(80) {
            format!(
                "https://{outlet}/{}/{}-{n}",
                article.published.get(..7).unwrap_or("2025"),
                slug(&article.title)
            )
        } else {
            String::new()
        };
        let published = if rng.chance(85) {
            article.published.as_str()
        } else {
            ""
        };
        let title = if rng.chance(70) {
            article.title.as_str()
        } else {
            ""
        };
        let _ = writeln!(
            written.rows,
            "{file}\t{outlet}\t{url}\t{published}\t{}",
            title.replace(['\t', '\n'], " ")
        );
    }
    std::fs::write(&written.gold, &gold)
        .with_context(|| format!("writing {}", written.gold.display()))?;
    Ok(written)
}

/// A new event, `id` naming it in the gold (`e<shard>-<n>`).
fn new_event(m: &Material, w: &World, rng: &mut Rng, id: String) -> Event {
    let speaker = match rng.below(100) {
        0..22 if !m.registered.is_empty() => Speaker::Registered(rng.zipf(m.registered.len())),
        22..80 => {
            let person = w.person_of(rng, None);
            let title = format!("{} {}", rng.pick(NATIONS), rng.pick(OFFICES));
            Speaker::Named { person, title }
        }
        80..92 => Speaker::Described(rng.choose(DESCRIBED)),
        _ => Speaker::Institution(rng.choose(INSTITUTIONS)),
    };
    let count = 2 + rng.zipf(3);
    let statements = (0..count)
        .map(|_| {
            let base = statement(m, w, rng);
            let alt = retranslate(m, rng, &base);
            Statement { base, alt }
        })
        .collect();
    let agency =
        |rng: &mut Rng| (rng.chance(60) && !m.media.is_empty()).then(|| rng.zipf(m.media.len()));
    Event {
        id,
        speaker,
        day: rng.below(365),
        place: rng.choose(PLACES),
        occasion: rng.choose(OCCASIONS),
        topic: rng.choose(TOPICS),
        agency: agency(rng),
        alt_agency: agency(rng),
        statements,
        remaining: 1 + rng.zipf(12),
    }
}

/// A clause of the samples, more often the head of one joined to the tail
/// of another: the samples have a few hundred clauses, and a speaker
/// quoted every day would otherwise repeat their skeletons until unrelated
/// statements looked like translations of each other.
fn clause(m: &Material, rng: &mut Rng) -> Vec<String> {
    let head = rng.pick(&m.clauses);
    if rng.chance(20) {
        return head.clone();
    }
    let tail = rng.pick(&m.clauses);
    let cut_head = 1 + rng.below(head.len() - 1);
    let cut_tail = rng.below(tail.len() - 1);
    head[..cut_head]
        .iter()
        .chain(&tail[cut_tail..])
        .cloned()
        .collect()
}

/// A new statement: one to three sentences of one to three clauses of the
/// samples' quotations, with about a third of the content words exchanged
/// for other words of the samples or made-up ones.
fn statement(m: &Material, w: &World, rng: &mut Rng) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for _ in 0..1 + rng.zipf(3) {
        let start = words.len();
        let clauses = 1 + rng.below(3);
        for c in 0..clauses {
            if c > 0 {
                if let Some(last) = words.last_mut() {
                    last.push(',');
                }
                if rng.chance(30) {
                    words.push("and".into());
                }
            }
            words.extend(clause(m, rng));
        }
        if let Some(first) = words.get_mut(start) {
            *first = capitalise(first);
        }
        if let Some(last) = words.last_mut() {
            last.push('.');
        }
        if words.len() > 45 {
            break;
        }
    }
    let mut made_up = 0;
    for word in &mut words {
        if is_content(word) && rng.chance(50) {
            let (bare, tail) = split_tail(word);
            let new = if rng.chance(50) {
                made_up += 1;
                w.word(rng.below(w.words))
            } else {
                rng.pick(&m.vocabulary).clone()
            };
            let capital = bare.chars().next().is_some_and(char::is_uppercase);
            *word = format!("{}{tail}", if capital { capitalise(&new) } else { new });
        }
    }
    // Every statement gets made-up words of its own, so two statements are
    // never the same by chance however large the corpus.
    while made_up < 2 {
        let at = rng.below(words.len());
        let new = w.word(rng.below(w.words));
        if is_content(&words[at]) {
            let (_, tail) = split_tail(&words[at]);
            words[at] = format!("{new}{tail}");
        } else {
            words.insert(at.max(1), new);
        }
        made_up += 1;
    }
    words
}

/// Another translation of `base`: a third of the content words exchanged
/// (for their counterpart in the samples' other translation where there is
/// one), at least one.
fn retranslate(m: &Material, rng: &mut Rng, base: &[String]) -> Vec<String> {
    let mut alt = base.to_vec();
    let mut changed = 0;
    for word in &mut alt {
        if is_content(word) && rng.chance(33) {
            *word = exchange(m, rng, word);
            changed += 1;
        }
    }
    if changed == 0
        && let Some(i) = alt.iter().position(|w| is_content(w))
    {
        alt[i] = exchange(m, rng, &alt[i]);
    }
    alt
}

fn exchange(m: &Material, rng: &mut Rng, word: &str) -> String {
    let (bare, tail) = split_tail(word);
    let lower = bare.to_lowercase();
    let other = SYNONYMS
        .iter()
        .find_map(|&(a, b)| {
            if a == lower {
                Some(b)
            } else if b == lower {
                Some(a)
            } else {
                None
            }
        })
        .map_or_else(|| rng.pick(&m.vocabulary).clone(), str::to_string);
    let capital = bare.chars().next().is_some_and(char::is_uppercase);
    format!("{}{tail}", if capital { capitalise(&other) } else { other })
}

/// A word worth exchanging: four letters or more, not a function word.
fn is_content(word: &str) -> bool {
    let (bare, _) = split_tail(word);
    bare.len() >= 4
        && bare.chars().all(char::is_alphabetic)
        && !STOP.contains(&bare.to_lowercase().as_str())
}

/// `word` without and with its trailing punctuation.
fn split_tail(word: &str) -> (&str, &str) {
    let bare = word.trim_end_matches(|c: char| !c.is_alphanumeric());
    (bare, &word[bare.len()..])
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Words joined, without punctuation at either end (for fragments and
/// quotations a reporter's sentence continues).
fn join_bare(words: &[String]) -> String {
    let text = words.join(" ");
    text.trim_end_matches([',', ';', ':', '.', '!', '?'])
        .trim_start_matches(['…', ' '])
        .to_string()
}

/// An outlet's typography: curly or straight quotation marks and
/// apostrophes, blank lines between paragraphs or not.
#[derive(Clone, Copy)]
struct Style {
    straight_quotes: bool,
    straight_apostrophes: bool,
    blank_lines: bool,
}

impl Style {
    /// `text` in this typography (the samples' curly marks and
    /// apostrophes made straight, one character for one).
    fn apply(&self, mut text: String) -> String {
        if self.straight_quotes {
            text = text.replace(['“', '”'], "\"");
        }
        if self.straight_apostrophes {
            text = text.replace('’', "'");
        }
        text
    }

    fn new(outlet: &str) -> Style {
        let h = mix(outlet
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64)));
        let straight_quotes = h % 10 < 4;
        Style {
            straight_quotes,
            straight_apostrophes: straight_quotes && h % 7 < 5,
            blank_lines: !(h >> 8).is_multiple_of(4),
        }
    }
}

/// One article being written.
struct Article {
    text: String,
    title: String,
    published: String,
    /// Every quotation in `text`, in order.
    quotes: Vec<GoldQuote>,
}

/// Whether an article has named a speaker yet: the first mention is in
/// full, with a title; later ones are a surname or a pronoun.
struct Mentioned {
    introduced: bool,
}

impl Article {
    /// Article number `n` (its number names its paraphrases' renderings).
    fn write(
        m: &Material,
        w: &World,
        rng: &mut Rng,
        events: &[&Event],
        outlet: &str,
        style: Style,
        n: usize,
    ) -> Article {
        let primary = events[0];
        let day = (primary.day + rng.below(3)).min(364);
        let published = iso_date(day);
        let target = 1700 + rng.below(3600);
        let mut paras: Vec<Para> = Vec::new();
        let mut title = Para::plain(headline(m, rng, primary));

        for (e, event) in events.iter().enumerate() {
            let mut said = Mentioned { introduced: false };
            // An outlet takes one source for an event: the first
            // translation or the second, credited or not.
            let alt = rng.chance(30);
            let agency = if alt { event.alt_agency } else { event.agency };
            let credit = agency
                .filter(|_| rng.chance(50))
                .map(|a| m.media[a].as_str());
            if e > 0 {
                paras.push(Para::plain(background(m, rng, event, &mut said)));
            } else if rng.chance(60) {
                paras.push(Para::plain(lead(m, rng, event, &mut said)));
            }
            // The main event in full, another in a statement or two.
            let (from, statements) = if e == 0 {
                (0, &event.statements[..])
            } else {
                let at = rng.below(event.statements.len());
                let to = (at + 1 + rng.below(2)).min(event.statements.len());
                (at, &event.statements[at..to])
            };
            for (i, statement) in statements.iter().enumerate() {
                let words = if alt { &statement.alt } else { &statement.base };
                let utterance = format!("{}/s{}", event.id, from + i);
                let origin = Said {
                    speaker: credited_name(m, &event.speaker),
                    rendering: format!("{utterance}/{}", if alt { "alt" } else { "base" }),
                    utterance,
                    cited: None,
                    partial: false,
                    note: "",
                };
                if e == 0 && rng.chance(8) {
                    let (headline, body) = paraphrase(m, rng, event, words, &origin, n);
                    if rng.chance(50) {
                        title = headline;
                    } else {
                        paras.push(body);
                    }
                }
                // A story often opens on a few words of what it quotes
                // in full further down.
                if e == 0 && i == 0 && rng.chance(35) {
                    paras.extend(quote_paragraphs(
                        m,
                        rng,
                        event,
                        words,
                        Variant::Fragment,
                        credit,
                        &mut said,
                        &origin,
                    ));
                }
                let variant = match rng.below(100) {
                    0..40 => Variant::Whole,
                    40..58 => Variant::Trim,
                    58..78 => Variant::Fragment,
                    78..89 => Variant::Splice,
                    _ => Variant::Bracket,
                };
                paras.extend(quote_paragraphs(
                    m, rng, event, words, variant, credit, &mut said, &origin,
                ));
            }
        }
        let mut size: usize = paras.iter().map(|p| p.text.len()).sum();
        while size < target {
            let para = narrative(m, w, rng, primary);
            size += para.len();
            // Never between a block quote and its colon lead-in, or between
            // the two halves of a split quotation: no outlet parts them, and
            // a block quote parted from its lead-in would be words no reader
            // could tell from the reporter's.
            let mut at = (1 + rng.below(paras.len())).min(paras.len());
            while at < paras.len() && matches!(paras[at].kind, Kind::Block | Kind::Continuation) {
                at += 1;
            }
            paras.insert(at, Para::plain(para));
        }

        let mut text = String::with_capacity(size + 512);
        // Byte spans of the quotations in `text`, in order.
        let mut quotes: Vec<(Range<usize>, Said)> = Vec::new();
        let mut place = |at: usize, spans: Vec<(Range<usize>, Said)>| {
            quotes.extend(
                spans
                    .into_iter()
                    .map(|(span, said)| (at + span.start..at + span.end, said)),
            );
        };
        if rng.chance(25) && !m.boilerplate.is_empty() {
            text.push_str(rng.pick::<String>(&m.boilerplate));
            text.push_str("\n\n");
        }
        place(text.len(), title.quotes);
        text.push_str(&title.text);
        text.push_str("\n\n");
        if rng.chance(30) {
            let reporter = w.person_of(rng, None);
            let (month, date) = month_day(day);
            let _ = write!(
                text,
                "{outlet} / {} / {date} {month} 2025\n\n",
                reporter.full
            );
        }
        let sep = if style.blank_lines { "\n\n" } else { "\n" };
        for (i, para) in paras.into_iter().enumerate() {
            if i > 0 {
                text.push_str(sep);
            }
            place(text.len(), para.quotes);
            text.push_str(&para.text);
        }
        if rng.chance(25) && !m.boilerplate.is_empty() {
            text.push_str(sep);
            text.push_str(rng.pick::<String>(&m.boilerplate));
        }
        text.push('\n');
        // The typography changes bytes ("“" is three, '"' one) but never
        // characters, so character offsets taken now hold after it.
        let mut chars = 0;
        let mut counted = 0;
        let quotes = quotes
            .into_iter()
            .map(|(span, said)| {
                chars += text[counted..span.start].chars().count();
                let start = chars;
                let end = start + text[span.clone()].chars().count();
                counted = span.start;
                GoldQuote {
                    start,
                    end,
                    quote: style.apply(text[span].to_string()),
                    said,
                }
            })
            .collect();
        Article {
            text: style.apply(text),
            title: style.apply(title.text),
            published,
            quotes,
        }
    }
}

/// The way an article first names a speaker, and thereafter.
fn mention(m: &Material, rng: &mut Rng, speaker: &Speaker, said: &mut Mentioned) -> String {
    let first = !said.introduced;
    said.introduced = true;
    match speaker {
        Speaker::Registered(i) => {
            let r = &m.registered[*i];
            if first {
                let name = if rng.chance(25) && !r.names.is_empty() {
                    rng.pick(&r.names).as_str()
                } else {
                    r.person.full.as_str()
                };
                match rng.below(10) {
                    0..6 if !r.roles.is_empty() => format!("{} {name}", rng.pick(&r.roles)),
                    6 if !r.roles.is_empty() => format!("the {}", rng.pick(&r.roles)),
                    _ => name.to_string(),
                }
            } else if rng.chance(40) {
                pronoun(r.person.gender).to_string()
            } else {
                r.person.short.clone()
            }
        }
        Speaker::Named { person, title } => {
            if first {
                if rng.chance(75) {
                    format!("{title} {}", person.full)
                } else {
                    person.full.clone()
                }
            } else if rng.chance(40) {
                pronoun(person.gender).to_string()
            } else {
                person.short.clone()
            }
        }
        Speaker::Described(d) => {
            if first {
                (*d).to_string()
            } else {
                format!("the {}", d.split(' ').next_back().unwrap_or("official"))
            }
        }
        Speaker::Institution(name) => {
            if first {
                (*name).to_string()
            } else {
                name.to_lowercase()
            }
        }
    }
}

fn pronoun(gender: Option<Gender>) -> &'static str {
    match gender {
        Some(Gender::Female) => "she",
        _ => "he",
    }
}

/// A mention at the start of a sentence.
fn sentence_mention(
    m: &Material,
    rng: &mut Rng,
    speaker: &Speaker,
    said: &mut Mentioned,
) -> String {
    capitalise(&mention(m, rng, speaker, said))
}

/// The paragraphs carrying one statement in one article; `origin` says
/// whose words they are and in which wording.
#[allow(clippy::too_many_arguments)]
fn quote_paragraphs(
    m: &Material,
    rng: &mut Rng,
    event: &Event,
    words: &[String],
    variant: Variant,
    credit: Option<&str>,
    said: &mut Mentioned,
    origin: &Said,
) -> Vec<Para> {
    let n = words.len();
    let (open, close) = ("“", "”");
    let gold = |cited: Option<&str>, partial: bool, note: &'static str| Said {
        cited: cited.map(str::to_string),
        partial,
        note,
        ..origin.clone()
    };
    if variant == Variant::Fragment {
        // Reporters quote the telling words: of three windows, the one with
        // the most content words, words the samples never use counting
        // double. Two common words would tie every statement that has them.
        let len = (2 + rng.below(5)).min(n);
        let telling = |w: &String| {
            let (bare, _) = split_tail(w);
            usize::from(is_content(w)) + 2 * usize::from(!m.common.contains(&bare.to_lowercase()))
        };
        let at = (0..3)
            .map(|_| rng.below(n - len + 1))
            .max_by_key(|&at| words[at..at + len].iter().map(telling).sum::<usize>())
            .unwrap_or(0);
        // Within one sentence: no "consultations. Either".
        let end = words[at..at + len - 1]
            .iter()
            .position(|w| w.ends_with('.'))
            .map_or(at + len, |i| at + i + 1);
        let fragment = join_bare(&words[at..end]);
        let who = mention(m, rng, &event.speaker, said);
        let topic = event.topic;
        let text = match rng.below(5) {
            0 => format!(
                "{} described the {topic} as {open}{fragment}{close}.",
                capitalise(&who)
            ),
            1 => {
                format!("According to {who}, the {topic} aimed to address {open}{fragment}{close}.")
            }
            2 => format!(
                "{} said the {topic} would bring {open}{fragment}{close}.",
                capitalise(&who)
            ),
            3 => format!(
                "{} warned of {open}{fragment}{close} in {}.",
                capitalise(&who),
                event.place
            ),
            _ => format!("The {topic}, {who} said, showed {open}{fragment}{close}."),
        };
        let mut para = Para::plain(text);
        para.quote(&fragment, gold(None, true, "fragment"));
        return vec![para];
    }
    let (quote, note): (Vec<String>, &'static str) = match variant {
        Variant::Trim if n > 8 => {
            let a = rng.below(n / 4);
            let b = n - rng.below(n / 4);
            (words[a..b].to_vec(), "trim")
        }
        Variant::Splice if n > 9 => {
            let mut out = words[..n / 3].to_vec();
            out.push("…".into());
            out.extend_from_slice(&words[2 * n / 3..]);
            (out, "splice")
        }
        Variant::Bracket => {
            let mut out = words.to_vec();
            let insert = format!(
                "[{}]",
                rng.pick(&["the US", "Russia", event.place, event.topic])
            );
            match out.iter().position(|w| PRONOUN_SLOTS.contains(&w.as_str())) {
                Some(i) => out[i] = insert,
                None => out.insert(1 + rng.below(n.max(2) - 1), insert),
            }
            (out, "bracket")
        }
        _ => (words.to_vec(), "whole"),
    };
    // A quotation of two sentences or more is often split by its
    // attribution: "First,” he said. “Second.”
    let split = quote
        .iter()
        .position(|w| w.ends_with('.'))
        .filter(|&i| i + 3 < quote.len() && rng.chance(40));
    let (head, tail) = match split {
        Some(i) => (&quote[..=i], Some(&quote[i + 1..])),
        None => (&quote[..], None),
    };
    let head_comma = format!("{},", join_bare(head));
    let head_full = head.join(" ");
    let day = WEEKDAYS[(event.day + 2) % 7];
    let mut paras = Vec::new();
    // The words the first paragraph quotes, and the agency it credits.
    let mut quoted = head_comma.as_str();
    let mut cited = None;
    let first = if !said.introduced || rng.chance(50) {
        let who = mention(m, rng, &event.speaker, said);
        match (credit, rng.below(8)) {
            (Some(agency), 0..3) => {
                cited = Some(agency);
                match &event.speaker {
                    Speaker::Registered(_) | Speaker::Named { .. } => {
                        format!("{open}{head_comma}{close} {agency} quoted {who} as saying.")
                    }
                    _ => format!("{open}{head_comma}{close} {who} told {agency}."),
                }
            }
            (Some(agency), _) => {
                cited = Some(agency);
                quoted = &head_full;
                format!(
                    "{} told {agency}: {open}{head_full}{close}",
                    capitalise(&who)
                )
            }
            (None, 0) => {
                quoted = &head_full;
                format!(
                    "Speaking {} in {} on {day}, {who} said: {open}{head_full}{close}",
                    event.occasion, event.place
                )
            }
            (None, 1) => format!("{open}{head_comma}{close} according to {who}."),
            (None, 2) if tail.is_none() && n >= 8 && rng.chance(30) => {
                // A block quote after a colon lead-in, as live blogs do:
                // no marks, the whole paragraph is the quotation.
                paras.push(Para::plain(format!(
                    "{} told {} that:",
                    capitalise(&who),
                    rng.pick(AUDIENCES)
                )));
                let mut block = Para {
                    kind: Kind::Block,
                    ..Para::plain(head_full.clone())
                };
                let whole = 0..block.text.len();
                block.quotes.push((
                    whole,
                    gold(None, false, "block quote after a colon lead-in"),
                ));
                paras.push(block);
                return paras;
            }
            (None, 3) => {
                quoted = &head_full;
                format!(
                    "{} said on {day}: {open}{head_full}{close}",
                    capitalise(&who)
                )
            }
            (None, 4) => format!(
                "{open}{head_comma}{close} {who} told reporters in {}.",
                event.place
            ),
            _ => format!("{open}{head_comma}{close} {who} said."),
        }
    } else {
        let who = mention(m, rng, &event.speaker, said);
        let verb = rng.choose(&["added", "said", "stressed", "continued", "noted"]);
        format!("{open}{head_comma}{close} {who} {verb}.")
    };
    let mut para = Para::plain(first);
    para.quote(quoted, gold(cited, false, note));
    paras.push(para);
    if let Some(tail) = tail {
        let words = tail.join(" ");
        let tail_para = format!("{open}{words}{close}");
        // The rest of a split quotation: the same source, credited alike.
        let said = gold(cited, false, note);
        if rng.chance(50) {
            if let Some(last) = paras.last_mut() {
                last.text.push(' ');
                last.text.push_str(&tail_para);
                last.quote(&words, said);
            }
        } else {
            let mut para = Para {
                kind: Kind::Continuation,
                ..Para::plain(tail_para)
            };
            para.quote(&words, said);
            paras.push(para);
        }
    }
    paras
}

/// A headline paraphrase of a statement's words and the live-blog line
/// that carries it: a few words, one of them exchanged. Its own wording
/// (seeds-gold's `headline-paraphrase`), and no other outlet's: each
/// paraphrase is its own rendering, named after its article `n`.
fn paraphrase(
    m: &Material,
    rng: &mut Rng,
    event: &Event,
    words: &[String],
    origin: &Said,
    n: usize,
) -> (Para, Para) {
    let len = (3 + rng.below(3)).min(words.len());
    let at = rng.below(words.len() - len + 1);
    let mut phrase: Vec<String> = words[at..at + len].to_vec();
    let i = rng.below(phrase.len());
    phrase[i] = exchange(m, rng, &phrase[i]);
    let phrase = join_bare(&phrase);
    let who = match &event.speaker {
        Speaker::Registered(i) => m.registered[*i].person.short.clone(),
        Speaker::Named { person, .. } => person.short.clone(),
        Speaker::Described(_) | Speaker::Institution(_) => "Official".to_string(),
    };
    let said = |note| Said {
        rendering: format!("{}/paraphrase-{n:06}", origin.utterance),
        cited: None,
        partial: true,
        note,
        ..origin.clone()
    };
    let mut headline = Para::plain(format!("{who} says {} “{phrase}”", event.topic));
    headline.quote(&phrase, said("headline paraphrase"));
    let mut body = Para::plain(format!(
        "Update {:02}{:02} GMT: {who} says progress in {} “{phrase}”",
        8 + rng.below(12),
        rng.below(4) * 15,
        event.topic
    ));
    body.quote(&phrase, said("live-blog paraphrase"));
    (headline, body)
}

fn headline(m: &Material, rng: &mut Rng, event: &Event) -> String {
    let who = match &event.speaker {
        Speaker::Registered(i) => m.registered[*i].person.short.clone(),
        Speaker::Named { person, .. } => person.short.clone(),
        Speaker::Described(_) | Speaker::Institution(_) => rng.pick(NATIONS).to_string(),
    };
    match rng.below(4) {
        0 => format!("{who} comments on {} in {}", event.topic, event.place),
        1 => format!(
            "{} and {} diplomats meet in {} for {}",
            rng.pick(NATIONS),
            rng.pick(NATIONS),
            event.place,
            event.topic
        ),
        2 => format!(
            "{} in {}: what {who} said",
            capitalise(event.topic),
            event.place
        ),
        _ => format!("{who} weighs in on {}", event.topic),
    }
}

/// The opening paragraph: the speaker named outside quotation marks, as
/// the story's subject.
fn lead(m: &Material, rng: &mut Rng, event: &Event, said: &mut Mentioned) -> String {
    let who = sentence_mention(m, rng, &event.speaker, said);
    let day = WEEKDAYS[(event.day + 2) % 7];
    format!(
        "{} - {who} spoke {} in {} on {day} about the {}.",
        event.place.to_uppercase(),
        event.occasion,
        event.place,
        event.topic
    )
}

/// The paragraph that turns an article to another event.
fn background(m: &Material, rng: &mut Rng, event: &Event, said: &mut Mentioned) -> String {
    let who = mention(m, rng, &event.speaker, said);
    let when = rng.choose(&["Meanwhile", "Separately", "Earlier this week", "Elsewhere"]);
    format!(
        "{when}, {who} commented on the {} {} in {}.",
        event.topic, event.occasion, event.place
    )
}

/// A paragraph of one to four narrative sentences of the samples, with
/// their people swapped for others (the first, often, for the speaker) and
/// their places for the event's.
fn narrative(m: &Material, w: &World, rng: &mut Rng, event: &Event) -> String {
    let mut out = String::new();
    let mut cast: Vec<(usize, Person)> = Vec::new();
    let mut places = 0;
    for s in 0..1 + rng.below(4) {
        let pieces = rng.pick(&m.sentences);
        if s > 0 {
            out.push(' ');
        }
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Place => {
                    places += 1;
                    out.push_str(if places == 1 && rng.chance(70) {
                        event.place
                    } else {
                        rng.choose(PLACES)
                    })
                }
                Piece::Person { who, short } => {
                    let person = match cast.iter().find(|(w, _)| w == who) {
                        Some((_, p)) => p.clone(),
                        None => {
                            let original = &m.people[*who];
                            let p = match &event.speaker {
                                _ if rng.chance(25) => original.clone(),
                                Speaker::Named { person, .. } if cast.is_empty() => person.clone(),
                                Speaker::Registered(i) if cast.is_empty() => {
                                    m.registered[*i].person.clone()
                                }
                                _ => w.person_of(rng, original.gender),
                            };
                            cast.push((*who, p.clone()));
                            p
                        }
                    };
                    out.push_str(if *short { &person.short } else { &person.full });
                }
            }
        }
    }
    out
}

fn iso_date(day: usize) -> String {
    let (mut rest, mut month) = (day, 0);
    while month < 11 && rest >= MONTHS[month].1 {
        rest -= MONTHS[month].1;
        month += 1;
    }
    format!("2025-{:02}-{:02}", month + 1, rest + 1)
}

fn month_day(day: usize) -> (&'static str, usize) {
    let (mut rest, mut month) = (day, 0);
    while month < 11 && rest >= MONTHS[month].1 {
        rest -= MONTHS[month].1;
        month += 1;
    }
    (MONTHS[month].0, rest + 1)
}

fn slug(title: &str) -> String {
    let mut out = String::new();
    for word in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}
