// Indexes the SQLite store maintains once per write transaction instead of
// once per row: rows noted by triggers during the transaction's units are
// indexed in one statement just before the COMMIT (GroupCommitter), and at
// open for rows a writer outside the committer may have left noted.
//
// Today: the identity name search index (schema.cc, migration 11), fed from
// identity_name_pending. Readers never see a noted row: the noting unit and
// the flush commit together, and a rolled-back unit takes its note with it.
//
// Thread safety: as the Connection (its writer's thread).
#ifndef WARDEN_STORE_SQLITE_DEFERRED_INDEXES_H_
#define WARDEN_STORE_SQLITE_DEFERRED_INDEXES_H_

#include "core/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace warden::sqlite {

// Indexes every noted row and clears the notes. Call inside the write
// transaction, outside any savepoint. An error leaves the transaction to be
// rolled back.
Status FlushDeferredIndexes(sql::Connection& connection);

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_DEFERRED_INDEXES_H_
