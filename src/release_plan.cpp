#include "rollout_pace/release_plan.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "rollout_pace/diagnostic.h"

namespace rollout_pace {
namespace {

std::string pods(std::int64_t n) { return std::to_string(n) + (n == 1 ? " pod" : " pods"); }

}  // namespace

const planned_workload* release_plan::longest() const {
  const planned_workload* best = nullptr;
  for (const auto& w : workloads)
    if (w.rollout && (!best || w.rollout->min_duration_seconds > best->rollout->min_duration_seconds)) best = &w;
  return best;
}

std::string summary_sentence(const decision& d, const rollout_plan& r) {
  std::string name(display_name(d.profile));
  std::string changed;
  for (pace_field f : {pace_field::max_surge, pace_field::max_unavailable, pace_field::min_ready_seconds}) {
    if (!differs_from_profile(d, f)) continue;
    std::string value = f == pace_field::max_surge         ? d.max_surge.text()
                        : f == pace_field::max_unavailable ? d.max_unavailable.text()
                                                           : std::to_string(d.min_ready_seconds);
    changed += std::string(changed.empty() ? " with " : ", ") + std::string(display_name(f)) + " " + value;
  }
  std::string how;
  if (r.pods.surge > 0) how = "replaces " + pods(r.pods.surge) + " at a time";
  else how = "takes " + pods(r.pods.unavailable) + " down at a time";
  if (r.pods.surge > 0) how += r.pods.unavailable == 0 ? ", no pod down" : ", up to " + pods(r.pods.unavailable) + " down";
  how += d.min_ready_seconds > 0 ? ", and waits " + std::to_string(d.min_ready_seconds) + " s after each is ready"
                                 : ", and moves on as soon as pods are ready";
  std::string out = name + changed + ": " + how + "; " + std::to_string(r.replicas) +
                    (r.replicas == 1 ? " replica: " : " replicas: ");
  if (r.replicas == 0) return out + "nothing to replace";
  out += std::to_string(r.steps.size()) + (r.steps.size() == 1 ? " step" : " steps") + ", at least " +
         human_duration(r.min_duration_seconds) + ", " + pods(r.peak_pods) + " at most";
  if (r.min_available < r.replicas)
    out += ", only " + std::to_string(r.min_available) + " available at times (downtime below " +
           std::to_string(r.replicas) + ")";
  return out;
}

void complete_plan(release_plan& plan, const std::vector<hpa_target>& hpas, const options& opts) {
  plan.timeout_seconds = opts.timeout_seconds;
  plan.min_duration_seconds = 0;
  for (auto& w : plan.workloads) {
    if (!w.pace) {
      w.summary = w.left_alone;
      continue;
    }
    const workload_kind* kind = find_kind(w.kind);
    if (!kind) kind = find_kind("Deployment");
    if (kind->rounding == kind_rounding::daemonset) {
      w.replicas = opts.nodes;
      w.replicas_from = "--nodes " + std::to_string(opts.nodes) + ": a DaemonSet runs a pod on each node";
    }
    if (w.replicas_from == "the default") {
      for (const auto& h : hpas)
        if (h.kind == w.kind && h.target == w.name && h.ns == w.ns) {
          w.replicas = h.max_replicas;
          w.replicas_from = "HorizontalPodAutoscaler " + h.name + " (" + std::to_string(h.min_replicas) + "-" +
                            std::to_string(h.max_replicas) + ", planned for its maximum)";
        }
    }
    if (!w.replicas) {
      w.summary = "spec.replicas is not a number: no plan";
      continue;
    }
    if (w.change == "none" || w.change == "new") {  // with --previous: nothing rolls now
      w.summary = std::string(display_name(w.pace->profile)) + ": " +
                  (w.change == "none" ? "the pod template is unchanged, so no pod is replaced"
                                      : "not in the running release, so it starts without a rollout");
      continue;
    }
    try {
      const int_or_percent zero{0, false};
      const int_or_percent surge = w.written.max_surge.value_or(zero), unavailable = w.written.max_unavailable;
      switch (kind->rounding) {
        case kind_rounding::deployment:
          w.rollout = simulate_rolling_update(*w.replicas, surge, unavailable, w.pace->min_ready_seconds,
                                              opts.pod_startup_seconds);
          break;
        case kind_rounding::daemonset:
          w.rollout = simulate_daemonset_update(*w.replicas, daemonset_fenceposts(surge, unavailable, *w.replicas),
                                                w.pace->min_ready_seconds, opts.pod_startup_seconds);
          break;
        case kind_rounding::statefulset:
          w.rollout = simulate_statefulset_update(*w.replicas, statefulset_max_unavailable(unavailable, *w.replicas),
                                                  w.pace->min_ready_seconds, opts.pod_startup_seconds);
          break;
      }
    } catch (const std::invalid_argument& e) {
      w.summary = std::string(e.what()) + ": no plan";
      continue;
    }
    w.summary = summary_sentence(*w.pace, *w.rollout);
    if (!kind->plan_note.empty()) w.summary += " (" + std::string(kind->plan_note) + ")";
    plan.min_duration_seconds = std::max(plan.min_duration_seconds, w.rollout->min_duration_seconds);
  }
  plan.exceeds_timeout = static_cast<double>(plan.min_duration_seconds) > plan.timeout_seconds;
}

double suggested_timeout(std::int64_t min_duration_seconds) {
  double margin = static_cast<double>(min_duration_seconds) * 1.5 + 120;  // slow image pulls, a retried probe
  return std::ceil(margin / 60) * 60;
}

planned_workload explain(const options& opts, std::int64_t replicas) {
  planned_workload w;
  w.kind = "Deployment";
  w.name = "explain";
  try {
    w.pace = decide({choice{}, opts.flags, opts.values, opts.matrix});
  } catch (const incomplete_profile& e) {
    throw failure(exit_code::bad_usage, std::string(e.what()) + " (give " + std::string(names_of(e.missing).flag) + ")");
  }
  if (!w.pace) throw failure(exit_code::bad_usage, "explain needs a profile");
  if (auto v = validate_rolling_update_deployment(w.pace->max_surge, w.pace->max_unavailable))
    throw failure(exit_code::bad_usage, "spec.strategy.rollingUpdate." + v->field + ": " + v->message);
  w.written = {w.pace->max_surge, w.pace->max_unavailable, ""};
  w.replicas = replicas;
  w.replicas_from = "--replicas";
  release_plan plan;
  plan.workloads.push_back(w);
  complete_plan(plan, {}, opts);
  return plan.workloads.front();
}

std::string timeout_warning(const release_plan& plan) {
  const planned_workload* w = plan.longest();
  if (!plan.exceeds_timeout || !w) return "";
  std::string where = "document " + std::to_string(w->document) + " (" + w->kind + " " +
                      (w->ns.empty() ? "" : w->ns + "/") + w->name + (w->source.empty() ? "" : ", from " + w->source) + ")";
  return where + ": the release takes at least " + human_duration(plan.min_duration_seconds) + " for this " +
         std::string(display_name(w->pace->profile)) + " rollout of " + std::to_string(*w->replicas) +
         (w->replicas_from.rfind("--nodes", 0) == 0 ? " nodes' pods (--nodes)" : *w->replicas == 1 ? " replica" : " replicas") + ", longer than the timeout of " + go_duration(plan.timeout_seconds) +
         ": helm --wait gives up, and with --atomic or --rollback-on-failure Helm rolls back a rollout that was "
         "going fine; raise the timeout (helm --timeout " + go_duration(suggested_timeout(plan.min_duration_seconds)) +
         ", or spec.timeout in a Flux HelmRelease) or choose a faster profile";
}

double parse_duration(std::string_view s) {
  // Go's time.ParseDuration: [-+]? then one or more of: a decimal number with a unit.
  auto bad = [&](const std::string& why) -> double {
    throw std::invalid_argument("\"" + std::string(s) + "\" is not a duration (" + why + "; e.g. 5m0s, 300s, 1h)");
  };
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  if (s.substr(i) == "0") return 0;
  if (i == s.size()) return bad("empty");
  double total = 0;
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    }
    if (i == start || (i == start + 1 && s[start] == '.')) return bad("a number is missing");
    double value = std::stod(std::string(s.substr(start, i - start)));
    std::size_t u = i;
    while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.') ++i;
    std::string_view unit = s.substr(u, i - u);
    double scale = unit == "h" ? 3600 : unit == "m" ? 60 : unit == "s" ? 1 : unit == "ms" ? 1e-3
                 : (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") ? 1e-6 : unit == "ns" ? 1e-9 : -1;
    if (scale < 0) return bad(unit.empty() ? "a unit is missing" : "unknown unit \"" + std::string(unit) + "\"");
    total += value * scale;
  }
  if (negative) return bad("negative");
  return total;
}

std::string go_duration(double seconds) {
  auto whole = static_cast<std::int64_t>(std::ceil(seconds));
  std::int64_t h = whole / 3600, m = whole % 3600 / 60, s = whole % 60;
  if (h) return std::to_string(h) + "h" + std::to_string(m) + "m" + std::to_string(s) + "s";
  if (m) return std::to_string(m) + "m" + std::to_string(s) + "s";
  return std::to_string(s) + "s";
}

}  // namespace rollout_pace
