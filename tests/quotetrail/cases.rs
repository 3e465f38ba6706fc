//! Extraction and attribution as a table of named cases: a short article
//! in, every quoted span it should yield out (aho-corasick's `t!` tables,
//! regex's testdata).
//!
//! Each `t!` line becomes its own `#[test]`, so `cargo test --test
//! quotetrail cases::registry` runs a group and a failure names its case. A
//! case lists *every* quotation and aside the article should yield, in text
//! order: one missing or one too many fails it. Speakers are always
//! checked; the mention, cue, cited intermediary and partial flag only where
//! a case says so. On failure the harness prints the text, what was wrong,
//! and the whole analysis, so the case reads without a debugger.
//!
//! The texts are invented for these tests. A case the code gets wrong today
//! keeps its expectation and carries `#[ignore = "known gap: ..."]`; `cargo
//! test --test quotetrail cases -- --ignored` shows where they stand.
//! Regressions are named after the issue they fix.

use std::fmt::Write as _;

use quotetrail::analyze::{Analysis, analyze};
use quotetrail::registry::Registry;

/// Who a quotation should be attributed to.
#[derive(Clone, Copy, Debug)]
enum Who {
    /// Exactly this speaker name.
    Is(&'static str),
    /// A speaker whose name contains this (a described source, whose exact
    /// wording is the attributor's choice).
    Containing(&'static str),
    /// No speaker: the article does not say.
    Nobody,
}

impl From<&'static str> for Who {
    fn from(name: &'static str) -> Who {
        Who::Is(name)
    }
}

/// One quoted span a case expects, found by its text.
#[derive(Clone, Copy, Debug)]
struct Want {
    quote: &'static str,
    /// `None` for an aside: the span is nobody's words.
    who: Option<Who>,
    mention: Option<&'static str>,
    cue: Option<&'static str>,
    cited: Option<Option<&'static str>>,
    partial: Option<bool>,
}

/// A quotation by `who`.
fn said(quote: &'static str, who: impl Into<Who>) -> Want {
    Want {
        quote,
        who: Some(who.into()),
        mention: None,
        cue: None,
        cited: None,
        partial: None,
    }
}

/// A quotation whose speaker the article does not give.
fn unattributed(quote: &'static str) -> Want {
    said(quote, Who::Nobody)
}

/// A quoted span that is not a quotation (a title, nickname, scare quote).
fn aside(quote: &'static str) -> Want {
    Want {
        who: None,
        ..said(quote, Who::Nobody)
    }
}

/// A speaker name containing `part`.
fn containing(part: &'static str) -> Who {
    Who::Containing(part)
}

impl Want {
    /// The words the attribution rests on ("he", "A Kremlin spokesman").
    fn mention(self, mention: &'static str) -> Want {
        Want {
            mention: Some(mention),
            ..self
        }
    }

    /// The speech cue ("said", "told").
    fn cue(self, cue: &'static str) -> Want {
        Want {
            cue: Some(cue),
            ..self
        }
    }

    /// The intermediary the article credits ("TASS").
    fn cited(self, outlet: &'static str) -> Want {
        Want {
            cited: Some(Some(outlet)),
            ..self
        }
    }

    /// No intermediary: the speaker said it to the article's own reporter
    /// or to reporters at large.
    fn uncited(self) -> Want {
        Want {
            cited: Some(None),
            ..self
        }
    }

    /// A fragment inside the reporter's own sentence.
    fn partial(self) -> Want {
        Want {
            partial: Some(true),
            ..self
        }
    }

    /// A whole quotation, not a fragment.
    fn whole(self) -> Want {
        Want {
            partial: Some(false),
            ..self
        }
    }
}

/// One quoted span as analysed, quotation or aside, for matching and
/// printing.
struct Got<'a> {
    start: usize,
    quote: &'a str,
    /// `None` for an aside.
    speaker: Option<Option<&'a str>>,
    mention: Option<&'a str>,
    cue: Option<&'a str>,
    cited: Option<&'a str>,
    partial: bool,
    line: String,
}

