#include "manifest/workload.h"

#include "manifest/disruption_budget.h"

#include "base/duration.h"
#include "base/text.h"

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <optional>

#include "kube/profile.h"
#include "kube/rules.h"
#include "manifest/annotations.h"
#include "yaml/compare.h"
#include "yaml/scalars.h"

namespace rollout_pace {
namespace {

constexpr std::string_view helm4_filename = "postrenderer.helm.sh/postrender-filename";

// A located failure for this workload.
[[noreturn]] void fail(const workload& w, const std::string& message) {
  throw failure(exit_code::bad_input, message, warning_id::none, w.ref.resource());
}

bool present(const node_view& n) { return n.defined() && !n.is_null(); }

// One field on the way to what we read or edit, with its path.
struct located {
  view_field f;
  yaml_path at;
  const node_view& value() const { return f.value; }
};

// lookup() with the workload's location on a bad merge key.
located get(const workload& w, const located& parent, std::string_view key) {
  located out;
  out.at = parent.at / std::string(key);
  try {
    out.f = lookup(parent.value(), key);
  } catch (const yaml_error& e) {
    fail(w, to_string(parent.at) + ": " + e.what());
  }
  return out;
}

// A node already in hand (the workload, a list item) as the start of further lookups.
located at_node(const node_view& n, yaml_path at) {
  located l;
  l.f.value = n;
  l.at = std::move(at);
  return l;
}

located root_of(const workload& w) { return at_node(w.node, w.at); }

// The fields a rollout decision reads and edits, at the paths the kind's table entry gives.
struct rollout_fields {
  located spec;
  std::vector<located> strategy_path;  // spec.strategy, or spec.updateStrategy, or spec.strategy and .canary
  located strategy, type, rolling, surge, unavailable, min_ready, deadline, replicas;
  located policy, partition;  // StatefulSets: spec.podManagementPolicy and the rolling update's partition
};

rollout_fields locate(const workload& w) {
  const workload_kind& k = *w.ref.kind;
  rollout_fields r;
  r.spec = get(w, root_of(w), "spec");
  located at = r.spec;
  for (std::string_view step : k.strategy) {
    at = get(w, at, step);
    r.strategy_path.push_back(at);
  }
  r.strategy = at;
  r.rolling = r.strategy;
  if (!k.rolling.empty()) {
    r.type = get(w, r.strategy, "type");
    r.rolling = get(w, r.strategy, k.rolling);
  }
  if (k.has_surge) r.surge = get(w, r.rolling, "maxSurge");
  r.unavailable = get(w, r.rolling, "maxUnavailable");
  r.min_ready = get(w, r.spec, "minReadySeconds");
  if (k.has_progress_deadline) r.deadline = get(w, r.spec, "progressDeadlineSeconds");
  r.replicas = get(w, r.spec, "replicas");
  if (k.ordinal) {
    r.policy = get(w, r.spec, "podManagementPolicy");
    r.partition = get(w, r.rolling, "partition");
  }
  return r;
}

// Whether any item of the pod template's lists (containers, initContainers) satisfies pred.
template <typename Pred>
bool any_container(const workload& w, const rollout_fields& r, std::initializer_list<const char*> lists, Pred pred) {
  located pod = get(w, get(w, r.spec, "template"), "spec");
  for (const char* list : lists) {
    located cs = get(w, pod, list);
    if (!cs.value().is_sequence()) continue;
    for (std::size_t i = 0; i < cs.value().size(); ++i)
      if (cs.value().item(i).is_map() && pred(at_node(cs.value().item(i), cs.at))) return true;
  }
  return false;
}

// A hostPort that is set: present, and not 0 (which the API server reads as unset).
bool bound(const node_view& port) { return present(port) && yaml_int(port) != std::optional<std::int64_t>(0); }

// A pod that holds a host port or the host network cannot start beside its old copy on one node.
bool host_bound(const workload& w, const rollout_fields& r) {
  // As Kubernetes reads them: hostNetwork: yes (or on, True) is true, hostPort: 0 is no host port.
  if (yaml_bool(get(w, get(w, get(w, r.spec, "template"), "spec"), "hostNetwork").value()) == true) return true;
  return any_container(w, r, {"initContainers", "containers"}, [&](const located& c) {
    located ports = get(w, c, "ports");
    if (!ports.value().is_sequence()) return false;
    for (std::size_t i = 0; i < ports.value().size(); ++i)
      if (bound(get(w, at_node(ports.value().item(i), ports.at), "hostPort").value())) return true;
    return false;
  });
}

// The workload's metadata.annotations map (undefined when absent).
located annotations_of(const workload& w) {
  located meta = get(w, root_of(w), "metadata");
  located a = get(w, meta, "annotations");
  if (present(a.value()) && !a.value().is_map()) fail(w, to_string(a.at) + ": must be a map");
  return a;
}

// The label keys whose value differs between a workload's revisions: a spread that lists one in
// matchLabelKeys counts the new revision's pods only, so the old pods take no room from the surge pod.
bool counts_one_revision(const node_view& keys) {
  for (std::size_t i = 0; keys.is_sequence() && i < keys.size(); ++i) {
    std::string key = scalar_or(keys.item(i), "");
    if (key == "pod-template-hash" || key == "rollouts-pod-template-hash" || key == "controller-revision-hash")
      return true;
  }
  return false;
}

// What caps the workload's pods on one node, for the stall check: a host port or the host network,
// a required pod anti-affinity term on kubernetes.io/hostname that selects its own pods (in its own
// namespace: no namespaces or namespaceSelector), and a DoNotSchedule topology spread on
// kubernetes.io/hostname over its own pods with minDomains (PodTopologySpread's filter: skew is the
// node's matching pods plus this one minus the global minimum, 0 while the domains are fewer than
// minDomains). Without minDomains a spread never caps the surge pod: one more pod on the emptiest
// node keeps the skew within maxSkew.
std::vector<node_limit> node_limits(const workload& w, const rollout_fields& r, const label_set& labels) {
  std::vector<node_limit> out;
  if (host_bound(w, r)) out.push_back({"a hostPort or hostNetwork", 1, 0});
  located pod = get(w, get(w, r.spec, "template"), "spec");
  node_view terms = lookup(lookup(lookup(pod.value(), "affinity").value, "podAntiAffinity").value,
                           "requiredDuringSchedulingIgnoredDuringExecution")
                        .value;
  for (std::size_t i = 0; terms.is_sequence() && i < terms.size(); ++i) {
    node_view t = terms.item(i);
    if (scalar_or(lookup(t, "topologyKey").value, "") != "kubernetes.io/hostname") continue;
    if (present(lookup(t, "namespaces").value) || present(lookup(t, "namespaceSelector").value)) continue;
    node_view sel = lookup(t, "labelSelector").value;
    if (sel.is_map() && matches(read_selector(sel), labels))
      out.push_back({"required pod anti-affinity on kubernetes.io/hostname against its own pods", 1, 0});
  }
  node_view spreads = lookup(pod.value(), "topologySpreadConstraints").value;
  for (std::size_t i = 0; spreads.is_sequence() && i < spreads.size(); ++i) {
    node_view c = spreads.item(i);
    if (scalar_or(lookup(c, "topologyKey").value, "") != "kubernetes.io/hostname" ||
        scalar_or(lookup(c, "whenUnsatisfiable").value, "") != "DoNotSchedule" ||
        counts_one_revision(lookup(c, "matchLabelKeys").value))
      continue;
    std::optional<std::int64_t> skew = yaml_int(lookup(c, "maxSkew").value);
    std::optional<std::int64_t> domains = yaml_int(lookup(c, "minDomains").value);
    node_view sel = lookup(c, "labelSelector").value;
    if (!skew || *skew < 1 || !domains || *domains < 1 || !sel.is_map() || !matches(read_selector(sel), labels))
      continue;
    out.push_back({"a DoNotSchedule topology spread on kubernetes.io/hostname with maxSkew " + std::to_string(*skew) +
                       " and minDomains " + std::to_string(*domains) +
                       ": with fewer nodes than that, the scheduler takes the fewest pods on a node as 0",
                   *skew, *domains});
  }
  return out;
}

bool has_readiness_probe(const workload& w, const rollout_fields& r) {
  return any_container(w, r, {"containers"},
                       [&](const located& c) { return present(get(w, c, "readinessProbe").value()); });
}

// The current value as the report shows it.
std::string shown(const node_view& n) { return present(n) ? scalar_or(n, "(not a scalar)") : "unset"; }

// Whether an existing scalar already says what we would write (so the bytes can stay).
bool already(const node_view& n, const std::string& text, bool quoted_string) {
  if (!n.defined() || !n.is_scalar() || n.text() != text) return false;
  std::string tag = n.tag();
  if (quoted_string) return tag == "?" || tag == "!";  // "25%" and 25% are the same string
  return tag == "?";
}

// A field as the decision reads it.
field_fact fact_of(const located& l) {
  field_fact f;
  const node_view& n = l.value();
  f.present = present(n);
  f.scalar = n.defined() && n.is_scalar();
  f.plain = f.scalar && is_plain(n);
  f.text = scalar_or(n, "");
  f.shown = shown(n);
  f.number = yaml_int(n);
  f.at = to_string(l.at);
  f.is_map = n.is_map();
  return f;
}

strategy_facts strategy_of(const rollout_fields& r) {
  strategy_facts s;
  s.spec = fact_of(r.spec);
  for (const located& m : r.strategy_path)
    if (present(m.value()) && !m.value().is_map() && !s.not_a_map) s.not_a_map = fact_of(m);
  s.strategy = fact_of(r.strategy);
  s.type = fact_of(r.type);
  s.rolling = fact_of(r.rolling);
  s.surge = fact_of(r.surge);
  s.unavailable = fact_of(r.unavailable);
  s.min_ready = fact_of(r.min_ready);
  s.deadline = fact_of(r.deadline);
  s.replicas = fact_of(r.replicas);
  s.policy = fact_of(r.policy);
  s.partition = fact_of(r.partition);
  return s;
}

// Reads a fact, keeping a located failure for when the decision needs it.
template <typename T, typename F>
fact<T> deferred(F read) {
  fact<T> out;
  try {
    out.value = read();
  } catch (const failure& e) {
    out.error = e.what();
  }
  return out;
}

// An Argo canary's steps (spec.strategy.canary.steps): pauses with a duration (seconds, or a Go
// duration such as "1m"), pauses with none (pause: {}), setWeight and setCanaryScale steps, and
// minPodsPerReplicaSet. Other steps add nothing the plan can count.
canary_pauses canary_pauses_of(const workload& w, const rollout_fields& r) {
  canary_pauses out;
  if (w.ref.kind->strategy.size() < 2) return out;  // only a canary strategy has steps
  node_view routing = get(w, r.strategy, "trafficRouting").value();
  out.traffic_routed = routing.is_map();
  out.dynamic_stable_scale = yaml_bool(get(w, r.strategy, "dynamicStableScale").value()).value_or(false);
  if (std::optional<std::int64_t> min = plain_count(get(w, r.strategy, "minPodsPerReplicaSet").value()))
    out.min_pods_per_replica_set = *min;
  node_view steps = get(w, r.strategy, "steps").value();
  bool background = get(w, r.strategy, "analysis").value().is_map();
  std::int64_t pending = 0;  // a setWeight not yet observed
  auto settle = [&] {
    if (pending > 0 && pending < 100 && !background && out.unobserved_weight == 0) out.unobserved_weight = pending;
    pending = 0;
  };
  for (std::size_t i = 0; steps.is_sequence() && i < steps.size(); ++i) {
    located step = at_node(steps.item(i), r.strategy.at / "steps");
    if (std::optional<std::int64_t> weight = yaml_int(get(w, step, "setWeight").value())) {
      ++out.set_weights;
      settle();
      pending = std::clamp<std::int64_t>(*weight, 0, 100);
      out.steps.push_back({canary_step::what::set_weight, pending});
    }
    for (const char* looks : {"analysis", "experiment"})
      if (present(get(w, step, looks).value())) pending = 0;
    located scale = get(w, step, "setCanaryScale");
    if (scale.value().is_map()) {  // SetCanaryScale: replicas, weight, or matchTrafficWeight
      if (yaml_bool(get(w, scale, "matchTrafficWeight").value()).value_or(false))
        out.steps.push_back({canary_step::what::scale_match, 0});
      else if (std::optional<std::int64_t> n = plain_count(get(w, scale, "replicas").value()))
        out.steps.push_back({canary_step::what::scale_replicas, *n});
      else if (std::optional<std::int64_t> wt = yaml_int(get(w, scale, "weight").value()))
        out.steps.push_back({canary_step::what::scale_weight, std::clamp<std::int64_t>(*wt, 0, 100)});
    }
    located pause = get(w, step, "pause");
    if (!present(pause.value()) && !pause.value().is_map()) continue;
    node_view duration = get(w, pause, "duration").value();
    if (!present(duration) || yaml_int(duration).value_or(1) > 0) pending = 0;  // "0s" observes nothing
    std::int64_t before = out.seconds;
    if (!present(duration)) {
      out.indefinite = true;
      out.steps.push_back({canary_step::what::pause_until_promoted, 0});
      continue;
    }
    if (std::optional<std::int64_t> s = yaml_int(duration)) {
      out.seconds += std::max<std::int64_t>(0, *s);
    } else {
      // RolloutPause.DurationSeconds: a string of digits is seconds, else a Go duration, truncated.
      std::string text = scalar_or(duration, "");
      try {
        bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() < 10;
        out.seconds += digits ? std::stoll(text) : std::max<std::int64_t>(0, parse_duration(text) / 1000000000);
      } catch (const std::invalid_argument&) {
        out.indefinite = true;  // a duration Argo cannot read either: the safe side
        out.steps.push_back({canary_step::what::pause_until_promoted, 0});
        continue;
      }
    }
    out.steps.push_back({canary_step::what::pause, out.seconds - before});
  }
  settle();
  return out;
}

}  // namespace

std::optional<std::int64_t> plain_count(const node_view& n) {
  std::optional<std::int64_t> v = yaml_int(n);
  if (!v || *v < 0 || *v > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
  return v;
}

namespace {

workload make_workload(std::size_t document, yaml_path at, const node_view& node, const std::string& source) {
  workload w;
  w.ref.document = document;
  w.ref.at = at.empty() ? "" : to_string(at);
  if (at.size() >= 2 && at[0].key == "items" && at[1].is_index) {
    w.ref.item = at[1].index;
    w.ref.inside_item = at.size() > 2;
  }
  w.ref.source = source;
  w.at = std::move(at);
  w.node = node;
  return w;
}

}  // namespace

std::vector<workload> find_workloads(const node_view& root, std::size_t document, const std::string& source) {
  std::vector<workload> found;
  if (!root.is_map()) return found;
  workload doc = make_workload(document, {}, root, source);
  auto text_of = [&](const workload& w, const node_view& map, std::string_view key) {
    return scalar_or(get(w, at_node(map, w.at), key).value(), "");
  };
  // kind and apiVersion of a node; an item of a list with neither takes the list's (decodeToList).
  auto consider = [&](const node_view& n, yaml_path at, const std::string& list_kind, const std::string& list_api) {
    workload w = make_workload(document, std::move(at), n, source);
    std::string kind = text_of(w, n, "kind");
    w.api_version = text_of(w, n, "apiVersion");
    if (!list_kind.empty() && kind.empty() && w.api_version.empty()) {
      kind = list_kind.substr(0, list_kind.size() - 4);
      w.api_version = list_api;
    }
    w.ref.kind = find_kind(kind);
    if (!w.ref.kind) return;
    located meta = get(w, root_of(w), "metadata");
    w.ref.name = scalar_or(get(w, meta, "name").value(), "");
    w.ref.ns = scalar_or(get(w, meta, "namespace").value(), "");
    if (w.ref.source.empty()) {
      located annotations = get(w, meta, "annotations");
      w.ref.source = scalar_or(get(w, annotations, helm4_filename).value(), "");
    }
    found.push_back(std::move(w));
  };
  // A List's items, and a List's among them (FlattenListVisitor flattens nested Lists, and a KRM
  // ResourceList's items may be Lists), each at its path.
  std::function<void(const node_view&, const yaml_path&, int)> walk = [&](const node_view& n, const yaml_path& at,
                                                                          int depth) {
    workload w = make_workload(document, at, n, source);
    std::string kind = text_of(w, n, "kind");
    located items = get(w, root_of(w), "items");
    if (depth > 8 || !is_list_kind(kind) || !items.value().is_sequence()) {
      consider(n, at, "", "");
      return;
    }
    std::string api = text_of(w, n, "apiVersion");
    if (items.f.merged || items.f.explicit_count > 1) {
      // Edits address items by their place in the document's own list.
      for (std::size_t i = 0; i < items.value().size(); ++i)
        if (items.value().item(i).is_map())
          fail(w, "items: comes through a YAML merge key or a duplicate key; rollout-pace does not edit such lists");
    }
    for (std::size_t i = 0; i < items.value().size(); ++i) {
      node_view item = items.value().item(i);
      if (!item.is_map()) continue;
      yaml_path here = at / "items";
      here.push_back({"", i, true});
      std::string item_kind = text_of(w, item, "kind");
      if (is_list_kind(item_kind))
        walk(item, here, depth + 1);
      else
        consider(item, here, kind, api);
    }
  };
  walk(root, {}, 0);
  return found;
}

workload_facts read_facts(const workload& w) {
  workload_facts f;
  f.ref = w.ref;
  f.api_version = w.api_version;
  located ann_map = annotations_of(w);
  try {
    f.annotations = read_annotations(ann_map.value(), to_string(ann_map.at));
  } catch (const annotation_error& e) {
    fail(w, e.what());
  }
  // The fields are read now, but a failure to read them is raised only when the decision needs them.
  std::optional<rollout_fields> r;
  try {
    r = locate(w);
  } catch (const failure& e) {
    f.fields.error = f.host_bound.error = f.readiness_probe.error = e.what();
    return f;
  }
  f.fields.value = strategy_of(*r);
  const workload_kind& k = *w.ref.kind;
  if (!k.template_ref.empty()) {
    // What the Rollout's workloadRef names (it only informs which workload to leave alone).
    try {
      node_view ref = get(w, r->spec, k.template_ref).value();
      std::string kind = scalar_or(lookup(ref, "kind").value, ""), name = scalar_or(lookup(ref, "name").value, "");
      if (!kind.empty() && !name.empty()) {
        f.runs_template_of = workload_target{kind, w.ref.ns, name};
      }
    } catch (const std::exception&) {}
  }
  f.host_bound = deferred<bool>([&] { return host_bound(w, *r); });
  f.readiness_probe = deferred<bool>([&] { return has_readiness_probe(w, *r); });
  f.pauses = canary_pauses_of(w, *r);
  try {  // what the checks read; a shape Kubernetes refuses is the API server's to report
    f.pod_labels = read_labels(lookup(get(w, get(w, r->spec, "template"), "metadata").value(), "labels").value);
    if (k.has_surge && !k.pods_per_node) f.node_limits = node_limits(w, *r, f.pod_labels);
  } catch (const std::exception&) {}
  try {  // a value Kubernetes would refuse is the API server's to report; the plan takes the default
    node_view grace = get(w, get(w, get(w, r->spec, "template"), "spec"), "terminationGracePeriodSeconds").value();
    if (std::optional<std::int64_t> g = yaml_int(grace); g && *g >= 0) f.grace_seconds = *g;
  } catch (const failure&) {}
  // A Rollout with a workloadRef runs the referenced workload's pod template, probes and all: not
  // read here, so not warned about.
  if (f.runs_template_of) f.readiness_probe = fact<bool>{true, ""};
  return f;
}

void add_edits(const workload& w, const workload_decision& d, const node_set& shared, edit_tree& edits) {
  if (!d.pace) return;
  rollout_fields r = locate(w);
  // The path to every field we edit: no aliases, no merge keys, no duplicate keys.
  auto guard = [&](const located& l) {
    if (!l.f.present()) return;
    if (l.f.merged)
      fail(w, to_string(l.at) + ": comes through a YAML merge key (<<); rollout-pace does not edit merged maps");
    if (l.f.explicit_count > 1)
      fail(w, to_string(l.at) + ": duplicate key " + quoted(l.at.back().key) +
                  " (Kubernetes would use the last, rollout-pace refuses to guess which to edit)");
    if (l.value().yaml() && shared.contains(*l.value().yaml()))
      fail(w, to_string(l.at) + ": is shared through a YAML alias; rollout-pace does not edit through aliases");
  };
  if (w.node.yaml() && shared.contains(*w.node.yaml()))
    fail(w, (w.at.empty() ? std::string("the document") : to_string(w.at)) +
                ": is shared through a YAML alias; rollout-pace does not edit through aliases");
  guard(r.spec);
  for (const located& l : r.strategy_path) guard(l);
  for (const located* l : {&r.type, &r.rolling, &r.surge, &r.unavailable, &r.min_ready, &r.deadline}) guard(*l);

  const decision& p = *d.pace;
  // is_string: any quoting says the same; write_quoted: how a new value is written.
  auto set = [&](const located& existing, const std::string& text, bool is_string, bool write_quoted) {
    if (!already(existing.value(), text, is_string)) edits.set(existing.at, text, write_quoted);
  };
  auto set_int_or_percent = [&](const located& existing, const int_or_percent& v) {
    set(existing, v.text(), v.percent, v.percent);
  };
  set(r.min_ready, std::to_string(p.min_ready_seconds), false, false);
  if (d.progress_deadline) set(r.deadline, std::to_string(*d.progress_deadline), false, false);
  if (!w.ref.kind->rolling.empty()) set(r.type, "RollingUpdate", true, false);
  if (w.ref.kind->has_surge && d.written.max_surge) set_int_or_percent(r.surge, *d.written.max_surge);
  set_int_or_percent(r.unavailable, d.written.max_unavailable);
}

}  // namespace rollout_pace
