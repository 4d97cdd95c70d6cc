"""The search backend (WAGTAILSEARCH_BACKENDS): Wagtail's database backend,
with what a visitor types made safe for SQLite's full-text search.

Wagtail's SQLite backend wraps each word in double quotes and hands the result
to FTS5's MATCH, but leaves a double quote inside the word as it is: a search
for `"`, `it's "new"` or `a"b` is then not a valid FTS5 query and the page
answers 500 ("fts5: syntax error", "unterminated string"). FTS5 writes a
double quote inside a quoted string as two, so that is done here, for the
catalogue, the admin's page search and every other Wagtail search alike.
Control characters become spaces: SQLite reads a NUL as the end of the
query, which leaves the quote before it unterminated. Words and punctuation
are otherwise left to FTS5's tokenizer, as before.

PostgreSQL (and any other database) gets Wagtail's own backend unchanged.
"""

import unicodedata

from django.db import connection
from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend
from wagtail.search.query import Phrase, PlainText


def fts5_quoted(text: str) -> str:
    """`text` with each double quote doubled, as inside an FTS5 string, and
    control characters (tab and newline included) turned into spaces."""
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return text.replace('"', '""')


def _safe(query):
    if isinstance(query, PlainText):
        text = fts5_quoted(query.query_string)
        if not text.split():
            # Nothing but control characters: Wagtail's compiler would build
            # no query at all and fail. An empty phrase matches nothing.
            return Phrase("")
        return PlainText(text, operator=query.operator, boost=query.boost)
    if isinstance(query, Phrase):
        return Phrase(fts5_quoted(query.query_string))
    return query


def _safe_sqlite_backend(backend, params):
    """The SQLite FTS5 backend with safe queries, or `backend` itself when it
    is another one (SQLite without FTS5 gets Wagtail's fallback, which uses
    no MATCH)."""
    # Imported here: the module is only wanted when the database is SQLite.
    from wagtail.search.backends.database.sqlite.sqlite import (
        SQLiteAutocompleteQueryCompiler,
        SQLiteSearchBackend,
        SQLiteSearchQueryCompiler,
    )

    if not isinstance(backend, SQLiteSearchBackend):
        return backend

    class SafeSearchQueryCompiler(SQLiteSearchQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(_safe(query), config=config)

    class SafeAutocompleteQueryCompiler(SQLiteAutocompleteQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(_safe(query), config=config)

    class SafeSQLiteSearchBackend(SQLiteSearchBackend):
        query_compiler_class = SafeSearchQueryCompiler
        autocomplete_query_compiler_class = SafeAutocompleteQueryCompiler

    return SafeSQLiteSearchBackend(params)


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up)
    backend = DatabaseSearchBackend(params)
    if connection.vendor != "sqlite":
        return backend
    return _safe_sqlite_backend(backend, params)
