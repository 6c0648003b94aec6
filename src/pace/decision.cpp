#include "pace/decision.h"

#include <array>
#include <limits>

#include "base/duration.h"
#include "base/text.h"
#include "kube/rules.h"
#include "pace/warnings.h"

namespace rollout_pace {
namespace {

// A located failure for this workload.
[[noreturn]] void fail(const workload_facts& f, const std::string& message) {
  throw failure(exit_code::bad_input, message, warning_id::none, f.ref.resource());
}

void add(workload_decision& out, const workload_facts& f, diagnostic::level level, const std::string& text) {
  out.diagnostics.push_back({level, text, warning_id::none, f.ref.resource()});
}

// A warning about this workload, with its id (pace/warnings.h).
void add_warning(workload_decision& out, const workload_facts& f, warning_id id, const std::string& text) {
  out.diagnostics.push_back(warning(id, text, f.ref.resource()));
}

// The matrix profile a change stands for: a new workload is paced as a minor change, an unchanged
// one (no pod replaced) as a patch.
std::string_view matrix_change(change_kind k) {
  if (k == change_kind::major) return "major";
  if (k == change_kind::patch || k == change_kind::none) return "patch";
  return "minor";
}

// spec.progressDeadlineSeconds as written, checked as ValidateNonnegativeField reads it.
std::optional<std::int32_t> current_deadline(const workload_facts& f, const field_fact& deadline) {
  if (!deadline.present) return std::nullopt;
  try {
    if (!deadline.number) throw rule_error(quoted(deadline.shown) + " must be an integer");
    return parse_seconds(std::to_string(*deadline.number));
  } catch (const rule_error& e) {
    fail(f, deadline.at + ": " + e.what());
  }
}

// spec.replicas as the plan counts it: absent is the API default; a number as Kubernetes reads it
// (0x10 is 16); anything else (a quoted number, a template left unrendered) unknown.
void read_replicas(const field_fact& replicas, workload_decision& out) {
  out.replicas_defaulted = !replicas.present;
  if (out.replicas_defaulted) {
    out.replicas = default_replicas;
    return;
  }
  out.replicas.reset();
  if (replicas.number && *replicas.number >= 0 && *replicas.number <= std::numeric_limits<std::int32_t>::max())
    out.replicas = replicas.number;
}

// What the simulation reads beside the pace: canary steps, grace period, pod management, partition.
void read_shape(const workload_facts& f, workload_decision& out) {
  const strategy_facts& r = f.fields.get();
  out.pauses = f.pauses;
  out.grace_seconds = f.grace_seconds;
  if (f.ref.kind->ordinal) {
    out.parallel = r.policy.text == "Parallel";
    if (r.partition.number && *r.partition.number > 0) out.partition = *r.partition.number;
  }
}

// argo-rollouts' canary: a step completes once its pods are available, so a setWeight with nothing
// after it that takes time gives the canary traffic no one looks at.
void warn_unobserved(const workload_facts& f, workload_decision& out) {
  if (f.pauses.unobserved_weight > 0)
    add_warning(out, f, warning_id::canary_unobserved,
                "spec.strategy.canary.steps: setWeight " + std::to_string(f.pauses.unobserved_weight) +
                    " is followed by no pause, analysis or experiment step, and no background analysis runs, so "
                    "the canary takes that traffic and the rollout moves on as soon as its pods are available: "
                    "nothing looks at it; add a pause with a duration (or an analysis) after it");
}

// A field of the rolling update as the API server reads it: an integer or a "N%" string; unset
// takes the default; anything else (a quoted integer, a negative count) it would refuse.
std::optional<int_or_percent> own_value(const field_fact& x, const int_or_percent& unset) {
  if (!x.present) return unset;
  if (x.plain && x.number && *x.number >= 0 && *x.number <= std::numeric_limits<std::int32_t>::max())
    return int_or_percent{static_cast<std::int32_t>(*x.number), false};
  if (x.scalar && !x.text.empty() && x.text.back() == '%') try {
      return parse_int_or_percent(x.text);
    } catch (const rule_error&) {}
  return std::nullopt;
}

// A seconds field as ValidateNonnegativeField accepts it, into out (unset stays unset); false for
// a value it refuses.
bool own_seconds(const field_fact& x, std::optional<std::int32_t>& out) {
  if (!x.present) return true;
  if (!x.number || *x.number < 0 || *x.number > std::numeric_limits<std::int32_t>::max()) return false;
  out = static_cast<std::int32_t>(*x.number);
  return true;
}

}  // namespace

void read_own(const workload_facts& f, const pace_options& opts, workload_decision& out) {
  const workload_kind& k = *f.ref.kind;
  if (!f.fields.error.empty() || !f.fields.value.spec.is_map) return;
  const strategy_facts& r = f.fields.value;
  read_replicas(r.replicas, out);  // the budgets count its pods, whatever its strategy
  if (f.changed && (f.changed->kind == change_kind::none || f.changed->kind == change_kind::new_workload))
    return;  // --previous: nothing rolls now
  if (r.not_a_map || (r.rolling.present && !r.rolling.is_map)) return;
  if (k.strategy_required && !r.strategy.present) return;                            // blue-green, or none
  if (r.type.present && !(r.type.scalar && r.type.text == "RollingUpdate")) return;  // Recreate, OnDelete
  const int_or_percent zero{0, false};
  std::optional<int_or_percent> surge = k.has_surge ? own_value(r.surge, k.default_max_surge) : zero;
  std::optional<int_or_percent> unavailable = own_value(r.unavailable, k.default_max_unavailable);
  std::optional<std::int32_t> min_ready, deadline;
  if (!surge || !unavailable || !own_seconds(r.min_ready, min_ready) || !own_seconds(r.deadline, deadline)) return;
  if (!out.replicas || k.validate(k.has_surge ? surge : std::nullopt, *unavailable)) return;  // refused
  read_shape(f, out);
  out.gate_off = k.gate_on && !k.gate_on(opts.kube);
  if (k.has_progress_deadline) out.deadline_seconds = deadline.value_or(default_progress_deadline_seconds);
  out.own = own_rollout{*surge, *unavailable, min_ready.value_or(0)};
  warn_unobserved(f, out);
}

std::string origins(const decision& d) {
  return "maxSurge " + d.max_surge.text() + " from " + std::string(display_name(d.field_from[0])) +
         ", maxUnavailable " + d.max_unavailable.text() + " from " + std::string(display_name(d.field_from[1]));
}

std::optional<std::string> ineligible(const workload_facts& f, const pace_options& opts, workload_decision& out) {
  const workload_kind& k = *f.ref.kind;
  if (!kind_selected(opts.kinds, k.kind)) return "--kinds leaves " + std::string(k.kind) + "s alone";
  if (!serves(k, f.api_version)) {
    std::string served = std::string(k.group) + "/" + std::string(k.versions.front());
    add_warning(out, f, warning_id::api_version,
                "apiVersion " + quoted(f.api_version) + " is not " + served + "; left as it is");
    return "apiVersion " + quoted(f.api_version) + " is not " + served + ", left as it is";
  }
  if (f.annotations.hook && !opts.include_hooks) return "Helm hook, left as it is (--include-hooks paces hooks too)";
  if (f.annotations.skip) return "rollout-pace/skip is \"true\", left as it is";
  if (!f.template_for.empty()) {
    // Argo's workloadRef: the Rollout runs this workload's pod template, and its own strategy paces it.
    add(out, f, diagnostic::level::note,
        "is the pod template of " + f.template_for +
            " (its spec.workloadRef): Argo Rollouts runs its pods, so "
            "it is left as it is and the Rollout is paced");
    return "the pod template of " + f.template_for + ", left as it is";
  }
  return std::nullopt;
}

std::optional<decision> choose_for(const workload_facts& f, const pace_options& opts) {
  choice matrix = opts.matrix;
  if (f.changed && !opts.environment.empty() && opts.change.empty())
    matrix.profile = matrix_profile(opts.environment, matrix_change(f.changed->kind));
  try {
    return choose({f.annotations.chosen, opts.flags, opts.values, matrix});
  } catch (const incomplete_profile& e) {
    fail(f, std::string(e.what()) + " (set " + where_to_set(e, "", " in a values file") + ")");
  }
}

std::optional<std::string> check_strategy(const workload_facts& f, workload_decision& out) {
  const workload_kind& k = *f.ref.kind;
  const strategy_facts& r = f.fields.get();
  if (!r.spec.is_map) fail(f, r.spec.at + ": Required value: a " + std::string(k.kind) + " needs a spec map");
  if (r.not_a_map) fail(f, r.not_a_map->at + ": must be a map");
  if (r.rolling.present && !r.rolling.is_map) fail(f, r.rolling.at + ": must be a map");
  if (k.strategy_required && !r.strategy.present) {
    // An Argo Rollout: only a canary strategy has maxSurge and maxUnavailable of its own.
    add(out, f, diagnostic::level::note, "has no " + r.strategy.at + " (blue-green or none), left as it is");
    return "no " + r.strategy.at + ", left as it is";
  }
  out.was_surge = r.surge.shown;
  out.was_unavailable = r.unavailable.shown;
  out.was_min_ready = r.min_ready.shown;
  if (r.type.present)
    if (auto v = validate_strategy_type(r.type.scalar, r.type.text, r.type.shown, k.other_type))
      fail(f, r.type.at + ": " + v->message);
  if (r.type.text == "OnDelete") {
    add(out, f, diagnostic::level::note,
        r.type.at + " is OnDelete (pods are replaced only when deleted), left as it is");
    return "OnDelete, left as it is";
  }
  if (r.type.text == "Recreate") {
    if (!f.annotations.chosen.profile) {
      if (r.rolling.present) fail(f, r.rolling.at + ": " + std::string(rolling_update_forbidden_with_recreate));
      add_warning(
          out, f, warning_id::recreate,
          "spec.strategy.type is Recreate, left as it is (a rollout-pace/profile annotation on the workload converts "
          "it)");
      return "Recreate, left as it is";
    }
    out.recreate_converted = true;
    add(out, f, diagnostic::level::note,
        "spec.strategy.type Recreate becomes RollingUpdate, as its rollout-pace/profile annotation asks");
  }
  return std::nullopt;
}

void map_and_validate(const workload_facts& f, const pace_options& opts, workload_decision& out) {
  const workload_kind& k = *f.ref.kind;
  const decision& d = *out.pace;
  const strategy_facts& r = f.fields.get();
  // What the kind can take of the profile, then the API server's rules for the kind.
  out.written = map_pace(k, d.max_surge, d.max_unavailable, k.host_ports_block_surge && f.host_bound.get());
  if (!out.written.adjusted.empty()) add_warning(out, f, out.written.adjusted_id, out.written.adjusted);
  if (auto violation = k.validate(out.written.max_surge, out.written.max_unavailable))
    fail(f, r.rolling.at + "." + violation->field + ": " + violation->message + " (" + origins(d) + ")");
  if (k.gate_on && !k.gate_on(opts.kube)) {
    out.gate_off = true;
    add_warning(
        out, f, warning_id::feature_gate,
        r.unavailable.at + " needs the " + std::string(k.gate) +
            " feature gate, which is off by default in Kubernetes " + opts.kube.text() + " (" +
            std::string(k.gate_history) +
            "): the API server drops the field silently and the controller replaces one pod at a time (the plan "
            "counts one)");
  }
  read_shape(f, out);
  // ValidateDeploymentSpec: progressDeadlineSeconds > minReadySeconds (Deployments and Rollouts).
  std::optional<std::int32_t> current = current_deadline(f, r.deadline);
  try {
    if (k.has_progress_deadline) out.progress_deadline = raised_progress_deadline(current, d.min_ready_seconds);
  } catch (const rule_error& e) {
    fail(f, r.min_ready.at + ": " + e.what());
  }
  if (k.has_progress_deadline)
    out.deadline_seconds = out.progress_deadline.value_or(current.value_or(default_progress_deadline_seconds));
  if (out.progress_deadline)
    add(out, f, diagnostic::level::note,
        "spec.progressDeadlineSeconds set to " + std::to_string(*out.progress_deadline) + " (was " +
            (current ? std::to_string(*current) : "the default 600") +
            ") so that it stays greater than minReadySeconds " + std::to_string(d.min_ready_seconds));
}

void warn(const workload_facts& f, workload_decision& out) {
  const decision& d = *out.pace;
  read_replicas(f.fields.get().replicas, out);
  // A workload whose pod template --previous shows unchanged replaces no pod: no rollout warning is
  // about it.
  if (f.changed && f.changed->kind == change_kind::none) return;
  if (d.min_ready_seconds > 0 && !f.readiness_probe.get())
    add_warning(out, f, warning_id::no_readiness_probe,
                "minReadySeconds " + std::to_string(d.min_ready_seconds) +
                    " but no container has a readinessProbe, so nothing stops a failing pod from counting as ready");
  warn_unobserved(f, out);
  const workload_kind& k = *f.ref.kind;
  if (!out.replicas) return;
  std::string defaulted = out.replicas_defaulted ? " (the default)" : "";
  // A StatefulSet deletes a pod before it creates its replacement (it cannot surge): with one
  // replica, the workload is down while it updates, unless the partition keeps the pod.
  if (!k.has_surge && *out.replicas == 1 && out.partition < 1)
    add_warning(out, f, warning_id::single_replica,
                "1 replica" + defaulted + ": a " + std::string(k.kind) +
                    " deletes its only pod before it starts the new one, so it is down while it "
                    "updates (downtime)");
  if (!k.fenceposts) return;
  const int_or_percent zero{0, false};
  const int_or_percent surge = out.written.max_surge.value_or(zero);
  fenceposts p = resolve_fenceposts(surge, out.written.max_unavailable, *out.replicas);
  if (*out.replicas == 1 && p.surge == 0)
    add_warning(out, f, warning_id::single_replica,
                "1 replica" + defaulted + " with maxSurge " + surge.text() +
                    ": the only pod goes down before its replacement is ready (downtime)");
  else if (p.forced_unavailable)
    add_warning(out, f, warning_id::rounds_to_zero,
                "maxSurge " + surge.text() + " and maxUnavailable " + out.written.max_unavailable.text() +
                    " both resolve to 0 pods for replicas " + std::to_string(*out.replicas) + defaulted +
                    ", so Kubernetes takes one pod down at a time");
}

namespace {

// The steps in order; decide_workload() then drops the accepted warnings.
workload_decision decide_steps(const workload_facts& f, const pace_options& opts) {
  workload_decision out;
  if (auto why = ineligible(f, opts, out)) {
    out.left_alone = *why;
    // Left alone by the user's choice, it still rolls out: the checks see it (not a hook, a kind
    // version it does not know, or the pod template a Rollout runs).
    if (serves(*f.ref.kind, f.api_version) && !f.annotations.hook && f.template_for.empty()) read_own(f, opts, out);
    return out;
  }
  out.changed = f.changed;
  std::optional<decision> d = choose_for(f, opts);
  if (!d) {
    out.left_alone = "no profile chosen, left as it is";
    out.no_profile = true;
    read_own(f, opts, out);
    return out;
  }
  if (auto why = check_strategy(f, out)) {
    out.left_alone = *why;
    read_own(f, opts, out);  // Recreate, OnDelete, blue-green: their pods, for the budgets
    return out;
  }
  out.pace = d;
  map_and_validate(f, opts, out);
  warn(f, out);
  return out;
}

}  // namespace

workload_decision decide_workload(const workload_facts& f, const pace_options& opts) {
  workload_decision out = decide_steps(f, opts);
  out.accept = f.annotations.accept;
  out.pod_labels = f.pod_labels;
  out.node_limits = f.node_limits;
  drop_accepted(out.diagnostics, opts.accept, out.accept);
  return out;
}

diagnostic report(const workload_ref& w, const workload_decision& d) {
  std::string change = d.changed && !d.changed->reason.empty() ? " (change " + d.changed->reason + ")" : "";
  if (!d.pace) return {diagnostic::level::report, d.left_alone + change, warning_id::none, w.resource()};
  const decision& p = *d.pace;
  std::string overridden;
  for (pace_field field : {pace_field::max_surge, pace_field::max_unavailable, pace_field::min_ready_seconds}) {
    origin from = p.field_from[static_cast<std::size_t>(field)];
    if (from != p.profile_from)
      overridden += std::string(overridden.empty() ? " (" : ", ") + std::string(display_name(field)) + " from " +
                    std::string(display_name(from));
  }
  if (!overridden.empty()) overridden += ")";
  std::string surge = w.kind->has_surge ? ": maxSurge " + d.was_surge + " -> " +
                                              d.written.max_surge.value_or(int_or_percent{}).text() + ","
                                        : ":";
  return {diagnostic::level::report,
          std::string(display_name(p.profile)) + " from " + std::string(display_name(p.profile_from)) + overridden +
              surge + " maxUnavailable " + d.was_unavailable + " -> " + d.written.max_unavailable.text() +
              ", minReadySeconds " + d.was_min_ready + " -> " + std::to_string(p.min_ready_seconds) +
              (d.recreate_converted ? ", strategy Recreate -> RollingUpdate" : "") + change,
          warning_id::none, w.resource()};
}

}  // namespace rollout_pace
