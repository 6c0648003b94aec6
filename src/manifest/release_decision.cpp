#include "manifest/release_decision.h"

#include <algorithm>

#include "base/duration.h"
#include "base/text.h"
#include "kube/kinds.h"
#include "kube/simulation.h"
#include "manifest/values.h"
#include "pace/warnings.h"
#include "plan/release_plan.h"

namespace rollout_pace {

bool is_rollout_pace_entry(const YAML::Node& entry) {
  try {
    YAML::Node patches = lookup(lookup(entry, "kustomize").value, "patches").value;
    if (!patches.IsSequence()) return false;
    for (auto it = patches.begin(); it != patches.end(); ++it) {
      std::string patch = scalar_or(lookup(*it, "patch").value, "");
      if (patch.compare(0, flux_marker.size(), flux_marker) == 0) return true;
    }
  } catch (const yaml_error&) {}
  return false;
}

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& message) {
  throw failure(exit_code::bad_input, where + ": " + message);
}

// The flags that shape an entry (the pace, the matrix, the kinds, the values key), as the entry's
// marker line records them: " --profile=Cautious --kinds=Deployment,StatefulSet" ("" for none).
std::string recorded_flags(const options& opts) {
  std::string out;
  auto add = [&](const char* flag, const std::string& value) {
    if (!value.empty()) out += " --" + std::string(flag) + "=" + value;
  };
  if (opts.flags.profile) add("profile", std::string(display_name(*opts.flags.profile)));
  const pace& o = opts.flags.overrides;
  if (o.max_surge) add("max-surge", o.max_surge->text());
  if (o.max_unavailable) add("max-unavailable", o.max_unavailable->text());
  if (o.min_ready_seconds) add("min-ready-seconds", std::to_string(*o.min_ready_seconds));
  add("environment", opts.environment);
  add("change", opts.change);
  std::string kinds;
  for (const std::string& k : opts.kinds) kinds += (kinds.empty() ? "" : ",") + k;
  add("kinds", kinds);
  add("values-key", opts.values_key);
  add("chart", opts.chart);
  return out;
}

// The flags an earlier run recorded in the marker line of its entry in the HelmRelease (nullopt:
// no entry of ours).
std::optional<std::string> recorded_in(const YAML::Node& hr) {
  try {
    YAML::Node list = lookup(lookup(hr, "spec").value, "postRenderers").value;
    if (!list.IsSequence()) return std::nullopt;
    for (auto e = list.begin(); e != list.end(); ++e) {
      YAML::Node patches = lookup(lookup(*e, "kustomize").value, "patches").value;
      if (!patches.IsSequence()) continue;
      for (auto it = patches.begin(); it != patches.end(); ++it) {
        std::string patch = scalar_or(lookup(*it, "patch").value, "");
        if (patch.compare(0, flux_marker.size(), flux_marker) != 0) continue;
        std::string line = patch.substr(flux_marker.size(), patch.find('\n') - flux_marker.size());
        return line.substr(0, line.find(": "));
      }
    }
  } catch (const yaml_error&) {}
  return std::nullopt;
}

// Reads recorded flags back into opts, for a run given none of its own.
void apply_recorded(const std::string& recorded, options& opts, const std::string& where) {
  auto bad = [&](const std::string& why) {
    fail(where, "its rollout-pace entry records \"" + recorded + "\", which " + why +
                    "; run rollout-pace flux with the flags you mean");
  };
  for (std::size_t at = 0; at < recorded.size();) {
    std::size_t end = std::min(recorded.find(' ', at + 1), recorded.size());
    std::string word = recorded.substr(at + 1, end - at - 1);
    at = end;
    std::size_t eq = word.find('=');
    if (word.compare(0, 2, "--") != 0 || eq == std::string::npos) bad("is not a list of --flag=value");
    std::string flag = word.substr(2, eq - 2), value = word.substr(eq + 1);
    try {
      if (set_choice_field(opts.flags, flag, value)) continue;
      if (flag == "environment") {
        opts.environment = value;
      } else if (flag == "change") {
        opts.change = value;
      } else if (flag == "kinds") {
        for (std::size_t k = 0; k <= value.size();) {
          std::size_t comma = std::min(value.find(',', k), value.size());
          std::string kind = value.substr(k, comma - k);
          if (!find_kind(kind)) bad("names a kind rollout-pace does not pace");
          opts.kinds.push_back(kind);
          k = comma + 1;
        }
      } else if (flag == "values-key") {
        opts.values_key = value;
      } else if (flag == "chart") {
        opts.chart = value;
      } else {
        bad("holds --" + flag + ", not a flag that shapes an entry");
      }
    } catch (const unknown_profile&) {
      bad("names no profile");
    } catch (const std::invalid_argument& e) {  // rule_error and the matrix's
      bad(std::string("does not read: ") + e.what());
    }
  }
  if (!opts.environment.empty()) {
    try {
      opts.matrix.profile = matrix_profile(opts.environment, opts.change);
    } catch (const std::invalid_argument& e) {
      bad(std::string("does not read: ") + e.what());
    }
  }
}

