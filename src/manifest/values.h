#pragma once
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pace/choose.h"

namespace rollout_pace {

/// A values file as read: its name (for messages) and its text.
struct values_file {
  std::string name, text;
};

/// Reads the design's keys from Helm values files: deploymentStrategy (a profile name; empty or
/// null chooses nothing) and, when it is Custom, customStrategy.{maxSurge, maxUnavailable,
/// readinessDelay}. Later files win key by key, as with helm -f. Throws failure(bad_usage) naming
/// name:line:column.
/// A deploymentStrategy that is a map or a list, or a customStrategy that is not a map, is the chart's
/// own (grafana's deploymentStrategy is a Kubernetes strategy): read as nothing chosen, with a note in
/// notes, never an error.
/// With key (--values-key NAME) only NAME is read, as the flags are: NAME.profile, and
/// NAME.{maxSurge, maxUnavailable, minReadySeconds} overriding it (with no profile, a Custom one);
/// deploymentStrategy and customStrategy are then the chart's, never read.
choice parse_values(const std::vector<values_file>& files, const std::string& key = "",
                    std::vector<std::string>* notes = nullptr);

/// The same keys read from a parsed values map, e.g. a Flux HelmRelease's spec.values. Messages
/// read "where, line L, column C" with lines counted from first_line; failures are bad_input.
choice values_choice(const YAML::Node& values, const std::string& where, std::size_t first_line,
                     const std::string& key = "", std::vector<std::string>* notes = nullptr);

}  // namespace rollout_pace
