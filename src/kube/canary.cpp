#include "kube/canary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <tuple>

namespace rollout_pace {

namespace {

// approximateWeightedCanaryStableReplicaCounts: the canary and stable counts whose weight is nearest
// the one wanted, at replicas or (with a surge) replicas + 1 in all.
std::pair<std::int64_t, std::int64_t> weighted_counts(std::int64_t replicas, std::int64_t weight, std::int64_t surge) {
  if (replicas == 0) return {0, 0};
  auto ceil_of = [&](std::int64_t total) { return (total * weight + 99) / 100; };
  auto floor_of = [&](std::int64_t total) { return total * weight / 100; };
  auto tied = [&](std::int64_t total) { return (total * weight) % 100 == 50; };
  auto delta = [&](std::int64_t canary, std::int64_t total) {
    return std::fabs(static_cast<double>(canary * 100) / static_cast<double>(total) - static_cast<double>(weight));
  };
  bool zero_allowed = weight == 100 || weight == 0 || (replicas == 1 && surge == 0);
  std::vector<std::pair<std::int64_t, std::int64_t>> options;  // canary, total
  std::int64_t ceil_count = ceil_of(replicas), floor_count = floor_of(replicas);
  if (ceil_count < replicas || zero_allowed) options.push_back({ceil_count, replicas});
  if (!tied(replicas) && (floor_count != 0 || zero_allowed)) options.push_back({floor_count, replicas});
  if (surge > 0) {
    options.push_back({ceil_count, replicas + 1});
    if (!tied(replicas + 1) && (floor_count != 0 || zero_allowed)) options.push_back({floor_count, replicas + 1});
  }
  if (options.empty()) return {0, replicas};
  auto best = options[0];
  for (const auto& o : options)
    if (delta(o.first, o.second) < delta(best.first, best.second)) best = o;
  return {best.first, best.second - best.first};
}

// GetReplicasForScaleDown: the spec when it is below the available pods or availability is ignored.
std::int64_t for_scale_down(std::int64_t spec, std::int64_t available, bool ignore_availability) {
  return spec < available || ignore_availability ? spec : available;
}

// adjustReplicaWithinLimits: keep the pair within replicas + maxSurge without going below the
// available pods needed.
std::pair<std::int64_t, std::int64_t> adjust_within(std::int64_t drain_available, std::int64_t adjust_available,
                                                    std::int64_t drain, std::int64_t adjust, std::int64_t max_allowed,
                                                    std::int64_t min_available) {
  std::int64_t over = std::max<std::int64_t>(0, adjust + drain - max_allowed);
  std::int64_t total_available = std::min(drain_available, drain);
  adjust -= over;
  total_available += std::min(adjust_available, adjust);
  std::int64_t extra = std::max<std::int64_t>(0, adjust_available - adjust);
  adjust += std::min(extra, std::max<std::int64_t>(0, min_available - total_available));
  drain -= std::max<std::int64_t>(0, adjust + drain - max_allowed);
  return {drain, adjust};
}

// What CalculateReplicaCountsForBasicCanary reads: both ReplicaSets (the stable one's pods all
// available), the counts the weight wants, and the limits.
struct canary_state {
  std::int64_t canary, canary_available, stable, want_canary, want_stable, max_allowed, min_available;
};

// CalculateReplicaCountsForBasicCanary: scale up toward the wanted counts within max_allowed, the
// stable one first; scale down (the stable one while the canary grows) without going below
// min_available. Returns the canary's and the stable one's new counts.
std::pair<std::int64_t, std::int64_t> canary_counts(const canary_state& s) {
  std::int64_t new_canary = s.canary, new_stable = s.stable;
  std::int64_t room = s.max_allowed - (s.canary + s.stable);
  if (s.stable < s.want_stable && room > 0) {
    new_stable = std::min(s.want_stable, s.stable + room);
    room -= new_stable - s.stable;
  }
  if (s.canary < s.want_canary && room > 0) new_canary = std::min(s.want_canary, s.canary + room);
  bool increasing = s.want_canary >= s.canary;
  std::int64_t down =
      for_scale_down(s.canary, s.canary_available, !increasing) + for_scale_down(s.stable, s.stable, increasing);
  if (down <= s.min_available) return {new_canary, new_stable};
  std::int64_t k = down - s.min_available;
  if (!increasing) {
    if (s.canary > s.want_canary) new_canary = std::max(s.want_canary, s.canary - k);
    std::tie(new_canary, new_stable) =
        adjust_within(s.canary_available, s.stable, new_canary, new_stable, s.max_allowed, s.min_available);
  } else {
    if (s.stable > s.want_stable) new_stable = std::max(s.want_stable, s.stable - k);
    std::tie(new_stable, new_canary) =
        adjust_within(s.stable, s.canary_available, new_stable, new_canary, s.max_allowed, s.min_available);
  }
  return {new_canary, new_stable};
}

// Whether a canary step completes now (completedCurrentCanaryStep, CompletedCanaryPauseStep): a
// setWeight when both ReplicaSets are at their counts, a pause when its time is up (it starts now if
// it has not), a pause with no duration never: a person promotes it.
bool step_done(const canary_step& s, bool at_counts, std::int64_t t, std::int64_t& pause_until, bool& waits) {
  switch (s.kind) {
    case canary_step::what::set_weight: return at_counts;
    case canary_step::what::pause:
      if (pause_until < 0) pause_until = t + s.value;
      if (t < pause_until) return false;
      pause_until = -1;
      return true;
    case canary_step::what::pause_until_promoted: waits = true; return false;
    case canary_step::what::scale_replicas:  // setCanaryScale: a basic canary scales by weight alone
    case canary_step::what::scale_weight:
    case canary_step::what::scale_match: return at_counts;
  }
  return false;
}

}  // namespace

namespace {

// A canary's wait from a pod's creation to available. With no wait at all (as for a Deployment),
// the shortest, 1 s, and finish_canary() zeroes the times.
std::int64_t canary_wait(const canary_update& u) {
  std::int64_t wait = u.pod_startup_seconds + u.min_ready_seconds;
  return wait == 0 ? 1 : wait;
}

// The rollout's duration, t; with no wait and no pause it takes no time, and its steps none either.
void finish_canary(const canary_update& u, std::int64_t t, rollout_plan& plan) {
  bool pauses = std::any_of(u.steps.begin(), u.steps.end(), [](const canary_step& s) {
    return s.kind == canary_step::what::pause || s.kind == canary_step::what::pause_until_promoted;
  });
  bool instant = u.pod_startup_seconds + u.min_ready_seconds == 0 && !pauses;
  plan.min_duration_seconds = instant ? 0 : t;
  if (instant) {
    for (rollout_step& s : plan.steps) s.created = s.available = 0;
    plan.seconds_at_or_below = 0;
  }
}

// CalculateReplicaCountsForTrafficRoutedCanary, step by step (see simulate_canary_update).
rollout_plan traffic_routed_canary(const canary_update& u, bool& waits_for_promotion) {
  using what = canary_step::what;
  const std::int64_t R = u.replicas;
  rollout_plan plan;
  plan.replicas = R;
  plan.peak_pods = R;
  plan.min_available = R;
  plan.by_weight = true;
  plan.note =
      "traffic routing: the router moves the weight, so maxSurge and maxUnavailable do not apply, and "
      "the stable ReplicaSet " +
      std::string(u.dynamic_stable_scale ? "shrinks as the canary's pods become available (dynamicStableScale)"
                                         : "keeps every pod until the canary has all of them");
  if (R == 0) return plan;
  const std::int64_t wait = canary_wait(u);
  // CheckMinPodsPerReplicaSet, and trafficWeightToReplicas (rounds up).
  auto at_least_min = [&](std::int64_t n) { return n == 0 ? 0 : std::max(n, u.min_pods_per_replica_set); };
  auto of_weight = [&](std::int64_t weight) { return at_least_min((R * weight + 99) / 100); };
  // The canary's count at step i (GetCanaryReplicasOrWeight with UseSetCanaryScale).
  auto canary_at = [&](std::size_t i) {
    for (std::size_t j = i + 1; j-- > 0;) {
      const canary_step& s = u.steps[j];
      if (s.kind == what::scale_match) break;
      if (s.kind == what::scale_replicas) return s.value;
      if (s.kind == what::scale_weight) return of_weight(s.value);
    }
    for (std::size_t j = i + 1; j-- > 0;)
      if (u.steps[j].kind == what::set_weight) return of_weight(u.steps[j].value);
    return std::int64_t{0};
  };
  std::int64_t t = 0, canary = 0, stable = R;
  // The canary to target pods (available one wait later); with dynamicStableScale the stable
  // ReplicaSet then keeps what the router's weight leaves it, and grows first when the canary shrinks.
  // The pods available now stay so for the next seconds: counted when at or below the watch level.
  auto spend = [&](std::int64_t seconds) {
    if (stable + canary <= u.watch_available) plan.seconds_at_or_below += seconds;
  };
  auto scale_to = [&](std::int64_t target, std::int64_t traffic_weight) {
    std::int64_t rest =
        u.dynamic_stable_scale ? at_least_min(std::max<std::int64_t>(0, R - of_weight(traffic_weight))) : R;
    if (target > canary) {
      plan.steps.push_back({t, t + wait, target - canary});
      plan.peak_pods = std::max(plan.peak_pods, stable + target);
      spend(wait);  // the new canary pods start; the pods there stay available
      t += wait;
    } else if (target < canary && stable < rest) {
      stable = rest;
      plan.peak_pods = std::max(plan.peak_pods, stable + canary);
    }
    canary = target;
    stable = rest;
    plan.peak_pods = std::max(plan.peak_pods, stable + canary);
    plan.min_available = std::min(plan.min_available, stable + canary);
  };
  std::int64_t traffic = 0;  // the router's weight: the last setWeight
  for (std::size_t i = 0; i < u.steps.size(); ++i) {
    const canary_step& s = u.steps[i];
    if (s.kind == what::set_weight) {
      traffic = s.value;
      scale_to(canary_at(i), traffic);
    } else if (s.kind == what::scale_replicas || s.kind == what::scale_weight || s.kind == what::scale_match) {
      scale_to(canary_at(i), traffic);
    } else if (s.kind == what::pause) {
      spend(s.value);
      t += s.value;
    } else {
      waits_for_promotion = true;
      break;
    }
  }
  if (!waits_for_promotion) scale_to(R, 100);
  finish_canary(u, t, plan);
  return plan;
}

}  // namespace

namespace {

// The canary's pods in batches, oldest first, each available `wait` seconds after its creation; the
// batches before first_pending are available. Pods go from the newest (the ReplicaSet deletes pods
// not yet available first).
class canary_pods {
 public:
  explicit canary_pods(std::int64_t wait) : wait_(wait) {}
  std::int64_t count() const { return count_; }
  std::int64_t available() const { return available_; }
  bool all_available() const { return first_pending_ == batches_.size(); }
  // At moment t: the batches whose wait is over (created before t) become available.
  void advance(std::int64_t t) {
    while (first_pending_ < batches_.size() && batches_[first_pending_].first + wait_ <= t)
      available_ += batches_[first_pending_++].second;
  }
  void create(std::int64_t t, std::int64_t n) {
    batches_.emplace_back(t, n);
    count_ += n;
  }
  void add_available(std::int64_t t, std::int64_t n) {
    create(t, n);
    first_pending_ = batches_.size();
    available_ += n;
  }
  void remove(std::int64_t n) {
    count_ -= n;
    while (n > 0) {
      auto& last = batches_.back();
      std::int64_t take = std::min(n, last.second);
      if (batches_.size() <= first_pending_) available_ -= take;
      last.second -= take;
      n -= take;
      if (last.second == 0) {
        batches_.pop_back();
        first_pending_ = std::min(first_pending_, batches_.size());
      }
    }
  }
  // When the next pending batch becomes available (-1: none pending).
  std::int64_t next_available() const { return all_available() ? -1 : batches_[first_pending_].first + wait_; }