// The pace the layers choose for a HelmRelease: its annotations, the flags, its spec.values, the
// matrix (choose(), as for a workload), checked against the Deployment's rules its patch carries.
void choose_for_release(release& r, std::size_t first_line, const options& opts, std::vector<diagnostic>& diagnostics) {
  const std::string& where = r.hr.where;
  std::vector<std::string> notes;
  choice from_values = values_choice(release_values(r.hr), where + " spec.values", first_line, opts.values_key, &notes);
  for (const std::string& n : notes) diagnostics.push_back({diagnostic::level::note, n});
  try {
    r.chosen = choose({r.hr.annotations.chosen, opts.flags, from_values, opts.matrix});
  } catch (const incomplete_profile& e) {
    fail(where, std::string(e.what()) + " (set " + where_to_set(e, "spec.values.", "") + ")");
  }
  if (!r.chosen) {
    if (opts.report) diagnostics.push_back({diagnostic::level::report, where + ": no profile chosen, no patch"});
    return;
  }
  if (auto v = validate_rolling_update_deployment(r.chosen->max_surge, r.chosen->max_unavailable))
    fail(where, "spec.strategy.rollingUpdate." + v->field + ": " + v->message);
  if (opts.report)
    diagnostics.push_back({diagnostic::level::report,
                           where + ": " + std::string(display_name(r.chosen->profile)) + " from " +
                               std::string(display_name(r.chosen->profile_from)) + ": maxSurge " +
                               r.chosen->max_surge.text() + ", maxUnavailable " + r.chosen->max_unavailable.text() +
                               ", minReadySeconds " + std::to_string(r.chosen->min_ready_seconds)});
}

// How long helm-controller waits, and for what (for the messages): the rendered chart's plan, else
// one Deployment of spec.values.replicaCount replicas.
struct release_wait {
  std::int64_t seconds = 0;
  std::string what;  // "for 3 replicas", "for the chart's Deployment web (3 replicas)"
};

release_wait wait_of(release& r, const options& opts, std::vector<diagnostic>& diagnostics) {
  const std::string& where = r.hr.where;
  if (r.rendered) {
    const release_plan& p = r.rendered->plan;
    release_wait w{p.helm_waits_seconds, "for the chart's workloads"};
    if (const planned_workload* l = p.longest(); l && l->replicas)
      w.what = "for the chart's workloads (the longest: " + l->kind_name() + " " + l->ref.name + ", " +
               count_of(*l->replicas, "replica", "replicas") + ")";
    if (opts.report || opts.set_values)
      for (const planned_workload& pw : p.workloads)
        if (pw.rollout)
          diagnostics.push_back({diagnostic::level::note, where + ": " + pw.ref.name + ": " + pw.summary});
    return w;
  }
  std::optional<std::int64_t> replica_count = release_replica_count(r.hr);
  std::int64_t replicas = replica_count.value_or(1);
  rollout_plan plan;
  try {
    plan = simulate_rolling_update(replicas, r.chosen->max_surge, r.chosen->max_unavailable,
                                   r.chosen->min_ready_seconds, opts.pod_startup_seconds);
  } catch (const std::invalid_argument& e) {
    fail(where, std::string("spec.values.replicaCount: ") + e.what());
  }
  std::string sentence = summary_sentence(*r.chosen, plan) +
                         (replica_count ? "" : " (spec.values.replicaCount is not set: planned for 1 replica)");
  if (opts.report || opts.set_values) diagnostics.push_back({diagnostic::level::note, where + ": " + sentence});
  if (!replica_count)  // never silently: the timeout check below is for one replica (issue 21)
    diagnostics.push_back(warning(
        warning_id::replicas_unknown,
        where + ": spec.values.replicaCount is not set, so the timeout check assumes 1 replica (" +
            human_duration(plan.min_duration_seconds) +
            "); flux cannot render the chart to see its workloads: set replicaCount in spec.values if the chart "
            "reads it, give the chart with --chart, or check the release with rollout-pace plan on its rendered "
            "manifests"));
  return {plan.min_duration_seconds, "for " + count_of(replicas, "replica", "replicas")};
}

