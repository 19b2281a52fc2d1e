// SQLite connection settings that Swift cannot reach: sqlite3_db_config is variadic, and Swift
// does not call variadic C functions.
#ifndef CSQLITECONFIG_H
#define CSQLITECONFIG_H

#ifdef __cplusplus
extern "C" {
#endif

/// Whether `db` (an `sqlite3 *`) checkpoints the WAL into the database file and removes it when
/// it is the last connection to close (SQLite's default: `checkpoint` non-zero), or leaves the
/// WAL as it is (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE). Returns an SQLite result code.
int cinch_sqlite3_set_checkpoint_on_close(void *_Nonnull db, int checkpoint);

#ifdef __cplusplus
}
#endif

#endif