 private:
  std::int64_t wait_, count_ = 0, available_ = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> batches_;  // created, pods
  std::size_t first_pending_ = 0;
};

// A basic canary's state each time its stable ReplicaSet is scaled, with every canary pod available:
// two periods alike between three of these (same time, stable and canary moves, no pause running,
// the same step, one batch of new pods or none) are the steady state, and the periods ahead stay
// alike while no count comes near a bound (the wanted counts, none, all).
struct canary_mark {
  std::int64_t t, stable, canary;
  std::size_t step, plan_steps;
  std::int64_t seconds_at_or_below;
};

// One basic canary's update, reconcile by reconcile (see simulate_canary_update).
class basic_canary_run {
 public:
  basic_canary_run(const canary_update& u, rollout_plan& plan, std::int64_t compress_after)
      : u_(u),
        plan_(plan),
        R_(u.replicas),
        surge_(plan.pods.surge),
        max_allowed_(u.replicas + plan.pods.surge),
        min_available_(u.replicas - plan.pods.unavailable),
        wait_(canary_wait(u)),
        compress_after_(compress_after),
        stable_(u.replicas),
        pods_(wait_) {}

  // Runs the update to its end or to a pause for a person; returns its duration.
  std::int64_t run(bool& waits_for_promotion) {
    for (std::int64_t guard = 0;; ++guard) {
      if (guard > 100'000'000) throw std::logic_error("the canary simulation did not end");
      pods_.advance(t_);
      reconcile(waits_for_promotion);
      bool done = step_ >= u_.steps.size() && stable_ == 0 && pods_.count() == R_ && pods_.available() == R_;
      if (done || waits_for_promotion) return t_;
      std::int64_t next = pods_.next_available();  // the next moment something changes: a pod available, a pause over
      if (pause_until_ > t_ && (next < 0 || pause_until_ < next)) next = pause_until_;
      if (next < 0) next = t_ + 1;  // a pod created now is available in a later reconcile
      if (stable_ + pods_.available() <= u_.watch_available) plan_.seconds_at_or_below += next - t_;
      t_ = next;
    }
  }

