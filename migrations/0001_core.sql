-- quotetrail's core schema. This file is the schema's documentation.
--
-- Applied once by the user_version runner in src/store/migrate.rs, inside one
-- EXCLUSIVE transaction; never edit it after it has shipped, add a new
-- migrations/NNNN_name.sql instead. Everything here is SQL that Debian's
-- sqlite3 3.40 reads (STRICT needs 3.37, FTS5 is built in), so the database
-- can be opened with the stock shell or datasette.
--
-- Offsets (start, end, *_start, *_end) are BYTE offsets into articles.text,
-- the article as decoded to UTF-8 (a UTF-8 byte-order mark removed), so
-- substr(CAST(text AS BLOB), start + 1, end - start) is the quoted text.
-- Booleans are INTEGER 0/1. Timestamps are ISO-8601 text in UTC.

-- News outlets: a lookup table (datasette shows `name` as the label).
-- The name comes from the manifest, else the host of the first http(s) URL
-- in the article (without "www."), else the file's stem.
CREATE TABLE outlets (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;

-- One row per article file, keyed by the path as it was ingested (the
-- argument joined with the path inside a directory). content_hash is the
-- sha256 of the raw bytes: re-ingesting an unchanged file is a no-op, a
-- changed one has its quotations and asides replaced.
CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    path         TEXT NOT NULL UNIQUE,
    outlet_id    INTEGER NOT NULL REFERENCES outlets (id),
    url          TEXT,
    published    TEXT,
    title        TEXT,
    content_hash TEXT NOT NULL,
    text         TEXT NOT NULL,
    bytes        INTEGER NOT NULL,
    ingested_at  TEXT NOT NULL
) STRICT;

CREATE INDEX articles_outlet_id ON articles (outlet_id);

-- Who quotations are attributed to. registered = 1 for speakers of the
-- speaker registry (refreshed at every ingest); 0 for speakers the
-- attribution stage discovered by name in an article.
-- kind: 'person' or 'institution'; gender: 'male', 'female' or NULL.
CREATE TABLE speakers (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    gender     TEXT,
    registered INTEGER NOT NULL CHECK (registered IN (0, 1))
) STRICT;

-- The other names of registry speakers: kind 'alias' (a spelling or
-- transliteration, "Sergey Lavrov") or 'role' (a title that names them in
-- context, "Kremlin spokesman"). `quotes --speaker` matches these.
CREATE TABLE speaker_aliases (
    speaker_id INTEGER NOT NULL REFERENCES speakers (id) ON DELETE CASCADE,
    alias      TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('alias', 'role')),
    PRIMARY KEY (speaker_id, kind, alias)
) STRICT;

-- Quotations: quoted words somebody said. start/end cover the words without
-- the quotation marks; text is exactly those bytes.
--   form        'marked' (between quotation marks) or 'block' (a paragraph
--               introduced by a colon lead-in).
--   partial     1 for a fragment inside the reporter's own sentence.
--   speaker_id  NULL when the attribution stage found nobody.
--   mention_*   the words the attribution rests on: a name, title or pronoun.
--   cue*        the speech cue ("said", "told", "according to").
--   cited       the intermediary the article credits ("TASS").
--   rule        which attribution rule decided; confidence in 0..1.
--   paragraph   index of the paragraph (non-blank line) the quote stands in.
CREATE TABLE quotations (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start         INTEGER NOT NULL,
    end           INTEGER NOT NULL CHECK (end >= start),
    text          TEXT NOT NULL,
    form          TEXT NOT NULL,
    partial       INTEGER NOT NULL CHECK (partial IN (0, 1)),
    speaker_id    INTEGER REFERENCES speakers (id),
    mention_start INTEGER,
    mention_end   INTEGER,
    mention_text  TEXT,
    cue           TEXT,
    cue_start     INTEGER,
    cue_end       INTEGER,
    cited         TEXT,
    rule          TEXT NOT NULL,
    confidence    REAL NOT NULL,
    paragraph     INTEGER NOT NULL
) STRICT;

CREATE INDEX quotations_article_id ON quotations (article_id);
CREATE INDEX quotations_speaker_id ON quotations (speaker_id);

-- Asides: quoted spans that are nobody's words (titles of works, nicknames,
-- scare quotes), kept apart so no report counts them; reason says why.
CREATE TABLE asides (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL CHECK (end >= start),
    text       TEXT NOT NULL,
    reason     TEXT NOT NULL
) STRICT;

CREATE INDEX asides_article_id ON asides (article_id);

-- Full-text search over quotations.text, external content: the index holds
-- no copy of the text, and these triggers keep it in step. Named
-- <table>_fts, and content="quotations" in double quotes, which is how
-- datasette finds the search index of a table.
CREATE VIRTUAL TABLE quotations_fts USING fts5 (
    text,
    content="quotations",
    content_rowid="id"
);

CREATE TRIGGER quotations_fts_insert AFTER INSERT ON quotations BEGIN
    INSERT INTO quotations_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER quotations_fts_delete AFTER DELETE ON quotations BEGIN
    INSERT INTO quotations_fts (quotations_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER quotations_fts_update AFTER UPDATE OF text ON quotations BEGIN
    INSERT INTO quotations_fts (quotations_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
    INSERT INTO quotations_fts (rowid, text) VALUES (new.id, new.text);
END;

-- Who said what, where: one row per attributed quotation.
CREATE VIEW speaker_quotations AS
SELECT s.name AS speaker,
       q.text AS quote,
       o.name AS outlet,
       a.published,
       a.path AS article,
       q.start,
       q.end,
       q.cue,
       q.cited
FROM quotations AS q
JOIN speakers AS s ON s.id = q.speaker_id
JOIN articles AS a ON a.id = q.article_id
JOIN outlets AS o ON o.id = a.outlet_id;

-- Which outlets quote whom, and how often.
CREATE VIEW outlet_speakers AS
SELECT o.name AS outlet,
       s.name AS speaker,
       count(*) AS count
FROM quotations AS q
JOIN speakers AS s ON s.id = q.speaker_id
JOIN articles AS a ON a.id = q.article_id
JOIN outlets AS o ON o.id = a.outlet_id
GROUP BY o.id, s.id;
