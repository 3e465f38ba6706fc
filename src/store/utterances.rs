//! Reading the grouping back: utterances with their renderings and the
//! quotations (and so outlets) that carry each, for `utterances` and
//! `report`.
//!
//! One query walks every membership in report order — speaker, first
//! seen, utterance key, rendering position, article path, offset — and
//! the rows are folded into nested values here, so the report layer gets
//! plain structs and never sees SQL.

use std::collections::HashMap;

use rusqlite::params;
use serde::Serialize;

use super::{SpeakerId, Store};

/// One utterance as stored, with its renderings in order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UtteranceView {
    pub utterance: String,
    pub speaker: Option<String>,
    pub first_seen: Option<String>,
    pub renderings: Vec<RenderingView>,
    /// Inferred speakers and attribution conflicts, by article and offset.
    pub notes: Vec<AttributionNote>,
    /// What [`Selection::renderings`] left out of `renderings` (and so of
    /// `notes`); zero when nothing was.
    pub omitted: Omitted,
}

/// Renderings of an utterance left out of a bounded read, and the
/// quotations that carry them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Omitted {
    pub renderings: usize,
    pub quotations: usize,
}

impl Omitted {
    pub fn is_empty(&self) -> bool {
        self.renderings == 0
    }
}

/// What grouping noted about an utterance's attributions: a speaker
/// taken from another outlet's quotation, or two that disagree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttributionNote {
    /// `inferred` or `conflict`.
    pub kind: String,
    pub outlet: String,
    pub article: String,
    pub quote: String,
    /// For an inference, the speaker given; for a conflict, what this
    /// article says.
    pub speaker: Option<String>,
    /// The other outlet whose quotation names the speaker.
    pub other_outlet: String,
    pub note: String,
}

/// One rendering with the quotations that carry it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderingView {
    pub rendering: String,
    pub label: String,
    pub credited: Option<String>,
    /// The rendering this one likely derives from (key and label).
    pub source: Option<String>,
    pub source_label: Option<String>,
    /// The rendering's words (its longest quotations joined by " … ").
    pub text: String,
    pub first_seen: Option<String>,
    pub quotations: Vec<MemberView>,
}

/// One quotation of a rendering.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemberView {
    pub article: String,
    pub outlet: String,
    pub published: Option<String>,
    pub start: i64,
    pub end: i64,
    pub quote: String,
    /// Whom this article credits for the words.
    pub cited: Option<String>,
    /// The article's speaker, else the inferred one.
    pub speaker: Option<String>,
    pub speaker_inferred: bool,
}

impl RenderingView {
    /// The outlets that carried the rendering, in order of first article
    /// path, each once.
    pub fn outlets(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for q in &self.quotations {
            if !out.contains(&q.outlet.as_str()) {
                out.push(&q.outlet);
            }
        }
        out
    }
}

/// The rows of [`Store::utterances`], one per member quotation, with a
/// WHERE clause on the utterances (a literal: the speaker ids are bound).
macro_rules! utterance_rows {
    ($filter:literal) => {
        concat!(
            "SELECT u.key, us.name, u.first_seen, r.key, r.label, r.credited, src.key, src.label,
                    r.text, r.first_seen, q.article_path, o.name, a.published, q.start, q.end,
                    q.text, q.cited, coalesce(si.name, s.name), si.name IS NOT NULL, u.id
             FROM utterances AS u
             JOIN renderings AS r ON r.utterance_id = u.id
             JOIN quotation_renderings AS qr ON qr.rendering_id = r.id
             JOIN quotations AS q ON q.id = qr.quotation_id
             JOIN articles AS a INDEXED BY articles_listing ON a.id = q.article_id
             JOIN outlets AS o ON o.id = a.outlet_id
             LEFT JOIN speakers AS us ON us.id = u.speaker_id
             LEFT JOIN renderings AS src ON src.id = r.source_id
             LEFT JOIN speakers AS s ON s.id = q.speaker_id
             LEFT JOIN inferred_speakers AS inf ON inf.quotation_id = q.id
             LEFT JOIN speakers AS si ON si.id = inf.speaker_id
             ",
            $filter,
            "
             ORDER BY us.name IS NULL, us.name, coalesce(u.first_seen, '9999'), u.key,
                      r.position, q.article_path, q.start, q.id"
        )
    };
}

