#pragma once
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pace/choose.h"

namespace rollout_pace {

/// Reads the design's keys from Helm values text: deploymentStrategy (a profile name; empty or
/// null chooses nothing) and, when it is Custom, customStrategy.{maxSurge, maxUnavailable,
/// readinessDelay}. name is used in messages. Throws failure(bad_usage) naming name:line:column.
choice parse_values(std::string_view text, const std::string& name);

/// The same keys read from a parsed values map, e.g. a Flux HelmRelease's spec.values. Messages
/// read "where, line L, column C" with lines counted from first_line; failures are bad_input.
choice values_choice(const YAML::Node& values, const std::string& where, std::size_t first_line);

/// Reads values files in order; later files win key by key, as with helm -f.
/// Throws failure(bad_usage) when a file cannot be read or holds a bad value.
choice read_values_files(const std::vector<std::string>& paths);

}  // namespace rollout_pace
