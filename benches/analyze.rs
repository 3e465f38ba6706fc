//! Extraction and attribution speed per article, on the five sample
//! articles of `samples/`.
//!
//! Criterion reports each as throughput in bytes of article text per
//! second, single thread: `extract` is quote extraction alone, `attribute`
//! is attribution of the quotes extraction found (folding, tokens, registry
//! search, entities and the rules), `analyze` is both, as `ingest` runs
//! them. The `all` group runs the five articles one after another.
//!
//!     cargo bench --bench analyze
//!     cargo bench --bench analyze -- all/analyze   # one benchmark
//!
//! BENCHMARKS.md records figures, with those on PolNeAR.

use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use quotetrail::analyze::analyze;
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
            b.iter_batched(
                || quotes.clone(),
                |quotes| attribute(black_box(text), quotes, &registry),
                BatchSize::SmallInput,
            )
        });
        group.bench_function("analyze", |b| {
            b.iter(|| analyze(black_box(text), &registry))
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
        b.iter_batched(
            || quotes.clone(),
            |quotes| {
                for ((_, text), quotes) in articles.iter().zip(quotes) {
                    black_box(attribute(black_box(text), quotes, &registry));
                }
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("analyze", |b| {
        b.iter(|| {
            for (_, text) in &articles {
                black_box(analyze(black_box(text), &registry));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, per_article);
criterion_main!(benches);
