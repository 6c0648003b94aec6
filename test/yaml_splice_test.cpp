#define BOOST_TEST_MODULE yaml_splice
#include "yaml/compare.h"
#include "yaml/splice.h"

#include <boost/test/unit_test.hpp>

using namespace rollout_pace;

namespace {
edit_tree paranoid() {
  edit_tree e;
  auto spec = yaml_path{} / "spec";
  e.set(spec / "minReadySeconds", "300", false);
  e.set(spec / "strategy" / "type", "RollingUpdate", false);
  e.set(spec / "strategy" / "rollingUpdate" / "maxSurge", "1", false);
  e.set(spec / "strategy" / "rollingUpdate" / "maxUnavailable", "0", false);
  return e;
}
std::optional<std::string> run(const std::string& in, const edit_tree& e = paranoid(), bool crlf = false) {
  return splice(in, 0, YAML::Load(in), e, crlf);
}
}  // namespace

BOOST_AUTO_TEST_CASE(missing_keys_are_inserted_above_the_first_key) {
  BOOST_TEST(*run("kind: Deployment\nspec:\n  # replicas\n  replicas: 2\n") ==
             "kind: Deployment\nspec:\n  # replicas\n  minReadySeconds: 300\n  strategy:\n    type: RollingUpdate\n"
             "    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n  replicas: 2\n");
}

BOOST_AUTO_TEST_CASE(existing_scalars_are_replaced_in_place_keeping_comments) {
  BOOST_TEST(*run("spec:\n  minReadySeconds: \"10\"  # wait\n  strategy:\n    type: Recreate\n    rollingUpdate:\n"
                  "      maxSurge: 25%\n      maxUnavailable: '25%'\n") ==
             "spec:\n  minReadySeconds: 300  # wait\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n"
             "      maxSurge: 1\n      maxUnavailable: 0\n");
}

BOOST_AUTO_TEST_CASE(indentation_of_the_map_is_followed) {
  BOOST_TEST(*run("spec:\n    strategy:\n        type: 'Recreate'   # was\n        rollingUpdate:\n"
                  "            maxSurge: 25%\n    minReadySeconds: 0\n") ==
             "spec:\n    strategy:\n        type: RollingUpdate   # was\n        rollingUpdate:\n"
             "            maxUnavailable: 0\n            maxSurge: 1\n    minReadySeconds: 300\n");
}

BOOST_AUTO_TEST_CASE(crlf_documents_get_crlf_lines) {
  BOOST_TEST(*run("spec:\r\n  replicas: 2\r\n", paranoid(), true) ==
             "spec:\r\n  minReadySeconds: 300\r\n  strategy:\r\n    type: RollingUpdate\r\n    rollingUpdate:\r\n"
             "      maxSurge: 1\r\n      maxUnavailable: 0\r\n  replicas: 2\r\n");
}

BOOST_AUTO_TEST_CASE(list_items_are_edited_by_index) {
  edit_tree e;
  e.set(yaml_path{{"items", 0, false}, {"", 1, true}} / "spec" / "minReadySeconds", "30", false);
  BOOST_TEST(*run("items:\n- a: 1\n- spec:\n    replicas: 1\n", e) ==
             "items:\n- a: 1\n- spec:\n    minReadySeconds: 30\n    replicas: 1\n");
}

BOOST_AUTO_TEST_CASE(layouts_that_cannot_be_spliced_say_so) {
  BOOST_TEST(!run("spec: {replicas: 2}\n"));                    // flow map
  BOOST_TEST(!run("spec:\n  minReadySeconds: |\n    5\n"));     // block scalar
  BOOST_TEST(!run("spec:\n  minReadySeconds: \"5\n    \"\n"));  // multi-line quoted
  BOOST_TEST(!run("spec:\n  strategy: ~\n  replicas: 1\n"));    // null written out
  BOOST_TEST(!run("spec:\n  minReadySeconds: !!int 5\n"));      // explicit tag
}

BOOST_AUTO_TEST_CASE(a_key_with_no_value_is_filled_below_it_keeping_its_comment) {
  BOOST_TEST(*run("spec:\n  strategy:   # why\n  replicas: 1\n") ==
             "spec:\n  minReadySeconds: 300\n  strategy:   # why\n    type: RollingUpdate\n    rollingUpdate:\n"
             "      maxSurge: 1\n      maxUnavailable: 0\n  replicas: 1\n");
  BOOST_TEST(*run("spec:\n  replicas: 1\n  strategy:\n    rollingUpdate:") ==
             "spec:\n  minReadySeconds: 300\n  replicas: 1\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n"
             "      maxSurge: 1\n      maxUnavailable: 0\n");
}

BOOST_AUTO_TEST_CASE(no_edits_return_the_text_unchanged) {
  std::string in = "spec:\n  replicas: 2 # c\n";
  BOOST_TEST(*run(in, edit_tree{}) == in);
}
