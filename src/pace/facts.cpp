#include "pace/facts.h"

namespace rollout_pace {

std::string_view display_name(change_kind k) {
  switch (k) {
    case change_kind::none: return "none";
    case change_kind::patch: return "patch";
    case change_kind::minor: return "minor";
    case change_kind::major: return "major";
    case change_kind::new_workload: return "new";
  }
  return "major";
}

std::string workload_ref::where() const {
  std::string out = "document " + std::to_string(document) + " (" + std::string(kind ? kind->kind : "Deployment");
  if (!name.empty()) out += " " + qualified_name();
  if (!at.empty()) out += " at " + at;
  if (!source.empty()) out += ", from " + source;
  return out + ")";
}

}  // namespace rollout_pace
