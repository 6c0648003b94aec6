#include "plan/release_plan.h"

#include <limits>

#include "pace/warnings.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <unordered_map>

#include "base/diagnostic.h"
#include "base/duration.h"
#include "base/text.h"
#include "plan/budget_use.h"

namespace rollout_pace {
namespace {

std::string pods(std::int64_t n) { return count_of(n, "pod", "pods"); }

// The rolling update of a decided workload, as its kind's controller runs it (the kind's simulate).
// A paced workload runs the values written, one left alone its own (d.own).
rollout_plan simulate(const workload_kind& kind, const workload_decision& d, std::int64_t replicas,
                      std::int64_t pod_startup_seconds, std::int64_t watch_available = -1) {
  kind_update u;
  u.replicas = replicas;
  u.watch_available = watch_available;
  if (d.pace) {
    u.max_surge = d.written.max_surge.value_or(int_or_percent{0, false});
    u.max_unavailable = d.written.max_unavailable;
    u.min_ready_seconds = d.pace->min_ready_seconds;
  } else {
    u.max_surge = d.own->max_surge;
    u.max_unavailable = d.own->max_unavailable;
    u.min_ready_seconds = d.own->min_ready_seconds;
  }
  u.pod_startup_seconds = pod_startup_seconds;
  u.gate_on = !d.gate_off;
  u.parallel = d.parallel;
  u.partition = d.partition;
  u.steps = d.pauses.steps;
  u.traffic_routed = d.pauses.traffic_routed;
  u.dynamic_stable_scale = d.pauses.dynamic_stable_scale;
  u.min_pods_per_replica_set = d.pauses.min_pods_per_replica_set;
  return kind.simulate(u);
}

// The workload's durations into the release's: at least (the simulation), at most (old pods that take
// their whole grace period, where the controller waits for them: kube/kinds.h termination_waits), and
// when Helm calls it ready (legacy_wait, watcher_waits_all). Helm reports the release deployed when
// every workload is ready to it.
void add_durations(release_plan& plan, planned_workload& w, const workload_kind& kind, const pace_options& opts) {
  const rollout_plan& r = *w.rollout;
  plan.min_duration_seconds = std::max(plan.min_duration_seconds, r.min_duration_seconds);
  w.max_duration_seconds = r.min_duration_seconds + kind.termination_waits(r) * w.decision.grace_seconds;
  plan.max_duration_seconds = std::max(plan.max_duration_seconds, w.max_duration_seconds);
  if (opts.wait == helm_wait::legacy)
    w.helm_waits_seconds = std::min(kind.legacy_wait(r, opts.pod_startup_seconds), r.min_duration_seconds);
  else if (kind.watcher_waits_all)
    w.helm_waits_seconds = r.min_duration_seconds;
  plan.helm_waits_seconds = std::max(plan.helm_waits_seconds, w.helm_waits_seconds.value_or(r.min_duration_seconds));
}

}  // namespace

planned_workload::planned_workload(workload_ref r, workload_decision d) : ref(std::move(r)), decision(std::move(d)) {
  replicas = decision.replicas;
  replicas_from = decision.replicas_defaulted ? replica_source::defaulted : replica_source::spec;
}

std::string planned_workload::kind_name() const { return std::string(ref.kind ? ref.kind->kind : "Deployment"); }

std::int64_t seconds_at_or_below(const planned_workload& w, std::int64_t available, std::int64_t pod_startup_seconds) {
  if (!w.checked() || !w.replicas || available < w.checked()->min_available) return 0;
  return simulate(w.ref.kind ? *w.ref.kind : *find_kind("Deployment"), w.decision, *w.replicas, pod_startup_seconds,
                  available)
      .seconds_at_or_below;
}

std::int32_t planned_workload::min_ready_seconds() const {
  return decision.pace ? decision.pace->min_ready_seconds : decision.own ? decision.own->min_ready_seconds : 0;
}

std::string planned_workload::replicas_text() const {
  switch (replicas_from) {
    case replica_source::spec: return "spec.replicas";
    case replica_source::defaulted: return "the default";
    case replica_source::flag: return "--replicas";
    case replica_source::scale:
    case replica_source::autoscaler:
    case replica_source::nodes: return replicas_detail;
  }
  return "";
}

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
  if (r.by_weight)
    how = "scales the canary to each step's weight at once, no pod down";
  else if (r.pods.surge > 0)
    how = "replaces " + pods(r.pods.surge) + " at a time";
  else
    how = "takes " + pods(r.pods.unavailable) + " down at a time";
  if (!r.by_weight && r.pods.surge > 0)
    how += r.pods.unavailable == 0 ? ", no pod down" : ", up to " + pods(r.pods.unavailable) + " down";
  how += d.min_ready_seconds > 0 ? ", and waits " + std::to_string(d.min_ready_seconds) + " s after each is ready"
                                 : ", and moves on as soon as pods are ready";
  std::string out = name + changed + ": " + how + "; " + std::to_string(r.replicas) +
                    (r.replicas == 1 ? " replica: " : " replicas: ");
  if (r.replicas == 0) return out + "nothing to replace";
  out += std::to_string(r.step_count()) + (r.step_count() == 1 ? " step" : " steps") + ", at least " +
         human_duration(r.min_duration_seconds) + ", " + pods(r.peak_pods) + " at most";
  if (r.min_available < r.replicas)
    out += r.min_available == 0 ? ", at times no pod available (DOWNTIME)"
                                : ", at times only " + std::to_string(r.min_available) + " of " +
                                      std::to_string(r.replicas) + " available";
  return out;
}

