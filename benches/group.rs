//! Grouping speed and memory at 10k, 100k and 1M quotations.
//!
//! Not a timed test: it prints figures (BENCHMARKS.md records them). The
//! quotations are synthesised offline, deterministically: a vocabulary of
//! made-up words drawn with a Zipf-like skew, speakers quoted with a skew
//! too (a few are quoted a lot), statements spread over a year, each
//! carried by one to a dozen outlets as the whole quote, a trim, a short
//! fragment, a splice with "…", a [bracketed] insertion, or another
//! rendering with a third of its words exchanged; some without a speaker.
//!
//!     cargo bench --bench group              # every size, each in its own process
//!     cargo bench --bench group -- 100000    # one size
//!
//! Each size runs in a fresh process so its peak memory (VmHWM from
//! /proc/self/status) is its own.

use std::process::Command;
use std::time::Instant;

use quotetrail::group::{Options, QuotationId, Record, group};

const SIZES: &[usize] = &[10_000, 100_000, 1_000_000];

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    if sizes.is_empty() {
        let exe = std::env::current_exe().expect("the bench's own path");
        println!(
            "{:>10} {:>11} {:>10} {:>9} {:>9} {:>12}",
            "quotations", "utterances", "links", "make s", "group s", "peak MiB"
        );
        for size in SIZES {
            let status = Command::new(&exe)
                .arg(size.to_string())
                .status()
                .expect("running one size");
            assert!(status.success(), "size {size} failed");
        }
        return;
    }
    for size in sizes {
        run(size);
    }
}

fn run(size: usize) {
    let started = Instant::now();
    let records = synthesise(size);
    let made = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let grouping = group(&records, &Options::default());
    let grouped = started.elapsed().as_secs_f64();
    println!(
        "{:>10} {:>11} {:>10} {:>9.2} {:>9.2} {:>12}",
        records.len(),
        grouping.utterances.len(),
        grouping.links.len(),
        made,
        grouped,
        peak_mib().map_or("?".to_string(), |m| m.to_string())
    );
}

/// Peak resident memory of this process, in MiB (Linux).
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// splitmix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// Skewed towards small values: rank r drawn with weight ~1/r.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ter", "san", "vo", "ri", "dun", "pe", "sha", "gor", "nel", "tis", "ba",
    "ur", "fen", "ko", "lim", "dra", "zet",
];
const GLUE: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "that", "is", "we", "will", "with", "for", "on", "our",
];

fn synthesise(size: usize) -> Vec<Record> {
    let mut rng = Rng(0x5EED_0000 + size as u64);
    let vocabulary: Vec<String> = (0..20_000)
        .map(|_| {
            let n = 2 + rng.below(3);
            (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect()
        })
        .collect();
    let speakers: Vec<String> = (0..(size / 50).max(20))
        .map(|i| format!("Speaker {i}"))
        .collect();
    let word = |rng: &mut Rng| -> String {
        if rng.below(3) == 0 {
            GLUE[rng.below(GLUE.len())].to_string()
        } else {
            vocabulary[rng.zipf(vocabulary.len())].clone()
        }
    };
    let mut records = Vec::with_capacity(size + 64);
    let mut article = 0usize;
    while records.len() < size {
        let speaker = speakers[rng.zipf(speakers.len())].clone();
        let day = 1 + rng.below(365);
        let length = 12 + rng.below(28);
        let base: Vec<String> = (0..length).map(|_| word(&mut rng)).collect();
        // A second rendering: a third of the words exchanged.
        let other: Vec<String> = base
            .iter()
            .map(|w| {
                if rng.below(3) == 0 {
                    word(&mut rng)
                } else {
                    w.clone()
                }
            })
            .collect();
        let outlets = 1 + rng.zipf(12);
        for _ in 0..outlets {
            let words = if rng.below(4) == 0 { &other } else { &base };
            let n = words.len();
            let text = match rng.below(6) {
                0 => {
                    let (a, b) = (rng.below(n / 3), n - rng.below(n / 3));
                    words[a..b].join(" ")
                }
                1 => {
                    let a = rng.below(n - 4);
                    words[a..a + 2 + rng.below(3)].join(" ")
                }
                2 => {
                    let cut = n / 3;
                    format!(
                        "{} … {}",
                        words[..cut].join(" "),
                        words[2 * cut..].join(" ")
                    )
                }
                3 => {
                    let at = rng.below(n);
                    let mut w = words.clone();
                    w.insert(at, "[Name]".to_string());
                    w.join(" ")
                }
                _ => words.join(" "),
            };
            let day = (day + rng.below(3)).min(365);
            article += 1;
            records.push(Record {
                id: QuotationId(records.len() as i64),
                article: format!("a{article:08}.txt").into(),
                outlet: format!("outlet{}", rng.zipf(500)).into(),
                published: Some(
                    format!(
                        "2025-{:02}-{:02}",
                        1 + (day - 1) / 31 % 12,
                        1 + (day - 1) % 28
                    )
                    .into(),
                ),
                paragraph: rng.below(20) as u32,
                start: rng.below(5000),
                speaker: (rng.below(20) != 0).then(|| speaker.as_str().into()),
                speaker_registered: true,
                mention: Some(speaker.as_str().into()),
                rule: "after".into(),
                cue: None,
                partial: false,
                cited: None,
                text,
            });
        }
    }
    records.truncate(size);
    records
}
