-- Indexes shaped like the listings that read them, so that `quotes
-- --speaker` and `report --speaker` read a speaker's rows in the order
-- they print them instead of finding them all and sorting the lot.
--
-- Why: on a 100,000-article database, Putin's 54,764 quotations were
-- found through quotations_speaker_id, then each row was fetched from
-- quotations, articles, renderings (rows with their words) and
-- utterances, and the whole result was sorted by article path: about
-- 400 ms, nearly all of it B-tree lookups. Now the rows come out of
-- quotations_listing already in order, and what is looked up per row is
-- small.
--
-- Every index here is paid for by every ingest, so each is as narrow as
-- the listings allow, and two of them replace an index rather than add
-- one. A covering quotations_listing (every listed column, the text
-- included) saved another ~45 ms per listing but cost an ingest ~9%
-- more CPU and the database ~20% more bytes (BENCHMARKS.md, "Listing
-- queries on 100k").

-- The path of the quotation's article, copied so that an index on
-- quotations can hold the listings' order (article path, then offset):
-- SQLite cannot index a column of another table. An article's path is
-- what identifies it (articles.path is UNIQUE, and an article stored
-- again under its path keeps its row and its path), so the copy never
-- goes stale: the writer sets it when it inserts the quotation
-- (src/store/write.rs, insert_quotation), and quotations are never
-- updated, only deleted with their article's old version.
ALTER TABLE quotations ADD COLUMN article_path TEXT NOT NULL DEFAULT '';

UPDATE quotations
SET article_path = (SELECT path FROM articles WHERE articles.id = quotations.article_id);

-- One speaker's quotations in listing order: (speaker, article path,
-- offset), then the rowid, which SQLite appends to every index entry, so
-- `ORDER BY q.article_path, q.start, q.id` is the index's own order and
-- the rows stream without a sort; each row's columns are read from the
-- table by rowid, in nearly ascending order, since quotations are
-- inserted in path order. It starts with the speaker, so it also does
-- what quotations_speaker_id did (counting a speaker's quotations, the
-- foreign key's child lookups), and replaces it.
DROP INDEX quotations_speaker_id;
CREATE INDEX quotations_listing ON quotations (speaker_id, article_path, start);

-- The key of the quotation's rendering, copied from renderings.key so a
-- listing gets a quotation's rendering, and its utterance (the part of
-- the key before the '/'), from this table alone: looking up each
-- rendering (rows that hold their words) cost `quotes --speaker putin`
-- ~75 ms more at 100k. It cannot go stale: a membership row is written
-- with its rendering (src/store/group.rs, write) and is the row deleted
-- with it (by grouping, or by ON DELETE CASCADE when a quotation goes),
-- and neither a membership's rendering nor a rendering's key is ever
-- updated.
ALTER TABLE quotation_renderings ADD COLUMN rendering_key TEXT NOT NULL DEFAULT '';

UPDATE quotation_renderings
SET rendering_key = (SELECT key FROM renderings WHERE renderings.id = rendering_id);

-- A speaker's utterances, the most quoted first: `report --speaker`
-- reads its first N entries instead of every utterance of the speaker.
-- It starts with the speaker, so it replaces utterances_speaker_id.
DROP INDEX utterances_speaker_id;
CREATE INDEX utterances_ranking ON utterances (speaker_id, quotations DESC, key);