/// The attribution notes of [`Store::utterances`]: speakers inferred
/// across articles and conflicts, for the member quotations of the
/// utterances the WHERE clause picks. Driven from those utterances, so a
/// report on one speaker reads that speaker's notes only.
///
/// `CROSS JOIN` keeps the tables in the order written (SQLite never
/// reorders it): each chosen quotation is first looked up among the
/// inferences or the conflicts, which few have, and only one that has a
/// note is read with its article. Left to itself the planner read every
/// chosen quotation's row and article before asking about conflicts.
macro_rules! note_rows {
    ($filter:literal) => {
        concat!(
            "WITH chosen AS (
                 SELECT u.key, qr.quotation_id AS q
                 FROM utterances AS u
                 JOIN renderings AS r ON r.utterance_id = u.id
                 JOIN quotation_renderings AS qr ON qr.rendering_id = r.id
                 ",
            $filter,
            ")
             SELECT c.key, 'inferred' AS kind, o.name, q.article_path, q.text, s.name, eo.name,
                    'speaker taken from ' || eo.name ||
                    coalesce(' (the article says ' || i.was || ')', ' (the article names nobody)')
                        AS note,
                    q.start
             FROM chosen AS c
             CROSS JOIN inferred_speakers AS i ON i.quotation_id = c.q
             CROSS JOIN speakers AS s ON s.id = i.speaker_id
             CROSS JOIN quotations AS q ON q.id = c.q
             CROSS JOIN articles AS a INDEXED BY articles_listing ON a.id = q.article_id
             CROSS JOIN outlets AS o ON o.id = a.outlet_id
             CROSS JOIN quotations AS e ON e.id = i.evidence_id
             CROSS JOIN articles AS ea INDEXED BY articles_listing ON ea.id = e.article_id
             CROSS JOIN outlets AS eo ON eo.id = ea.outlet_id
             UNION ALL
             SELECT c.key, 'conflict', o.name, q.article_path, q.text, x.speaker, oo.name, x.note,
                    q.start
             FROM chosen AS c
             CROSS JOIN attribution_conflicts AS x ON x.quotation_id = c.q
             CROSS JOIN quotations AS q ON q.id = c.q
             CROSS JOIN articles AS a INDEXED BY articles_listing ON a.id = q.article_id
             CROSS JOIN outlets AS o ON o.id = a.outlet_id
             CROSS JOIN quotations AS oq ON oq.id = x.other_id
             CROSS JOIN articles AS oa INDEXED BY articles_listing ON oa.id = oq.article_id
             CROSS JOIN outlets AS oo ON oo.id = oa.outlet_id
             ORDER BY 1, 4, 9, 2, 8"
        )
    };
}

/// Which utterances to read back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Selection<'a> {
    /// Only those of these speakers (`None`: everyone's).
    pub speakers: Option<&'a [SpeakerId]>,
    /// Only this many, the most quoted first (`None`: all).
    pub limit: Option<usize>,
    /// At most this many renderings of each utterance (`None`: all): the
    /// earliest, which the report's differences start from, and those
    /// carried by the most quotations; the quotations of the others, and
    /// their attribution notes, are left out and counted in
    /// [`UtteranceView::omitted`].
    pub renderings: Option<usize>,
}

/// Which membership rows [`Store::utterances`] reads: a JSON list of ids
/// bound to the statement.
enum Filter {
    All,
    Utterances(String),
    Renderings(String),
}

