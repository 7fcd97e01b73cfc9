#include "http/api_exchange.h"

#include <boost/json/serialize.hpp>

#include "core/api_token.h"

namespace warden {

ApiResponse JsonResponse(const boost::json::value& value, int status) {
  ApiResponse response;
  response.status = status;
  response.body = boost::json::serialize(value);
  return response;
}

std::optional<std::string_view> QueryParameter(const ApiRequest& request,
                                               std::string_view name) {
  for (const auto& [key, value] : request.query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view BearerCredential(std::string_view authorization) {
  if (authorization.starts_with(kApiTokenPrefix) &&
      authorization.find(' ') == std::string_view::npos) {
    return authorization;
  }
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() < kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    char c = authorization[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  return token;
}

}  // namespace warden