// How long the release's rollout takes (wait_of) against helm-controller's timeout for upgrades
// (spec.upgrade.timeout, else spec.timeout, else 5m): a warning, or with --fit-timeout the raised
// spec.timeout.
void fit_timeout(release& r, const options& opts, std::vector<diagnostic>& diagnostics) {
  const std::string& where = r.hr.where;
  release_wait w = wait_of(r, opts, diagnostics);
  release_timeout t = read_timeout(r.hr);
  if (w.seconds <= floor_seconds(t.ns)) return;
  std::optional<std::int64_t> fits = suggested_timeout(w.seconds);
  std::string fit = fits ? go_duration_seconds(*fits) : "";
  if (opts.fit_timeout && !t.upgrade_set) {
    if (!fits)
      fail(where, "spec.timeout: the rollout takes at least " + human_duration(w.seconds) +
                      ", longer than any duration helm-controller reads (Go's end at 2562047h47m16s); choose a "
                      "faster profile");
    if (!t.spec_editable)
      fail(where, "spec.timeout: comes through a merge key or is written twice; rollout-pace does not edit it");
    r.timeout_edit = fit;
    r.edit_notes.push_back({diagnostic::level::note, where + ": spec.timeout raised from " + go_duration(t.ns) +
                                                         " to " + fit + " to fit a rollout of at least " +
                                                         human_duration(w.seconds)});
    return;
  }
  std::string field = t.upgrade_set ? "spec.upgrade.timeout" : "spec.timeout";
  diagnostics.push_back(warning(
      warning_id::timeout,
      where + ": the rollout takes at least " + human_duration(w.seconds) + " " + w.what + ", longer than " + t.from +
          " (" + go_duration(t.ns) +
          "): helm-controller stops waiting and, with remediation, rolls back or retries a rollout that was going "
          "fine; " +
          (fits ? "raise " + field + " to " + fit + (t.upgrade_set ? "" : " (rollout-pace flux --fit-timeout does it)")
                : std::string(no_timeout_fits) + ": choose a faster profile")));
}

void decide_pace(release& r, std::size_t first_line, const options& opts, std::vector<diagnostic>& diagnostics,
                 const chart_source& render);

// One patch per kind cannot see a workload's own strategy: it would flip what the post-renderer
// leaves alone. Never silently (issue 21): a warning, saying why the chart was not rendered.
void warn_static_patch(const release& r, const std::string& why_not, std::vector<diagnostic>& diagnostics) {
  std::vector<std::string> kinds;
  for (const workload_kind& k : workload_kinds())
    if (k.flux_patch && kind_selected(r.kinds, k.kind)) kinds.emplace_back(k.kind);
  std::string patched;
  for (std::size_t i = 0; i < kinds.size(); ++i)
    patched += (i == 0 ? "" : i + 1 == kinds.size() ? " and " : ", ") + kinds[i];
  if (patched.empty()) return;
  diagnostics.push_back(
      warning(warning_id::flux_static_patch,
              r.hr.where + ": its patches set every " + patched +
                  " of the release to RollingUpdate: a static patch cannot see a Recreate Deployment or an OnDelete "
                  "StatefulSet or DaemonSet (vault), which the post-renderer leaves alone" +
                  (why_not.empty() ? "" : " (" + why_not + ")") +
                  "; give the chart with --chart to patch each workload as the post-renderer would, annotate those "
                  "rollout-pace/skip: \"true\", or leave their kind out with --kinds"));
}

// helm-controller's legacy waiter (up to v1.4, or spec.waitStrategy legacy) reports the release
// ready while a rendered workload's rollout goes on.
void warn_reported_early(const release& r, const options& opts, std::vector<diagnostic>& diagnostics) {
  const release_plan& p = r.rendered->plan;
  if (flux_wait(r.hr, opts) != helm_wait::legacy || !p.reported_early) return;
  const planned_workload& w = p.workloads[*p.reported_early];
  diagnostics.push_back(warning(warning_id::helm_reports_early,
                                r.hr.where + ": helm-controller's legacy wait reports the release ready after " +
                                    human_duration(p.helm_waits_seconds) + ", while " + w.kind_name() + " " +
                                    w.ref.name + " rolls on until " +
                                    human_duration(w.rollout ? w.rollout->min_duration_seconds : 0) +
                                    ": what depends on the HelmRelease being Ready starts before the rollout ends"));
}