/// Of one utterance's renderings (id and quotations, in position order),
/// the ids of the at most `most` to show, in position order: the first
/// (the earliest, which the report's differences start from) and those
/// carried by the most quotations, the earlier first on a tie; and what
/// is left out.
fn keep_renderings(renderings: &[(i64, usize)], most: usize) -> (Vec<i64>, Omitted) {
    if renderings.len() <= most {
        return (
            renderings.iter().map(|&(id, _)| id).collect(),
            Omitted::default(),
        );
    }
    let mut ranked: Vec<usize> = (1..renderings.len()).collect();
    // Stable: among equals, position order.
    ranked.sort_by_key(|&i| std::cmp::Reverse(renderings.get(i).map_or(0, |r| r.1)));
    let mut keep: Vec<usize> = std::iter::once(0)
        .chain(ranked.into_iter().take(most.saturating_sub(1)))
        .collect();
    keep.sort_unstable();
    let kept: Vec<i64> = keep
        .iter()
        .filter_map(|&i| renderings.get(i).map(|r| r.0))
        .collect();
    let shown: usize = keep
        .iter()
        .filter_map(|&i| renderings.get(i))
        .map(|r| r.1)
        .sum();
    let all: usize = renderings.iter().map(|r| r.1).sum();
    let left = Omitted {
        renderings: renderings.len() - kept.len(),
        quotations: all - shown,
    };
    (kept, left)
}

