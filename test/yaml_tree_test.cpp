#define BOOST_TEST_MODULE yaml_tree
#include "rollout_pace/yaml_tree.h"

#include <boost/test/unit_test.hpp>

using namespace rollout_pace;

namespace {
std::optional<std::string> diff(const std::string& a, const std::string& b, const edit_tree& e = {}) {
  return tree_difference(YAML::Load(a), e, YAML::Load(b));
}
yaml_path path(std::initializer_list<const char*> keys) {
  yaml_path p;
  for (const char* k : keys) p = p / k;
  return p;
}
}  // namespace

BOOST_AUTO_TEST_CASE(child_finds_and_refuses_duplicates) {
  YAML::Node n = YAML::Load("a: 1\nb: 2\nb: 3\n");
  BOOST_TEST(child(n, "a").Scalar() == "1");
  BOOST_TEST(!child(n, "z").IsDefined());
  BOOST_CHECK_THROW(child(n, "b"), duplicate_key);
  BOOST_TEST(!child(YAML::Load("[1]"), "a").IsDefined());
}

BOOST_AUTO_TEST_CASE(path_prints_like_kubectl) {
  yaml_path p{{"items", 0, false}, {"", 2, true}, {"spec", 0, false}};
  BOOST_TEST(to_string(p) == "items[2].spec");
}

BOOST_AUTO_TEST_CASE(same_documents_compare_equal_whatever_the_key_order) {
  BOOST_TEST(!diff("a: 1\nb: {c: [x, \"y\"]}\n", "b:\n  c:\n  - x\n  - 'y'\na: 1\n"));
}

BOOST_AUTO_TEST_CASE(quoting_that_changes_meaning_is_a_difference) {
  BOOST_TEST(*diff("a: \"on\"\n", "a: on\n") == "a");
  BOOST_TEST(*diff("a: \"8080\"\n", "a: 8080\n") == "a");
  BOOST_TEST(*diff("a: [1, 2]\n", "a: [2, 1]\n") == "a[0]");
  BOOST_TEST(*diff("a: 1\n", "a: 1\nb: 2\n") == "the document root");
  BOOST_TEST(*diff("a: !!str 1\n", "a: 1\n") == "a");
}

BOOST_AUTO_TEST_CASE(edits_are_expected_in_the_actual_document) {
  edit_tree e;
  e.set(path({"spec", "minReadySeconds"}), "30", false);
  e.set(path({"spec", "strategy", "rollingUpdate", "maxSurge"}), "25%", true);
  BOOST_TEST(!diff("spec: {replicas: 1}\n",
                   "spec:\n  strategy:\n    rollingUpdate:\n      maxSurge: \"25%\"\n  minReadySeconds: 30\n  replicas: 1\n", e));
  BOOST_TEST(*diff("spec: {replicas: 1}\n",
                   "spec:\n  strategy:\n    rollingUpdate:\n      maxSurge: 25%\n  minReadySeconds: 30\n  replicas: 1\n", e) ==
             "spec.strategy.rollingUpdate.maxSurge");
  BOOST_TEST(*diff("spec: {replicas: 1}\n", "spec: {replicas: 1, minReadySeconds: 30}\n", e) == "spec");
}

BOOST_AUTO_TEST_CASE(shared_nodes_are_found_once_even_in_an_alias_bomb) {
  std::string bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) bomb += std::string(j ? ", " : "") + "*a" + std::to_string(i - 1);
    bomb += "]\n";
  }
  YAML::Node root = YAML::Load(bomb);
  node_set shared = shared_nodes(root);
  BOOST_TEST(shared.contains(child(root, "a0")));
  BOOST_TEST(!shared.contains(child(root, "a9")));
  BOOST_TEST(!tree_difference(root, {}, YAML::Load(bomb)));  // returns at once: pairs are memoised
}
