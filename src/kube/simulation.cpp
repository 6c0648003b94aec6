#include "kube/simulation.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <tuple>

namespace rollout_pace {
void check_count(std::int64_t n, const char* what) {
  if (n < 0 || n > std::numeric_limits<std::int32_t>::max())
    throw std::invalid_argument(std::string(what) + " " + std::to_string(n) + " is not a count the API takes (0 to " +
                                std::to_string(std::numeric_limits<std::int32_t>::max()) + ")");
}

namespace {

// What one round of the Deployment controller did (one wait: a batch available, old pods out, a
// batch in), and whether the rounds ahead will do the same. In the steady state every round starts
// with the same pods in all and one batch pending, takes `out` old pods down and creates a batch of
// `in` new ones; that holds while neither the old pods left nor the new ones still to create limit
// the next round, which alike_ahead() leaves room for.
class round_tracker {
 public:
  void start(std::int64_t old_pods, std::int64_t new_pods) {
    old_ = old_pods;
    new_ = new_pods;
  }
  std::int64_t out() const { return last_out_; }
  void reset() { rounds_ = 0; }
  // Called at a round's end: how many rounds ahead are alike (0: not the steady state yet).
  std::int64_t alike_ahead(std::int64_t old_pods, std::int64_t new_pods, std::int64_t replicas) {
    std::int64_t out = old_ - old_pods, in = new_pods - new_;
    bool alike = rounds_ > 0 && out == last_out_ && in == last_in_ && old_pods + new_pods == last_total_;
    rounds_ = alike ? rounds_ + 1 : 1;
    last_out_ = out;
    last_in_ = in;
    last_total_ = old_pods + new_pods;
    if (rounds_ < 2 || out <= 0 || in <= 0) return 0;
    // Leave three rounds' room on both sides: those are simulated one by one again.
    std::int64_t k = std::min(old_pods / out, (replicas - new_pods) / in) - 3;
    return std::max<std::int64_t>(0, k);
  }

 private:
  std::int64_t old_ = 0, new_ = 0, last_out_ = 0, last_in_ = 0, last_total_ = -1, rounds_ = 0;
};

}  // namespace

std::int64_t rollout_plan::step_count() const {
  std::int64_t n = 0;
  for (const rollout_step& s : steps) n += s.count;
  return n;
}

namespace {

// One Deployment rollout, sync by sync (rolling.go): the old and new pods, the batches of new pods
// (plan.steps) and which of them are available. Batches become available in the order they were
// created: a running sum and the first batch not yet available keep each sync constant time.
class deployment_run {
 public:
  deployment_run(rollout_plan& plan, std::int64_t wait, std::int64_t watch)
      : plan_(plan),
        batches_(plan.steps),
        replicas_(plan.replicas),
        max_total_(plan.replicas + plan.pods.surge),  // NewRSNewReplicas
        min_available_(plan.replicas - plan.pods.unavailable),
        wait_(wait),
        watch_(watch),
        old_(plan.replicas) {}

  // Runs the rollout to its end; returns its duration.
  std::int64_t run(std::int64_t compress_after) {
    round_tracker rounds;
    for (;;) {
      rounds.start(old_, new_);
      sync();
      new_available();
      if (static_cast<std::int64_t>(batches_.size()) >= compress_after && first_pending_ + 1 == batches_.size() &&
          batches_.back().created == t_)
        skip_alike(rounds);
      if (old_ == 0 && new_ == replicas_ && first_pending_ == batches_.size()) return t_;
      // Nothing will become available: the rollout cannot progress (cannot happen: not both zero).
      if (first_pending_ == batches_.size())
        throw std::invalid_argument("the rollout cannot progress with these values");
      spend(batches_[first_pending_].available - t_);
      t_ = batches_[first_pending_].available;  // the next moment something changes
    }
  }

 private:
  std::int64_t new_available() {
    while (first_pending_ < batches_.size() && batches_[first_pending_].available <= t_)
      available_new_ += batches_[first_pending_++].pods;
    return available_new_;
  }