namespace {

// A workload's replicas for the plan: a DaemonSet's --nodes, an autoscaler of the stream when
// spec.replicas is absent (its maximum), --scale over both; and the autoscaler it is fought over by
// when spec.replicas is set too.
// hpas: the autoscalers of the stream that target the workload (autoscaler_key).
void find_replicas(planned_workload& w, const workload_kind& kind, const std::vector<const hpa_target*>& hpas,
                   const pace_options& opts) {
  w.fought_over.clear();
  w.fewest_replicas.reset();
  if (w.replicas_from == replica_source::spec && w.replicas && !kind.pods_per_node)
    for (const hpa_target* h : hpas)
      w.fought_over = h->source + " " + h->name + " (" + std::to_string(h->min_replicas) + "-" +
                      std::to_string(h->max_replicas) + ")";
  if (!w.decision.pace && !w.replicas) return;
  if (kind.pods_per_node) {
    w.replicas = opts.nodes;
    w.replicas_from = replica_source::nodes;
    w.replicas_detail =
        "--nodes " + std::to_string(opts.nodes) + ": a " + std::string(kind.kind) + " runs a pod on each node";
  }
  if (w.replicas_from == replica_source::defaulted) {
    for (const hpa_target* h : hpas) {
      w.replicas = h->max_replicas;
      w.replicas_from = replica_source::autoscaler;
      w.replicas_detail = h->source + " " + h->name + " (" + std::to_string(h->min_replicas) + "-" +
                          std::to_string(h->max_replicas) + ", planned for its maximum)";
      w.fewest_replicas = h->min_replicas;
    }
  }
  for (const replica_override& s : opts.scales)
    if (s.kind == kind.kind && s.name == w.ref.name) {
      w.replicas = s.replicas;
      w.replicas_from = replica_source::scale;
      w.replicas_detail = "--scale " + s.kind + "/" + s.name + "=" + std::to_string(s.replicas);
      w.fewest_replicas.reset();
    }
  if (!w.fewest_replicas) w.fewest_replicas = w.replicas;
}

}  // namespace