// The steps of decide_release().
std::optional<release> decide_release_steps(const YAML::Node& root, const std::string& where, std::size_t first_line,
                                            const options& opts, std::vector<diagnostic>& diagnostics,
                                            const yaml_path& at, const chart_source& render) {
  std::optional<helm_release> hr = read_helm_release(root, where, diagnostics, at);
  if (!hr) return std::nullopt;
  release r;
  r.hr = std::move(*hr);
  // The inputs that shape the entry: this run's flags, else those its entry recorded (so that the
  // command --check suggests, and --check itself, reproduce it).
  std::optional<std::string> earlier = recorded_in(root);
  r.had_entry = earlier.has_value();
  r.recorded = recorded_flags(opts);
  if (r.recorded.empty() && earlier && !earlier->empty() && !opts.set_values) {
    options recorded_opts = opts;
    apply_recorded(*earlier, recorded_opts, r.hr.where);
    r.recorded = *earlier;
    decide_pace(r, first_line, recorded_opts, diagnostics, render);
  } else {
    decide_pace(r, first_line, opts, diagnostics, render);
  }
  return r;
}

// What decide_release_steps() decides once the inputs are known: the entry's kinds, --set's edits,
// the pace and the timeout.
void decide_pace(release& r, std::size_t first_line, const options& opts, std::vector<diagnostic>& diagnostics,
                 const chart_source& render) {
  r.kinds = opts.kinds;
  if (r.hr.annotations.skip) {
    if (opts.report)
      diagnostics.push_back({diagnostic::level::report, r.hr.where + ": rollout-pace/skip is \"true\", no patch"});
    return;
  }
  if (opts.set_values) {
    set_edits set = set_edits_for(r.hr, *opts.set_values, opts.values_key);
    const choice& own = r.hr.annotations.chosen;
    if (set.into_values && (own.profile || !own.overrides.empty()))
      diagnostics.push_back(warning(warning_id::annotations_override, r.hr.where +
                                                                          ": its rollout-pace/* annotations override "
                                                                          "what --set writes into " +
                                                                          set.written));
    if (!set.edits.empty()) {
      r.pace_edits = std::move(set.edits);
      r.edit_notes.push_back({diagnostic::level::note, r.hr.where + ": --set wrote the pace into " + set.written +
                                                           (set.into_values ? " (the chart's values for rollout-pace)"
                                                                            : " (rollout-pace flux reads them; the "
                                                                              "chart never sees them)")});
      return;  // the next pass reads what was written
    }
  }
  choose_for_release(r, first_line, opts, diagnostics);
  if (!r.chosen) return;
  std::string why_not;
  if (render) r.rendered = render(r, opts, why_not);
  if (r.rendered) {
    for (diagnostic& d : r.rendered->diagnostics) diagnostics.push_back(std::move(d));
    r.rendered->diagnostics.clear();
    if (r.rendered->patches.empty()) {
      diagnostics.push_back({diagnostic::level::note, r.hr.where + ": its chart renders no workload the post-renderer "
                                                                   "changes, so it gets no entry"});
      r.chosen.reset();
      return;
    }
    warn_reported_early(r, opts, diagnostics);
  } else {
    warn_static_patch(r, why_not, diagnostics);
  }
  fit_timeout(r, opts, diagnostics);
}

}  // namespace

std::optional<release> decide_release(const YAML::Node& root, const std::string& where, std::size_t first_line,
                                      const options& opts, std::vector<diagnostic>& diagnostics, const yaml_path& at,
                                      const chart_source& render) {
  std::vector<diagnostic> mine;
  std::optional<release> r = decide_release_steps(root, where, first_line, opts, mine, at, render);
  drop_accepted(mine, opts.accept, r ? r->hr.annotations.accept : std::vector<warning_id>{});
  for (diagnostic& d : mine) diagnostics.push_back(std::move(d));
  return r;
}
helm_wait flux_wait(const helm_release& hr, const options& opts) {
  if (opts.wait_given) return opts.wait;
  try {
    YAML::Node strategy = lookup(lookup(hr.spec, "waitStrategy").value, "name").value;
    if (scalar_or(strategy, "") == "legacy") return helm_wait::legacy;
  } catch (const yaml_error&) {}
  return helm_wait::watcher;
}

}  // namespace rollout_pace
