// The PostgreSQL schema's version contract (pg_schema.h): a version number
// names the same logical schema on both engines, so the two migration lists
// end at the same number. Applying the migrations is tested by the store
// suites running on PostgreSQL.
#include "store/postgres/pg_schema.h"

#include <gtest/gtest.h>

#include "store/sqlite/schema.h"

namespace warden::postgres {
namespace {

TEST(PgSchemaTest, LatestVersionIsSqlites) {
  EXPECT_EQ(PostgresSchemaVersion(), sqlite::LatestSchemaVersion())
      << "a schema change is added to both migration lists "
         "(store/sqlite/schema.cc, store/postgres/pg_schema.cc) with the same "
         "number";
}

}  // namespace
}  // namespace warden::postgres