namespace {

// What the HPA controller finds a target by: the group of scaleTargetRef.apiVersion, the kind, the
// name and the namespace (an object without metadata.namespace lives in the release's).
std::string autoscaler_key(std::string_view group, std::string_view kind, const std::string& name,
                           const std::string& ns, const pace_options& opts) {
  return std::string(group) + '\0' + std::string(kind) + '\0' + name + '\0' +
         (ns.empty() ? opts.release_namespace : ns);
}

}  // namespace

void complete_plan(release_plan& plan, const std::vector<hpa_target>& hpas, const pace_options& opts) {
  std::unordered_map<std::string, std::vector<const hpa_target*>> by_target;  // one lookup per workload
  for (const hpa_target& h : hpas) by_target[autoscaler_key(h.group, h.kind, h.target, h.ns, opts)].push_back(&h);
  static const std::vector<const hpa_target*> no_autoscaler;
  plan.timeout_ns = opts.timeout_ns;
  plan.nodes = opts.nodes;
  plan.release_namespace = opts.release_namespace;
  plan.pod_startup_seconds = opts.pod_startup_seconds;
  plan.min_duration_seconds = 0;
  plan.max_duration_seconds = 0;
  plan.wait = opts.wait;
  plan.helm_waits_seconds = 0;
  plan.reported_early.reset();
  plan.waits_for_person.reset();
  plan.unplanned.clear();
  for (auto& w : plan.workloads) {
    const workload_decision& d = w.decision;
    const workload_kind* kind = w.ref.kind ? w.ref.kind : find_kind("Deployment");
    auto mine = by_target.find(autoscaler_key(kind->group, kind->kind, w.ref.name, w.ref.ns, opts));
    find_replicas(w, *kind, mine == by_target.end() ? no_autoscaler : mine->second, opts);
    w.own_rollout.reset();
    if (!d.pace) {
      w.summary = d.left_alone;
      if (d.own && w.replicas) try {  // checked, not counted: the user left it alone
          w.own_rollout = simulate(*kind, d, *w.replicas, opts.pod_startup_seconds);
        } catch (const std::invalid_argument&) {}
      continue;
    }
    if (!w.replicas) {
      w.summary = "spec.replicas is not a number: no plan";
      continue;
    }
    if (d.changed && (d.changed->kind == change_kind::none || d.changed->kind == change_kind::new_workload)) {
      // with --previous: nothing rolls now
      w.summary = std::string(display_name(d.pace->profile)) + ": " +
                  (d.changed->kind == change_kind::none ? "the pod template is unchanged, so no pod is replaced"
                                                        : "not in the running release, so it starts without a rollout");
      continue;
    }
    try {
      w.rollout = simulate(*kind, d, *w.replicas, opts.pod_startup_seconds);
    } catch (const std::invalid_argument& e) {
      w.summary = std::string(e.what()) + ": no plan";
      plan.unplanned.push_back(static_cast<std::size_t>(&w - plan.workloads.data()));
      continue;
    }
    if (w.rollout->steps.empty() && w.rollout->replicas > 0)  // a partition that holds every pod back
      w.summary = std::string(display_name(d.pace->profile)) + ": " + w.rollout->note;
    else
      w.summary = summary_sentence(*d.pace, *w.rollout) + (w.rollout->note.empty() ? "" : " (" + w.rollout->note + ")");
    if (d.pauses.seconds > 0) w.summary += ", with " + human_duration(d.pauses.seconds) + " of pauses";
    if (d.pauses.indefinite) {
      w.summary +=
          ", then it waits at a pause with no duration until someone promotes it (kubectl argo rollouts "
          "promote): no finite duration";
      if (!plan.waits_for_person) plan.waits_for_person = static_cast<std::size_t>(&w - plan.workloads.data());
    }
    if (!kind->plan_note.empty()) w.summary += " (" + std::string(kind->plan_note) + ")";
    w.summary.shrink_to_fit();  // built by appending: kept for every workload of the release
    add_durations(plan, w, *kind, opts);
  }
  plan.exceeds_timeout = plan.helm_waits_seconds > floor_seconds(plan.timeout_ns);
  // Helm reports the release deployed while the longest rollout goes on.
  if (const planned_workload* w = plan.longest(); w && plan.min_duration_seconds > plan.helm_waits_seconds)
    plan.reported_early = static_cast<std::size_t>(w - plan.workloads.data());
}

