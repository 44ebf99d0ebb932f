"""The library schema, as numbered migrations.

Each step runs in its own transaction (sqlite-utils `Migrations`). Never edit a step
that has shipped: add a new one. `db.py` backs the database up before applying any
step to an existing library.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("lecture-player")

MEDIA_ROLES = ("video", "subtitle", "thumbnail", "poster")
MEDIA_STATES = ("absent", "queued", "partial", "present", "failed")


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    # OR chains, not IN lists: SQLite evaluates an IN-list CHECK far more slowly, and it
    # runs for each of the 100,000s of rows a large catalog inserts.
    roles = " OR ".join(f"role = '{r}'" for r in MEDIA_ROLES)
    states = " OR ".join(f"state = '{s}'" for s in MEDIA_STATES)
    script = f"""
        CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            location TEXT NOT NULL,
            pubkey TEXT,
            version INTEGER NOT NULL,
            catalog_sha256 TEXT NOT NULL,
            published TEXT NOT NULL,
            expires TEXT,
            builtin INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE series (
            pk INTEGER PRIMARY KEY,
            source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            description TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            digest BLOB,
            withdrawn INTEGER NOT NULL DEFAULT 0,
            UNIQUE (source_id, id)
        );
        CREATE TABLE lectures (
            pk INTEGER PRIMARY KEY,
            series_pk INTEGER NOT NULL REFERENCES series(pk) ON DELETE CASCADE,
            source_id TEXT NOT NULL,
            id TEXT NOT NULL,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            speakers TEXT NOT NULL DEFAULT '[]',
            duration REAL NOT NULL,
            published TEXT,
            description TEXT,
            chapters TEXT NOT NULL DEFAULT '[]',
            digest BLOB,
            -- Bytes that keeping the lecture offline takes by default, and how many are stored.
            size INTEGER NOT NULL DEFAULT 0,
            present_size INTEGER NOT NULL DEFAULT 0,
            withdrawn INTEGER NOT NULL DEFAULT 0,
            UNIQUE (source_id, id)
        );
        CREATE INDEX lectures_series ON lectures(series_pk, position);
        CREATE INDEX lectures_totals ON lectures(series_pk, withdrawn, size, present_size);
        CREATE TABLE media (
            pk INTEGER PRIMARY KEY,
            lecture_pk INTEGER REFERENCES lectures(pk) ON DELETE CASCADE,
            series_pk INTEGER REFERENCES series(pk) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK ({roles}),
            lang TEXT,
            href TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            mime TEXT,
            ext TEXT NOT NULL,
            height INTEGER,
            position INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'absent' CHECK ({states})
        );
        CREATE INDEX media_lecture ON media(lecture_pk);
        CREATE INDEX media_series ON media(series_pk) WHERE series_pk IS NOT NULL;
        CREATE INDEX media_sha256 ON media(sha256);
        CREATE INDEX media_present ON media(sha256) WHERE state = 'present';
        CREATE TABLE kept (
            source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            series_id TEXT NOT NULL,
            quality INTEGER,
            kept_at TEXT NOT NULL,
            PRIMARY KEY (source_id, series_id)
        );
        CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE progress (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            source_id TEXT NOT NULL,
            lecture_id TEXT NOT NULL,
            position REAL NOT NULL DEFAULT 0,
            duration REAL,
            watched INTEGER NOT NULL DEFAULT 0,
            watch_count INTEGER NOT NULL DEFAULT 0,
            first_watched TEXT,
            last_watched TEXT,
            watched_seconds REAL NOT NULL DEFAULT 0,
            speed REAL,
            subtitle_lang TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (profile_id, source_id, lecture_id)
        );
        CREATE TABLE bookmarks (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            source_id TEXT NOT NULL,
            lecture_id TEXT NOT NULL,
            position REAL NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX bookmarks_lecture ON bookmarks(profile_id, source_id, lecture_id);
        CREATE TABLE cues (
            pk INTEGER PRIMARY KEY,
            lecture_pk INTEGER NOT NULL REFERENCES lectures(pk) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            start REAL NOT NULL,
            end REAL NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX cues_lecture ON cues(lecture_pk, lang);
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        -- Lectures (rowid = lectures.pk) and subtitle cues (rowid = cues.pk), CJK spaced apart.
        -- No column sizes: search does not rank with bm25 (see search.py), and they cost
        -- a write per row.
        CREATE VIRTUAL TABLE lectures_fts USING fts5(title, speakers, description, series, columnsize=0);
        CREATE VIRTUAL TABLE cues_fts USING fts5(text, columnsize=0);
        INSERT INTO profiles (name, created_at) VALUES ('Default', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
        """
    # executescript() would commit the migration's transaction, so run statement by statement.
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


QUEUE_STATES = ("queued", "partial", "done", "failed")


@migrations(name="0002_sync_queue")
def _sync_queue(db: Database) -> None:
    states = " OR ".join(f"state = '{s}'" for s in QUEUE_STATES)
    script = f"""
        -- The files a sync must fetch, by content: one row per sha256 however many lectures
        -- share it. `candidates` is a JSON list of {{source_id, href, location}}: where
        -- the bytes can come from. It outlives the process, so an interrupted sync resumes.
        CREATE TABLE sync_queue (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            ext TEXT NOT NULL,
            candidates TEXT NOT NULL DEFAULT '[]',
            state TEXT NOT NULL DEFAULT 'queued' CHECK ({states}),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            seq INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX sync_queue_pending ON sync_queue(state, seq);
        -- When each kept series was last planned, and last synced to completion.
        CREATE TABLE sync_series (
            source_id TEXT NOT NULL,
            series_id TEXT NOT NULL,
            planned_at TEXT,
            synced_at TEXT,
            PRIMARY KEY (source_id, series_id)
        );
        -- Each lecture as the last completed sync of its series saw it: a later plan
        -- compares digests against these to tell new, changed and withdrawn lectures apart.
        CREATE TABLE sync_lectures (
            source_id TEXT NOT NULL,
            lecture_id TEXT NOT NULL,
            series_id TEXT NOT NULL,
            digest BLOB,
            withdrawn INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (source_id, lecture_id)
        );
        CREATE INDEX sync_lectures_series ON sync_lectures(source_id, series_id);
        -- The rendition a plan chose for a kept lecture (1), so sizes and the store count
        -- that one rather than the catalog's first. Re-imported media rows start at 0.
        ALTER TABLE media ADD COLUMN wanted INTEGER NOT NULL DEFAULT 0
        """
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0003_bookmarks")
def _bookmarks(db: Database) -> None:
    # 0001 created the table; the player now lists a lecture's bookmarks in time order
    # and lets a note be typed after the bookmark is made, so it gains an edit time and
    # an index that serves the list in order.
    script = """
        ALTER TABLE bookmarks ADD COLUMN updated_at TEXT;
        UPDATE bookmarks SET updated_at = created_at WHERE updated_at IS NULL;
        DROP INDEX IF EXISTS bookmarks_lecture;
        CREATE INDEX bookmarks_lecture ON bookmarks(profile_id, source_id, lecture_id, position)
        """
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)
