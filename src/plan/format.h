#pragma once
#include <string>

#include "plan/release_plan.h"

namespace rollout_pace {

/// The output formats of `rollout-pace plan` and `explain`.
enum class plan_format { table, json, markdown, mermaid };

/// Parses "table", "json", "markdown" or "mermaid"; throws std::invalid_argument.
plan_format parse_plan_format(const std::string& name);

/// The plan in a format. json is the documented, stable shape (README, "Know the pace"):
/// {"workloads": [{"kind", "namespace", "name", "replicas", "profile", "source", "max_surge",
/// "max_unavailable", "surge_pods", "unavailable_pods", "steps", "min_duration_seconds", "peak_pods",
/// "min_available", "change", "change_reason", "summary"}], "release_min_duration_seconds",
/// "timeout_seconds", "exceeds_timeout"}. mermaid is a Gantt chart of each workload's steps.
std::string format_plan(const release_plan& plan, plan_format format);

/// One workload as the json format writes it (explain --format json).
std::string workload_json(const planned_workload& w);

}  // namespace rollout_pace
