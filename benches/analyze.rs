//! Extraction and attribution speed per article, on the five sample
//! articles of `samples/`.
//!
//! Criterion reports each as throughput in bytes of article text per
//! second, single thread: `extract` is quote extraction alone, `attribute`
//! is attribution of the quotes extraction found (folding, tokens, registry
//! search, entities and the rules), `analyze` is both, as `ingest` runs
//! them: in one [`Scratch`] reused from one article to the next. The `all`
//! group runs the five articles one after another.
//!
//!     cargo bench --bench analyze
//!     cargo bench --bench analyze -- all/analyze   # one benchmark
//!
//! With `QUOTETRAIL_BENCH_CORPUS=DIR` it also runs `analyze` over every
//! `*.txt` under DIR (a corpus from `quotetrail-corpus`, or any other), as
//! the `corpus` group: the figure issue 4's "MB/s per core" target is
//! about.
//!
//! BENCHMARKS.md records figures, with those on PolNeAR.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use quotetrail::analyze::{Scratch, analyze_with};
use quotetrail::attribute::attribute;
use quotetrail::extract::extract_quotes;
use quotetrail::registry::Registry;

/// The sample articles as (file stem, text), in name order.
fn samples() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("the samples directory")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap_or_default().to_string_lossy();
            let text = std::fs::read_to_string(p).expect("a sample article");
            (stem.into_owned(), text)
        })
        .collect()
}

fn per_article(c: &mut Criterion) {
    let registry = Registry::default();
    let articles = samples();
    for (name, text) in &articles {
        let mut group = c.benchmark_group(name.as_str());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("extract", |b| b.iter(|| extract_quotes(black_box(text))));
        let quotes = extract_quotes(text);
        group.bench_function("attribute", |b| {
            b.iter(|| attribute(black_box(text), &quotes, &registry))
        });
        let mut scratch = Scratch::default();
        group.bench_function("analyze", |b| {
            b.iter(|| analyze_with(black_box(text), &registry, &mut scratch))
        });
        group.finish();
    }

    let bytes: usize = articles.iter().map(|(_, text)| text.len()).sum();
    let mut group = c.benchmark_group("all");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("extract", |b| {
        b.iter(|| {
            for (_, text) in &articles {
                black_box(extract_quotes(black_box(text)));
            }
        })
    });
    let quotes: Vec<_> = articles.iter().map(|(_, t)| extract_quotes(t)).collect();
    group.bench_function("attribute", |b| {
        b.iter(|| {
            for ((_, text), quotes) in articles.iter().zip(&quotes) {
                black_box(attribute(black_box(text), quotes, &registry));
            }
        })
    });
    let mut scratch = Scratch::default();
    group.bench_function("analyze", |b| {
        b.iter(|| {
            for (_, text) in &articles {
                black_box(analyze_with(black_box(text), &registry, &mut scratch));
            }
        })
    });
    group.finish();
}

/// Every `*.txt` under `dir`, recursively, in path order.
fn corpus(dir: &Path) -> Vec<String> {
    let mut paths = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("QUOTETRAIL_BENCH_CORPUS: {}: {e}", dir.display()));
        for path in entries.filter_map(|entry| entry.ok().map(|e| e.path())) {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

fn whole_corpus(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("QUOTETRAIL_BENCH_CORPUS") else {
        return;
    };
    let registry = Registry::default();
    let texts = corpus(Path::new(&dir));
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    let mut scratch = Scratch::default();
    group.bench_function("analyze", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(analyze_with(black_box(text), &registry, &mut scratch));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, per_article, whole_corpus);
criterion_main!(benches);
