#define BOOST_TEST_MODULE yaml_tree
#include "yaml/compare.h"
#include "yaml/scalars.h"
#include "yaml/tree.h"

#include <boost/test/unit_test.hpp>

#include <optional>

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

BOOST_AUTO_TEST_CASE(lookup_finds_the_last_of_duplicates_and_counts_them) {
  YAML::Node n = YAML::Load("a: 1\nb: 2\nb: 3\n");
  BOOST_TEST(lookup(n, "a").value.Scalar() == "1");
  BOOST_TEST(!lookup(n, "z").present());
  BOOST_TEST(lookup(n, "b").value.Scalar() == "3");
  BOOST_TEST(lookup(n, "b").explicit_count == 2u);
  BOOST_TEST(!lookup(YAML::Load("[1]"), "a").present());
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
  BOOST_TEST(!diff(
      "spec: {replicas: 1}\n",
      "spec:\n  strategy:\n    rollingUpdate:\n      maxSurge: \"25%\"\n  minReadySeconds: 30\n  replicas: 1\n", e));
  BOOST_TEST(
      *diff("spec: {replicas: 1}\n",
            "spec:\n  strategy:\n    rollingUpdate:\n      maxSurge: 25%\n  minReadySeconds: 30\n  replicas: 1\n",
            e) == "spec.strategy.rollingUpdate.maxSurge");
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
  BOOST_TEST(shared.contains(lookup(root, "a0").value));
  BOOST_TEST(!shared.contains(lookup(root, "a9").value));
  BOOST_TEST(!tree_difference(root, {}, YAML::Load(bomb)));  // returns at once: pairs are memoised
}

// How Kubernetes (go-yaml v2) reads maps: merge keys in document order, the last duplicate winning.
BOOST_AUTO_TEST_CASE(lookup_reads_through_merge_keys_as_go_yaml_does) {
  YAML::Node n = YAML::Load(
      "base: &b {x: 1, y: 1}\nm1:\n  <<: *b\n  x: 2\nm2:\n  x: 2\n  <<: *b\n"
      "m3:\n  <<: [{x: 3}, {x: 4, z: 4}]\nm4:\n  \"<<\": {x: 5}\n");
  field f = lookup(n["m1"], "x");
  BOOST_TEST(f.value.Scalar() == "2");  // a key after the merge overrides it
  BOOST_TEST(!f.merged);
  f = lookup(n["m2"], "x");
  BOOST_TEST(f.value.Scalar() == "1");  // a merge after a key overrides that (go-yaml v2)
  BOOST_TEST(f.merged);
  BOOST_TEST(lookup(n["m1"], "y").value.Scalar() == "1");
  BOOST_TEST(lookup(n["m3"], "x").value.Scalar() == "3");  // earlier maps of a list win
  BOOST_TEST(lookup(n["m3"], "z").value.Scalar() == "4");
  BOOST_TEST(!lookup(n["m4"], "x").present());  // a quoted "<<" is an ordinary key
  BOOST_TEST(!lookup(n["m1"], "nope").present());
}

BOOST_AUTO_TEST_CASE(lookup_takes_the_last_duplicate_and_counts_them) {
  field f = lookup(YAML::Load("a: 1\na: 2\n"), "a");
  BOOST_TEST(f.value.Scalar() == "2");
  BOOST_TEST(f.explicit_count == 2u);
}

BOOST_AUTO_TEST_CASE(a_merge_key_that_is_not_a_map_is_an_error) {
  BOOST_CHECK_THROW(lookup(YAML::Load("<<: 1\na: 2\n"), "a"), yaml_error);
  BOOST_CHECK_THROW(lookup(YAML::Load("<<: [1]\na: 2\n"), "a"), yaml_error);
}

BOOST_AUTO_TEST_CASE(fields_lists_every_key_once_in_first_appearance_order) {
  auto all = fields(YAML::Load("<<: {b: 1, a: 1}\nc: 3\nb: 2\n"));
  BOOST_TEST_REQUIRE(all.size() == 3u);
  BOOST_TEST(all[0].first == "b");
  BOOST_TEST(all[0].second.value.Scalar() == "2");
  BOOST_TEST(all[1].first == "a");
  BOOST_TEST(all[1].second.merged);
  BOOST_TEST(all[2].first == "c");
}

BOOST_AUTO_TEST_CASE(strings_as_go_yaml_v2_resolves_them) {
  for (const char* s : {"a: true", "a: yes", "a: On", "a: n", "a: ~", "a:", "a: 12", "a: -1_000", "a: 0x1F", "a: 0o17",
                        "a: 0b101", "a: 1.5", "a: .5", "a: 1e3", "a: .inf", "a: 08", "a: !!int \"1\""})
    BOOST_TEST(!is_string_for_kubernetes(YAML::Load(s)["a"]), s);
  for (const char* s : {"a: \"true\"", "a: 'yes'", "a: web", "a: 2001-12-14", "a: 1.2.3", "a: 0x", "a: !!str 1",
                        "a: |\n  12\n", "a: 25%", "a: -x", "a: .x"})
    BOOST_TEST(is_string_for_kubernetes(YAML::Load(s)["a"]), s);
}

