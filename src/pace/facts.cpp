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

resource_ref workload_ref::resource() const {
  return {document, std::string(kind ? kind->kind : "Deployment"), ns, name, at, item, inside_item, source};
}

}  // namespace rollout_pace
