// The context every service call receives: who is calling and for which
// request (for the audit record).
#ifndef WARDEN_SERVICE_CALLER_H_
#define WARDEN_SERVICE_CALLER_H_

#include <string>

#include "core/principal.h"

namespace warden {

struct Caller {
  Principal principal;
  std::string request_id;  // echoed in the audit details and problem bodies
  std::string remote;      // peer address, for the audit details
};

}  // namespace warden

#endif  // WARDEN_SERVICE_CALLER_H_
