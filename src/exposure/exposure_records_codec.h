// Conversions between the stored exposure records (store/exposure_records.h)
// and the evaluator's model (eval/), private to service/. Decoding stored
// JSON that does not parse is kInternal naming the record: it was validated
// when written, so it means corruption, not bad input.
#ifndef WARDEN_EXPOSURE_EXPOSURE_RECORDS_CODEC_H_
#define WARDEN_EXPOSURE_EXPOSURE_RECORDS_CODEC_H_

#include "core/status.h"
#include "eval/exposure_limit.h"
#include "eval/tenant.h"
#include "store/exposure_records.h"
#include "wire/exposure_json.h"

namespace warden::exposure {

// The limit scope of a whole release: stored as such, evaluated as a flags
// limit over the release's flags (eval knows no releases).
inline constexpr char kReleaseScope[] = "release";

Result<wire::FlagSpec> FlagSpecFromRecord(const FlagRecord& record);
// Fills every column derived from the spec (type, state, metadata columns,
// definition); leaves identity, timestamps and version alone.
void FillFlagRecord(const wire::FlagSpec& spec, FlagRecord& record);

Result<eval::Tenant> TenantFromRecord(const TenantRecord& record);
Result<std::vector<eval::Condition>> SegmentRulesFromRecord(
    const SegmentRecord& record);
// nullopt when the record's scope is unknown (corrupt).
Result<eval::ExposureLimit> LimitFromRecord(const ExposureLimitRecord& record);

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_EXPOSURE_RECORDS_CODEC_H_
