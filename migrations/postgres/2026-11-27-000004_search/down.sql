DROP INDEX cases_search_trgm;