BOOST_AUTO_TEST_CASE(load_document_refuses_content_after_the_first_node) {
  BOOST_TEST(load_document("a: 1\nb: 2\n")["b"].Scalar() == "2");
  BOOST_TEST(load_document("{\"a\": 1}\n").IsMap());
  BOOST_TEST(load_document("# nothing\n").IsNull());
  for (const char* s : {"{\"a\": 1}\n{\"b\": 2}\n", "  a: 1\nb: 2\n", "- a\nb: 1\n", "x\n...\ny\n", ",a"}) {
    BOOST_CHECK_THROW(load_document(s), yaml_error);
  }
  try {
    load_document("{\"a\": 1}\n{\"b\": 2}\n");
  } catch (const yaml_error& e) {
    BOOST_TEST(e.line == 1u);
    BOOST_TEST(std::string(e.what()).find("content after the document's first node") == 0);
  }
  BOOST_CHECK_THROW(load_document("a: [\n"), yaml_error);
}

BOOST_AUTO_TEST_CASE(integers_and_booleans_as_kubernetes_reads_them) {
  auto node = [](const std::string& text) { return YAML::Load("v: " + text)["v"]; };
  const std::vector<std::pair<std::string, std::optional<std::int64_t>>> ints{{"3", 3},
                                                                              {"0x10", 16},
                                                                              {"010", 8},
                                                                              {"0o10", 8},
                                                                              {"0b101", 5},
                                                                              {"1_000", 1000},
                                                                              {"+5", 5},
                                                                              {"-2", -2},
                                                                              {"1e3", 1000},
                                                                              {"3.0", 3},
                                                                              {"08", 8},
                                                                              {"\"3\"", std::nullopt},
                                                                              {"3.5", std::nullopt},
                                                                              {"true", std::nullopt},
                                                                              {"~", std::nullopt},
                                                                              {"abc", std::nullopt},
                                                                              {"_1", std::nullopt}};
  for (const auto& [text, want] : ints) BOOST_TEST_CONTEXT(text) {
      BOOST_TEST((yaml_int(node(text)) == want));
    }
  for (const char* t : {"yes", "Yes", "YES", "on", "On", "true", "True", "y", "Y"})
    BOOST_TEST((yaml_bool(node(t)) == true));
  for (const char* t : {"no", "off", "false", "N"}) BOOST_TEST((yaml_bool(node(t)) == false));
  for (const char* t : {"\"true\"", "1", "yEs", "tRUE"}) BOOST_TEST(!yaml_bool(node(t)));
}

// flux hands a HelmRelease's spec.values to helm template as JSON: the values must mean what they
// mean to helm-controller, which reads them through go-yaml v2 and JSON.
BOOST_AUTO_TEST_CASE(values_become_json_as_go_yaml_v2_reads_them) {
  BOOST_TEST(json_of(YAML::Load("{a: yes, b: \"80\", c: 80, d: ~, e: 1e3, f: 0x10, g: web, h: '25%'}")) ==
             R"({"a":true,"b":"80","c":80,"d":null,"e":1000,"f":16,"g":"web","h":"25%"})");
  BOOST_TEST(json_of(YAML::Load("base: &b {x: 1, y: 2}\nmine:\n  <<: *b\n  y: 3\n")) ==
             R"({"base":{"x":1,"y":2},"mine":{"y":3,"x":1}})");
  BOOST_TEST(json_of(YAML::Load("[0.5, .5, -1, \"a\\\"b\", [], {}]")) == R"([0.5,0.5,-1,"a\"b",[],{}])");
  BOOST_CHECK_THROW(json_of(YAML::Load("x: .inf")), yaml_error);
}

BOOST_AUTO_TEST_CASE(plain_or_quoted_keeps_what_reads_back_the_same) {
  BOOST_TEST(plain_or_quoted("apps/v1") == "apps/v1");
  BOOST_TEST(plain_or_quoted("shop-web") == "shop-web");
  BOOST_TEST(plain_or_quoted("yes") == "\"yes\"");
  BOOST_TEST(plain_or_quoted("25%") == "\"25%\"");
  BOOST_TEST(plain_or_quoted("10") == "\"10\"");
  BOOST_TEST(plain_or_quoted("web\\.v2") == "\"web\\\\.v2\"");
  BOOST_TEST(plain_or_quoted("") == "\"\"");
}
