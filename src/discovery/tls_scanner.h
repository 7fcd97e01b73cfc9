// Scanner of TLS endpoints: connects to each "host:port", completes a TLS
// handshake WITHOUT verifying the peer (this is an inventory of what is
// presented, not a decision to trust it) and describes every certificate of
// the presented chain.
//
// Observations: kCertificateKind, source "tls", location "host:port" (see
// certificate_observation.h for key, name and attributes) plus attributes
// chain_position ("0" for the leaf) and tls_version. A certificate seen at
// several endpoints is reported once, at the first. A target that does not
// parse, resolve, connect or complete a handshake within its timeout is an
// issue located at the target; the other targets are still scanned.
//
// Blocking; one target at a time on the calling thread. Thread-safe (no
// shared state).
#ifndef WARDEN_DISCOVERY_TLS_SCANNER_H_
#define WARDEN_DISCOVERY_TLS_SCANNER_H_

#include <chrono>
#include <string>
#include <vector>

#include "discovery/observation.h"

namespace warden::discovery {

// Name resolution and the TCP connection together; a live endpoint on a
// reachable network answers far sooner.
inline constexpr std::chrono::milliseconds kTlsConnectTimeout{5000};
// The TLS handshake after the connection; a server that accepts TCP but
// never speaks TLS must not stall the scan.
inline constexpr std::chrono::milliseconds kTlsHandshakeTimeout{5000};
// Port used when a target names none.
inline constexpr char kDefaultTlsPort[] = "443";

struct TlsScanOptions {
  std::chrono::milliseconds connect_timeout = kTlsConnectTimeout;
  std::chrono::milliseconds handshake_timeout = kTlsHandshakeTimeout;
};

// Scans `targets`: "host:port", "host" (port 443) or "[v6-address]:port".
// Calls `progress` after each target (files_done counts targets).
ScanReport ScanTlsEndpoints(const std::vector<std::string>& targets,
                            const ProgressCallback& progress,
                            const TlsScanOptions& options = {});

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_TLS_SCANNER_H_