fn flatten<'a>(text: &'a str, analysis: &'a Analysis) -> Vec<Got<'a>> {
    let mut got = Vec::new();
    for q in &analysis.quotations {
        let a = &q.attribution;
        let speaker = a.speaker.as_ref().map(|s| s.name.as_str());
        let mention = a.mention.map(|m| m.slice(text));
        let cue = a.cue.map(|c| c.slice(text));
        let line = format!(
            "quotation {:?} speaker={:?} mention={:?} cue={:?} cited={:?} rule={} partial={} ({}..{})",
            q.quote.span.slice(text),
            speaker,
            mention,
            cue,
            a.cited,
            a.rule,
            a.partial,
            q.quote.span.start,
            q.quote.span.end,
        );
        got.push(Got {
            start: q.quote.span.start,
            quote: q.quote.span.slice(text),
            speaker: Some(speaker),
            mention,
            cue,
            cited: a.cited.as_deref(),
            partial: a.partial,
            line,
        });
    }
    for aside in &analysis.asides {
        let span = aside.quote.span;
        got.push(Got {
            start: span.start,
            quote: span.slice(text),
            speaker: None,
            mention: None,
            cue: None,
            cited: None,
            partial: false,
            line: format!(
                "aside {:?} reason={} ({}..{})",
                span.slice(text),
                aside.reason,
                span.start,
                span.end
            ),
        });
    }
    got.sort_by_key(|g| g.start);
    got
}

/// What is wrong with `got` as an answer to `want`, if anything.
fn mismatches(want: &Want, got: &Got) -> Vec<String> {
    let mut out = Vec::new();
    match (want.who, got.speaker) {
        (None, None) => {}
        (None, Some(_)) => out.push("want an aside, got a quotation".to_string()),
        (Some(_), None) => out.push("want a quotation, got an aside".to_string()),
        (Some(who), Some(speaker)) => {
            let ok = match who {
                Who::Is(name) => speaker == Some(name),
                Who::Containing(part) => speaker.is_some_and(|s| s.contains(part)),
                Who::Nobody => speaker.is_none(),
            };
            if !ok {
                out.push(format!("speaker: want {who:?}, got {speaker:?}"));
            }
        }
    }
    if let Some(mention) = want.mention
        && got.mention != Some(mention)
    {
        out.push(format!("mention: want {mention:?}, got {:?}", got.mention));
    }
    if let Some(cue) = want.cue
        && got.cue != Some(cue)
    {
        out.push(format!("cue: want {cue:?}, got {:?}", got.cue));
    }
    if let Some(cited) = want.cited
        && got.cited != cited
    {
        out.push(format!("cited: want {cited:?}, got {:?}", got.cited));
    }
    if let Some(partial) = want.partial
        && got.partial != partial
    {
        out.push(format!("partial: want {partial}, got {}", got.partial));
    }
    out
}

/// Analyse `text` and compare with `wants`; panic with a readable report
/// if they differ.
fn check(name: &str, text: &str, wants: &[Want]) {
    let analysis = analyze(text, &Registry::default());
    let got = flatten(text, &analysis);
    let mut used = vec![false; got.len()];
    let mut problems = Vec::new();
    for want in wants {
        let found = (0..got.len()).find(|&i| !used[i] && got[i].quote == want.quote);
        match found {
            None => problems.push(format!("{:?}: not found", want.quote)),
            Some(i) => {
                used[i] = true;
                for problem in mismatches(want, &got[i]) {
                    problems.push(format!("{:?}: {problem}", want.quote));
                }
            }
        }
    }
    for (g, _) in got.iter().zip(&used).filter(|(_, used)| !**used) {
        problems.push(format!("unexpected: {}", g.line));
    }
    if problems.is_empty() {
        return;
    }
    let mut report = format!("case `{name}` failed\ntext:\n");
    for line in text.lines() {
        let _ = writeln!(report, "    | {line}");
    }
    report.push_str("problems:\n");
    for problem in &problems {
        let _ = writeln!(report, "    - {problem}");
    }
    report.push_str("actual analysis:\n");
    if got.is_empty() {
        report.push_str("    (nothing)\n");
    }
    for g in &got {
        let _ = writeln!(report, "    {}", g.line);
    }
    panic!("{report}");
}

