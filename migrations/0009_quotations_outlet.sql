-- Each quotation's outlet and publication date, copied from its
-- article, so that a listing reads them with the quotation instead of
-- looking its article up.
--
-- Why: a listed quotation prints its article's outlet and date, and
-- `quotes --speaker putin` at 100,000 articles looked up 54,764 rows of
-- articles_listing (0007) for them, one B-tree search a row: without
-- that join the listing answered in 54-59 ms instead of 68-77 (fastest
-- of 20 runs, three interleaved rounds), medians 66-88 ms instead of
-- 76-99. The copy costs a few bytes a quotation.
--
-- The copies are kept true by the writer (src/store/write.rs): a
-- quotation is inserted with its article's outlet and date, and when an
-- ingest changes only an article's metadata (a manifest row edited), the
-- article's quotations are updated with it. No foreign key: the copy
-- names the outlet its article names, which has one, and a check per
-- inserted quotation would only look it up again.
ALTER TABLE quotations ADD COLUMN outlet_id INTEGER;
ALTER TABLE quotations ADD COLUMN published TEXT;

UPDATE quotations
SET (outlet_id, published) = (SELECT outlet_id, published FROM articles
                              WHERE articles.id = quotations.article_id);
