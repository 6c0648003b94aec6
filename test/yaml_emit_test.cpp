#define BOOST_TEST_MODULE yaml_emit
#include "yaml/compare.h"
#include "yaml/emit.h"

#include <boost/test/unit_test.hpp>

using namespace rollout_pace;

namespace {
std::string emit(const std::string& in, const edit_tree& e = {}) { return emit_document(YAML::Load(in), e); }
}  // namespace

BOOST_AUTO_TEST_CASE(quoted_strings_that_look_like_other_types_stay_quoted) {
  BOOST_TEST(emit("a: \"on\"\nb: '0123'\nc: \"8080\"\nd: \"true\"\ne: 8080\nf: true\n") ==
             "a: \"on\"\nb: \"0123\"\nc: \"8080\"\nd: \"true\"\ne: 8080\nf: true\n");
}

BOOST_AUTO_TEST_CASE(flow_style_below_the_root_is_kept_and_the_root_is_block) {
  BOOST_TEST(emit("{a: {b: [1, \"2\"]}}\n") == "a: {b: [1, \"2\"]}\n");
}

BOOST_AUTO_TEST_CASE(explicit_tags_and_aliases_are_kept) {
  BOOST_TEST(emit("a: !!str 1\nb: &x [1]\nc: *x\n") == "a: !!str 1\nb: &a1 [1]\nc: *a1\n");
}

BOOST_AUTO_TEST_CASE(edits_replace_values_and_add_missing_keys) {
  edit_tree e;
  e.set({{"spec", 0, false}, {"minReadySeconds", 0, false}}, "30", false);
  e.set({{"spec", 0, false}, {"strategy", 0, false}, {"rollingUpdate", 0, false}, {"maxSurge", 0, false}}, "25%", true);
  BOOST_TEST(emit("spec: {minReadySeconds: 5, replicas: 2}\n", e) ==
             "spec: {minReadySeconds: 30, replicas: 2, strategy: {rollingUpdate: {maxSurge: \"25%\"}}}\n");
}
