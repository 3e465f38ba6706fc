//! Snapshots that cannot drift: `--help` of every command, and the
//! listings on samples/ (run inside a sandbox, so every path is relative;
//! anything absolute left is redacted to `[TMP]`).
//!
//! When extraction or attribution changes on purpose, the listings change
//! with it: review with `cargo insta review`, or rerun with
//! `INSTA_UPDATE=always cargo test` and read the diff. In CI insta never
//! writes snapshots, so a mismatch fails.

use crate::util::{Sandbox, bare};

fn help(args: &[&str]) -> String {
    let out = bare().args(args).arg("--help").assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn help_of_every_command() {
    for (name, args) in [
        ("help", &[][..]),
        ("help_ingest", &["ingest"][..]),
        ("help_quotes", &["quotes"][..]),
        ("help_speakers", &["speakers"][..]),
        ("help_search", &["search"][..]),
        ("help_utterances", &["utterances"][..]),
        ("help_report", &["report"][..]),
        ("help_export", &["export"][..]),
    ] {
        insta::assert_snapshot!(name, help(args));
    }
}

#[test]
fn quotes_tsv_on_samples() {
    let sb = Sandbox::with_samples();
    sb.cmd(["ingest", "samples"]).assert().success();
    let tsv = sb.stdout(["quotes", "--format", "tsv"]);
    insta::assert_snapshot!("quotes_tsv_samples", sb.redact(&tsv));
}

#[test]
fn export_jsonl_on_samples() {
    let sb = Sandbox::with_samples();
    sb.cmd(["ingest", "samples"]).assert().success();
    let jsonl = sb.stdout(["export", "--format", "jsonl"]);
    insta::assert_snapshot!("export_jsonl_samples", sb.redact(&jsonl));
}