 private:
  std::int64_t weight() const {
    if (step_ >= u_.steps.size()) return 100;
    for (std::size_t i = step_ + 1; i-- > 0;)
      if (u_.steps[i].kind == canary_step::what::set_weight) return u_.steps[i].value;
    return 0;
  }

  // Reconciles at this moment until nothing changes.
  void reconcile(bool& waits_for_promotion) {
    for (bool changed = true; changed;) {
      changed = false;
      std::int64_t canary = pods_.count(), canary_available = pods_.available();
      auto [want_canary, want_stable] = weighted_counts(R_, weight(), surge_);
      auto [new_canary, new_stable] =
          canary_counts({canary, canary_available, stable_, want_canary, want_stable, max_allowed_, min_available_});
      if (new_stable != stable_) {  // the stable ReplicaSet first; the canary waits for the next reconcile
        stable_ = new_stable;
        changed = true;
        mark(want_canary, want_stable);
      } else if (new_canary > canary) {
        pods_.create(t_, new_canary - canary);
        std::vector<rollout_step>& steps = plan_.steps;
        if (!steps.empty() && steps.back().count == 1 && steps.back().created == t_ && steps.back().available > t_)
          steps.back().pods += new_canary - canary;  // one batch for the pods created at one moment
        else
          steps.push_back({t_, t_ + wait_, new_canary - canary});
        changed = true;
      } else if (new_canary < canary) {
        pods_.remove(canary - new_canary);
        changed = true;
      } else if (step_ < u_.steps.size()) {  // nothing scaled: the current step may complete
        bool at_counts = canary == want_canary && canary_available == want_canary && stable_ == want_stable;
        changed = step_done(u_.steps[step_], at_counts, t_, pause_until_, waits_for_promotion);
        if (changed) ++step_;
      }
      plan_.peak_pods = std::max(plan_.peak_pods, stable_ + pods_.count());
      plan_.min_available = std::min(plan_.min_available, stable_ + pods_.available());
      if (waits_for_promotion) return;
    }
  }

