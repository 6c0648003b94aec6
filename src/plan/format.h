#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "base/diagnostic.h"

#include "plan/release_plan.h"

namespace rollout_pace {

/// The output formats of `rollout-pace plan` and `explain`.
enum class plan_format { table, json, markdown, mermaid, sarif };

/// Parses "table", "json", "markdown", "mermaid" or "sarif"; throws std::invalid_argument.
plan_format parse_plan_format(const std::string& name);

/// The plan in a format. json is the documented, stable shape (docs/plan.md):
/// {"workloads": [{"kind", "namespace", "name", "replicas", "profile", "source", "max_surge",
/// "max_unavailable", "surge_pods", "unavailable_pods", "steps", "min_duration_seconds", "peak_pods",
/// "min_available", "change", "change_reason", "summary"}], "release_min_duration_seconds",
/// "timeout_seconds", "exceeds_timeout"}. mermaid is a Gantt chart of each workload's steps.
std::string format_plan(const release_plan& plan, plan_format format);

/// What the findings' formats (json's "findings", sarif) need beside the plan.
struct findings_context {
  std::vector<diagnostic> findings;         ///< the run's warnings (those with an id are findings)
  std::string input_name = "stdin";         ///< the file the stream came from (--input-name)
  std::vector<std::size_t> document_lines;  ///< the 1-based line each document starts on, by index - 1
  std::string version;                      ///< rollout-pace's, for the tool
};

/// The same with the findings: json gains "findings" ([{"id", "level", "message", "kind",
/// "namespace", "name", "document", "file", "line"}]); sarif is SARIF 2.1.0 as GitHub code
/// scanning reads it: one rule per warning id with its help, one result per finding, located in the
/// chart template Helm's "# Source:" names (line 1: the template's own line is not known), else in
/// input_name at the document's line.
std::string format_plan(const release_plan& plan, plan_format format, const findings_context& context);

/// One workload as the json format writes it (explain --format json).
std::string workload_json(const planned_workload& w);

}  // namespace rollout_pace
