#define BOOST_TEST_MODULE workload
// The pure per-workload decision that the editor, the report and the planner read.
#include "manifest/workload.h"
#include "manifest/options.h"

#include "yaml/compare.h"
#include "yaml/tree.h"

#include <boost/test/unit_test.hpp>

using namespace rollout_pace;

namespace {
std::vector<workload> found(const std::string& text) { return find_workloads(load_document(text), 1, ""); }

const std::string web =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nANNOTATIONS"
    "spec:\n  replicas: 4\n  template:\n    spec:\n      containers:\n      - name: w\n"
    "        readinessProbe: {tcpSocket: {port: 80}}\n";

std::string with(const std::string& annotations) {
  std::string s = web;
  s.replace(s.find("ANNOTATIONS"), 11, annotations.empty() ? "" : "  annotations:\n" + annotations);
  return s;
}
}  // namespace

BOOST_AUTO_TEST_CASE(the_decision_says_what_and_from_where) {
  options o;
  o.flags.overrides.max_unavailable = int_or_percent{1, false};
  o.values.profile = profile_name::cautious;
  std::vector<workload> w = found(with("    rollout-pace/min-ready-seconds: \"5\"\n"));
  BOOST_TEST_REQUIRE(w.size() == 1u);
  BOOST_TEST(w[0].ref.where() == "document 1 (Deployment shop/web)");
  workload_decision d = decide_workload(read_facts(w[0]), o);
  BOOST_TEST_REQUIRE(d.pace.has_value());
  BOOST_TEST((d.pace->profile == profile_name::cautious && d.pace->profile_from == origin::values));
  BOOST_TEST((d.pace->field_from[0] == origin::values));
  BOOST_TEST((d.pace->field_from[1] == origin::flag));
  BOOST_TEST((d.pace->field_from[2] == origin::annotation));
  BOOST_TEST(d.pace->min_ready_seconds == 5);
  BOOST_TEST(*d.replicas == 4);
  BOOST_TEST(!d.replicas_defaulted);
  BOOST_TEST(d.was_surge == "unset");
  BOOST_TEST(report(w[0].ref, d).located() ==
             "document 1 (Deployment shop/web): Cautious from values (maxUnavailable from flag, minReadySeconds from "
             "annotation): maxSurge unset -> 25%, maxUnavailable unset -> 1, minReadySeconds unset -> 5");
}

BOOST_AUTO_TEST_CASE(left_alone_has_a_reason) {
  options o;
  o.flags.profile = profile_name::paranoid;
  BOOST_TEST(decide_workload(read_facts(found(with("    rollout-pace/skip: \"true\"\n"))[0]), o).left_alone ==
             "rollout-pace/skip is \"true\", left as it is");
  BOOST_TEST(decide_workload(read_facts(found(with("    helm.sh/hook: post-install\n"))[0]), o).left_alone ==
             "Helm hook, left as it is (--include-hooks paces hooks too)");
  BOOST_TEST(decide_workload(read_facts(found(with(""))[0]), options{}).left_alone ==
             "no profile chosen, left as it is");
}

BOOST_AUTO_TEST_CASE(custom_is_completed_across_levels_per_workload) {
  options o;
  o.flags.profile = profile_name::custom;
  o.flags.overrides.max_unavailable = int_or_percent{0, false};
  o.flags.overrides.min_ready_seconds = 10;
  workload_decision d = decide_workload(read_facts(found(with("    rollout-pace/max-surge: \"2\"\n"))[0]), o);
  BOOST_TEST(d.pace->max_surge.value == 2);
  BOOST_CHECK_EXCEPTION(decide_workload(read_facts(found(with(""))[0]), o), failure, [](const failure& f) {
    return std::string(f.what()) ==
           "document 1 (Deployment shop/web): profile Custom needs maxSurge (set the annotation "
           "rollout-pace/max-surge, "
           "or --max-surge)";
  });
}

BOOST_AUTO_TEST_CASE(deciding_is_pure_the_same_input_gives_the_same_value) {
  options o;
  o.flags.profile = profile_name::blitz;
  std::vector<workload> w = found(with(""));
  workload_decision a = decide_workload(read_facts(w[0]), o), b = decide_workload(read_facts(w[0]), o);
  BOOST_TEST(report(w[0].ref, a).located() == report(w[0].ref, b).located());
  edit_tree e1, e2;
  add_edits(w[0], a, node_set{}, e1);
  add_edits(w[0], b, node_set{}, e2);
  BOOST_TEST(e1.root().children.size() == e2.root().children.size());
  BOOST_TEST(!e1.empty());
}
