//! Variant grouping as a table of named cases: a handful of quotations in,
//! which of them form one utterance and which share a rendering out. Each
//! kind of wording variation has its case, and so does each thing that
//! must NOT group. The texts are invented for these tests.
//!
//! A case names its quotations by letters; `utterances: "AB|C"` says A and
//! B are one utterance and C another, `renderings: "A|B|C"` that no two
//! share a wording. The proptest at the end checks that grouping does not
//! depend on the order the records come in.

use proptest::prelude::*;
use quotetrail::group::{Cue, Grouping, Options, QuotationId, Record, group};

/// A quotation for a case, built with defaults and adjusted.
#[derive(Clone)]
struct Q(Record);

/// Quotation `name` (a letter) in its own article, by `speaker`.
fn q(name: char, speaker: Option<&str>, text: &str) -> Q {
    Q(Record {
        id: QuotationId(name as i64),
        article: format!("{name}.txt").into(),
        outlet: format!("outlet-{name}").into(),
        published: Some("2025-02-27".into()),
        paragraph: 3,
        start: 100,
        speaker: speaker.map(Into::into),
        speaker_registered: true,
        mention: speaker.map(Into::into),
        rule: "after".into(),
        cue: None,
        partial: false,
        cited: None,
        text: text.into(),
    })
}

impl Q {
    fn article(mut self, article: &str, paragraph: u32, start: usize) -> Q {
        self.0.article = article.into();
        self.0.outlet = format!("outlet-{article}").into();
        self.0.paragraph = paragraph;
        self.0.start = start;
        self
    }
    fn date(mut self, date: &str) -> Q {
        self.0.published = Some(date.into());
        self
    }
    fn undated(mut self) -> Q {
        self.0.published = None;
        self
    }
    fn cited(mut self, who: &str) -> Q {
        self.0.cited = Some(who.into());
        self
    }
    fn partial(mut self) -> Q {
        self.0.partial = true;
        self
    }
    fn rule(mut self, rule: &str) -> Q {
        self.0.rule = rule.into();
        self
    }
    fn cue(mut self, start: usize, text: &str) -> Q {
        self.0.cue = Some(Cue {
            start,
            text: text.into(),
        });
        self
    }
    /// Attributed through a role, not a name ("a Kremlin aide").
    fn via_role(mut self, mention: &str) -> Q {
        self.0.mention = Some(mention.into());
        self
    }
    /// A described source attribution made up, not in the registry.
    fn described(mut self) -> Q {
        self.0.speaker_registered = false;
        self
    }
}

fn name(id: QuotationId) -> char {
    char::from_u32(id.0 as u32).unwrap_or('?')
}

/// "AB|C": the partition of the quotations into utterances.
fn utterances(g: &Grouping) -> String {
    let mut parts: Vec<String> = g
        .utterances
        .iter()
        .map(|u| {
            let mut names: Vec<char> = u.quotations().map(name).collect();
            names.sort();
            names.into_iter().collect()
        })
        .collect();
    parts.sort();
    parts.join("|")
}

/// "A|B": the partition into renderings.
fn renderings(g: &Grouping) -> String {
    let mut parts: Vec<String> = g
        .utterances
        .iter()
        .flat_map(|u| &u.renderings)
        .map(|r| {
            let mut names: Vec<char> = r.quotations.iter().map(|&q| name(q)).collect();
            names.sort();
            names.into_iter().collect()
        })
        .collect();
    parts.sort();
    parts.join("|")
}

fn run(qs: &[Q]) -> Grouping {
    let records: Vec<Record> = qs.iter().map(|q| q.0.clone()).collect();
    group(&records, &Options::default())
}

macro_rules! t {
    ($name:ident, [$($q:expr),* $(,)?], utterances: $u:expr, renderings: $r:expr) => {
        #[test]
        fn $name() {
            let g = run(&[$($q),*]);
            assert_eq!(utterances(&g), $u, "utterances; links: {:#?}", g.links);
            assert_eq!(renderings(&g), $r, "renderings; links: {:#?}", g.links);
        }
    };
}

