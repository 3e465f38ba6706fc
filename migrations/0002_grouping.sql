-- Variant grouping: which quotations report the same statement
-- (utterances), in which wording (renderings), and why (links).
--
-- Written by the grouping stage (src/group/, stored by
-- src/store/group.rs) at the end of every ingest, in the ingest's
-- transaction: the utterances touched by new or changed quotations are
-- deleted and written again, the others are left alone. Keys (`key`) are
-- derived from content, never from row ids or ingest order, so the same
-- articles give the same keys whatever order they were ingested in; row
-- ids (`id`) are only for joins.
--
-- Same conventions as 0001_core.sql: STRICT tables, SQL the sqlite3 3.40
-- shell reads, dates as ISO-8601 text.

-- One statement of a speaker, whatever the wording of the quotations that
-- report it (a trim, a fragment, another translation).
--   key         stable id: "u" and twelve hex digits, from the first
--               quotation's article path and offset.
--   speaker_id  the speaker its quotations name; NULL when none does.
--   quotations  how many quotations it held when grouped: an utterance that
--               lost some (an article changed) is regrouped.
--   first_seen  the earliest publication date of its articles, if known.
CREATE TABLE utterances (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    speaker_id INTEGER REFERENCES speakers (id),
    quotations INTEGER NOT NULL,
    first_seen TEXT
) STRICT;

CREATE INDEX utterances_speaker_id ON utterances (speaker_id);

