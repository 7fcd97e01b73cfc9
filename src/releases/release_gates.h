// The release gates of one environment (eval/release_gate.h), as the
// releases domain decides them from what is stored: for each flag, the
// newest release shipping it governs it; that release's entered stages
// make the audience (cumulative: a tenant reached by an earlier stage stays
// reached), its risk tier decides whether each tenant needs clearance (an
// approved activation by the account manager plus a recorded notice for
// every gated flag), and its notes name the flags that need an opt-in.
// A rolled-back release holds its flags off for everyone.
//
// This is the exposure publisher's GateLoader. Thread-safe (pure over the
// transaction).
#ifndef WARDEN_RELEASES_RELEASE_GATES_H_
#define WARDEN_RELEASES_RELEASE_GATES_H_

#include <vector>

#include "eval/release_gate.h"
#include "store/store.h"

namespace warden::releases {

Result<std::vector<eval::ReleaseGate>> LoadReleaseGates(Transaction& tx,
                                                        Environment env);

// The gate one release puts on `flags` (the flags it governs).
Result<eval::ReleaseGate> GateOf(Transaction& tx, const ReleaseRecord& release,
                                 std::vector<std::string> flags);

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_RELEASE_GATES_H_
