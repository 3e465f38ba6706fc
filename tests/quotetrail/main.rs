//! quotetrail's integration tests, in one binary: it links once, which
//! matters on a two-core machine. Each module covers one side:
//!
//! - `cli`: the binary on a real SQLite file, as a user runs it.
//! - `store`: migrations, pragmas and the never-lose-data guarantees,
//!   through the library.
//! - `snapshots`: `--help` of every command and the listings on samples/.
//! - `cases`: extraction and attribution as a table of named cases.
//! - `seeds`: the acceptance cases in tests/fixtures/seeds-gold.jsonl.
//! - `props`: invariants under proptest.

mod cases;
mod cli;
mod props;
mod seeds;
mod snapshots;
mod store;
mod util;
