// The --db option of the commands that can work on the replicas' shared
// PostgreSQL database (`serve`, `audit verify`).
#ifndef WARDEN_CLI_DATABASE_URI_OPTION_H_
#define WARDEN_CLI_DATABASE_URI_OPTION_H_

#include <CLI/CLI.hpp>
#include <string>

namespace warden::cli {

// Adds `--db URI` to `command`, storing a postgresql:// (or postgres://)
// libpq URI in `*uri` (borrowed; must outlive the parse). Anything else is
// refused with a message that never repeats the value: it may hold a
// password.
inline CLI::Option* AddDatabaseUriOption(CLI::App* command, std::string* uri,
                                         const std::string& description) {
  return command->add_option_function<std::string>(
      "--db",
      [uri](const std::string& value) {
        if (!value.starts_with("postgresql://") &&
            !value.starts_with("postgres://")) {
          throw CLI::ValidationError("--db",
                                     "expects a postgresql:// connection URI");
        }
        *uri = value;
      },
      description);
}

}  // namespace warden::cli

#endif  // WARDEN_CLI_DATABASE_URI_OPTION_H_