impl Store {
    /// How many utterances `speakers` have (everyone's when `None`).
    pub fn count_utterances(&self, speakers: Option<&[SpeakerId]>) -> anyhow::Result<usize> {
        let n: i64 = match speakers {
            Some(ids) => self.connection().query_row(
                "SELECT count(*) FROM utterances
                 WHERE speaker_id IN (SELECT value FROM json_each(?1))",
                [serde_json::to_string(ids)?],
                |row| row.get(0),
            )?,
            None => self
                .connection()
                .query_row("SELECT count(*) FROM utterances", [], |row| row.get(0))?,
        };
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The utterances `selection` picks, by speaker name, first seen and
    /// key.
    pub fn utterances(&self, selection: Selection<'_>) -> anyhow::Result<Vec<UtteranceView>> {
        // One read transaction: the statements below see one state of the
        // database, and SQLite takes its locks once, not per statement.
        let snapshot = self.connection().unchecked_transaction()?;
        // The utterances' ids first, through the speaker index, then their
        // rows by id: a filter written `?1 IS NULL OR …` would make SQLite
        // scan every utterance. A bound on renderings picks the renderings'
        // ids in turn, and only their quotations are read.
        let mut omitted: HashMap<i64, Omitted> = HashMap::new();
        let filter = match selection {
            Selection {
                speakers: None,
                limit: None,
                renderings: None,
            } => Filter::All,
            Selection {
                speakers,
                limit,
                renderings: None,
            } => Filter::Utterances(serde_json::to_string(
                &self.utterance_ids(speakers, limit)?,
            )?),
            Selection {
                speakers,
                limit,
                renderings: Some(most),
            } => {
                let ids = self.utterance_ids(speakers, limit)?;
                let chosen = self.chosen_renderings(&ids, most, &mut omitted)?;
                Filter::Renderings(serde_json::to_string(&chosen)?)
            }
        };
        let mut stmt = match &filter {
            Filter::All => self.connection().prepare_cached(utterance_rows!(""))?,
            Filter::Utterances(_) => self.connection().prepare_cached(utterance_rows!(
                "WHERE u.id IN (SELECT value FROM json_each(?1))"
            ))?,
            Filter::Renderings(_) => self.connection().prepare_cached(utterance_rows!(
                "WHERE r.id IN (SELECT value FROM json_each(?1))"
            ))?,
        };
        let mut rows = match &filter {
            Filter::All => stmt.query([])?,
            Filter::Utterances(ids) | Filter::Renderings(ids) => stmt.query([ids])?,
        };
        let mut out: Vec<UtteranceView> = Vec::new();
        while let Some(row) = rows.next()? {
            let key: String = row.get(0)?;
            if out.last().is_none_or(|u| u.utterance != key) {
                let id: i64 = row.get(19)?;
                out.push(UtteranceView {
                    utterance: key,
                    speaker: row.get(1)?,
                    first_seen: row.get(2)?,
                    renderings: Vec::new(),
                    notes: Vec::new(),
                    omitted: omitted.get(&id).copied().unwrap_or_default(),
                });
            }
            let Some(u) = out.last_mut() else { continue };
            let rkey: String = row.get(3)?;
            if u.renderings.last().is_none_or(|r| r.rendering != rkey) {
                u.renderings.push(RenderingView {
                    rendering: rkey,
                    label: row.get(4)?,
                    credited: row.get(5)?,
                    source: row.get(6)?,
                    source_label: row.get(7)?,
                    text: row.get(8)?,
                    first_seen: row.get(9)?,
                    quotations: Vec::new(),
                });
            }
            let Some(r) = u.renderings.last_mut() else {
                continue;
            };
            r.quotations.push(MemberView {
                article: row.get(10)?,
                outlet: row.get(11)?,
                published: row.get(12)?,
                start: row.get(13)?,
                end: row.get(14)?,
                quote: row.get(15)?,
                cited: row.get(16)?,
                speaker: row.get(17)?,
                speaker_inferred: row.get(18)?,
            });
        }
        drop(rows);
        drop(stmt);
        self.attach_notes(&filter, &mut out)?;
        snapshot.commit()?;
        Ok(out)
    }

    /// The renderings to read of the utterances `ids`, at most `most` of
    /// each (see [`Selection::renderings`]); what is left out goes into
    /// `omitted`, by utterance id.
    fn chosen_renderings(
        &self,
        ids: &[i64],
        most: usize,
        omitted: &mut HashMap<i64, Omitted>,
    ) -> anyhow::Result<Vec<i64>> {
        // Counted through quotation_renderings' rendering index, which
        // holds everything the count needs.
        let mut stmt = self.connection().prepare_cached(
            "SELECT r.utterance_id, r.id,
                    (SELECT count(*) FROM quotation_renderings AS qr
                     WHERE qr.rendering_id = r.id)
             FROM renderings AS r
             WHERE r.utterance_id IN (SELECT value FROM json_each(?1))
             ORDER BY r.utterance_id, r.position, r.id",
        )?;
        let mut rows = stmt.query([serde_json::to_string(ids)?])?;
        // (utterance, [(rendering, quotations)] in position order)
        let mut by_utterance: Vec<(i64, Vec<(i64, usize)>)> = Vec::new();
        while let Some(row) = rows.next()? {
            let utterance: i64 = row.get(0)?;
            let rendering = (
                row.get(1)?,
                usize::try_from(row.get::<_, i64>(2)?).unwrap_or(0),
            );
            match by_utterance.last_mut() {
                Some((u, list)) if *u == utterance => list.push(rendering),
                _ => by_utterance.push((utterance, vec![rendering])),
            }
        }
        let mut chosen = Vec::new();
        for (utterance, renderings) in by_utterance {
            let (kept, left) = keep_renderings(&renderings, most);
            chosen.extend(kept);
            if left.renderings > 0 {
                omitted.insert(utterance, left);
            }
        }
        Ok(chosen)
    }

    /// The ids of `speakers`' utterances (everyone's when `None`), the
    /// most quoted first, at most `limit`.
    fn utterance_ids(
        &self,
        speakers: Option<&[SpeakerId]>,
        limit: Option<usize>,
    ) -> anyhow::Result<Vec<i64>> {
        // SQLite reads a negative LIMIT as none.
        let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let conn = self.connection();
        // utterances_ranking holds a speaker's utterances in this order,
        // so for one speaker SQLite reads the first `limit` entries; for
        // several it sorts their entries, read from the index alone.
        let ids = match speakers {
            Some(ids @ [_]) => conn
                .prepare_cached(
                    "SELECT id FROM utterances
                     WHERE speaker_id = json_extract(?1, '$[0]')
                     ORDER BY quotations DESC, key LIMIT ?2",
                )?
                .query_map(params![serde_json::to_string(ids)?, limit], |row| {
                    row.get(0)
                })?
                .collect::<Result<_, _>>()?,
            Some(ids) => conn
                .prepare_cached(
                    "SELECT id FROM utterances
                     WHERE speaker_id IN (SELECT value FROM json_each(?1))
                     ORDER BY quotations DESC, key LIMIT ?2",
                )?
                .query_map(params![serde_json::to_string(ids)?, limit], |row| {
                    row.get(0)
                })?
                .collect::<Result<_, _>>()?,
            None => conn
                .prepare_cached("SELECT id FROM utterances ORDER BY quotations DESC, key LIMIT ?1")?
                .query_map([limit], |row| row.get(0))?
                .collect::<Result<_, _>>()?,
        };
        Ok(ids)
    }

    /// Fill each utterance's [`UtteranceView::notes`], for the quotations
    /// `filter` reads.
    fn attach_notes(
        &self,
        filter: &Filter,
        utterances: &mut [UtteranceView],
    ) -> anyhow::Result<()> {
        let mut stmt = match filter {
            Filter::All => self.connection().prepare_cached(note_rows!(""))?,
            Filter::Utterances(_) => self.connection().prepare_cached(note_rows!(
                "WHERE u.id IN (SELECT value FROM json_each(?1))"
            ))?,
            Filter::Renderings(_) => self.connection().prepare_cached(note_rows!(
                "WHERE r.id IN (SELECT value FROM json_each(?1))"
            ))?,
        };
        let mut rows = match filter {
            Filter::All => stmt.query([])?,
            Filter::Utterances(ids) | Filter::Renderings(ids) => stmt.query([ids])?,
        };
        let by_key: HashMap<String, usize> = utterances
            .iter()
            .enumerate()
            .map(|(i, u)| (u.utterance.clone(), i))
            .collect();
        while let Some(row) = rows.next()? {
            let key: String = row.get(0)?;
            if let Some(u) = by_key.get(&key).and_then(|&i| utterances.get_mut(i)) {
                u.notes.push(AttributionNote {
                    kind: row.get(1)?,
                    outlet: row.get(2)?,
                    article: row.get(3)?,
                    quote: row.get(4)?,
                    speaker: row.get(5)?,
                    other_outlet: row.get(6)?,
                    note: row.get(7)?,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_looked_up_before_the_quotations_they_are_about() {
        let store = Store::open_in_memory().unwrap();
        let plan = store.query_plan(note_rows!(
            "WHERE r.id IN (SELECT value FROM json_each(?1))"
        ));
        let at = |step: &str| {
            plan.iter()
                .position(|s| s.starts_with(step))
                .unwrap_or_else(|| panic!("{step} not in {plan:#?}"))
        };
        let quotations = plan
            .iter()
            .enumerate()
            .filter(|(_, s)| s.starts_with("SEARCH q "))
            .map(|(i, _)| i)
            .collect::<Vec<_>>();
        assert_eq!(quotations.len(), 2, "{plan:#?}");
        assert!(at("SEARCH i ") < quotations[0], "{plan:#?}");
        assert!(at("SEARCH x ") < quotations[1], "{plan:#?}");
        // Articles' outlets come from the index, not the rows with texts.
        for alias in ["a", "ea", "oa"] {
            let search = format!("SEARCH {alias} ");
            let steps: Vec<&String> = plan.iter().filter(|s| s.starts_with(&search)).collect();
            assert!(
                !steps.is_empty()
                    && steps
                        .iter()
                        .all(|s| s.contains("COVERING INDEX articles_listing")),
                "{plan:#?}"
            );
        }
    }

    #[test]
    fn members_are_read_without_the_articles_rows() {
        let store = Store::open_in_memory().unwrap();
        let plan = store.query_plan(utterance_rows!(
            "WHERE r.id IN (SELECT value FROM json_each(?1))"
        ));
        assert!(
            plan.iter()
                .any(|s| s == "SEARCH a USING COVERING INDEX articles_listing (id=?)"),
            "{plan:#?}"
        );
    }

    #[test]
    fn keep_renderings_keeps_the_first_and_the_most_quoted_in_order() {
        // (id, quotations) in position order.
        let all = [(10, 1), (11, 5), (12, 2), (13, 5), (14, 9)];
        assert_eq!(
            keep_renderings(&all, 5),
            (vec![10, 11, 12, 13, 14], Omitted::default())
        );
        assert_eq!(
            keep_renderings(&all, 3),
            (
                vec![10, 11, 14],
                Omitted {
                    renderings: 2,
                    quotations: 7
                }
            ),
            "the first always; 14 then 11 (before 13, equal but earlier)"
        );
        assert_eq!(
            keep_renderings(&all, 1),
            (
                vec![10],
                Omitted {
                    renderings: 4,
                    quotations: 21
                }
            )
        );
    }
}
