#include "plan/budget_use.h"

#include <unordered_map>

#include "base/duration.h"
#include "base/text.h"
#include "pace/warnings.h"

namespace rollout_pace {
namespace {

// desiredHealthy, as the disruption controller works it out (updatePdbStatus, getExpectedScale):
// maxUnavailable of the expected pods rounded up, or minAvailable (a percentage rounded up).
std::int64_t desired_healthy(const disruption_budget& b, std::int64_t expected) {
  if (b.max_unavailable) return expected - scaled_value(*b.max_unavailable, expected, true);
  return b.min_available->percent ? scaled_value(*b.min_available, expected, true) : b.min_available->value;
}

std::string budget_text(const disruption_budget& b) {
  return b.max_unavailable ? "maxUnavailable " + b.max_unavailable->text() : "minAvailable " + b.min_available->text();
}

std::string covered_names(const budget_use& u) {
  std::string names;
  for (const planned_workload* c : u.covered) names += (names.empty() ? "" : ", ") + c->kind_name() + " " + c->ref.name;
  return names;
}

}  // namespace

std::vector<budget_use> budget_uses(const release_plan& plan) {
  auto ns_of = [&](const std::string& ns) { return ns.empty() ? plan.release_namespace : ns; };
  // The workloads by namespace, and by namespace and one label: a budget looks only at those its
  // first matchLabels pair (or its namespace) admits, never at every workload (linear in the stream).
  std::unordered_map<std::string, std::vector<const planned_workload*>> by_namespace, by_label;
  auto label_key = [](const std::string& ns, const std::pair<std::string, std::string>& l) {
    return ns + '\0' + l.first + '\0' + l.second;
  };
  for (const planned_workload& w : plan.workloads) {
    if (!w.replicas || !w.fewest_replicas) continue;
    by_namespace[ns_of(w.ref.ns)].push_back(&w);
    for (const auto& l : w.decision.pod_labels)
      if (auto& v = by_label[label_key(ns_of(w.ref.ns), l)]; v.empty() || v.back() != &w) v.push_back(&w);
  }
  static const std::vector<const planned_workload*> none;
  auto candidates = [&](const disruption_budget& b) -> const std::vector<const planned_workload*>& {
    const auto& index = b.selector.match_labels.empty() ? by_namespace : by_label;
    auto it = index.find(b.selector.match_labels.empty() ? ns_of(b.ns)
                                                         : label_key(ns_of(b.ns), b.selector.match_labels.front()));
    return it == index.end() ? none : it->second;
  };
  std::vector<budget_use> out;
  for (const disruption_budget& b : plan.budgets) {
    budget_use u;
    u.budget = &b;
    for (const planned_workload* c : candidates(b))
      if (const planned_workload& w = *c; matches(b.selector, w.decision.pod_labels)) {
        u.covered.push_back(&w);
        u.pods += *w.replicas;
        u.fewest_pods += *w.fewest_replicas;
      }
    if (u.covered.empty()) continue;
    u.never_allows = u.fewest_pods > 0 && desired_healthy(b, u.fewest_pods) >= u.fewest_pods;
    u.keeps = desired_healthy(b, u.pods);
    // disruptionsAllowed = currentHealthy - desiredHealthy: none while a rollout's available pods and
    // the others' (all available) are at keeps or fewer.
    for (const planned_workload* c : u.covered) {
      std::int64_t below = u.keeps - (u.pods - *c->replicas);
      if (u.never_allows || !c->checked() || c->checked()->min_available > below) continue;
      std::int64_t seconds = seconds_at_or_below(*c, below, plan.pod_startup_seconds);
      if (!u.blocks_during || seconds > u.blocked_seconds) {
        u.blocks_during = c;
        u.blocked_seconds = seconds;
      }
    }
    out.push_back(std::move(u));
  }
  return out;
}

std::string budget_sentence(const budget_use& u) {
  const disruption_budget& b = *u.budget;
  std::string out = "PodDisruptionBudget " + (b.ns.empty() ? "" : b.ns + "/") + b.name + " (" + budget_text(b) + "): ";
  if (u.never_allows)
    return out + "keeps " + std::to_string(desired_healthy(b, u.fewest_pods)) + " of the " +
           count_of(u.fewest_pods, "pod", "pods") + " of " + covered_names(u) +
           (u.fewest_pods < u.pods ? " at their autoscaler's minimum" : "") +
           ": never allows a voluntary disruption (node drains wait)";
  out += "keeps " + std::to_string(u.keeps) + " of the " + count_of(u.pods, "pod", "pods") + " of " + covered_names(u) +
         ": ";
  if (!u.blocks_during) return out + "allows a voluntary disruption throughout the planned rollouts";
  const rollout_plan& r = *u.blocks_during->checked();
  return out + "allows none for " + human_duration(u.blocked_seconds) + " of the " +
         human_duration(r.min_duration_seconds) + " rollout of " + u.blocks_during->kind_name() + " " +
         u.blocks_during->ref.name + " (down to " + std::to_string(r.min_available) + " available)";
}

// [budget-blocks-drains] when a budget never allows a voluntary disruption, else a note when a
// planned rollout takes its pods down to where it allows none.
void budget_findings(const release_plan& plan, std::vector<diagnostic>& out) {
  for (const budget_use& u : budget_uses(plan)) {
    const disruption_budget& b = *u.budget;
    if (u.never_allows) {
      diagnostic d = warning(warning_id::budget_blocks_drains,
                             "PodDisruptionBudget " + b.name + " (" + budget_text(b) + ") keeps " +
                                 std::to_string(desired_healthy(b, u.fewest_pods)) + " of the " +
                                 count_of(u.fewest_pods, "pod", "pods") + " of " + covered_names(u) +
                                 " available, so it never allows a voluntary disruption: every node drain and "
                                 "cluster-autoscaler scale-down that would evict one of them waits until someone "
                                 "steps in; let it allow one (maxUnavailable 1), or run more replicas",
                             b.about);
      if (!accepted(d, {}, u.covered.front()->decision.accept)) out.push_back(std::move(d));
      continue;
    }
    if (const planned_workload* c = u.blocks_during)
      out.push_back(
          {diagnostic::level::note,
           "PodDisruptionBudget " + b.name + " (" + budget_text(b) + ") allows no voluntary disruption while " +
               std::to_string(u.keeps) + " or fewer of its pods are available; the rollout of " + c->kind_name() + " " +
               c->ref.name + " keeps them there for " + human_duration(u.blocked_seconds) + " of its " +
               human_duration(c->checked()->min_duration_seconds) + " (down to " +
               std::to_string(c->checked()->min_available) +
               " available): node drains wait meanwhile (the rollout deletes pods without the eviction API: the "
               "budget does not slow it)",
           warning_id::none, b.about});
  }
}

}  // namespace rollout_pace