const P: Option<&str> = Some("Vladimir Putin");
const K: Option<&str> = Some("Dmitry Peskov");
const Z: Option<&str> = Some("Maria Zakharova");

t!(trim_at_both_ends_is_one_wording, [
    q('A', K, "We will not allow anyone to dictate terms to us in these negotiations, and our partners know it."),
    q('B', K, "will not allow anyone to dictate terms to us in these negotiations").partial(),
], utterances: "AB", renderings: "AB");

t!(fragment_of_a_longer_quote_joins_it, [
    q('A', Z, "Washington created artificial obstacles for our diplomats and we naturally created uncomfortable conditions in return."),
    q('B', Z, "uncomfortable conditions").partial(),
], utterances: "AB", renderings: "AB");

t!(one_word_fragment_joins_the_only_quote_holding_it, [
    q('A', Z, "many irritants"),
    q('B', Z, "irritants").partial(),
], utterances: "AB", renderings: "AB");

t!(splice_with_an_ellipsis_is_one_wording, [
    q('A', K, "There is plenty of room for cooperation between our companies. Such room is in place, and their interest exists."),
    q('B', K, "plenty of room for cooperation… Such room is in place").partial(),
], utterances: "AB", renderings: "AB");

t!(bracketed_insertion_is_one_wording, [
    q('A', Z, "the previous [US] administration created obstacles for the work of our embassy"),
    q('B', Z, "the previous administration created obstacles for the work of our embassy"),
], utterances: "AB", renderings: "AB");

t!(us_and_u_s_and_quote_marks_are_one_wording, [
    q('A', K, "The U.S. side showed a “constructive” approach to the talks."),
    q('B', K, "the US side showed a \"constructive\" approach to the talks,"),
], utterances: "AB", renderings: "AB");

t!(united_states_spelled_out_is_one_wording, [
    q('A', K, "Relations with the United States are below zero and two embassies are nearly empty."),
    q('B', K, "relations with the U.S. are below zero and 2 embassies are nearly empty"),
], utterances: "AB", renderings: "AB");

t!(retranslation_is_one_utterance_in_two_renderings, [
    q('A', P, "We are ready to resume the dialogue on strategic stability without any preconditions, provided that the legitimate security interests of Russia are respected.").cited("Agency One"),
    q('B', P, "We are prepared to resume dialogue on strategic stability with no preconditions, as long as Russia's legitimate security interests are respected.").cited("Agency Two"),
], utterances: "AB", renderings: "A|B");

t!(retranslation_of_a_short_sentence_in_another_order, [
    q('A', K, "No one expects solutions to come easily and quickly.").cited("Agency One"),
    q('B', K, "Nobody expects quick and easy solutions to come.").cited("Agency Two"),
], utterances: "AB", renderings: "A|B");

t!(a_short_sentence_on_the_same_topic_is_another_statement, [
    q('A', K, "No one expects solutions to come easily and quickly."),
    q('B', K, "We expect the talks to bring quick solutions on embassies."),
], utterances: "A|B", renderings: "A|B");

t!(contractions_and_british_spelling_are_one_wording, [
    q('A', Z, "We don't want to normalise relations at any price, it's a question of honour."),
    q('B', Z, "We do not want to normalize relations at any price, it is a question of honor."),
], utterances: "AB", renderings: "AB");

t!(headline_paraphrase_is_another_rendering, [
    q('A', P, "The first round of talks gives grounds for cautious optimism about the future of our relations."),
    q('B', P, "offers grounds for cautious optimism").partial().article("B.txt", 0, 10),
], utterances: "AB", renderings: "A|B");

t!(same_words_by_two_speakers_do_not_group, [
    q('A', K, "We are open to a dialogue with Washington on every issue of mutual concern."),
    q('B', Z, "We are open to a dialogue with Washington on every issue of mutual concern."),
], utterances: "A|B", renderings: "A|B");

