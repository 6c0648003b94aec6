#include "commands/flux_entry.h"

#include "base/text.h"
#include "kube/kinds.h"
#include "kube/rules.h"
#include "manifest/release_decision.h"
#include "yaml/scalars.h"

namespace rollout_pace {

std::string flux_entry(const decision& d, std::size_t indent, std::string_view eol,
                       const std::vector<std::string>& kinds, std::string_view recorded) {
  std::string pad(indent, ' ');
  std::vector<std::string> lines{"- kustomize:", "    patches:"};
  auto value = [](const int_or_percent& v) { return v.percent ? "\"" + v.text() + "\"" : v.text(); };
  for (const workload_kind& k : workload_kinds()) {
    if (!k.flux_patch) continue;  // a static patch cannot tell a canary Rollout from a blue-green one
    if (!kind_selected(kinds, k.kind)) continue;
    // A static patch cannot see a DaemonSet's host ports: it takes the mapping that is safe for them.
    kind_pace p = map_pace(k, d.max_surge, d.max_unavailable, /*host_bound=*/true);
    std::string strategy(k.strategy.front());
    lines.insert(lines.end(), {
                                  "      - target:",
                                  "          kind: " + std::string(k.kind),
                                  "          annotationSelector: \"!helm.sh/hook,rollout-pace/skip!=true\"",
                                  "        patch: |",
                                  "          " + std::string(flux_marker) + std::string(recorded) + ": " +
                                      std::string(display_name(d.profile)) + "; re-run it when the values change",
                                  "          apiVersion: " + k.api_version(),
                                  "          kind: " + std::string(k.kind),
                                  "          metadata:",
                                  "            name: not-used",
                                  "          spec:",
                                  "            minReadySeconds: " + std::to_string(d.min_ready_seconds),
                              });
    if (k.other_type == "Recreate")  // the static patch cannot see the strategy the post-renderer leaves alone
      lines.insert(lines.end() - 6, "          # a " + std::string(k.kind) +
                                        " whose strategy is Recreate becomes RollingUpdate here; annotate it "
                                        "rollout-pace/skip: \"true\" to keep Recreate");
    if (k.has_progress_deadline)
      if (auto raised = raised_progress_deadline(std::nullopt, d.min_ready_seconds))
        lines.push_back("            progressDeadlineSeconds: " + std::to_string(*raised));
    lines.insert(lines.end(), {"            " + strategy + ":", "              type: RollingUpdate",
                               "              rollingUpdate:"});
    if (k.has_surge && p.max_surge) lines.push_back("                maxSurge: " + value(*p.max_surge));
    lines.push_back("                maxUnavailable: " + value(p.max_unavailable));
  }
  std::string out;
  for (const auto& l : lines) out += pad + l + std::string(eol);
  return out;
}

namespace {

// A name as kustomize's target selector reads it: a regular expression it anchors (^...$), so the
// dots of a name (and any other character a regular expression reads) are escaped.
std::string name_pattern(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (std::string_view(".\\+*?()|[]{}^$").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string flux_entry(const release& r, std::size_t indent, std::string_view eol) {
  if (!r.rendered) return flux_entry(*r.chosen, indent, eol, r.kinds, r.recorded);
  const decision& d = *r.chosen;
  std::string pad(indent, ' ');
  std::vector<std::string> lines{"- kustomize:", "    patches:"};
  for (const workload_patch& p : r.rendered->patches) {
    lines.insert(lines.end(), {"      - target:", "          kind: " + plain_or_quoted(p.kind),
                               "          name: " + plain_or_quoted(name_pattern(p.name))});
    if (!p.ns.empty()) lines.push_back("          namespace: " + plain_or_quoted(name_pattern(p.ns)));
    lines.insert(
        lines.end(),
        {"        patch: |",
         "          " + std::string(flux_marker) + r.recorded + ": " + std::string(display_name(d.profile)) +
             " for this workload of the rendered chart; re-run it when the chart or its values "
             "change",
         "          apiVersion: " + plain_or_quoted(p.api_version), "          kind: " + plain_or_quoted(p.kind),
         "          metadata:", "            name: " + plain_or_quoted(p.name)});
    if (!p.ns.empty()) lines.push_back("            namespace: " + plain_or_quoted(p.ns));
    for (std::size_t at = 0; at < p.body.size();) {
      std::size_t end = p.body.find('\n', at);
      lines.push_back("          " + p.body.substr(at, end - at));
      at = end + 1;
    }
  }
  std::string out;
  for (const auto& l : lines) out += pad + l + std::string(eol);
  return out;
}

}  // namespace rollout_pace
