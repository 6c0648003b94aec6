#include "manifest/values.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/diagnostic.h"
#include "yaml/tree.h"

namespace rollout_pace {
namespace {

// What one file says, before files are merged.
struct values_layer {
  std::optional<std::string> strategy;  // deploymentStrategy (or NAME.profile); "" means "nothing chosen"
  pace custom;                          // customStrategy (or NAME's fields)
  bool fields_override = false;         // read from --values-key NAME: the fields override any profile
  std::vector<std::string> notes;       // keys that are the chart's own, left alone
};

// Where values come from, for messages: "prod.yaml:3:5" or "document 2, line 9, column 5".
struct values_source {
  std::string name;
  std::size_t first_line = 1;  // line of the text's first line
  exit_code code = exit_code::bad_usage;
  bool file_style = true;  // name:line:column, else "name, line L, column C"

  std::string at(const YAML::Mark& m) const {
    std::string line = std::to_string(first_line + m.line), column = std::to_string(m.column + 1);
    return file_style ? name + ":" + line + ":" + column : name + ", line " + line + ", column " + column;
  }
};

std::string where_of(const values_source& src, const YAML::Node& at) {
  return (at.IsDefined() && at.Mark().pos >= 0) ? src.at(at.Mark()) : src.name;
}

[[noreturn]] void bad(const values_source& src, const YAML::Node& at, const std::string& message) {
  throw failure(src.code, where_of(src, at) + ": " + message);
}

// --values-key NAME: NAME.profile and NAME.{maxSurge, maxUnavailable, minReadySeconds}, as the
// flags read them; another key under NAME is refused (a typo must not silently do nothing).
values_layer read_key_layer(const YAML::Node& root, const std::string& key, const values_source& name) {
  values_layer layer;
  layer.fields_override = true;
  YAML::Node own = lookup(root, key).value;
  if (!own.IsDefined() || own.IsNull()) return layer;
  if (!own.IsMap())
    bad(name, own, key + " (--values-key) must be a map of profile, maxSurge, maxUnavailable, minReadySeconds");
  for (const auto& [k, f] : fields(own)) {
    const YAML::Node& v = f.value;
    if (v.IsNull()) continue;
    std::string at = key + "." + k;
    if (!v.IsScalar()) bad(name, v, at + " must be a scalar");
    try {
      if (k == "profile") {
        layer.strategy = v.Scalar();
        if (!parse_profile_name(v.Scalar())) bad(name, v, at + ": " + not_a_profile(v.Scalar()));
      } else if (k == "maxSurge") {
        layer.custom.max_surge = parse_int_or_percent(v.Scalar());
      } else if (k == "maxUnavailable") {
        layer.custom.max_unavailable = parse_int_or_percent(v.Scalar());
      } else if (k == "minReadySeconds") {
        layer.custom.min_ready_seconds = parse_seconds(v.Scalar());
      } else {
        bad(name, f.key, at + ": not a key rollout-pace reads (profile, maxSurge, maxUnavailable, minReadySeconds)");
      }
    } catch (const rule_error& e) {
      bad(name, v, at + ": " + e.what());
    }
  }
  return layer;
}

values_layer read_layer(const YAML::Node& root, const values_source& name, const std::string& key) {
  values_layer layer;
  if (root.IsNull() || !root.IsDefined()) return layer;
  if (!root.IsMap()) bad(name, root, name.file_style ? "a values file must be a map" : "spec.values must be a map");
  try {
    if (!key.empty()) return read_key_layer(root, key, name);
    field strategy_field = lookup(root, "deploymentStrategy");
    const YAML::Node& strategy = strategy_field.value;
    if (strategy_field.present()) {
      if (strategy.IsNull())
        layer.strategy = "";
      else if (!strategy.IsScalar())  // a chart's own (grafana's is a Kubernetes strategy map)
        layer.notes.push_back(where_of(name, strategy) + ": deploymentStrategy is a " +
                              (strategy.IsMap() ? "map" : "list") +
                              ", not a profile name: the chart's own, so rollout-pace reads no profile from it");
      else
        layer.strategy = strategy.Scalar();
      if (layer.strategy && !layer.strategy->empty() && !parse_profile_name(*layer.strategy))
        bad(name, strategy, "deploymentStrategy: " + not_a_profile(*layer.strategy));
    }
    YAML::Node custom = lookup(root, "customStrategy").value;
    if (custom.IsDefined() && !custom.IsNull() && !custom.IsMap()) {
      layer.notes.push_back(where_of(name, custom) +
                            ": customStrategy is not a map: the chart's own, so rollout-pace reads no fields from it");
    } else if (custom.IsDefined() && !custom.IsNull()) {
      auto field = [&](const char* key, auto parse, auto& out) {
        YAML::Node v = lookup(custom, key).value;
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
  } catch (const yaml_error& e) {  // a bad merge key; duplicate keys read as Helm does: the last wins
    throw failure(name.code, (name.file_style ? name.name + ":" + std::to_string(name.first_line + e.line) + ":" +
                                                    std::to_string(e.column + 1)
                                              : name.name + ", line " + std::to_string(name.first_line + e.line)) +
                                 ": " + e.what());
  }
  return layer;
}

choice to_choice(const values_layer& v) {
  choice c;
  if (v.fields_override) {
    if (v.strategy && !v.strategy->empty()) c.profile = parse_profile_name(*v.strategy);
    c.overrides = v.custom;
    return c;
  }
  if (!v.strategy || v.strategy->empty()) return c;
  c.profile = parse_profile_name(*v.strategy);
  if (c.profile == profile_name::custom) c.overrides = v.custom;
  return c;
}

values_layer read_text(std::string_view text, const std::string& name, const std::string& key) {
  values_source src{name};
  YAML::Node root;
  try {
    YAML::Node loaded = load_document(text);
    root.reset(loaded);
  } catch (const yaml_error& e) {
    throw failure(exit_code::bad_usage,
                  name + ":" + std::to_string(1 + e.line) + ":" + std::to_string(e.column + 1) + ": " + e.what());
  }
  return read_layer(root, src, key);
}

}  // namespace

choice values_choice(const YAML::Node& values, const std::string& where, std::size_t first_line, const std::string& key,
                     std::vector<std::string>* notes) {
  values_layer layer = read_layer(values, values_source{where, first_line, exit_code::bad_input, false}, key);
  if (notes) notes->insert(notes->end(), layer.notes.begin(), layer.notes.end());
  return to_choice(layer);
}

choice parse_values(const std::vector<values_file>& files, const std::string& key, std::vector<std::string>* notes) {
  values_layer merged;
  merged.fields_override = !key.empty();
  for (const values_file& file : files) {
    values_layer v = read_text(file.text, file.name, key);
    if (notes) notes->insert(notes->end(), v.notes.begin(), v.notes.end());
    if (v.strategy) merged.strategy = v.strategy;
    if (v.custom.max_surge) merged.custom.max_surge = v.custom.max_surge;
    if (v.custom.max_unavailable) merged.custom.max_unavailable = v.custom.max_unavailable;
    if (v.custom.min_ready_seconds) merged.custom.min_ready_seconds = v.custom.min_ready_seconds;
  }
  return to_choice(merged);
}

}  // namespace rollout_pace
