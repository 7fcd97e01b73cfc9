// A finding as the rules produce it, before the sweep compares it with
// what is stored: which rule, on which subject, how severe, with what
// evidence. The sweep turns it into a FindingRecord (adding the catalog's
// mappings and remediation, and the lifecycle).
#ifndef WARDEN_POSTURE_FINDING_H_
#define WARDEN_POSTURE_FINDING_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace warden::posture {

struct Finding {
  std::string_view rule;  // a catalog id
  std::string severity;   // the catalog's default unless evidence raises it
  std::string subject_key;
  std::string identity_id;
  std::string subject;
  std::string owner;
  boost::json::object evidence;
};

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_FINDING_H_
