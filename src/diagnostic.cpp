#include "rollout_pace/diagnostic.h"

namespace rollout_pace {

std::string format(const diagnostic& d) {
  const char* level = "error";
  switch (d.kind) {
    case diagnostic::level::error: level = "error"; break;
    case diagnostic::level::warning: level = "warning"; break;
    case diagnostic::level::note: level = "note"; break;
    case diagnostic::level::report: level = "report"; break;
  }
  return std::string("rollout-pace: ") + level + ": " + d.text;
}

}  // namespace rollout_pace