t!(one_person_under_two_spellings_is_one_speaker, [
    q('A', Some("Sergey Lavrov"), "The outcome of the meeting will show how quickly and effectively we can move."),
    q('B', Some("Sergei Lavrov"), "The outcome of the meeting will show how quickly and effectively we can move."),
    q('C', Some("Lavrov"), "will show how quickly and effectively we can move").partial(),
    q('D', Some("Öncu Keçeli"), "The delegations met at a technical level in Istanbul today."),
    q('E', Some("Oncu Keceli"), "The delegations met at a technical level in Istanbul today."),
    q('F', Some("Volodymyr Zelenskiy"), "Nobody wants peace more than Ukrainians, and nobody wants it sooner."),
    q('G', Some("Volodymyr Zelensky"), "Nobody wants peace more than Ukrainians, and nobody wants it sooner."),
], utterances: "ABC|DE|FG", renderings: "ABC|DE|FG");

t!(two_people_with_one_surname_are_two_speakers, [
    q('A', Some("Donald Trump"), "We are going to have a tremendous meeting with the Russians next week."),
    q('B', Some("Melania Trump"), "We are going to have a tremendous meeting with the Russians next week."),
    q('C', Some("Trump"), "a tremendous meeting with the Russians").partial(),
], utterances: "A|B|C", renderings: "A|B|C");

t!(two_statements_of_one_speaker_on_one_day_do_not_group, [
    q('A', P, "The first contacts with the new administration inspire certain hopes."),
    q('B', P, "The dialogue with the new administration must not be disrupted by Western elites who want instability."),
], utterances: "A|B", renderings: "A|B");

t!(identical_words_two_months_apart_are_two_utterances, [
    q('A', K, "No one expects solutions to come easily and quickly.").date("2025-01-02"),
    q('B', K, "No one expects solutions to come easily and quickly.").date("2025-03-05"),
], utterances: "A|B", renderings: "A|B");

t!(a_phrase_that_fits_two_statements_stays_alone, [
    q('A', P, "We will make America great again and bring the jobs back home."),
    q('B', P, "Our plan will make America great again by cutting every tax."),
    q('C', P, "make America great again").partial(),
], utterances: "A|B|C", renderings: "A|B|C");

t!(a_clause_two_statements_share_does_not_chain_them, [
    // B repeats the first clause of A word for word. C is a trim of A,
    // D the clause alone: D is a piece of whichever statement takes it
    // first, and must not bridge A and B.
    q('A', P, "We are ready to continue the dialogue on strategic stability with Washington, and our proposals remain on the table for the new team."),
    q('B', P, "We are ready to continue the dialogue on strategic stability with Washington, but the sanctions have to go before any meeting of the presidents."),
    q('C', P, "We are ready to continue the dialogue on strategic stability with Washington, and our proposals remain on the table").article("C.txt", 4, 200),
    q('D', P, "We are ready to continue the dialogue on strategic stability with Washington").partial().article("D.txt", 4, 200),
], utterances: "ACD|B", renderings: "ACD|B");

t!(a_trim_differing_in_a_word_from_another_statement_does_not_chain, [
    // E is a trim of A; it also differs by one word from the opening of
    // B, a much longer statement. That says E's words recur in B, not
    // that B is A.
    q('A', Z, "The embassy staff in Washington were told to leave within a week."),
    q('B', Z, "The embassy staff in Washington were told to pack within days, and the consulates in New York and San Francisco were closed without any explanation or notice."),
    q('E', Z, "the embassy staff in Washington were told to leave").partial().article("E.txt", 4, 200),
], utterances: "AE|B", renderings: "AE|B");

