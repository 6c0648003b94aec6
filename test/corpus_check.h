#pragma once
// Shared by corpus_test and helm_test: checks that a paced stream differs from its input only in
// the rollout fields of eligible workloads, found independently of the library.
#include <yaml-cpp/yaml.h>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "yaml/compare.h"
#include "yaml/stream.h"
#include "yaml/tree.h"

namespace corpus_check {

struct expected_pace {
  const char* name;
  std::string surge, unavailable;
  int min_ready;
};

inline const std::vector<expected_pace>& paces() {
  static const std::vector<expected_pace> p{
      {"Blitz", "100%", "50%", 0}, {"Cautious", "25%", "0", 30}, {"Paranoid", "1", "0", 300}};
  return p;
}

// The node at a path of keys, or an undefined node (yaml-cpp throws when indexing a missing node).
inline YAML::Node at(YAML::Node n, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (!n.IsMap() || !n[k]) return YAML::Node(YAML::NodeType::Undefined);
    n.reset(n[k]);
  }
  return n;
}

inline std::string text(const YAML::Node& n) { return n.IsDefined() && n.IsScalar() ? n.Scalar() : ""; }

// The workloads of a document: the root, or the items of a List. Kinds as the README's table.
inline bool is_workload_kind(const std::string& kind) {
  return kind == "Deployment" || kind == "DaemonSet" || kind == "StatefulSet";
}

inline std::vector<YAML::Node> workloads(const YAML::Node& root) {
  std::vector<YAML::Node> out;
  std::string kind = text(at(root, {"kind"}));
  if (is_workload_kind(kind)) out.push_back(root);
  if (kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0 && at(root, {"items"}).IsSequence())
    for (const auto& item : root["items"])
      if (is_workload_kind(text(at(item, {"kind"})))) out.push_back(item);
  return out;
}

inline std::string kind_of(const YAML::Node& d) { return text(at(d, {"kind"})); }
inline const char* strategy_key(const YAML::Node& d) {
  return kind_of(d) == "Deployment" ? "strategy" : "updateStrategy";
}

inline bool eligible(const YAML::Node& d) {
  if (text(at(d, {"apiVersion"})) != "apps/v1") return false;
  if (at(d, {"metadata", "annotations", "helm.sh/hook"}).IsDefined()) return false;
  if (at(d, {"metadata", "annotations", "rollout-pace/skip"}).IsDefined()) return false;
  std::string type = text(at(d, {"spec", strategy_key(d), "type"}));
  return type != "Recreate" && type != "OnDelete";
}

// A DaemonSet whose pods hold a host port or the host network cannot surge.
inline bool host_bound(const YAML::Node& d) {
  YAML::Node pod = at(d, {"spec", "template", "spec"});
  if (text(at(pod, {"hostNetwork"})) == "true") return true;
  for (const char* list : {"containers", "initContainers"}) {
    YAML::Node cs = at(pod, {list});
    if (!cs.IsSequence()) continue;
    for (const auto& c : cs) {
      YAML::Node ports = at(c, {"ports"});
      if (!ports.IsSequence()) continue;
      for (const auto& port : ports)
        if (at(port, {"hostPort"}).IsDefined()) return true;
    }
  }
  return false;
}

// What each kind must carry for a profile, worked out by hand from the README's table of kinds.
inline void check_profile(const YAML::Node& d, const expected_pace& p) {
  std::string kind = kind_of(d);
  std::string surge = p.surge, unavailable = p.unavailable;
  if (kind == "DaemonSet") {
    if (unavailable != "0")
      surge = "0";  // exactly one of the two non-zero
    else if (host_bound(d))
      surge = "0", unavailable = "1";
  } else if (kind == "StatefulSet") {
    surge = "";                                 // no maxSurge
    if (unavailable == "0") unavailable = "1";  // cannot surge: one pod down
  }
  const char* strategy = strategy_key(d);
  BOOST_TEST(text(at(d, {"spec", "minReadySeconds"})) == std::to_string(p.min_ready));
  BOOST_TEST(at(d, {"spec", "minReadySeconds"}).Tag() != "!");
  BOOST_TEST(text(at(d, {"spec", strategy, "type"})) == "RollingUpdate");
  BOOST_TEST(text(at(d, {"spec", strategy, "rollingUpdate", "maxSurge"})) == surge, kind);
  BOOST_TEST(text(at(d, {"spec", strategy, "rollingUpdate", "maxUnavailable"})) == unavailable, kind);
  if (kind == "Deployment") {
    YAML::Node deadline = at(d, {"spec", "progressDeadlineSeconds"});
    BOOST_TEST((deadline.IsDefined() ? deadline.as<int>() : 600) > p.min_ready);
  }
}

// Removes the fields rollout-pace may write, so that what remains must be identical (a
// StatefulSet's partition, for one, must stay).
inline void strip_rollout_fields(YAML::Node d) {
  YAML::Node spec = d["spec"];
  spec.remove("minReadySeconds");
  if (kind_of(d) == "Deployment") {
    spec.remove("progressDeadlineSeconds");
    spec.remove("strategy");
    return;
  }
  if (!spec["updateStrategy"].IsMap()) return;
  YAML::Node strategy = spec["updateStrategy"];
  strategy.remove("type");
  if (strategy["rollingUpdate"].IsMap()) {
    YAML::Node rolling = strategy["rollingUpdate"];
    rolling.remove("maxSurge");
    rolling.remove("maxUnavailable");
    if (rolling.size() == 0) strategy.remove("rollingUpdate");
  }
  if (strategy.size() == 0) spec.remove("updateStrategy");
}

/// Compares a stream with its paced version document by document; returns how many eligible
/// workloads (Deployments, DaemonSets, StatefulSets) carry the profile.
inline std::size_t check_paced_stream(const std::string& input, const std::string& output, const expected_pace& p) {
  using namespace rollout_pace;
  std::vector<document> in = split_documents(input), out = split_documents(output);
  BOOST_TEST_REQUIRE(in.size() == out.size());
  std::size_t paced = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i].text.find("Deployment") == std::string_view::npos &&
        in[i].text.find("DaemonSet") == std::string_view::npos &&
        in[i].text.find("StatefulSet") == std::string_view::npos) {
      BOOST_TEST(in[i].text == out[i].text);
      continue;
    }
    std::vector<YAML::Node> a = YAML::LoadAll(std::string(in[i].text));
    std::vector<YAML::Node> b = YAML::LoadAll(std::string(out[i].text));
    BOOST_TEST_REQUIRE(a.size() == b.size());
    if (a.empty()) continue;
    std::vector<YAML::Node> da = workloads(a[0]), db = workloads(b[0]);
    BOOST_TEST_REQUIRE(da.size() == db.size());
    bool any = false;
    for (std::size_t k = 0; k < da.size(); ++k) {
      if (!eligible(da[k])) continue;
      any = true;
      ++paced;
      check_profile(db[k], p);
      strip_rollout_fields(da[k]);
      strip_rollout_fields(db[k]);
    }
    if (!any) BOOST_TEST(in[i].text == out[i].text);
    auto difference = tree_difference(a[0], {}, b[0]);
    BOOST_TEST(!difference,
               "document " << i + 1 << " differs beyond the rollout fields at " << difference.value_or(""));
  }
  return paced;
}

}  // namespace corpus_check