-- One wording family of an utterance: quotations that agree word for word
-- where they overlap (after normalising case, punctuation, quote marks,
-- U.S./US, ellipses and brackets).
--   key        "<utterance key>/<label as a slug>" ("u0123456789ab/tass").
--   position   order within the utterance, earliest first (0-based).
--   label      the credited intermediary, else the earliest outlet.
--   credited   the intermediary the articles credit for this wording.
--   source_id  for an uncredited wording close to another rendering of the
--              same utterance: that rendering, its likely source.
--   text       the rendering's words: its longest quotations, in article
--              order, joined by " … ".
--   first_seen the earliest publication date of its articles, if known.
CREATE TABLE renderings (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    utterance_id INTEGER NOT NULL REFERENCES utterances (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    label        TEXT NOT NULL,
    credited     TEXT,
    source_id    INTEGER REFERENCES renderings (id) ON DELETE SET NULL,
    text         TEXT NOT NULL,
    first_seen   TEXT
) STRICT;

CREATE INDEX renderings_utterance_id ON renderings (utterance_id);
CREATE INDEX renderings_source_id ON renderings (source_id);

-- Which rendering (and so which utterance) each quotation belongs to.
-- Every grouped quotation has exactly one row; a quotation without one is
-- new and waits for the next grouping.
CREATE TABLE quotation_renderings (
    quotation_id INTEGER PRIMARY KEY REFERENCES quotations (id) ON DELETE CASCADE,
    rendering_id INTEGER NOT NULL REFERENCES renderings (id) ON DELETE CASCADE
) STRICT;

CREATE INDEX quotation_renderings_rendering_id ON quotation_renderings (rendering_id);

-- Why quotations were grouped: one row per linked pair (smaller id first).
--   kind   identical, trim, fragment, overlap, splice, bracket,
--          substitution, retranslation, paraphrase or continuation.
--   score  how strongly, from 0 to 1.
CREATE TABLE links (
    quotation_a INTEGER NOT NULL REFERENCES quotations (id) ON DELETE CASCADE,
    quotation_b INTEGER NOT NULL REFERENCES quotations (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    score       REAL NOT NULL,
    PRIMARY KEY (quotation_a, quotation_b),
    CHECK (quotation_a < quotation_b)
) STRICT;

CREATE INDEX links_quotation_b ON links (quotation_b);

-- Speakers taken across articles: a quotation whose article names nobody,
-- or only a role ("a state department spokesperson"), in an utterance
-- whose other quotations name the speaker.
--   was          what the article itself gave (NULL: nobody).
--   evidence_id  the quotation that names the speaker.
CREATE TABLE inferred_speakers (
    quotation_id INTEGER PRIMARY KEY REFERENCES quotations (id) ON DELETE CASCADE,
    speaker_id   INTEGER NOT NULL REFERENCES speakers (id),
    was          TEXT,
    evidence_id  INTEGER NOT NULL REFERENCES quotations (id) ON DELETE CASCADE
) STRICT;

CREATE INDEX inferred_speakers_evidence_id ON inferred_speakers (evidence_id);

-- Attributions that disagree between outlets, reported rather than
-- resolved: each quotation keeps the speaker its article gives.
CREATE TABLE attribution_conflicts (
    id            INTEGER PRIMARY KEY,
    quotation_id  INTEGER NOT NULL REFERENCES quotations (id) ON DELETE CASCADE,
    speaker       TEXT,
    other_id      INTEGER NOT NULL REFERENCES quotations (id) ON DELETE CASCADE,
    other_speaker TEXT,
    note          TEXT NOT NULL
) STRICT;

CREATE INDEX attribution_conflicts_quotation_id ON attribution_conflicts (quotation_id);
CREATE INDEX attribution_conflicts_other_id ON attribution_conflicts (other_id);

-- Every grouped quotation with its utterance, rendering and speaker (the
-- article's, else the inferred one).
CREATE VIEW utterance_quotations AS
SELECT u.key AS utterance,
       coalesce(us.name, qs.name, inf.name) AS utterance_speaker,
       r.key AS rendering,
       r.label,
       coalesce(qs.name, inf.name) AS speaker,
       inf.name IS NOT NULL AS speaker_inferred,
       o.name AS outlet,
       a.published,
       a.path AS article,
       q.start,
       q.end,
       q.text AS quote,
       q.cited
FROM quotation_renderings AS qr
JOIN renderings AS r ON r.id = qr.rendering_id
JOIN utterances AS u ON u.id = r.utterance_id
JOIN quotations AS q ON q.id = qr.quotation_id
JOIN articles AS a ON a.id = q.article_id
JOIN outlets AS o ON o.id = a.outlet_id
LEFT JOIN speakers AS us ON us.id = u.speaker_id
LEFT JOIN speakers AS qs ON qs.id = q.speaker_id
LEFT JOIN inferred_speakers AS i ON i.quotation_id = q.id
LEFT JOIN speakers AS inf ON inf.id = i.speaker_id;

-- Which outlet carried which rendering: one row per rendering and outlet.
--   outlet_credited  whom that outlet's articles credited for it, if anyone.
--   likely_source    for an outlet that credited nobody: the rendering's
--                    credited intermediary, else its likely source's.
CREATE VIEW rendering_outlets AS
SELECT u.key AS utterance,
       s.name AS speaker,
       r.key AS rendering,
       r.label,
       r.credited,
       o.name AS outlet,
       count(*) AS quotations,
       min(a.published) AS published,
       group_concat(DISTINCT q.cited) AS outlet_credited,
       CASE WHEN count(q.cited) = 0
            THEN coalesce(r.credited, src.credited, src.label)
       END AS likely_source
FROM quotation_renderings AS qr
JOIN renderings AS r ON r.id = qr.rendering_id
JOIN utterances AS u ON u.id = r.utterance_id
JOIN quotations AS q ON q.id = qr.quotation_id
JOIN articles AS a ON a.id = q.article_id
JOIN outlets AS o ON o.id = a.outlet_id
LEFT JOIN speakers AS s ON s.id = u.speaker_id
LEFT JOIN renderings AS src ON src.id = r.source_id
GROUP BY r.id, o.id;

-- Why two quotations were grouped, with their words.
CREATE VIEW quotation_links AS
SELECT l.kind,
       l.score,
       aa.path AS article_a,
       qa.start AS start_a,
       qa.text AS quote_a,
       ab.path AS article_b,
       qb.start AS start_b,
       qb.text AS quote_b
FROM links AS l
JOIN quotations AS qa ON qa.id = l.quotation_a
JOIN articles AS aa ON aa.id = qa.article_id
JOIN quotations AS qb ON qb.id = l.quotation_b
JOIN articles AS ab ON ab.id = qb.article_id;
