#include "store/postgres/pg_connection.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

namespace warden::postgres {
namespace {

// The store's SQL texts are a fixed set plus one per filter combination;
// past the cap, statements use the unnamed server-side statement instead.
constexpr size_t kMaxCachedStatements = 512;

// SQLSTATE class 23: integrity constraint violations.
StatusCode CodeFor(std::string_view sqlstate) {
  if (sqlstate == "23505") return StatusCode::kAlreadyExists;
  if (sqlstate == "23503") return StatusCode::kFailedPrecondition;
  const std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "23") return StatusCode::kInvalidArgument;
  // Connection exceptions, insufficient resources, operator intervention
  // (shutdown), transaction rollback (serialization failure, deadlock).
  if (cls == "08" || cls == "53" || cls == "57" || cls == "40") {
    return StatusCode::kUnavailable;
  }
  return StatusCode::kInternal;
}

// libpq's messages end with a newline.
std::string Trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.pop_back();
  return text;
}

// NOTICEs (e.g. "already exists, skipping") are not errors: not printed.
void IgnoreNotice(void*, const char*) {}

bool IsRowCountCommand(const char* status) {
  std::string_view command(status);
  return command.starts_with("INSERT") || command.starts_with("UPDATE") ||
         command.starts_with("DELETE");
}

}  // namespace

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int highest = 0;
  size_t i = 0;
  auto copy_until = [&](std::string_view end) {
    size_t stop = sql.find(end, i);
    stop = stop == std::string_view::npos ? sql.size() : stop + end.size();
    out.append(sql.substr(i, stop - i));
    i = stop;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'') {
      out += sql[i++];
      copy_until("'");  // '' inside a literal reads as two literals: same text
    } else if (c == '"') {
      out += sql[i++];
      copy_until("\"");
    } else if (c == '-' && sql.substr(i, 2) == "--") {
      copy_until("\n");
    } else if (c == '/' && sql.substr(i, 2) == "/*") {
      copy_until("*/");
    } else if (c == '?') {
      ++i;
      size_t digits = i;
      while (digits < sql.size() &&
             std::isdigit(static_cast<unsigned char>(sql[digits]))) {
        ++digits;
      }
      int number = highest + 1;
      if (digits > i) {
        number = std::atoi(std::string(sql.substr(i, digits - i)).c_str());
        i = digits;
      }
      highest = std::max(highest, number);
      out += '$';
      out += std::to_string(number);
    } else {
      out += sql[i++];
    }
  }
  return out;
}

Status StatusFromSqlState(std::string_view sqlstate, std::string_view context,
                          std::string_view detail) {
  std::string message(context);
  message += ": ";
  message += detail;
  return Status(CodeFor(sqlstate), std::move(message));
}

std::string RedactConnectionUri(std::string_view uri) {
  std::string out(uri);
  // postgresql://user:password@host/... -> postgresql://user:***@host/...
  const size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const size_t at = out.find('@', scheme + 3);
    const size_t slash = out.find('/', scheme + 3);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const size_t colon = out.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  // password=... as a URI parameter or a key=value pair.
  for (size_t at = out.find("password="); at != std::string::npos;
       at = out.find("password=", at + 1)) {
    const size_t start = at + 9;
    size_t end = out.find_first_of("& ", start);
    if (end == std::string::npos) end = out.size();
    out.replace(start, end - start, "***");
  }
  return out;
}

// ------------------------------------------------------------------- Cursor

PgCursor::PgCursor(PgConnection& connection, std::string name, std::string sql)
    : connection_(connection), name_(std::move(name)), sql_(std::move(sql)) {}

PgCursor::~PgCursor() { ClearResult(); }

void PgCursor::ClearResult() {
  if (result_ != nullptr) PQclear(result_);
  result_ = nullptr;
  row_ = -1;
}

void PgCursor::Reset() {
  ClearResult();
  params_.clear();
}

void PgCursor::SetParam(int index, std::optional<std::string> value) {
  if (index < 1) return;
  if (params_.size() < static_cast<size_t>(index)) params_.resize(index);
  params_[index - 1] = std::move(value);
}

void PgCursor::BindText(int index, std::string_view text) {
  SetParam(index, std::string(text));
}

void PgCursor::BindInt(int index, int64_t value) {
  SetParam(index, std::to_string(value));
}

void PgCursor::BindReal(int index, double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  SetParam(index, std::string(text));
}

void PgCursor::BindNull(int index) { SetParam(index, std::nullopt); }

