#include "rollout_pace/workload.h"

#include <algorithm>
#include <array>
#include <optional>

#include "rollout_pace/annotations.h"
#include "rollout_pace/change.h"
#include "rollout_pace/kube_rules.h"
#include "rollout_pace/profile.h"

namespace rollout_pace {
namespace {

constexpr std::string_view helm4_filename = "postrenderer.helm.sh/postrender-filename";

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// A located failure for this workload.
[[noreturn]] void fail(const workload& w, const std::string& message) {
  throw failure(exit_code::bad_input, w.where() + ": " + message);
}

bool present(const YAML::Node& n) { return n.IsDefined() && !n.IsNull(); }

// One field on the way to what we read or edit, with its path.
struct located {
  field f;
  yaml_path at;
  const YAML::Node& value() const { return f.value; }
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
located at_node(const YAML::Node& n, yaml_path at) {
  located l;
  l.f.value.reset(n);
  l.at = std::move(at);
  return l;
}

located root_of(const workload& w) { return at_node(w.node, w.at); }

// The fields a rollout decision reads and edits, at the paths the kind's table entry gives.
struct rollout_fields {
  located spec;
  std::vector<located> strategy_path;  // spec.strategy, or spec.updateStrategy, or spec.strategy and .canary
  located strategy, type, rolling, surge, unavailable, min_ready, deadline, replicas;
};

rollout_fields locate(const workload& w) {
  const workload_kind& k = *w.kind;
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
  return r;
}

// Whether any item of the pod template's lists (containers, initContainers) satisfies pred.
template <typename Pred>
bool any_container(const workload& w, const rollout_fields& r, std::initializer_list<const char*> lists, Pred pred) {
  located pod = get(w, get(w, r.spec, "template"), "spec");
  for (const char* list : lists) {
    located cs = get(w, pod, list);
    if (!cs.value().IsSequence()) continue;
    for (auto it = cs.value().begin(); it != cs.value().end(); ++it)
      if (it->IsMap() && pred(at_node(*it, cs.at))) return true;
  }
  return false;
}

// A pod that holds a host port or the host network cannot start beside its old copy on one node.
bool host_bound(const workload& w, const rollout_fields& r) {
  if (scalar_or(get(w, get(w, get(w, r.spec, "template"), "spec"), "hostNetwork").value(), "") == "true") return true;
  return any_container(w, r, {"initContainers", "containers"}, [&](const located& c) {
    located ports = get(w, c, "ports");
    if (!ports.value().IsSequence()) return false;
    for (auto p = ports.value().begin(); p != ports.value().end(); ++p)
      if (present(get(w, at_node(*p, ports.at), "hostPort").value())) return true;
    return false;
  });
}

// The workload's metadata.annotations map (undefined when absent).
located annotations_of(const workload& w) {
  located meta = get(w, root_of(w), "metadata");
  located a = get(w, meta, "annotations");
  if (present(a.value()) && !a.value().IsMap()) fail(w, to_string(a.at) + ": must be a map");
  return a;
}

bool has_readiness_probe(const workload& w, const rollout_fields& r) {
  return any_container(w, r, {"containers"}, [&](const located& c) { return present(get(w, c, "readinessProbe").value()); });
}

// The current value as the report shows it.
std::string shown(const YAML::Node& n) { return present(n) ? scalar_or(n, "(not a scalar)") : "unset"; }

// Whether an existing scalar already says what we would write (so the bytes can stay).
bool already(const YAML::Node& n, const std::string& text, bool quoted_string) {
  if (!n.IsDefined() || !n.IsScalar() || n.Scalar() != text) return false;
  if (quoted_string) return n.Tag() == "?" || n.Tag() == "!";  // "25%" and 25% are the same string
  return n.Tag() == "?";
}

}  // namespace

std::optional<std::int64_t> plain_count(const YAML::Node& n) {
  if (!n.IsDefined() || !n.IsScalar() || !is_plain(n)) return std::nullopt;
  try {
    return parse_seconds(n.Scalar());
  } catch (const rule_error&) {
    return std::nullopt;
  }
}

std::string origins(const decision& d) {
  return "maxSurge " + d.max_surge.text() + " from " + std::string(display_name(d.field_from[0])) +
         ", maxUnavailable " + d.max_unavailable.text() + " from " + std::string(display_name(d.field_from[1]));
}

std::string workload::where() const {
  std::string out = "document " + std::to_string(document) + " (" + std::string(kind ? kind->kind : "Deployment");
  if (!name.empty()) out += " " + (ns.empty() ? "" : ns + "/") + name;
  if (!at.empty()) out += " at " + to_string(at);
  if (!source.empty()) out += ", from " + source;
  return out + ")";
}

std::vector<workload> find_workloads(const YAML::Node& root, std::size_t document, const std::string& source) {
  std::vector<workload> found;
  if (!root.IsMap()) return found;
  workload doc{nullptr, document, {}, root, source, "", "", ""};
  auto text_of = [&](const workload& w, const YAML::Node& map, std::string_view key) {
    return scalar_or(get(w, at_node(map, w.at), key).value(), "");
  };
  // kind and apiVersion of a node; an item of a list with neither takes the list's (decodeToList).
  auto consider = [&](const YAML::Node& n, yaml_path at, const std::string& list_kind, const std::string& list_api) {
    workload w{nullptr, document, std::move(at), n, source, "", "", ""};
    std::string kind = text_of(w, n, "kind");
    w.api_version = text_of(w, n, "apiVersion");
    if (!list_kind.empty() && kind.empty() && w.api_version.empty()) {
      kind = list_kind.substr(0, list_kind.size() - 4);
      w.api_version = list_api;
    }
    w.kind = find_kind(kind);
    if (!w.kind) return;
    located meta = get(w, root_of(w), "metadata");
    w.name = scalar_or(get(w, meta, "name").value(), "");
    w.ns = scalar_or(get(w, meta, "namespace").value(), "");
    if (w.source.empty()) {
      located annotations = get(w, meta, "annotations");
      w.source = scalar_or(get(w, annotations, helm4_filename).value(), "");
    }
    found.push_back(std::move(w));
  };
  std::string kind = text_of(doc, root, "kind");
  located items = get(doc, root_of(doc), "items");
  if (is_list_kind(kind) && items.value().IsSequence()) {
    std::string api = text_of(doc, root, "apiVersion");
    if (items.f.merged || items.f.explicit_count > 1) {
      // Edits address items by their place in the document's own list.
      for (auto it = items.value().begin(); it != items.value().end(); ++it)
        if (it->IsMap()) fail(doc, "items: comes through a YAML merge key or a duplicate key; rollout-pace does not edit such lists");
    }
    std::size_t i = 0;
    for (auto it = items.value().begin(); it != items.value().end(); ++it, ++i)
      if (it->IsMap()) consider(*it, yaml_path{{"items", 0, false}, {"", i, true}}, kind, api);
  } else {
    consider(root, {}, "", "");
  }
  return found;
}

workload_decision decide_workload(const workload& w, const options& opts) {
  workload_decision out;
  auto warn = [&](const std::string& text) { out.diagnostics.push_back({diagnostic::level::warning, w.where() + ": " + text}); };
  auto note = [&](const std::string& text) { out.diagnostics.push_back({diagnostic::level::note, w.where() + ": " + text}); };
  located ann_map = annotations_of(w);
  annotation_layer ann;
  try {
    ann = read_annotations(ann_map.value(), to_string(ann_map.at));
  } catch (const annotation_error& e) {
    fail(w, e.what());
  }
  const workload_kind& k = *w.kind;
  if (!kind_selected(opts.kinds, k.kind)) {
    out.left_alone = "--kinds leaves " + std::string(k.kind) + "s alone";
    return out;
  }
  if (!serves(k, w.api_version)) {
    std::string served = std::string(k.group) + "/" + std::string(k.versions.front());
    warn("apiVersion " + quoted(w.api_version) + " is not " + served + "; left as it is");
    out.left_alone = "apiVersion " + quoted(w.api_version) + " is not " + served + ", left as it is";
    return out;
  }
  if (ann.hook && !opts.include_hooks) {
    out.left_alone = "Helm hook, left as it is (--include-hooks paces hooks too)";
    return out;
  }
  if (ann.skip) {
    out.left_alone = "rollout-pace/skip is \"true\", left as it is";
    return out;
  }
  choice matrix = opts.matrix;
  if (opts.previous) {
    change c = opts.previous->classify(std::string(w.kind->kind), w.ns, w.name, w.node);
    out.change = std::string(display_name(c.kind));
    out.change_reason = c.reason;
    if (!opts.environment.empty() && opts.change.empty()) {
      // The change found replaces --change: a new workload is paced as a minor change, an
      // unchanged one (no pod replaced) as a patch.
      std::string_view as = c.kind == change_kind::major   ? "major"
                            : c.kind == change_kind::patch || c.kind == change_kind::none ? "patch"
                                                                                          : "minor";
      matrix.profile = matrix_profile(opts.environment, as);
    }
  }
  std::optional<decision> d;
  try {
    d = decide({ann.chosen, opts.flags, opts.values, matrix});
  } catch (const incomplete_profile& e) {
    fail(w, std::string(e.what()) + " (set " + where_to_set(e, "", " in a values file") + ")");
  }
  if (!d) {
    out.left_alone = "no profile chosen, left as it is";
    return out;
  }

  rollout_fields r = locate(w);
  if (!r.spec.value().IsMap())
    fail(w, to_string(r.spec.at) + ": Required value: a " + std::string(k.kind) + " needs a spec map");
  for (const located& m : r.strategy_path)
    if (present(m.value()) && !m.value().IsMap()) fail(w, to_string(m.at) + ": must be a map");
  if (present(r.rolling.value()) && !r.rolling.value().IsMap()) fail(w, to_string(r.rolling.at) + ": must be a map");
  if (!k.reference.empty() && present(get(w, r.spec, k.reference).value())) {
    note("points at another workload through spec." + std::string(k.reference) +
         ", left as it is (pace that workload's template instead)");
    out.left_alone = "spec." + std::string(k.reference) + " is set, left as it is";
    return out;
  }
  if (k.strategy_required && !present(r.strategy.value())) {
    // An Argo Rollout: only a canary strategy has maxSurge and maxUnavailable of its own.
    note("has no " + to_string(r.strategy.at) + " (blue-green or none), left as it is");
    out.left_alone = "no " + to_string(r.strategy.at) + ", left as it is";
    return out;
  }
  out.was_surge = shown(r.surge.value());
  out.was_unavailable = shown(r.unavailable.value());
  out.was_min_ready = shown(r.min_ready.value());

  // ValidateDeploymentStrategy: the type, and no rollingUpdate under Recreate. An empty type is
  // defaulted to RollingUpdate by SetDefaults_Deployment, like an absent one.
  std::string type_text = scalar_or(r.type.value(), "");
  if (present(r.type.value()) &&
      (!r.type.value().IsScalar() || (type_text != "RollingUpdate" && type_text != k.other_type && !type_text.empty())))
    fail(w, to_string(r.type.at) + ": Unsupported value: " + quoted(shown(r.type.value())) + ": supported values: \"" +
                std::string(k.other_type) + "\", \"RollingUpdate\"");
  if (type_text == "OnDelete") {
    note(to_string(r.type.at) + " is OnDelete (pods are replaced only when deleted), left as it is");
    out.left_alone = "OnDelete, left as it is";
    return out;
  }
  if (type_text == "Recreate") {
    if (!ann.chosen.profile) {
      if (present(r.rolling.value()))
        fail(w, to_string(r.rolling.at) + ": Forbidden: may not be specified when strategy `type` is 'Recreate'");
      warn("spec.strategy.type is Recreate, left as it is (a rollout-pace/profile annotation on the workload converts it)");
      out.left_alone = "Recreate, left as it is";
      return out;
    }
    out.recreate_converted = true;
    note("spec.strategy.type Recreate becomes RollingUpdate, as its rollout-pace/profile annotation asks");
  }

  // What the kind can take of the profile, then the API server's rules for the kind.
  out.written = map_pace(k, d->max_surge, d->max_unavailable, k.rounding == kind_rounding::daemonset && host_bound(w, r));
  if (!out.written.adjusted.empty()) warn(out.written.adjusted);
  const int_or_percent zero{0, false};
  std::optional<rule_violation> violation = k.validate(out.written.max_surge, out.written.max_unavailable);
  if (violation) fail(w, to_string(r.rolling.at / violation->field) + ": " + violation->message + " (" + origins(*d) + ")");
  if (k.needs_minor > opts.kube_minor)
    warn(to_string(r.unavailable.at) + " needs the " + std::string(k.gate) + " feature gate, on by default from "
         "Kubernetes 1." + std::to_string(k.needs_minor) + "; a 1." + std::to_string(opts.kube_minor) +
         " API server drops it silently and replaces one pod at a time");

  // ValidateDeploymentSpec: progressDeadlineSeconds > minReadySeconds (Deployments and Rollouts).
  std::optional<std::int32_t> current_deadline;
  const YAML::Node& deadline = r.deadline.value();
  if (present(deadline)) {
    try {
      if (!deadline.IsScalar() || !is_plain(deadline)) throw rule_error(quoted(shown(deadline)) + " must be an integer");
      current_deadline = parse_seconds(deadline.Scalar());
    } catch (const rule_error& e) {
      fail(w, to_string(r.deadline.at) + ": " + e.what());
    }
  }
  try {
    if (k.has_progress_deadline) out.progress_deadline = raised_progress_deadline(current_deadline, d->min_ready_seconds);
  } catch (const rule_error& e) {
    fail(w, to_string(r.min_ready.at) + ": " + e.what());
  }
  if (out.progress_deadline)
    note("spec.progressDeadlineSeconds set to " + std::to_string(*out.progress_deadline) + " (was " +
         (current_deadline ? std::to_string(*current_deadline) : "the default 600") +
         ") so that it stays greater than minReadySeconds " + std::to_string(d->min_ready_seconds));

  // Warnings: the safety gate, and what the controller will do with these numbers.
  if (d->min_ready_seconds > 0 && !has_readiness_probe(w, r))
    warn("minReadySeconds " + std::to_string(d->min_ready_seconds) +
         " but no container has a readinessProbe, so nothing stops a failing pod from counting as ready");
  const YAML::Node& replicas = r.replicas.value();
  out.replicas_defaulted = !present(replicas);
  out.replicas = out.replicas_defaulted ? std::optional<std::int64_t>(default_replicas) : plain_count(replicas);
  if (out.replicas && k.rounding == kind_rounding::deployment) {
    fenceposts f = resolve_fenceposts(out.written.max_surge.value_or(zero), out.written.max_unavailable, *out.replicas);
    std::string pods = std::to_string(*out.replicas) + (out.replicas_defaulted ? " (the default)" : "");
    if (*out.replicas == 1 && f.surge == 0)
      warn("1 replica" + std::string(out.replicas_defaulted ? " (the default)" : "") + " with maxSurge " +
           out.written.max_surge.value_or(zero).text() + ": the only pod goes down before its replacement is ready (downtime)");
    else if (f.forced_unavailable)
      warn("maxSurge " + out.written.max_surge.value_or(zero).text() + " and maxUnavailable " + out.written.max_unavailable.text() +
           " both resolve to 0 pods for replicas " + pods + ", so Kubernetes takes one pod down at a time");
  }
  out.pace = d;
  return out;
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
    if (shared.contains(l.value()))
      fail(w, to_string(l.at) + ": is shared through a YAML alias; rollout-pace does not edit through aliases");
  };
  if (shared.contains(w.node)) fail(w, (w.at.empty() ? std::string("the document") : to_string(w.at)) + ": is shared through a YAML alias; rollout-pace does not edit through aliases");
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
  if (!w.kind->rolling.empty()) set(r.type, "RollingUpdate", true, false);
  if (w.kind->has_surge && d.written.max_surge) set_int_or_percent(r.surge, *d.written.max_surge);
  set_int_or_percent(r.unavailable, d.written.max_unavailable);
}

diagnostic report(const workload& w, const workload_decision& d) {
  if (!d.pace)
    return {diagnostic::level::report,
            w.where() + ": " + d.left_alone + (d.change_reason.empty() ? "" : " (change " + d.change_reason + ")")};
  const decision& p = *d.pace;
  std::string overridden;
  static constexpr std::array<const char*, 3> names{"maxSurge", "maxUnavailable", "minReadySeconds"};
  for (std::size_t i = 0; i < names.size(); ++i)
    if (p.field_from[i] != p.profile_from)
      overridden += std::string(overridden.empty() ? " (" : ", ") + names[i] + " from " +
                    std::string(display_name(p.field_from[i]));
  if (!overridden.empty()) overridden += ")";
  return {diagnostic::level::report,
          w.where() + ": " + std::string(display_name(p.profile)) + " from " + std::string(display_name(p.profile_from)) +
              overridden + (w.kind->has_surge ? ": maxSurge " + d.was_surge + " -> " + d.written.max_surge.value_or(int_or_percent{}).text() + "," : ":") +
              " maxUnavailable " + d.was_unavailable + " -> " + d.written.max_unavailable.text() + ", minReadySeconds " + d.was_min_ready +
              " -> " + std::to_string(p.min_ready_seconds) +
              (d.recreate_converted ? ", strategy Recreate -> RollingUpdate" : "") +
              (d.change_reason.empty() ? "" : " (change " + d.change_reason + ")")};
}

}  // namespace rollout_pace