t!(a_piece_joins_two_reports_of_one_statement_too_far_apart_to_compare, [
    // A and B are one statement reported weeks apart, beyond the date
    // window; C, undated, is a piece of both. Compared, A and B are the
    // same words, so C may join them.
    q('A', K, "We do not rule out a meeting of the presidents once the embassies are fully staffed again.").date("2025-01-02"),
    q('B', K, "We do not rule out a meeting of the presidents once the embassies are fully staffed again, and the date will be agreed.").date("2025-03-05"),
    q('C', K, "We do not rule out a meeting of the presidents once the embassies").article("C.txt", 2, 50).undated(),
], utterances: "ABC", renderings: "ABC");

t!(a_fragment_continued_in_its_article_does_not_join_another_statement, [
    // A's two words open an utterance its article continues in B; C,
    // another statement, happens to hold them too.
    q('A', Z, "below zero").article("x.txt", 3, 100).cue(80, "said").partial(),
    q('B', Z, "There are many irritants, and the embassies have been stripped of their staff for years.").article("x.txt", 4, 300).rule("next-paragraph"),
    q('C', Z, "Our trade with the European Union is below zero this winter, and it will stay there."),
], utterances: "AB|C", renderings: "AB|C");

t!(consecutive_paragraphs_of_one_speaker_are_one_utterance, [
    q('A', K, "No one expects solutions to come easily and quickly.").article("x.txt", 4, 100),
    q('B', K, "But with political will, I think we will get through this working process.").article("x.txt", 5, 300).rule("next-paragraph"),
], utterances: "AB", renderings: "AB");

t!(two_fragments_under_one_cue_are_one_utterance, [
    q('A', K, "on the books yet").article("x.txt", 9, 100).cue(80, "told").partial(),
    q('B', K, "the delegation had continued to be engaged with both sides").article("x.txt", 9, 200).cue(80, "told").partial(),
], utterances: "AB", renderings: "AB");

t!(a_new_cue_for_the_same_speaker_is_a_new_utterance, [
    q('A', Z, "many irritants").article("x.txt", 8, 100).cue(80, "according").partial(),
    q('B', Z, "We hope that the meeting will bring the two sides closer to overcoming differences.").article("x.txt", 9, 300).cue(400, "told"),
], utterances: "A|B", renderings: "A|B");

t!(a_partial_quote_after_added_is_not_a_continuation, [
    q('A', Z, "systemic problems that have accumulated as a result of unlawful activities").article("x.txt", 13, 100).cue(80, "said").partial(),
    q('B', Z, "how quickly and effectively we can move forward.").article("x.txt", 14, 400).cue(380, "added").partial(),
], utterances: "A|B", renderings: "A|B");

t!(a_full_quote_after_he_added_continues, [
    q('A', P, "I note that the first contacts inspire certain hopes.").article("x.txt", 8, 100).cue(80, "said"),
    q('B', P, "There is a mood to work to restore ties.").article("x.txt", 9, 300).cue(350, "added"),
], utterances: "AB", renderings: "AB");

t!(words_both_translations_share_go_with_their_own_articles_wording, [
    q('A', K, "We are ready to take this step, but only if the other side also stops striking our cities.").article("a.txt", 2, 100).cue(90, "said"),
    q('B', K, "Nobody wants peace more than we do.").article("a.txt", 3, 300).cue(400, "added"),
    q('C', K, "We are ready for such a step, but only on condition that the other side also stops shelling our cities.").article("b.txt", 2, 100),
    q('D', K, "nobody wants peace more than we do.").article("b.txt", 5, 500).partial(),
], utterances: "ABCD", renderings: "AB|CD");

t!(one_articles_pieces_share_the_rendering_of_the_whole, [
    q('A', P, "Contacts with the new administration inspire certain hopes. There is a reciprocal mood to restore ties between our states."),
    q('B', P, "Contacts with the new administration inspire certain hopes.").article("B.txt", 2, 10),
    q('C', P, "There is a reciprocal mood to restore ties between our states.").article("B.txt", 3, 90),
], utterances: "ABC", renderings: "ABC");

