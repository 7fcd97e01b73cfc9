// FactGatherer: collects Warden's facts for an access request
// (request_facts.h) from the inventory and the published exposure.
// Identity facts are cached per identity (service/invalidated_cache.h,
// dropped when the identity's row changes), so a decision about a known
// workload reads no row; a miss reads the identity and the scopes it used
// in one store read.
//
// `may_block` false (an I/O thread): a fact that is not cached is not read;
// the call answers WouldBlock() (service/would_block.h) instead.
//
// Thread-safety: every method may be called concurrently.
#ifndef WARDEN_ACCESS_FACT_GATHERER_H_
#define WARDEN_ACCESS_FACT_GATHERER_H_

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "access/request_facts.h"
#include "core/clock.h"
#include "core/vocabulary.h"
#include "exposure/config_feed.h"
#include "policy/access_request.h"
#include "service/caller.h"
#include "service/invalidated_cache.h"
#include "store/store.h"

namespace warden::access {

// Subject types whose id names a Warden identity (its id or SPIFFE ID).
inline constexpr std::string_view kWorkloadSubjectType = "workload";

// What every evaluation of one call shares: who asks, when, and the
// exposure snapshot it is decided against.
struct CallFacts {
  std::shared_ptr<const boost::json::object> caller;
  std::shared_ptr<const boost::json::object> now;
  std::shared_ptr<const eval::Snapshot> exposure;  // or null
};

class FactGatherer {
 public:
  FactGatherer(Store& store, ChangeFeed& changes,
               const exposure::ConfigFeed& exposure, std::string trust_domain,
               const Clock& clock);

  // Once per call: the caller's facts, the time, `env`'s exposure.
  Result<CallFacts> BeginCall(const Caller& caller, Environment env,
                              bool may_block);
  // The facts for one `request` of the call. A subject naming no known
  // identity simply has no identity facts; store errors fail the call.
  Result<std::unique_ptr<RequestFacts>> Gather(
      const CallFacts& call, const policy::AccessRequest& request,
      bool may_block);

  // The facts of the identity `key` names (id or SPIFFE ID), or null.
  Result<std::shared_ptr<const boost::json::object>> IdentityFacts(
      std::string_view key, bool may_block);

  // The environment a caller's decisions are made in: a workload's own,
  // an environment-bound token's, else production.
  Result<Environment> EnvironmentOf(const Caller& caller, bool may_block);

 private:
  Result<std::shared_ptr<const boost::json::object>> LoadIdentity(
      std::string_view key);
  void AddTenant(const policy::AccessRequest& request, RequestFacts& facts);
  void AddDenial(RequestFacts& facts) const;
  boost::json::object CallerJson(
      const Caller& caller,
      const std::shared_ptr<const boost::json::object>& identity) const;
  boost::json::object NowFacts() const;

  // Immutable after construction.
  Store& store_;
  const exposure::ConfigFeed& exposure_;
  const std::string trust_domain_;
  const Clock& clock_;
  InvalidatedCache<boost::json::object> identities_;
};

}  // namespace warden::access

#endif  // WARDEN_ACCESS_FACT_GATHERER_H_
