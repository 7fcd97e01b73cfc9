#!/usr/bin/env python3
"""The schema parity check: a SQLite store's database and a PostgreSQL
store's hold the same logical schema (store/postgres/pg_schema.h), so the
repositories written once (store/sql) mean the same on both.

Compared, table by table: columns (names and order; INTEGER as BIGINT,
REAL as DOUBLE PRECISION, TEXT as TEXT COLLATE "C"; NOT NULL; defaults),
primary keys, UNIQUE constraints, foreign keys with their ON DELETE action,
CHECK constraints (by text) and indexes (columns, uniqueness, WHERE). The
intended differences are listed below. Exit status 1 with one line per
difference; 0 when the two agree.

Usage: scripts/schema-parity.py SQLITE_FILE POSTGRES_URI
  SQLITE_FILE   a database a warden binary opened (warden.db in its data
                directory)
  POSTGRES_URI  a libpq URI of a database migrated by the same binary; the
                tables are looked for in the first schema of its search path
Needs psql (postgresql-client).
"""
import re
import sqlite3
import subprocess
import sys

# SQLite's FTS5 name index and its bookkeeping: PostgreSQL uses a pg_trgm
# GIN index (identities_name_trgm) instead.
SQLITE_ONLY_TABLES = {
    'identity_name_trigrams', 'identity_name_trigrams_config',
    'identity_name_trigrams_data', 'identity_name_trigrams_idx',
    'identity_name_trigrams_docsize', 'identity_name_trigrams_content',
    'identity_name_pending',
}
POSTGRES_ONLY_TABLES = {'change_log'}
POSTGRES_ONLY_INDEXES = {'identities_name_trgm', 'change_log_committed'}
TYPES = {'INTEGER': 'bigint', 'TEXT': 'text', 'REAL': 'double precision'}


def psql(uri, query):
    out = subprocess.run(['psql', uri, '--no-psqlrc', '-At', '-F', '\t',
                          '-c', query],
                         check=True, capture_output=True, text=True).stdout
    return [line.split('\t') for line in out.splitlines() if line]


def normal(text):
    """SQL text with quoting, casts and spacing removed, for comparison."""
    text = (text or '').replace('!=', '<>').replace('"', '')
    text = re.sub(r"::(text|bigint|integer)", '', text)
    return re.sub(r'[\s()]+', ' ', text).strip().lower()