#[test]
fn a_described_source_takes_the_named_speaker_as_an_inference() {
    let g = run(&[
        q('A', K, "Currently a meeting on an expert level is underway in Istanbul, and details will become available later."),
        q('B', Some("kremlin spokesperson"), "Currently a meeting on an expert level is underway in Istanbul, and details will become available later.")
            .described()
            .via_role("a kremlin spokesperson"),
    ]);
    assert_eq!(utterances(&g), "AB");
    let inferred = &g.utterances[0].inferred;
    assert_eq!(inferred.len(), 1, "{inferred:?}");
    assert_eq!(name(inferred[0].quotation), 'B');
    assert_eq!(inferred[0].speaker, "Dmitry Peskov");
    assert_eq!(inferred[0].was.as_deref(), Some("kremlin spokesperson"));
    assert_eq!(name(inferred[0].evidence), 'A');
}

#[test]
fn an_unattributed_quotation_takes_the_speaker_of_its_utterance() {
    let g = run(&[
        q(
            'A',
            Z,
            "We hope that the meeting, the first in a series, will bring the two sides closer.",
        ),
        q(
            'B',
            None,
            "We hope that the meeting, the first in a series, will bring the two sides closer.",
        ),
    ]);
    assert_eq!(utterances(&g), "AB");
    assert_eq!(g.utterances[0].speaker.as_deref(), Some("Maria Zakharova"));
    let inferred = &g.utterances[0].inferred;
    assert_eq!(inferred.len(), 1, "{inferred:?}");
    assert_eq!(
        (name(inferred[0].quotation), inferred[0].was.as_deref()),
        ('B', None)
    );
}

#[test]
fn a_role_resolved_to_someone_else_is_a_reported_conflict() {
    let g = run(&[
        q('A', K, "Details of the talks will become available one way or another, let us not get ahead of ourselves."),
        q('B', Some("Yuri Ushakov"), "Details of the talks will become available one way or another, let us not get ahead of ourselves.")
            .via_role("a Kremlin aide"),
    ]);
    assert_eq!(utterances(&g), "AB");
    assert!(g.utterances[0].inferred.is_empty());
    assert_eq!(g.conflicts.len(), 1, "{:?}", g.conflicts);
    assert_eq!(name(g.conflicts[0].quotation), 'B');
    assert_eq!(
        g.conflicts[0].other_speaker.as_deref(),
        Some("Dmitry Peskov")
    );
}

#[test]
fn an_unattributed_quotation_does_not_join_two_speakers() {
    let text = "We are open to a dialogue with Washington on every issue of mutual concern.";
    let g = run(&[q('A', K, text), q('B', Z, text), q('C', None, text)]);
    let u = utterances(&g);
    assert!(u == "AC|B" || u == "A|BC", "{u}");
    assert!(!g.conflicts.is_empty(), "the refused link is reported");
}

#[test]
fn renderings_are_labelled_by_credit_then_earliest_outlet() {
    let g = run(&[
        q('A', P, "We are ready to resume the dialogue on strategic stability without any preconditions, provided that the legitimate security interests of Russia are respected.").cited("TASS").date("2025-02-27"),
        q('B', P, "We are prepared to resume dialogue on strategic stability with no preconditions, as long as Russia's legitimate security interests are respected.").date("2025-02-26"),
        q('C', P, "We are prepared to resume dialogue on strategic stability with no preconditions").date("2025-02-28").partial(),
    ]);
    let u = &g.utterances[0];
    let labels: Vec<&str> = u.renderings.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["outlet-B", "TASS"], "earliest first");
    assert_eq!(u.renderings[1].credited.as_deref(), Some("TASS"));
    assert!(
        u.renderings[1].id.ends_with("/tass"),
        "{}",
        u.renderings[1].id
    );
    assert_eq!(u.renderings[0].first_seen.as_deref(), Some("2025-02-26"));
}

