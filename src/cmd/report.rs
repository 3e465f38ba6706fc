//! `quotetrail report`: the provenance report (see [`crate::provenance`])
//! as text, JSON or one HTML page.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, ReportArgs, ReportFormatArg};
use crate::provenance::{self, ReportFormat};
use crate::store::{Selection, SpeakerId, Store};

/// What to report and how.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    /// A forgiving speaker name (see [`Store::find_speakers`]).
    pub speaker: Option<String>,
    /// At most this many utterances, the most quoted (`None`: all).
    pub limit: Option<usize>,
    /// At most this many renderings of each utterance (`None`: all; see
    /// [`Selection::renderings`]).
    pub renderings: Option<usize>,
    pub format: ReportFormat,
}

pub fn run(global: &GlobalArgs, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let opts = ReportOptions {
        speaker: args.speaker.clone(),
        limit: (args.limit > 0).then_some(args.limit),
        renderings: (args.renderings > 0).then_some(args.renderings),
        format: match args.format {
            ReportFormatArg::Table => ReportFormat::Table,
            ReportFormatArg::Json => ReportFormat::Json,
            ReportFormatArg::Html => ReportFormat::Html,
        },
    };
    let store = super::open_existing(global)?;
    super::print(|out| report(&store, &opts, out))
}

/// Write the report `opts` asks for to `out`; returns how many utterances
/// it covers.
pub fn report(
    store: &Store,
    opts: &ReportOptions,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<usize> {
    let speakers = speaker_ids(store, opts.speaker.as_deref())?;
    let views = store.utterances(Selection {
        speakers: speakers.as_deref(),
        limit: opts.limit,
        renderings: opts.renderings,
    })?;
    if let Some(limit) = opts.limit {
        let all = store.count_utterances(speakers.as_deref())?;
        if all > limit {
            eprintln!(
                "quotetrail: the {limit} most quoted of {all} utterances; \
                 --limit {all} (or 0) for all of them"
            );
        }
    }
    if let Some(most) = opts.renderings {
        let bounded = views.iter().filter(|u| !u.omitted.is_empty()).count();
        if bounded > 0 {
            let which = match most {
                1 => "only the earliest".to_string(),
                n => format!("the earliest and the {} most quoted", n - 1),
            };
            eprintln!(
                "quotetrail: {bounded} utterance{} more than {most} renderings: \
                 {which} of each shown; --renderings 0 for all of them",
                if bounded == 1 { " has" } else { "s have" }
            );
        }
    }
    let report = provenance::build(&views);
    provenance::write(&report, opts.format, out)?;
    Ok(views.len())
}

/// The speakers a `--speaker` name designates (`None`: everyone). A name
/// that matches nobody is noted on stderr and selects nothing.
pub(crate) fn speaker_ids(
    store: &Store,
    name: Option<&str>,
) -> anyhow::Result<Option<Vec<SpeakerId>>> {
    let Some(name) = name else { return Ok(None) };
    let ids = store.find_speakers(name)?;
    if ids.is_empty() {
        eprintln!("quotetrail: no speaker matches {name:?} (see `quotetrail speakers`)");
    }
    Ok(Some(ids))
}