  // The stable ReplicaSet was just scaled: keep the last three marks, and skip the alike periods.
  void mark(std::int64_t want_canary, std::int64_t want_stable) {
    if (!pods_.all_available() || pause_until_ >= 0) {
      marks_.clear();
      return;
    }
    if (marks_.size() == 3) marks_.erase(marks_.begin());
    marks_.push_back({t_, stable_, pods_.count(), step_, plan_.steps.size(), plan_.seconds_at_or_below});
    if (++marked_ >= compress_after_) skip_alike(want_canary, want_stable);
  }

  void skip_alike(std::int64_t want_canary, std::int64_t want_stable) {
    if (marks_.size() < 3) return;
    const canary_mark &a = marks_[0], &b = marks_[1], &c = marks_[2];
    std::int64_t dt = c.t - b.t, ds = c.stable - b.stable, dc = c.canary - b.canary;
    std::size_t made = c.plan_steps - b.plan_steps;
    if (dt != b.t - a.t || ds != b.stable - a.stable || dc != b.canary - a.canary || ds != -dc || dc == 0 ||
        a.step != c.step || made != b.plan_steps - a.plan_steps || made != (dc > 0 ? 1u : 0u) || (dc > 0 && dt <= 0))
      return;
    // Periods ahead, leaving three before the nearest bound in the direction each count moves.
    std::int64_t k = std::numeric_limits<std::int64_t>::max();
    auto room = [&](std::int64_t x, std::int64_t dx, std::initializer_list<std::int64_t> bounds) {
      for (std::int64_t bound : bounds)
        if (std::int64_t gap = bound - x; gap == 0 || (gap > 0) == (dx > 0)) k = std::min(k, gap / dx);
    };
    room(c.stable, ds, {want_stable, 0, R_});
    room(c.canary, dc, {want_canary, 0, R_});
    k -= 3;
    if (k <= 0) return;
    if (dc > 0) {  // the batch of the last period, once per period ahead: one run
      rollout_step last = plan_.steps.back();
      if (last.count != 1 || last.pods != dc) return;
      plan_.steps.push_back({last.created + dt, last.available + dt, last.pods, k, dt});
      pods_.add_available(c.t + k * dt, k * dc);
    } else {
      pods_.remove(k * -dc);
    }
    stable_ += k * ds;
    t_ += k * dt;
    // The total stays (ds = -dc), so each period ahead spends as the last one did at each level.
    plan_.seconds_at_or_below += k * (c.seconds_at_or_below - b.seconds_at_or_below);
    marks_.clear();
  }