std::optional<std::int64_t> suggested_timeout(std::int64_t min_duration_seconds) {
  // Half as long again plus 2 minutes (slow image pulls, a retried probe), up to whole minutes.
  std::int64_t margin = min_duration_seconds + (min_duration_seconds + 1) / 2 + 120;
  std::int64_t whole = (margin + 59) / 60 * 60;
  if (whole > std::numeric_limits<std::int64_t>::max() / 1000000000) return std::nullopt;  // time.Duration
  return whole;
}

namespace {

std::string unplanned_warning(const planned_workload& w) {
  return w.summary + ", so the timeout guard does not count its rollout";
}

std::string indefinite_pause_warning() {
  return "its canary steps hold a pause with no duration (pause: {}), which waits until "
         "someone promotes the Rollout (kubectl argo rollouts promote): no timeout is long enough "
         "for helm --wait, and with --atomic or --rollback-on-failure Helm rolls it back; give the "
         "pause a duration, or deploy without --wait and promote it";
}

std::string early_warning(const release_plan& plan, const planned_workload& w) {
  bool ignored = w.helm_waits_seconds == 0 && w.ref.kind && !w.ref.kind->watcher_waits_all;
  std::string why = ignored ? " (the legacy waiter has no check for a " + std::string(w.ref.kind->kind) + ")"
                            : " (it counts new pods ready, not available, and lets maxUnavailable of them be missing)";
  return "Helm's legacy wait (Helm 3's --wait, Helm 4's --wait=legacy) reports the release deployed after " +
         human_duration(plan.helm_waits_seconds) + why + ", while this rollout goes on to at least " +
         human_duration(w.rollout->min_duration_seconds) +
         ": the pipeline's next step runs on a release still rolling out; wait with Helm 4's --wait=watcher, or "
         "follow it with kubectl rollout status";
}

std::string timeout_warning(const release_plan& plan, const planned_workload* w) {
  std::int64_t replicas = *w->replicas;
  std::optional<std::int64_t> fit = suggested_timeout(plan.helm_waits_seconds);
  std::string of = w->replicas_from == replica_source::nodes ? " nodes' pods (--nodes)"
                   : replicas == 1                           ? " replica"
                                                             : " replicas";
  std::string waits = plan.wait == helm_wait::legacy && plan.helm_waits_seconds < plan.min_duration_seconds
                          ? "Helm's legacy wait takes at least " + human_duration(plan.helm_waits_seconds) + " of"
                          : "the release takes at least " + human_duration(plan.min_duration_seconds) + " for";
  return waits + " this " + std::string(display_name(w->decision.pace->profile)) + " rollout of " +
         std::to_string(replicas) + of + ", longer than the timeout of " + go_duration(plan.timeout_ns) +
         ": helm --wait gives up, and with --atomic or --rollback-on-failure Helm rolls back a rollout that was "
         "going fine; " +
         (fit ? "raise the timeout (helm --timeout " + go_duration_seconds(*fit) +
                    ", or spec.timeout in a Flux HelmRelease) or choose a faster profile"
              : std::string(no_timeout_fits) + ": choose a faster profile");
}

}  // namespace

std::string nothing_chosen_note(const release_plan& plan) {
  std::size_t unchosen = 0;
  for (const planned_workload& w : plan.workloads) {
    if (w.decision.pace) return "";
    if (w.decision.no_profile) ++unchosen;
  }
  if (unchosen == 0) return "";
  return "no profile chosen for " + count_of(static_cast<std::int64_t>(unchosen), "workload", "workloads") +
         " (no --profile, --environment, values deploymentStrategy or rollout-pace/profile annotation): nothing "
         "is paced and the stream goes out as it came";
}