Status PgCursor::Execute(std::string_view context) {
  PGconn* conn = connection_.conn_;
  const bool named = !name_.empty();
  if (!named || prepared_epoch_ != connection_.epoch_) {
    PGresult* prepared =
        PQprepare(conn, name_.c_str(), sql_.c_str(), 0, nullptr);
    const bool ok = PQresultStatus(prepared) == PGRES_COMMAND_OK;
    Status error = ok ? Status::Ok() : connection_.Error(prepared, context);
    PQclear(prepared);
    WARDEN_RETURN_IF_ERROR(error);
    prepared_epoch_ = connection_.epoch_;
  }
  std::vector<const char*> values;
  values.reserve(params_.size());
  for (const auto& param : params_) {
    values.push_back(param ? param->c_str() : nullptr);
  }
  result_ = PQexecPrepared(conn, name_.c_str(), static_cast<int>(values.size()),
                           values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = PQresultStatus(result_);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    Status error = connection_.Error(result_, context);
    ClearResult();
    return error;
  }
  if (IsRowCountCommand(PQcmdStatus(result_))) {
    connection_.changes_ = std::atoll(PQcmdTuples(result_));
  }
  return Status::Ok();
}

Result<bool> PgCursor::Step(std::string_view context) {
  if (row_ < 0) {
    WARDEN_RETURN_IF_ERROR(Execute(context));
    row_ = 0;
  } else {
    ++row_;
  }
  return row_ < PQntuples(result_);
}

bool PgCursor::IsNull(int column) const {
  return PQgetisnull(result_, row_, column) != 0;
}

int64_t PgCursor::Int(int column) const {
  const char* text = PQgetvalue(result_, row_, column);
  if (text[0] == 't' && text[1] == '\0') return 1;  // boolean true
  return std::strtoll(text, nullptr, 10);           // "f" reads as 0
}

double PgCursor::Real(int column) const {
  return std::strtod(PQgetvalue(result_, row_, column), nullptr);
}

std::string_view PgCursor::TextView(int column) const {
  return std::string_view(PQgetvalue(result_, row_, column),
                          PQgetlength(result_, row_, column));
}

// --------------------------------------------------------------- Connection

Result<std::unique_ptr<PgConnection>> PgConnection::Open(
    const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string detail = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return Unavailable("connect to PostgreSQL " + RedactConnectionUri(uri) +
                       ": " + detail);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  std::string location =
      std::string(PQhost(conn)) + ":" + PQport(conn) + "/" + PQdb(conn);
  std::unique_ptr<PgConnection> connection(
      new PgConnection(conn, std::move(location)));
  WARDEN_RETURN_IF_ERROR(connection->Exec(
      // Timestamps are integers; only the text encoding matters here.
      "SET client_encoding = 'UTF8'; SET application_name = 'warden'",
      "configure connection"));
  return connection;
}

PgConnection::~PgConnection() {
  statements_.clear();
  PQfinish(conn_);
}

Status PgConnection::EnsureConnected(std::string_view context) {
  if (PQstatus(conn_) == CONNECTION_OK || InTransaction()) return Status::Ok();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Unavailable(std::string(context) + ": reconnect to PostgreSQL [" +
                       location_ + "]: " + Trimmed(PQerrorMessage(conn_)));
  }
  PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
  ++epoch_;
  return Status::Ok();
}

Status PgConnection::Exec(std::string_view sql, std::string_view context) {
  WARDEN_RETURN_IF_ERROR(EnsureConnected(context));
  PGresult* result = PQexec(conn_, std::string(sql).c_str());
  const ExecStatusType status = PQresultStatus(result);
  Status outcome = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
                       ? Status::Ok()
                       : Error(result, context);
  PQclear(result);
  return outcome;
}

Result<sql::Statement> PgConnection::Prepare(std::string_view sql,
                                             std::string_view context) {
  (void)context;  // errors surface at the first Step (prepared lazily)
  std::string key(sql);
  auto it = statements_.find(key);
  if (it != statements_.end()) return sql::Statement(*it->second);
  if (statements_.size() >= kMaxCachedStatements) {
    return sql::Statement(
        std::make_unique<PgCursor>(*this, "", RewritePlaceholders(sql)));
  }
  auto cursor = std::make_unique<PgCursor>(
      *this, "w" + std::to_string(++next_statement_), RewritePlaceholders(sql));
  PgCursor& cached = *cursor;
  statements_.emplace(std::move(key), std::move(cursor));
  return sql::Statement(cached);
}

bool PgConnection::InTransaction() const {
  switch (PQtransactionStatus(conn_)) {
    case PQTRANS_ACTIVE:
    case PQTRANS_INTRANS:
    case PQTRANS_INERROR:
      return true;
    default:
      return false;
  }
}

Status PgConnection::Error(const PGresult* result,
                           std::string_view context) const {
  const char* sqlstate = result != nullptr
                             ? PQresultErrorField(result, PG_DIAG_SQLSTATE)
                             : nullptr;
  std::string detail = Trimmed(result != nullptr ? PQresultErrorMessage(result)
                                                 : PQerrorMessage(conn_));
  if (detail.empty()) detail = Trimmed(PQerrorMessage(conn_));
  detail += " [" + location_ + "]";
  // No SQLSTATE: the connection itself failed.
  return StatusFromSqlState(sqlstate != nullptr ? sqlstate : "08006", context,
                            detail);
}

}  // namespace warden::postgres