  const canary_update& u_;
  rollout_plan& plan_;
  const std::int64_t R_, surge_, max_allowed_, min_available_, wait_, compress_after_;
  std::int64_t stable_, t_ = 0, pause_until_ = -1, marked_ = 0;
  std::size_t step_ = 0;
  canary_pods pods_;
  std::vector<canary_mark> marks_;  // the last three
};

}  // namespace

rollout_plan simulate_canary_update(const canary_update& u, bool& waits_for_promotion, std::int64_t compress_after) {
  waits_for_promotion = false;
  check_count(u.replicas, "replicas");
  if (u.traffic_routed) return traffic_routed_canary(u, waits_for_promotion);
  rollout_plan plan;
  plan.replicas = u.replicas;
  plan.pods = resolve_fenceposts(u.max_surge, u.max_unavailable, u.replicas);
  plan.pods.unavailable = std::min(plan.pods.unavailable, u.replicas);  // MaxUnavailable: never more than replicas
  plan.peak_pods = u.replicas;
  plan.min_available = u.replicas;
  if (u.replicas == 0) return plan;
  // As for a Deployment: with no wait at all, the shortest, in no time (finish_canary zeroes the times).
  std::int64_t t = basic_canary_run(u, plan, compress_after).run(waits_for_promotion);
  finish_canary(u, t, plan);
  return plan;
}

}  // namespace rollout_pace