class Comparison:
    def __init__(self, sqlite_file, uri):
        self.db = sqlite3.connect(f'file:{sqlite_file}?mode=ro', uri=True)
        self.uri = uri
        self.schema = psql(uri, 'SELECT current_schema()')[0][0]
        self.differences = []

    def differ(self, what):
        self.differences.append(what)

    def sqlite_tables(self):
        rows = self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
        return [r[0] for r in rows if r[0] not in SQLITE_ONLY_TABLES]

    def postgres_tables(self):
        return [r[0] for r in psql(self.uri, f"""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = '{self.schema}' ORDER BY 1""")]

    def regclass(self, table):
        return f"'{self.schema}.{table}'::regclass"

    def columns(self, table):
        sq = list(self.db.execute(f'PRAGMA table_info("{table}")'))
        pg = psql(self.uri, f"""
            SELECT column_name, data_type, is_nullable,
                   COALESCE(column_default, ''), COALESCE(collation_name, '')
            FROM information_schema.columns
            WHERE table_schema = '{self.schema}' AND table_name = '{table}'
            ORDER BY ordinal_position""")
        if [c[1] for c in sq] != [c[0] for c in pg]:
            self.differ(f'{table}: columns {[c[1] for c in sq]} -> '
                        f'{[c[0] for c in pg]}')
            return
        for (_, name, type_, notnull, default, pk), (_, pg_type, nullable,
                                                     pg_default, collation) \
                in zip(sq, pg):
            where = f'{table}.{name}'
            if TYPES.get(type_) != pg_type:
                self.differ(f'{where}: type {type_} -> {pg_type}')
            if pg_type == 'text' and collation != 'C':
                self.differ(f'{where}: collation {collation!r}, not "C"')
            # A primary key is NOT NULL in PostgreSQL, not always in SQLite.
            if not pk and bool(notnull) != (nullable == 'NO'):
                self.differ(f'{where}: NOT NULL {bool(notnull)} -> '
                            f'{nullable == "NO"}')
            if normal(default) != normal(pg_default):
                self.differ(f'{where}: default {default!r} -> {pg_default!r}')

    def primary_key(self, table):
        sq = [c[1] for c in sorted(
            self.db.execute(f'PRAGMA table_info("{table}")'),
            key=lambda c: c[5]) if c[5]]
        pg = [r[0] for r in psql(self.uri, f"""
            SELECT a.attname FROM pg_index i
            JOIN pg_attribute a
              ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = {self.regclass(table)} AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)""")]
        if sq != pg:
            self.differ(f'{table}: primary key {sq} -> {pg}')

    def foreign_keys(self, table):
        sq = sorted((r[3], r[2], r[4], r[6]) for r in
                    self.db.execute(f'PRAGMA foreign_key_list("{table}")'))
        pg = sorted(tuple(r) for r in psql(self.uri, f"""
            SELECT a.attname, t.relname, fa.attname,
                   CASE c.confdeltype WHEN 'a' THEN 'NO ACTION'
                     WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT'
                     WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.confrelid
            JOIN pg_attribute a
              ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute fa
              ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
            WHERE c.conrelid = {self.regclass(table)} AND c.contype = 'f'"""))
        if sq != pg:
            self.differ(f'{table}: foreign keys {sq} -> {pg}')

    def indexes(self, table):
        """UNIQUE constraints keyed by columns, indexes by name."""
        sq = {}
        for _, name, unique, origin, _ in self.db.execute(
                f'PRAGMA index_list("{table}")'):
            if origin == 'pk':
                continue
            columns = tuple(r[2] for r in
                            self.db.execute(f'PRAGMA index_info("{name}")'))
            sql = self.db.execute('SELECT sql FROM sqlite_master WHERE name = ?',
                                  (name,)).fetchone()[0] or ''
            where = normal(sql.split(' WHERE ', 1)[1]) if ' WHERE ' in sql \
                else ''
            key = name if origin == 'c' else ('unique', columns)
            sq[key] = (columns, bool(unique), where)
        pg = {}
        for name, unique, primary, constraint, columns, where in psql(
                self.uri, f"""
            SELECT t.relname, i.indisunique, i.indisprimary,
                   EXISTS (SELECT 1 FROM pg_constraint c
                           WHERE c.conindid = i.indexrelid
                             AND c.contype = 'u'),
                   (SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true),
                                      ',' ORDER BY k)
                    FROM generate_series(1, i.indnkeyatts) k),
                   COALESCE(pg_get_expr(i.indpred, i.indrelid), '')
            FROM pg_index i JOIN pg_class t ON t.oid = i.indexrelid
            WHERE i.indrelid = {self.regclass(table)}"""):
            if primary == 't' or name in POSTGRES_ONLY_INDEXES:
                continue
            columns = tuple(c.strip('"') for c in columns.split(','))
            key = ('unique', columns) if constraint == 't' else name
            pg[key] = (columns, unique == 't', normal(where))
        for key in sorted(set(sq) | set(pg), key=str):
            if sq.get(key) != pg.get(key):
                self.differ(f'{table}: index {key}: {sq.get(key)} -> '
                            f'{pg.get(key)}')

    def checks(self, table):
        sql = self.db.execute('SELECT sql FROM sqlite_master WHERE name = ?',
                              (table,)).fetchone()[0]
        sq = sorted(normal(c) for c in re.findall(r'CHECK \(([^)]*)\)', sql))
        pg = sorted(normal(r[0].removeprefix('CHECK ')) for r in psql(
            self.uri, f"""
            SELECT pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = {self.regclass(table)} AND contype = 'c'"""))
        if sq != pg:
            self.differ(f'{table}: checks {sq} -> {pg}')

    def run(self):
        sq, pg = self.sqlite_tables(), self.postgres_tables()
        for table in sorted(set(sq) - set(pg)):
            self.differ(f'{table}: missing in PostgreSQL')
        for table in sorted(set(pg) - set(sq) - POSTGRES_ONLY_TABLES):
            self.differ(f'{table}: only in PostgreSQL')
        shared = [t for t in sq if t in pg]
        for table in shared:
            self.columns(table)
            self.primary_key(table)
            self.foreign_keys(table)
            self.indexes(table)
            self.checks(table)
        return len(shared)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    comparison = Comparison(sys.argv[1], sys.argv[2])
    tables = comparison.run()
    for difference in comparison.differences:
        print(f'schema-parity: {difference}')
    if comparison.differences:
        sys.exit(1)
    print(f'schema-parity: {tables} tables agree')


if __name__ == '__main__':
    main()
