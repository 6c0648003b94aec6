#include "commands/explain.h"

#include "pace/warnings.h"

#include "base/diagnostic.h"
#include "kube/rules.h"
#include "pace/choose.h"

namespace rollout_pace {

planned_workload explain(const options& opts, const workload_kind& kind, std::int64_t replicas) {
  workload_decision d;
  try {
    d.pace = choose({choice{}, opts.flags, opts.values, opts.matrix});
  } catch (const incomplete_profile& e) {
    throw failure(exit_code::bad_usage,
                  std::string(e.what()) + " (give " + std::string(names_of(e.missing).flag) + ")");
  }
  if (!d.pace) throw failure(exit_code::bad_usage, "explain needs a profile");
  d.written = map_pace(kind, d.pace->max_surge, d.pace->max_unavailable, /*host_bound=*/false);
  if (auto v = kind.validate(d.written.max_surge, d.written.max_unavailable))
    throw failure(exit_code::bad_usage, rolling_path(kind) + "." + v->field + ": " + v->message);
  if (!d.written.adjusted.empty())
    d.diagnostics.push_back(
        warning(d.written.adjusted_id, "explain " + std::string(kind.kind) + ": " + d.written.adjusted));
  d.replicas = replicas;
  workload_ref ref;
  ref.kind = &kind;
  ref.name = "explain";
  planned_workload w(ref, d);
  w.replicas_from = replica_source::flag;
  release_plan plan;
  plan.workloads.push_back(w);
  complete_plan(plan, {}, opts);
  return plan.workloads.front();
}

}  // namespace rollout_pace
