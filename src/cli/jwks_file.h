// A client's public key set for private_key_jwt (RFC 7523), read from the
// file the user named and checked before anything is sent, so a wrong file
// fails here with a message naming the file and the problem rather than as
// a 400 from the server (or, worse, with a private key on the wire).
//
// The rules are the server's (tokens::Jwks): a JSON object {"keys": [...]}
// of OKP/Ed25519 or EC/P-256 signature keys, each with a unique "kid", no
// private member "d"; at least one key Warden can use.
//
// Main thread; no state.
#ifndef WARDEN_CLI_JWKS_FILE_H_
#define WARDEN_CLI_JWKS_FILE_H_

#include <boost/json/object.hpp>
#include <string>

#include "core/status.h"

namespace warden::cli {

// The set in `path` as a JSON object. kInvalidArgument (exit 5) when the
// file cannot be read or is not such a set, e.g.
//   "keys.json: not a usable JWKS: keys[0] holds a private key ("d");
//    publish public keys only".
Result<boost::json::object> ReadClientJwksFile(const std::string& path);

}  // namespace warden::cli

#endif  // WARDEN_CLI_JWKS_FILE_H_