  // The controller syncs until nothing changes: scale up the new ReplicaSet, else scale down old.
  void sync() {
    for (bool changed = true; changed;) {
      changed = false;
      std::int64_t total = old_ + new_;
      if (total < max_total_ && new_ < replicas_) {
        std::int64_t up = std::min(max_total_ - total, replicas_ - new_);
        if (!batches_.empty() && batches_.back().created == t_ && first_pending_ < batches_.size())
          batches_.back().pods += up;
        else
          batches_.push_back({t_, t_ + wait_, up});
        new_ += up;
        changed = true;
      }
      std::int64_t available = old_ + new_available();
      plan_.peak_pods = std::max(plan_.peak_pods, old_ + new_);
      plan_.min_available = std::min(plan_.min_available, available);
      // reconcileOldReplicaSets: nothing while maxScaledDown <= 0 (the new ReplicaSet's unavailable
      // pods use up the room); then scaleDownOldReplicaSetsForRollingUpdate down to min_available.
      std::int64_t unavailable_new = new_ - new_available();
      std::int64_t max_scaled_down = old_ + new_ - min_available_ - unavailable_new;
      if (old_ > 0 && max_scaled_down > 0 && available > min_available_) {
        std::int64_t down = std::min(available - min_available_, old_);
        if (down > 0) {
          old_ -= down;
          plan_.min_available = std::min(plan_.min_available, old_ + new_available());
          changed = true;
        }
      }
    }
  }

  // The steady state: the rounds ahead that stay alike (round_tracker), written as one run of
  // batches and skipped in one move; the pending batch moves to the round after them.
  void skip_alike(round_tracker& rounds) {
    std::int64_t k = rounds.alike_ahead(old_, new_, replicas_);
    if (k <= 0) return;
    spend(k * wait_);  // every round ahead holds the available pods of this one: the total less a batch
    const std::int64_t in = batches_.back().pods, out = rounds.out();
    batches_.insert(batches_.end() - 1, rollout_step{t_, t_ + wait_, in, k, wait_});
    batches_.back().created += k * wait_;
    batches_.back().available += k * wait_;
    first_pending_ = batches_.size() - 1;
    available_new_ += k * in;
    new_ += k * in;
    old_ -= k * out;
    t_ += k * wait_;
    rounds.reset();
  }

  // The pods available now stay so for the next seconds: counted when at or below the watch level.
  void spend(std::int64_t seconds) {
    if (old_ + available_new_ <= watch_) plan_.seconds_at_or_below += seconds;
  }

