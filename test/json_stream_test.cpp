#define BOOST_TEST_MODULE json_stream
#include "yaml/json_stream.h"

#include <boost/test/unit_test.hpp>

#include "base/diagnostic.h"
#include "yaml/compare.h"

using namespace rollout_pace;

BOOST_AUTO_TEST_CASE(a_stream_is_json_when_its_first_byte_after_blanks_is_a_brace) {
  BOOST_TEST(is_json_stream(" \n\t{\"a\":1}"));
  BOOST_TEST(!is_json_stream("---\n{\"a\":1}"));
  BOOST_TEST(!is_json_stream("\xEF\xBB\xBF{}"));
  BOOST_TEST(!is_json_stream(""));
}

BOOST_AUTO_TEST_CASE(objects_split_with_their_blanks_and_concatenate_to_the_stream) {
  std::string s = "{\"kind\":\"Service\",\"a\":{\"kind\":\"Deployment\"}}\n  {\"kind\": \"Deployment\"}{}\n\n";
  std::vector<scanned_document> docs = split_json_stream(s);
  BOOST_TEST_REQUIRE(docs.size() == 3u);
  std::string joined;
  for (const auto& d : docs) joined += std::string(d.text);
  BOOST_TEST(joined == s);
  BOOST_TEST(docs[0].kind.certain);
  BOOST_TEST(docs[0].kind.kind == "Service");  // the nested "kind" does not count
  BOOST_TEST(docs[1].kind.kind == "Deployment");
  BOOST_TEST(docs[2].kind.certain);
  BOOST_TEST(docs[2].kind.kind == "");
}

BOOST_AUTO_TEST_CASE(a_kind_with_escapes_or_twice_is_uncertain) {
  BOOST_TEST(!split_json_stream("{\"kind\":\"Deploy\\u006dent\"}")[0].kind.certain);
  BOOST_TEST(!split_json_stream("{\"\\u006bind\":\"Deployment\"}")[0].kind.certain);
  BOOST_TEST(!split_json_stream("{\"kind\":\"Service\",\"kind\":\"Deployment\"}")[0].kind.certain);
  BOOST_TEST(!split_json_stream("{\"kind\":1}")[0].kind.certain);
}

BOOST_AUTO_TEST_CASE(what_is_not_a_stream_of_json_objects_is_a_located_error) {
  for (const char* s : {"{\"a\":1}\n---\n{}", "{\"a\":1", "{\"a\":tru}", "{a:1}", "{\"a\":1}[1]", "{\"a\":\"x\ny\"}",
                        "{\"a\":01}", "{\"a\":\"\\q\"}", "{\"a\":[1,]}"}) {
    BOOST_CHECK_THROW(split_json_stream(s), failure);
  }
  try {
    split_json_stream("{\"a\":1}\n---\n");
  } catch (const failure& f) {
    BOOST_TEST(std::string(f.what()).find("line 2, column 1:") == 0);
  }
}

BOOST_AUTO_TEST_CASE(emit_json_keeps_order_and_types_and_adds_edits) {
  YAML::Node n = YAML::Load("{\"b\":\"1\",\"a\":[1,true,null,-2.5e3],\"s\":{\"x\":\"t\\u0001\\\"\"}}");
  edit_tree e;
  e.set(yaml_path{} / "s" / "type", "RollingUpdate", false);
  e.set(yaml_path{} / "s" / "n", "30", false);
  e.set(yaml_path{} / "s" / "p", "25%", true);
  BOOST_TEST(emit_json(n, e) ==
             "{\"b\":\"1\",\"a\":[1,true,null,-2.5e3],\"s\":{\"x\":\"t\\u0001\\\"\",\"type\":\"RollingUpdate\",\"n\":"
             "30,\"p\":\"25%\"}}");
}