/// `t!(name, text, [want, ...]);` is one test; attributes (`#[ignore =
/// "known gap: ..."]`) go before the name.
macro_rules! t {
    ($(#[$attr:meta])* $name:ident, $text:expr, [$($want:expr),* $(,)?] $(,)?) => {
        $(#[$attr])*
        #[test]
        fn $name() {
            check(stringify!($name), $text, &[$($want),*]);
        }
    };
}

/// Quotation marks of every style, and what is not a mark.
mod marks {
    use super::*;

    t!(
        curly,
        "“The bridge will reopen in May,” Tobias Renwick said.",
        [said("The bridge will reopen in May,", "Tobias Renwick")
            .mention("Tobias Renwick")
            .cue("said")
            .whole()],
    );

    t!(
        straight,
        r#""We counted every ballot twice," said Ilse Marrow, the county clerk."#,
        [said("We counted every ballot twice,", "Ilse Marrow").cue("said")],
    );

    t!(
        nyt_double_apostrophes,
        "''The harbor is no place for a casino,'' Mayor Odell Finch said on Tuesday.",
        [said("The harbor is no place for a casino,", "Odell Finch").cue("said")],
    );

    t!(
        backticks,
        "``Nobody told us about the closure,'' said Priya Vantongeren, who runs a bakery nearby.",
        [said(
            "Nobody told us about the closure,",
            "Priya Vantongeren"
        )],
    );

    t!(
        guillemets,
        "«We will stay open all summer,» Agnès Dufresne said.",
        [said("We will stay open all summer,", "Agnès Dufresne")],
    );

    t!(
        low_and_high,
        "„We did not expect so many visitors“, said Jonas Weidlich.",
        [said("We did not expect so many visitors", "Jonas Weidlich")],
    );

    t!(
        british_single_in_headline,
        "Lavrov says Geneva talks ‘went nowhere’\n\nThe meeting lasted four hours.",
        [said("went nowhere", "Sergei Lavrov").partial()],
    );

    t!(
        british_single_with_apostrophe_inside,
        "Zakharova: ‘Moscow’s patience is not endless’\n\nThe briefing was short.",
        [said("Moscow’s patience is not endless", "Maria Zakharova").mention("Zakharova")],
    );

    t!(
        apostrophes_are_not_marks,
        "Russia’s grain exports rose, the companies’ shares followed and Denmark's rock 'n' roll \
         fans cheered. “It was a good week,” said Nils Aberg, a trader.",
        [said("It was a good week,", "Nils Aberg")],
    );

    t!(
        nested_single_inside_double,
        "“When the minister says ‘soon,’ he means never,” said Rosa Kettleby.",
        [said(
            "When the minister says ‘soon,’ he means never,",
            "Rosa Kettleby"
        )],
    );

    t!(
        nested_straight_single_inside_double,
        r#""He kept saying 'trust me,' and we did," said Rosa Kettleby."#,
        [said(
            "He kept saying 'trust me,' and we did,",
            "Rosa Kettleby"
        )],
    );

    t!(
        missing_closing_mark_before_new_opening,
        "Wendell Oyelaran said: “The pumps failed at night. “Nobody came until morning,” he added.",
        [
            said("The pumps failed at night.", "Wendell Oyelaran"),
            said("Nobody came until morning,", "Wendell Oyelaran").mention("he"),
        ],
    );

    t!(
        unclosed_runs_to_paragraph_end,
        "“We have lost three harvests in a row,” said Marisol Quenby, who farms near the river. \
         “The insurers stopped answering our calls.\n\n“Now the bank wants the land.”",
        [
            said("We have lost three harvests in a row,", "Marisol Quenby"),
            said(
                "The insurers stopped answering our calls.",
                "Marisol Quenby"
            ),
            said("Now the bank wants the land.", "Marisol Quenby"),
        ],
    );

    t!(
        markup_is_skipped,
        "<tweet author=\"@harborwatch\" datetime=\"2024-03-01\">“The tide gauge is broken \
         again,” wrote Felix Amari.</tweet>",
        [said("The tide gauge is broken again,", "Felix Amari").cue("wrote")],
    );

    t!(
        block_quote_after_cued_colon,
        "Education Minister Kofi Brenner told reporters that:\n\nOur schools will open on time \
         and every teacher will be paid.\n",
        [said(
            "Our schools will open on time and every teacher will be paid.",
            "Kofi Brenner"
        )
        .cue("told")],
    );

    t!(
        colon_paragraph_without_cue_yields_nothing,
        "Follow us on:\n\nFacebook, Twitter and Instagram for the latest news from the valley.\n",
        [],
    );

    t!(
        double_quotes_in_headline,
        "Mayor Greta Holm vows town “will rebuild by spring”\n\nCrews cleared mud from the \
         streets on Sunday.",
        [said("will rebuild by spring", "Greta Holm").partial()],
    );

    t!(
        ellipses_and_brackets_kept_as_written,
        "“We tried … we really tried,” said Ansel Varga, the coach.\n\n“The league . . . has \
         ignored [the club] for years,” Varga said.",
        [
            said("We tried … we really tried,", "Ansel Varga"),
            said(
                "The league . . . has ignored [the club] for years,",
                "Ansel Varga"
            )
            .mention("Varga"),
        ],
    );
}

/// The speaker named after the quote.
mod after {
    use super::*;

    t!(
        he_said,
        "Dorian Vale spoke briefly outside the courthouse. “I never touched the money,” he said.",
        [said("I never touched the money,", "Dorian Vale")
            .mention("he")
            .cue("said")],
    );

    t!(
        said_senator_name,
        "“This bill is dead on arrival,” said Sen. Harriet Bramwell, a Republican from Ohio.",
        [said("This bill is dead on arrival,", "Harriet Bramwell").cue("said")],
    );

    t!(
        inversion_with_role,
        "“The vote was rigged,” said opposition leader Tamsin Oduya.",
        [said("The vote was rigged,", "Tamsin Oduya")],
    );

    t!(
        apposition_told_reporters,
        "“We are ready to talk,” Lena Marchetti, the party's spokeswoman, told reporters.",
        [said("We are ready to talk,", "Lena Marchetti")
            .mention("Lena Marchetti")
            .cue("told")
            .uncited()],
    );

    t!(
        any_verb_after_comma_mark,
        "“That is simply false,” Malik Osei retorted.",
        [said("That is simply false,", "Malik Osei").cue("retorted")],
    );

    t!(
        question_asked,
        "“Who pays for the repairs?” Ruth Kallender asked.",
        [said("Who pays for the repairs?", "Ruth Kallender").cue("asked")],
    );

    t!(
        dash_byline,
        "“Courage is a habit, not a gift.” ― Imogen Tarrow",
        [said("Courage is a habit, not a gift.", "Imogen Tarrow").mention("Imogen Tarrow")],
    );

    t!(
        sentence_final_said_after_reporter_words,
        "The dam “cannot hold another winter” without repairs, Abe Lindqvist said.",
        [said("cannot hold another winter", "Abe Lindqvist")
            .cue("said")
            .partial()],
    );

    t!(
        sentence_final_said_after_an_apposition_and_time,
        "Prices will keep rising “for at least another year” as long as the drought lasts, Abe \
         Lindqvist, the utility's director, said on Friday.",
        [said("for at least another year", "Abe Lindqvist")
            .mention("Abe Lindqvist")
            .partial()],
    );

    t!(
        alternating_speakers,
        "“Ready?” asked Peter Lindahl. “Always,” replied Susan Okafor.",
        [
            said("Ready?", "Peter Lindahl").cue("asked"),
            said("Always,", "Susan Okafor").cue("replied"),
        ],
    );

    t!(
        parenthetical_she_said,
        "Nadia Feroz opened the shop in 2019. “The first year,” she said, “was the hardest.”",
        [
            said("The first year,", "Nadia Feroz").mention("she"),
            said("was the hardest.", "Nadia Feroz"),
        ],
    );

    t!(
        partial_then_minister_said,
        "The deal is “good for farmers and good for bakers,” Agriculture Minister Lise Dahl said.",
        [said("good for farmers and good for bakers,", "Lise Dahl").partial()],
    );
}

/// The speaker named before the quote.
mod before {
    use super::*;

    t!(
        said_the_plan_was_partial,
        "Tomas Elgin said the plan was “a disaster for commuters.”",
        [said("a disaster for commuters.", "Tomas Elgin")
            .mention("Tomas Elgin")
            .cue("said")
            .partial()],
    );

    t!(
        according_to,
        "According to Wen Halloway, the factory “never had a fire inspection in ten years.”",
        [
            said("never had a fire inspection in ten years.", "Wen Halloway")
                .mention("Wen Halloway")
        ],
    );

    t!(
        quoted_as_saying,
        "TASS quoted Putin as saying “the door to dialogue remains open.”",
        [said("the door to dialogue remains open.", "Vladimir Putin")
            .mention("Putin")
            .cited("TASS")],
    );

    t!(
        passive_quoted_as_saying_by_an_agency,
        "“Let us not rush things,” the president was quoted as saying by the Interfax news \
         agency. Vladimir Putin had met the envoy on Monday.",
        [said("Let us not rush things,", Who::Containing("president")).cited("Interfax")],
    );

    t!(
        title_of_office,
        "In an interview with CBS News, the secretary of state said progress was “real but \
         fragile.”",
        [
            said("real but fragile.", Who::Containing("secretary of state"))
                .mention("the secretary of state")
                .cue("said")
                .cited("CBS News")
        ],
    );

    t!(
        told_an_agency,
        "Zakharova told TASS that the statement was “pure provocation.”",
        [said("pure provocation.", "Maria Zakharova")
            .cue("told")
            .cited("TASS")
            .partial()],
    );

    t!(
        in_an_interview_with,
        "Peskov said in an interview with Interfax that relations were “at rock bottom.”",
        [said("at rock bottom.", "Dmitry Peskov")
            .cited("Interfax")
            .partial()],
    );

    t!(
        told_a_network_there_was_nothing,
        "Senator Carla Wintermute told Fox News there was nothing “unusual about the meeting.”",
        [said("unusual about the meeting.", "Carla Wintermute")
            .cited("Fox News")
            .partial()],
    );

    t!(
        colon_lead_in,
        "Customs chief Arvid Sten toured the docks on Monday. Speaking at the port, he said: \
         “Every container will be inspected.”",
        [said("Every container will be inspected.", "Arvid Sten")
            .mention("he")
            .whole()],
    );

    t!(
        headline_name_colon,
        "Peskov: “No summit is planned for this month”\n\nThe Kremlin gave no further details.",
        [said("No summit is planned for this month", "Dmitry Peskov").mention("Peskov")],
    );

    t!(
        participle_saying,
        "Mirela Dancu rejected the offer on Sunday, saying “the numbers do not add up.”",
        [said("the numbers do not add up.", "Mirela Dancu").cue("saying")],
    );

    t!(
        participle_adding,
        "Mirela Dancu said talks would continue, adding, “We are not walking away.”",
        [said("We are not walking away.", "Mirela Dancu").cue("adding")],
    );

    t!(
        in_the_words_of,
        "In the words of Bertil Ravn, the team “played like strangers.”",
        [said("played like strangers.", "Bertil Ravn").mention("Bertil Ravn")],
    );

    t!(
        as_x_put_it,
        "Bertil Ravn has coached the side since 2018. As Ravn put it, “nobody wanted the ball.”",
        [said("nobody wanted the ball.", "Bertil Ravn").mention("Ravn")],
    );
}

/// Pronouns resolved to the right person.
mod pronouns {
    use super::*;

    t!(
        he_is_the_subject_not_the_person_he_talks_about,
        "Kremlin spokesman Dmitry Peskov spoke to reporters on Monday. He said the talks were \
         useful and that Putin sees “no reason to rush.”",
        [said("no reason to rush.", "Dmitry Peskov")
            .mention("He")
            .partial()],
    );

    t!(
        she_skips_a_man_named_between,
        "Susan Okafor said the road would close in June. Her deputy, Peter Lindahl, said the \
         date could slip. “We will keep one lane open,” she said.",
        [said("We will keep one lane open,", "Susan Okafor").mention("she")],
    );

    t!(
        she_is_the_latest_woman,
        "Anna Brisk chaired the hearing. Maria Vell, the city's auditor, testified for an hour. \
         “The accounts were never reconciled,” she said.",
        [said("The accounts were never reconciled,", "Maria Vell").mention("she")],
    );

    t!(
        he_after_an_object_mention_is_the_subject,
        "Union leader Robert Ortiz sat across the table from David Kessel for six hours on \
         Monday. “I can get along with anyone, even Kessel,” he said.",
        [said("I can get along with anyone, even Kessel,", "Robert Ortiz").mention("he")],
    );

    t!(
        she_resolves_to_a_registry_speaker,
        "Zakharova held her weekly briefing on Thursday. “Washington is not listening,” she said.",
        [said("Washington is not listening,", "Maria Zakharova").mention("she")],
    );
}

/// Speakers known to the built-in registry, and names that only look like
/// them.
mod registry {
    use super::*;

    t!(
        role_only,
        "A Kremlin spokesman said the talks would be “difficult but necessary.”",
        [said("difficult but necessary.", "Dmitry Peskov")
            .mention("A Kremlin spokesman")
            .partial()],
    );

    t!(
        role_with_possessive,
        "Russia’s top diplomat called the proposal “a trap dressed up as a compromise.”",
        [said("a trap dressed up as a compromise.", "Sergei Lavrov").partial()],
    );

    t!(
        transliteration_sergey,
        "“We have heard nothing new,” Sergey Lavrov said.",
        [said("We have heard nothing new,", "Sergei Lavrov").mention("Sergey Lavrov")],
    );

    t!(
        transliteration_dmitri,
        "Dmitri Peskov told reporters: “The president has not decided.”",
        [said("The president has not decided.", "Dmitry Peskov")
            .mention("Dmitri Peskov")
            .uncited()],
    );

    t!(
        role_followed_by_another_name,
        "White House press secretary Marcus Tillery said the trip was “still on the calendar.”",
        [said("still on the calendar.", "Marcus Tillery").partial()],
    );

    t!(
        surname_alias_with_another_first_name,
        "“The audit found nothing,” Gordon Leavitt said.",
        [said("The audit found nothing,", "Gordon Leavitt").mention("Gordon Leavitt")],
    );
}

/// Quotes with no cue of their own.
mod continuation {
    use super::*;

    t!(
        same_paragraph,
        "“The river rose two meters overnight,” said fire chief Oren Blakely. “We moved forty \
         families before dawn.”",
        [
            said("The river rose two meters overnight,", "Oren Blakely"),
            said("We moved forty families before dawn.", "Oren Blakely"),
        ],
    );

    t!(
        paragraph_opening_with_a_mark,
        "“We are not closing the clinic,” said Dr. Hilda Sorensen, its director.\n\n“We are \
         moving it to a bigger building across town.”",
        [
            said("We are not closing the clinic,", "Hilda Sorensen"),
            said(
                "We are moving it to a bigger building across town.",
                "Hilda Sorensen"
            ),
        ],
    );

    t!(
        unattributable_sentence_gets_nobody,
        "Governor Ellen Marsh visited the shelter on Tuesday and left after an hour.\n\n\
         Outside, the mood was grim. “Nobody here believes the promises anymore.”",
        [unattributed("Nobody here believes the promises anymore.")],
    );
}

/// Quoted spans that are nobody's words.
mod asides {
    use super::*;

    t!(
        show_title,
        "Senator Ruth Calloway appeared on NBC’s “Meet the Press” on Sunday.",
        [aside("Meet the Press")],
    );

    t!(
        film_title,
        "Clara Voss, 61, starred in the film “The Winter Orchard” in 2011.",
        [aside("The Winter Orchard")],
    );

    t!(
        book_title_nyt_style,
        "''A Lantern in the Fog,'' a biography written by Hugo Brandt, will be published in May.",
        [aside("A Lantern in the Fog,")],
    );

    t!(
        scare_quote,
        "The so-called “moderates” in the party have stayed silent.",
        [aside("moderates")],
    );

    t!(
        nickname,
        "Forward Jamal “The Cannon” Whitlock scored twice in the second half.",
        [aside("The Cannon")],
    );

    t!(
        title_beside_a_quotation,
        "“I wrote it in six weeks,” said Hugo Brandt, whose novel “Salt Roads” won the prize.",
        [
            said("I wrote it in six weeks,", "Hugo Brandt"),
            aside("Salt Roads"),
        ],
    );
}

/// Speakers the registry does not know, named by the article.
mod discovered {
    use super::*;

    t!(
        turkish_name_keeps_its_diacritics,
        "“Ankara will not accept this,” said Özge Şahinoğlu, a member of parliament.",
        [said("Ankara will not accept this,", "Özge Şahinoğlu").mention("Özge Şahinoğlu")],
    );

    t!(
        institution,
        "The Kremlin described the new sanctions as “an act of economic war.”",
        [said("an act of economic war.", "Kremlin").partial()],
    );

    t!(
        described_source,
        "A state department spokesperson said the embassy would stay “fully staffed.”",
        [said("fully staffed.", containing("spokesperson")).partial()],
    );

    t!(
        surname_later_is_the_same_person,
        "Halvard Ostby, the harbour master, closed the port at noon. “The swell is too high,” \
         Ostby said.",
        [said("The swell is too high,", "Halvard Ostby").mention("Ostby")],
    );
}
