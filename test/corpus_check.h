#pragma once
// Shared by corpus_test and helm_test: checks that a paced stream differs from its input only in
// the rollout fields of eligible Deployments, found independently of the library.
#include <boost/test/unit_test.hpp>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "rollout_pace/stream.h"
#include "rollout_pace/yaml_tree.h"

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

// The Deployments of a document: the root, or the items of a List.
inline std::vector<YAML::Node> deployments(const YAML::Node& root) {
  std::vector<YAML::Node> out;
  std::string kind = text(at(root, {"kind"}));
  if (kind == "Deployment") out.push_back(root);
  if (kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0 && at(root, {"items"}).IsSequence())
    for (const auto& item : root["items"])
      if (text(at(item, {"kind"})) == "Deployment") out.push_back(item);
  return out;
}

inline bool eligible(const YAML::Node& d) {
  if (text(at(d, {"apiVersion"})) != "apps/v1") return false;
  if (at(d, {"metadata", "annotations", "helm.sh/hook"}).IsDefined()) return false;
  if (at(d, {"metadata", "annotations", "rollout-pace/skip"}).IsDefined()) return false;
  return text(at(d, {"spec", "strategy", "type"})) != "Recreate";
}

inline void check_profile(const YAML::Node& d, const expected_pace& p) {
  BOOST_TEST(text(at(d, {"spec", "minReadySeconds"})) == std::to_string(p.min_ready));
  BOOST_TEST(at(d, {"spec", "minReadySeconds"}).Tag() != "!");
  BOOST_TEST(text(at(d, {"spec", "strategy", "type"})) == "RollingUpdate");
  BOOST_TEST(text(at(d, {"spec", "strategy", "rollingUpdate", "maxSurge"})) == p.surge);
  BOOST_TEST(text(at(d, {"spec", "strategy", "rollingUpdate", "maxUnavailable"})) == p.unavailable);
  YAML::Node deadline = at(d, {"spec", "progressDeadlineSeconds"});
  BOOST_TEST((deadline.IsDefined() ? deadline.as<int>() : 600) > p.min_ready);
}

// Removes the fields rollout-pace may write, so that what remains must be identical.
inline void strip_rollout_fields(YAML::Node d) {
  YAML::Node spec = d["spec"];
  spec.remove("minReadySeconds");
  spec.remove("progressDeadlineSeconds");
  spec.remove("strategy");
}

/// Compares a stream with its paced version document by document; returns how many eligible
/// Deployments carry the profile.
inline std::size_t check_paced_stream(const std::string& input, const std::string& output, const expected_pace& p) {
  using namespace rollout_pace;
  std::vector<document> in = split_documents(input), out = split_documents(output);
  BOOST_TEST_REQUIRE(in.size() == out.size());
  std::size_t paced = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i].text.find("Deployment") == std::string_view::npos) {
      BOOST_TEST(in[i].text == out[i].text);
      continue;
    }
    std::vector<YAML::Node> a = YAML::LoadAll(std::string(in[i].text));
    std::vector<YAML::Node> b = YAML::LoadAll(std::string(out[i].text));
    BOOST_TEST_REQUIRE(a.size() == b.size());
    if (a.empty()) continue;
    std::vector<YAML::Node> da = deployments(a[0]), db = deployments(b[0]);
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
    BOOST_TEST(!difference, "document " << i + 1 << " differs beyond the rollout fields at " << difference.value_or(""));
  }
  return paced;
}

}  // namespace corpus_check
