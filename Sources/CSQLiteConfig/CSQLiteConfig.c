#include "CSQLiteConfig.h"

#include <sqlite3.h>

int cinch_sqlite3_set_checkpoint_on_close(void *db, int checkpoint) {
  return sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, checkpoint ? 0 : 1,
                           (int *)0);
}
