#include "rollout_pace/values.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "rollout_pace/diagnostic.h"
#include "rollout_pace/yaml_tree.h"

namespace rollout_pace {
namespace {

// What one file says, before files are merged.
struct values_layer {
  std::optional<std::string> strategy;  // deploymentStrategy; "" means "nothing chosen"
  pace custom;
};

[[noreturn]] void bad(const std::string& name, const YAML::Node& at, const std::string& message) {
  std::string where = name;
  if (at.IsDefined() && at.Mark().pos >= 0)
    where += ":" + std::to_string(at.Mark().line + 1) + ":" + std::to_string(at.Mark().column + 1);
  throw failure(exit_code::bad_usage, where + ": " + message);
}

values_layer read_layer(std::string_view text, const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw failure(exit_code::bad_usage, name + ":" + std::to_string(e.mark.line + 1) + ":" +
                                            std::to_string(e.mark.column + 1) + ": malformed YAML: " + e.msg);
  }
  values_layer layer;
  if (root.IsNull() || !root.IsDefined()) return layer;
  if (!root.IsMap()) bad(name, root, "a values file must be a map");
  try {
    YAML::Node strategy = child(root, "deploymentStrategy");
    if (strategy.IsDefined()) {
      if (strategy.IsNull()) layer.strategy = "";
      else if (!strategy.IsScalar()) bad(name, strategy, "deploymentStrategy must be a profile name");
      else layer.strategy = strategy.Scalar();
      if (!layer.strategy->empty() && !parse_profile_name(*layer.strategy))
        bad(name, strategy, "deploymentStrategy: \"" + *layer.strategy + "\" is not a profile (" +
                                std::string(profile_names_list()) + ")");
    }
    YAML::Node custom = child(root, "customStrategy");
    if (custom.IsDefined() && !custom.IsNull()) {
      if (!custom.IsMap()) bad(name, custom, "customStrategy must be a map");
      auto field = [&](const char* key, auto parse, auto& out) {
        YAML::Node v = child(custom, key);
        if (!v.IsDefined() || v.IsNull()) return;
        if (!v.IsScalar()) bad(name, v, std::string("customStrategy.") + key + " must be a number or a percentage");
        try {
          out = parse(v.Scalar());
        } catch (const rule_error& e) {
          bad(name, v, std::string("customStrategy.") + key + ": " + e.what());
        }
      };
      field("maxSurge", parse_int_or_percent, layer.custom.max_surge);
      field("maxUnavailable", parse_int_or_percent, layer.custom.max_unavailable);
      field("readinessDelay", parse_seconds, layer.custom.min_ready_seconds);
    }
  } catch (const duplicate_key& e) {
    bad(name, root, std::string("duplicate key \"") + e.what() + "\"");
  }
  return layer;
}

choice to_choice(const values_layer& v) {
  choice c;
  if (!v.strategy || v.strategy->empty()) return c;
  c.profile = parse_profile_name(*v.strategy);
  if (c.profile == profile_name::custom) c.overrides = v.custom;
  return c;
}

}  // namespace

choice parse_values(std::string_view text, const std::string& name) { return to_choice(read_layer(text, name)); }

choice read_values_files(const std::vector<std::string>& paths) {
  values_layer merged;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in || in.bad())
      throw failure(exit_code::bad_usage, "--values " + path + ": cannot read it: " + std::strerror(errno));
    values_layer v = read_layer(text.str(), path);
    if (v.strategy) merged.strategy = v.strategy;
    if (v.custom.max_surge) merged.custom.max_surge = v.custom.max_surge;
    if (v.custom.max_unavailable) merged.custom.max_unavailable = v.custom.max_unavailable;
    if (v.custom.min_ready_seconds) merged.custom.min_ready_seconds = v.custom.min_ready_seconds;
  }
  return to_choice(merged);
}

}  // namespace rollout_pace