namespace {

std::string stall_warning(const node_limit& limit, const rollout_plan& r, std::int64_t nodes) {
  return "its rollout stalls: no pod may go down (maxUnavailable resolves to 0) and the surge pod needs a node "
         "holding " +
         (limit.pods == 1 ? std::string("none") : "fewer than " + std::to_string(limit.pods)) + " of its pods (" +
         limit.why + "), but its " + count_of(r.replicas, "replica", "replicas") + " fill all " +
         count_of(nodes, "node", "nodes") +
         " (--nodes): the new pod stays Pending and the rollout never ends; allow one pod down (maxUnavailable 1), "
         "or have a free node";
}

// The cap on its pods per node that holds on the plan's nodes, the tightest first; nullptr for none.
const node_limit* node_cap(const planned_workload& w, std::int64_t nodes) {
  const node_limit* best = nullptr;
  for (const node_limit& l : w.decision.node_limits)
    if (l.holds(nodes) && (!best || l.pods < best->pods)) best = &l;
  return best;
}

std::string downtime_warning(const workload_kind& kind, const rollout_plan& r) {
  std::string fix = !kind.has_surge ? "a " + std::string(kind.kind) +
                                          " cannot surge: run more replicas, with maxUnavailable below them"
                    : r.pods.surge > 0 ? "it surges, so maxUnavailable 0 keeps a pod up, or keep maxUnavailable below "
                                         "its replicas"
                                       : "let it surge, or keep maxUnavailable below its replicas";
  return "its rollout takes every pod of " + count_of(r.replicas, "replica", "replicas") +
         " down at some moment (maxSurge " + count_of(r.pods.surge, "pod", "pods") + ", maxUnavailable " +
         count_of(r.pods.unavailable, "pod", "pods") +
         ", as the controller rounds them): the workload is down during the update (downtime); " + fix;
}

std::string deadline_warning(const planned_workload& w, std::int64_t gap, std::int64_t startup) {
  std::int32_t deadline = *w.decision.deadline_seconds;
  bool from_startup = startup >= w.min_ready_seconds();
  return std::string("the rollout shows no progress for ") + std::to_string(gap) + " s at a time (" +
         (from_startup ? "a new pod takes --pod-startup " + std::to_string(startup) + " s to become ready"
                       : "minReadySeconds " + std::to_string(w.min_ready_seconds())) +
         "), longer than spec.progressDeadlineSeconds " + std::to_string(deadline) +
         ": the controller marks it failed (ProgressDeadlineExceeded) although nothing is wrong, and Helm's wait "
         "fails with it; raise spec.progressDeadlineSeconds above " +
         std::to_string(gap);
}

}  // namespace