#[test]
fn an_utterance_is_first_seen_on_its_earliest_date() {
    let text =
        "We are ready to resume the dialogue on strategic stability without any preconditions.";
    let g = run(&[
        q('A', P, text).date("2025-03-01"),
        q('B', P, text).date("2025-02-27T18:30:00Z"),
        q('C', P, text).undated(),
    ]);
    assert_eq!(utterances(&g), "ABC");
    assert_eq!(g.utterances[0].first_seen.as_deref(), Some("2025-02-27"));
    let g = run(&[q('A', P, text).undated(), q('B', P, text).undated()]);
    assert_eq!(g.utterances[0].first_seen, None);
}

/// The records of every case above, for the order-independence property.
fn pool() -> Vec<Record> {
    let texts = [
        (
            K,
            "We will not allow anyone to dictate terms to us in these negotiations, and our partners know it.",
        ),
        (
            K,
            "will not allow anyone to dictate terms to us in these negotiations",
        ),
        (Z, "many irritants"),
        (Z, "irritants"),
        (
            P,
            "We are ready to resume the dialogue on strategic stability without any preconditions, provided that the legitimate security interests of Russia are respected.",
        ),
        (
            P,
            "We are prepared to resume dialogue on strategic stability with no preconditions, as long as Russia's legitimate security interests are respected.",
        ),
        (P, "offers grounds for cautious optimism"),
        (
            P,
            "The first round of talks gives grounds for cautious optimism about the future of our relations.",
        ),
        (
            K,
            "We are open to a dialogue with Washington on every issue of mutual concern.",
        ),
        (
            Z,
            "We are open to a dialogue with Washington on every issue of mutual concern.",
        ),
        (
            None,
            "We are open to a dialogue with Washington on every issue of mutual concern.",
        ),
        (P, "make America great again"),
        (
            P,
            "We will make America great again and bring the jobs back home.",
        ),
        (
            P,
            "Our plan will make America great again by cutting every tax.",
        ),
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, (who, text))| {
            let mut r = q((b'a' + i as u8) as char, *who, text).0;
            r.article = format!("{}.txt", i % 5).into();
            r.start = i * 100;
            r.paragraph = i as u32;
            r
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn grouping_does_not_depend_on_input_order(order in Just(pool()).prop_shuffle()) {
        let base = group(&pool(), &Options::default());
        let shuffled = group(&order, &Options::default());
        prop_assert_eq!(base, shuffled);
    }
}

/// Text with the marks, abbreviations, contractions, brackets and
/// ellipses normalisation branches on.
fn quotish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("U.S.".to_string()),
            Just("United States".to_string()),
            Just("don’t".to_string()),
            Just("it's".to_string()),
            Just("[Marco]".to_string()),
            Just("…".to_string()),
            Just("...".to_string()),
            Just("1,000.5".to_string()),
            Just("normalise".to_string()),
            Just("Öncu".to_string()),
            Just("“".to_string()),
            "[a-zA-Zéü' ,.;:-]{1,12}",
        ],
        0..24,
    )
    .prop_map(|parts| parts.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn normalisation_is_idempotent_and_spans_are_slices(text in quotish()) {
        let n = quotetrail::group::normalize(&text);
        for t in &n.tokens {
            prop_assert!(text.get(t.span.start..t.span.end).is_some(), "{:?} in {text:?}", t.span);
        }
        let key = n.key();
        prop_assert_eq!(quotetrail::group::normalize(&key).key(), key);
    }

    #[test]
    fn grouping_never_panics(texts in proptest::collection::vec(quotish(), 0..12)) {
        let records: Vec<Record> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let who = [K, Z, None][i % 3];
                let mut r = q((b'a' + i as u8) as char, who, t).0;
                r.article = format!("{}.txt", i % 4).into();
                r.start = i * 10;
                r
            })
            .collect();
        let g = group(&records, &Options::default());
        let grouped: usize = g.utterances.iter().map(|u| u.quotations().count()).sum();
        prop_assert_eq!(grouped, records.len());
    }
}
