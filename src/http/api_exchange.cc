#include "http/api_exchange.h"

#include <boost/json/serialize.hpp>

namespace warden {

ApiResponse JsonResponse(const boost::json::value& value, int status) {
  ApiResponse response;
  response.status = status;
  response.body = boost::json::serialize(value);
  return response;
}

}  // namespace warden
