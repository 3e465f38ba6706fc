//! quotetrail's integration tests, in one binary: it links once, which
//! matters on a two-core machine. Each module covers one side:
//!
//! - `bad_input`: every kind of bad article, manifest, database and query
//!   the binary is fed, each beside a good article that must be stored.
//! - `cli`: the binary on a real SQLite file, as a user runs it.
//! - `corpus`: the corpus builder of the ingest benchmark, ingested.
//! - `escaping`: HTML, CSV, JSON and TSV output of hostile text.
//! - `crash`: ingests killed with SIGKILL, side by side, and queried
//!   while they run.
//! - `store`: migrations, pragmas and the never-lose-data guarantees,
//!   through the library.
//! - `snapshots`: `--help` of every command and the listings on samples/.
//! - `cases`: extraction and attribution as a table of named cases.
//! - `seeds`: the acceptance cases in tests/fixtures/seeds-gold.jsonl.
//! - `props`: invariants under proptest.
//! - `grouping`: variant grouping as a table of named cases, and its
//!   independence of input order.
//! - `provenance`: utterances and renderings of samples/ end to end,
//!   ingest order and batches, `utterances`/`report` snapshots, and the
//!   HTML report in headless Chromium.

mod bad_input;
mod cases;
mod cli;
mod corpus;
mod crash;
mod escaping;
mod grouping;
mod props;
mod provenance;
mod seeds;
mod snapshots;
mod store;
mod util;
