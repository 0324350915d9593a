-- The queue's free-text search is a LIKE '%term%' over search_text. A
-- trigram index finds the few matching cases without reading every open
-- case. pg_trgm is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX cases_search_trgm ON cases USING gin (search_text gin_trgm_ops);
