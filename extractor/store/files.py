"""The files around an archive: the build lock, work files, WAL settling and the final rename.

A build works on a copy beside the archive (``.NAME.building-PID``) and moves it into
place with one rename after an fsync. Work files left by dead builds are removed by the
next build, and a WAL or hot journal that another program left beside the archive is
folded into it first.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import sqlite_utils

from .schema import create_schema


class ArchiveInUse(Exception):
    """Another program has the archive open for writing, so it cannot be replaced safely."""


def settle(db_path: Path) -> None:
    """Fold a WAL or hot journal left beside the archive into it, so a file copy is the whole archive.

    Builds never write the published file in place; another tool may have (in WAL mode, or
    crashed mid-write). Its side files would otherwise be applied to the new file after the
    rename and corrupt it. Raises ``ArchiveInUse`` if a writer still holds the WAL open.
    """
    wal = db_path.with_name(db_path.name + "-wal")
    journal = db_path.with_name(db_path.name + "-journal")
    if not db_path.is_file():
        return
    with open(db_path, "rb") as f:
        header = f.read(20)
    in_wal_mode = len(header) == 20 and header.startswith(b"SQLite format 3\x00") and header[18] == 2
    if not (in_wal_mode or wal.exists() or journal.exists()):
        return
    try:
        with closing(sqlite3.connect(db_path, timeout=5)) as conn:
            conn.execute("select count(*) from sqlite_master").fetchone()  # rolls back a hot journal
            mode = conn.execute("pragma journal_mode = delete").fetchone()[0]
    except sqlite3.DatabaseError as e:
        raise ArchiveInUse(
            f"{db_path} is open for writing in another program ({e}): close that program and run the build again"
        ) from None
    if mode != "delete" or wal.exists():
        raise ArchiveInUse(
            f"{db_path} is open for writing in another program ({wal.name} is in use): "
            "close that program and run the build again"
        )


# -- work files ----------------------------------------------------------------------
WORK_SUFFIX = ".building-"


def _work_path(db_path: Path, pid: int | None = None) -> Path:
    return db_path.with_name(f".{db_path.name}{WORK_SUFFIX}{os.getpid() if pid is None else pid}")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but someone else's
        return True
    return True


def remove_stale_work_files(db_path: Path) -> list[Path]:
    """Delete ``.NAME.building-PID`` files (and their journals) left by builds that died.

    A work file whose PID is still running belongs to a build in progress and is kept.
    """
    removed: list[Path] = []
    prefix = f".{db_path.name}{WORK_SUFFIX}"
    folder = db_path.parent if str(db_path.parent) else Path(".")
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        if not path.name.startswith(prefix):
            continue
        pid_text = path.name[len(prefix) :].split("-", 1)[0]
        if not pid_text.isdigit():
            continue
        pid = int(pid_text)
        if pid == os.getpid() or not _pid_alive(pid):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


@contextmanager
def build_lock(db_path: Path) -> Iterator[None]:
    """One build at a time per archive: a second waits for the first (the OS frees the lock if a build dies)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: builds are still atomic, only not serialised
        yield
        return
    lock_path = db_path.with_name(f".{db_path.name}.lock")
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(work: Path, db_path: Path) -> None:
    """Move the finished work file into place: fsync, rename, fsync the folder."""
    _fsync(work)
    os.replace(work, db_path)
    try:
        _fsync(db_path.parent if str(db_path.parent) else Path("."))
    except OSError:  # some filesystems cannot fsync a directory; the rename is still atomic
        pass


def _tune(db: sqlite_utils.Database) -> None:
    """The work file is thrown away if the build fails, so it needs no crash safety of its own."""
    db.execute("pragma journal_mode = memory")
    db.execute("pragma synchronous = off")
    db.execute("pragma cache_size = -65536")  # 64 MB
    db.execute("pragma temp_store = memory")
    db.execute("pragma recursive_triggers = on")  # a REPLACE also clears the replaced row's FTS entry


def _schema_version_of(db: sqlite_utils.Database) -> str | None:
    if not db["archive_state"].exists():
        return None
    row = db.execute("select value from archive_state where key = 'schema_version'").fetchone()
    return str(row[0]) if row else None


def open_work_copy(db_path: Path, schema_version: str) -> tuple[Path, sqlite_utils.Database]:
    """A writable copy of the archive beside it (or a new file), with every table created.

    An archive that cannot be read, or that was made with other tables (another
    ``schema_version``), is not copied: the build starts from an empty file.
    """
    work = _work_path(db_path)
    work.unlink(missing_ok=True)
    if db_path.exists():
        try:
            # Builds never write the published file in place (they replace it whole) and
            # settle folded in any WAL, so a plain file copy is a consistent snapshot, and
            # much faster than the backup API.
            shutil.copyfile(db_path, work)
            with closing(sqlite3.connect(f"file:{work}?mode=ro", uri=True)) as check:
                check.execute("select count(*) from sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            work.unlink(missing_ok=True)  # an unreadable old file: start afresh
    db = sqlite_utils.Database(work)
    if db["archive_state"].exists() and _schema_version_of(db) != schema_version:
        db.close()
        work.unlink()
        db = sqlite_utils.Database(work)
    _tune(db)
    create_schema(db)
    return work, db