std::vector<diagnostic> release_warnings(const release_plan& plan) {
  std::vector<diagnostic> out;
  // The release-wide timeout names its workload by kind and name alone (its item index kept as data).
  auto add = [&](const planned_workload& w, warning_id id, std::string text) {
    resource_ref about = w.ref.resource();
    if (id == warning_id::timeout) about.at.clear();
    diagnostic d = warning(id, std::move(text), about);
    if (!accepted(d, {}, w.decision.accept)) out.push_back(std::move(d));
  };
  for (const planned_workload& w : plan.workloads)
    if (w.rollout && w.replicas_from == replica_source::defaulted)
      add(w, warning_id::replicas_unknown,
          "spec.replicas is not set and no HorizontalPodAutoscaler or KEDA ScaledObject in the stream scales it: "
          "planned for 1, the API default; if something else scales it (an autoscaler outside the chart, "
          "cluster-proportional-autoscaler), give --scale " +
              w.kind_name() + "/" + w.ref.name + "=N");
  for (const planned_workload& w : plan.workloads)
    if (!w.fought_over.empty())  // kubernetes/kubernetes#25238; the HPA docs' "Migrating Deployments"
      add(w, warning_id::replicas_fought_over,
          "spec.replicas is set while " + w.fought_over +
              " scales it: every helm upgrade sets the count back to spec.replicas and the autoscaler then scales "
              "it again, starting or stopping pods in the middle of the rollout; leave spec.replicas out of the "
              "manifest when an autoscaler is on (most charts: {{- if not .Values.autoscaling.enabled }})");
  for (const planned_workload& w : plan.workloads) {
    const rollout_plan* r = w.checked();
    if (!r) continue;
    const workload_kind& kind = w.ref.kind ? *w.ref.kind : *find_kind("Deployment");
    // A paced StatefulSet of one is the [single-replica] warning already.
    bool single = !kind.has_surge && r->replicas == 1 && w.decision.pace;
    if (r->replicas > 0 && r->min_available == 0 && !single) add(w, warning_id::downtime, downtime_warning(kind, *r));
    // The surge pod needs a node holding none of its pods; with no pod allowed down, nothing frees one
    // (kubernetes/kubernetes#116891).
    const node_limit* cap = node_cap(w, plan.nodes);
    if (cap && kind.has_surge && !kind.pods_per_node && !r->by_weight && r->pods.unavailable == 0 &&
        r->pods.surge > 0 && r->replicas >= plan.nodes * cap->pods)
      add(w, warning_id::stall, stall_warning(*cap, *r, plan.nodes));
    // DeploymentProgressing (pkg/controller/deployment/util): more updated, ready or available pods,
    // or fewer old ones, is progress. Between them the simulation waits a pod's startup (created to
    // ready) and then minReadySeconds (ready to available); the next batch starts at once.
    std::int64_t gap = std::max<std::int64_t>(plan.pod_startup_seconds, w.min_ready_seconds());
    if (w.decision.deadline_seconds && !r->steps.empty() && gap > *w.decision.deadline_seconds)
      add(w, warning_id::progress_deadline, deadline_warning(w, gap, plan.pod_startup_seconds));
  }
  budget_findings(plan, out);
  for (std::size_t i : plan.unplanned)
    add(plan.workloads[i], warning_id::unplanned, unplanned_warning(plan.workloads[i]));
  if (plan.waits_for_person) {
    const planned_workload& w = plan.workloads[*plan.waits_for_person];
    add(w, warning_id::indefinite_pause, indefinite_pause_warning());
  } else if (const planned_workload* w = plan.longest(); w && plan.exceeds_timeout) {
    add(*w, warning_id::timeout, timeout_warning(plan, w));
  }
  // The upper end of the range: old pods that take their whole grace period to go (a note, not a
  // warning: most pods stop well within it).
  const planned_workload* slowest = nullptr;
  for (const planned_workload& w : plan.workloads)
    if (w.rollout && (!slowest || w.max_duration_seconds > slowest->max_duration_seconds)) slowest = &w;
  if (slowest && !plan.exceeds_timeout && !plan.waits_for_person &&
      plan.max_duration_seconds > floor_seconds(plan.timeout_ns))
    out.push_back({diagnostic::level::note,
                   "if every old pod takes its terminationGracePeriodSeconds (" +
                       std::to_string(slowest->decision.grace_seconds) + " s) to go, this rollout takes up to " +
                       human_duration(slowest->max_duration_seconds) + ", longer than the timeout of " +
                       go_duration(plan.timeout_ns) + " (it replaces a pod only once the old one is gone)",
                   warning_id::none, slowest->ref.resource()});
  if (plan.reported_early && !plan.waits_for_person)
    add(plan.workloads[*plan.reported_early], warning_id::helm_reports_early,
        early_warning(plan, plan.workloads[*plan.reported_early]));
  return out;
}

}  // namespace rollout_pace