  rollout_plan& plan_;
  std::vector<rollout_step>& batches_;
  const std::int64_t replicas_, max_total_, min_available_, wait_, watch_;
  std::int64_t old_, new_ = 0, available_new_ = 0, t_ = 0;
  std::size_t first_pending_ = 0;
};

}  // namespace

rollout_plan simulate_rolling_update(std::int64_t replicas, const int_or_percent& max_surge,
                                     const int_or_percent& max_unavailable, std::int32_t min_ready_seconds,
                                     std::int64_t pod_startup_seconds, std::int64_t compress_after,
                                     std::int64_t watch_available) {
  if (pod_startup_seconds == 0 && min_ready_seconds == 0) {
    // Pods ready at once still become available in a later sync than the one that created them
    // (reconcileOldReplicaSets reads the new ReplicaSet's available count as it was when it scaled it
    // up): the rollout moves as with the shortest wait, in no time.
    rollout_plan plan = simulate_rolling_update(replicas, max_surge, max_unavailable, 0, 1, compress_after);
    for (rollout_step& s : plan.steps) s.created = s.available = s.every = 0;
    plan.min_duration_seconds = 0;
    return plan;
  }
  check_count(replicas, "replicas");
  rollout_plan plan;
  plan.replicas = replicas;
  plan.pods = resolve_fenceposts(max_surge, max_unavailable, replicas);
  // MaxUnavailable in deployment/util: never more than replicas (0 for none).
  plan.pods.unavailable = std::min(plan.pods.unavailable, replicas);
  plan.peak_pods = replicas;
  plan.min_available = replicas;
  if (replicas == 0) return plan;
  plan.min_duration_seconds =
      deployment_run(plan, pod_startup_seconds + min_ready_seconds, watch_available).run(compress_after);
  return plan;
}

namespace {

// Batches of `batch` pods, each replaced in `wait` seconds, the next batch once it is available.
rollout_plan batches(std::int64_t count, std::int64_t batch, std::int64_t wait, bool surge, const fenceposts& pods,
                     std::int64_t watch) {
  check_count(count, "nodes");
  rollout_plan plan;
  plan.replicas = count;
  plan.pods = pods;
  plan.pods.surge = std::min(plan.pods.surge, count);  // never more pods at once than there are
  plan.pods.unavailable = std::min(plan.pods.unavailable, count);
  plan.peak_pods = count;
  plan.min_available = count;
  if (count == 0) return plan;
  batch = std::max<std::int64_t>(1, std::min(batch, count));
  // The full batches, one after the other (one run), then what is left.
  std::int64_t full = count / batch, rest = count % batch;
  if (full > 0) plan.steps.push_back({0, wait, batch, full, wait});
  std::int64_t t = full * wait;
  if (rest > 0) {
    plan.steps.push_back({t, t + wait, rest});
    t += wait;
  }
  if (surge)
    plan.peak_pods = count + batch;
  else
    plan.min_available = count - batch;
  plan.min_duration_seconds = t;
  // Available meanwhile: every pod with a surge (the old one goes once the new one is available),
  // else all but the batch being replaced.
  auto level = [&](std::int64_t down) { return count - (surge ? 0 : down) <= watch; };
  plan.seconds_at_or_below = (level(batch) ? full * wait : 0) + (rest > 0 && level(rest) ? wait : 0);
  return plan;
}

}  // namespace

rollout_plan simulate_daemonset_update(std::int64_t nodes, const fenceposts& pods, std::int32_t min_ready_seconds,
                                       std::int64_t pod_startup_seconds, std::int64_t watch_available) {
  bool surge = pods.surge > 0;
  return batches(nodes, surge ? pods.surge : pods.unavailable, pod_startup_seconds + min_ready_seconds, surge, pods,
                 watch_available);
}

rollout_plan simulate_statefulset_update(const statefulset_update& u) {
  check_count(u.replicas, "replicas");
  std::int64_t replaced = std::max<std::int64_t>(0, u.replicas - std::max<std::int64_t>(0, u.partition));
  std::int64_t window = u.gate_on ? std::max<std::int64_t>(1, std::min(u.max_unavailable, u.replicas)) : 1;
  std::int64_t wait = u.pod_startup_seconds + u.min_ready_seconds;
  rollout_plan plan;
  plan.replicas = u.replicas;
  plan.pods = fenceposts{0, std::min(window, u.replicas), false};
  plan.peak_pods = u.replicas;
  plan.min_available = u.replicas;
  if (u.partition > 0)
    plan.note = u.partition >= u.replicas ? "partition " + std::to_string(u.partition) + ": no pod is replaced"
                                          : "partition " + std::to_string(u.partition) + ": only ordinals " +
                                                std::to_string(u.partition) + " and up are replaced";
  if (replaced == 0) return plan;
  std::int64_t down = std::min(window, replaced);
  plan.min_available = u.replicas - down;
  std::int64_t t = 0;
  // Available meanwhile, against the watch level: a batch of b pods down at once comes back all
  // together (Parallel) or one at a time (OrderedReady: b, b - 1, ..., 1 down, a wait each).
  auto at_or_below = [&](std::int64_t down) { return u.replicas - down <= u.watch_available; };
  auto one_at_a_time = [&](std::int64_t b) {  // the waits of a batch of b spent at or below the level
    std::int64_t n = 0;
    if (at_or_below(1))
      n = b;  // every level of the batch is at or below the highest one
    else if (at_or_below(b))
      n = b - (u.replicas - 1 - u.watch_available);  // down b..(replicas - watch): those levels
    return std::max<std::int64_t>(0, n) * wait;
  };
  if (u.gate_on && u.parallel) {
    // The full windows, one after the other (one run), then what is left.
    std::int64_t full = replaced / window, rest = replaced % window;
    if (full > 0) plan.steps.push_back({0, wait, window, full, wait});
    t = full * wait;
    if (rest > 0) {
      plan.steps.push_back({t, t + wait, rest});
      t += wait;
    }
    plan.seconds_at_or_below = (at_or_below(window) ? full * wait : 0) + (rest > 0 && at_or_below(rest) ? wait : 0);
  } else {
    // One pod at a time: OrderedReady recreates even a batch of several in ordinal order.
    plan.steps.push_back({0, wait, 1, replaced, wait});
    t = replaced * wait;
    plan.seconds_at_or_below = (replaced / down) * one_at_a_time(down) + one_at_a_time(replaced % down);
    if (u.gate_on && down > 1) {
      std::string how = "OrderedReady: " + std::to_string(down) + " pods go at once, and come back one at a time";
      plan.note = plan.note.empty() ? how : how + "; " + plan.note;
    }
  }
  plan.min_duration_seconds = t;
  return plan;
}

}  // namespace rollout_pace
