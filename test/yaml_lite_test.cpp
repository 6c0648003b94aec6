#define BOOST_TEST_MODULE yaml_lite
// read_lite(): the fast reader for plain block YAML. Everything it accepts it must read exactly as
// yaml-cpp does (checked here node by node, and by the differential fuzzer); everything else it
// declines, and the caller parses with yaml-cpp.
#include "yaml/lite.h"

#include <boost/test/unit_test.hpp>

#include "test_files.h"

#include <filesystem>
#include <random>

#include "fuzzing/invariants.h"
#include "yaml/compare.h"
#include "yaml/splice.h"
#include "yaml/stream.h"
#include "yaml/tree.h"

namespace fs = std::filesystem;
using namespace rollout_pace;
using test_files::slurp;

namespace {

// Accepted, and read as yaml-cpp reads it.
void reads_as_yaml_cpp(const std::string& text) {
  BOOST_TEST_CONTEXT(text) {
    BOOST_TEST_REQUIRE(read_lite(text).has_value());
    BOOST_TEST(fuzzing::lite_agrees(text) == "");
  }
}

void declines(const std::string& text) { BOOST_TEST(!read_lite(text).has_value(), text); }

// The document bodies of a stream: each chunk after its marker line, as check_rewrite reads them.
std::vector<std::string> bodies(const std::string& stream) {
  std::vector<std::string> out;
  bool first = true;
  for (const document& d : split_documents(stream)) {
    layout l = describe(d.text, first);
    first = false;
    out.emplace_back(d.text.substr(l.parse_begin));
  }
  return out;
}

const char* deployment = R"(# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels:
    app.kubernetes.io/version: "1.16.0"
    helm.sh/chart: app-0.1.0
spec:
  replicas: 4
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
  template:
    metadata:
      annotations:
        checksum/config: '5d41402abc4b2a76b9719d911017c592'
    spec:
      containers:
      - name: app
        image: "nginx:1.16.0"
        args: ["--port", "8080", --verbose, on]
        env:
          - name: ENABLED
            value: "true"
          - name: EMPTY
            value:
        command:
        - /bin/sh
        - -c
        - |
          exec /app --port "$PORT"   # not a comment

          echo done
        resources:
          limits: {cpu: 100m, memory: 128Mi}
          requests: {}
      tolerations: []
      volumes: ~
)";

}  // namespace

BOOST_AUTO_TEST_CASE(a_rendered_deployment_is_read_as_yaml_cpp_reads_it) { reads_as_yaml_cpp(deployment); }

BOOST_AUTO_TEST_CASE(plain_scalars_keep_their_text_and_null_words_are_null) {
  reads_as_yaml_cpp("a: 1\nb: on\nc: 25%\nd: nginx:1.16\ne: a b  c   \nf: x#y\ng: x # comment\n");
  reads_as_yaml_cpp("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nulls\n");
  reads_as_yaml_cpp("a: -1\nb: --flag=x\nc: a - b\nd: a[b]{c},d\n");
}

BOOST_AUTO_TEST_CASE(quoted_scalars_are_not_plain_and_unescape) {
  reads_as_yaml_cpp("a: \"8080\"\nb: 'it''s'\nc: \"q\\\"\\\\\\/\\n\\t\"\nd: ''\ne: \"\"\n\"f\": 1\n'g': 2\n");
  reads_as_yaml_cpp("a: \"x\" # comment\nb: 'y'   \n");
}

BOOST_AUTO_TEST_CASE(lists_at_the_keys_column_or_indented_with_maps_inside) {
  reads_as_yaml_cpp("a:\n- 1\n- x: 1\n  y: 2\n-   z: 3\n    w:\n    - deep\nb: 2\n");
  reads_as_yaml_cpp("a:\n  - 1\n  -\n    x: 1\n  - # comment\n  -\nb:\n  c:\n    d: e\n");
}

BOOST_AUTO_TEST_CASE(flow_collections_on_one_line) {
  reads_as_yaml_cpp("a: [1, \"2\", '3', [4], {b: 5}]\nc: { d: e , f: [] }\ng: [ ]\nh: [~, null]\n");
}

BOOST_AUTO_TEST_CASE(literal_block_scalars_clip_and_strip) {
  reads_as_yaml_cpp("a: |\n  one\n    two\n\n  three\n\n\nb: |-\n  x\n\nc: | # comment\n   y\nd: 1\n");
  reads_as_yaml_cpp("a:\n- |\n  item\n- |-\n  last\n");
}

BOOST_AUTO_TEST_CASE(comments_and_blank_lines_anywhere_outside_literals) {
  reads_as_yaml_cpp("# head\n\na: # c\n  # c\n  b: 1 # c\n\n# c\n  c: 2\n# tail\n");
}

BOOST_AUTO_TEST_CASE(duplicate_keys_are_kept_in_order_as_yaml_cpp_keeps_them) { reads_as_yaml_cpp("a: 1\na: 2\n"); }

BOOST_AUTO_TEST_CASE(anything_outside_the_subset_is_declined) {
  declines("a: &x 1\nb: *x\n");           // anchors and aliases
  declines("a: !!str 1\n");               // tags
  declines("a: >\n  folded\n");           // folded scalars
  declines("a: |+\n  keep\n");            // keep chomping
  declines("a: |2\n   x\n");              // explicit indentation
  declines("a: |\n\n  leading blank\n");  // a literal starting with an empty line
  declines("a: |\n  x\n   \n  y\n");      // a line of spaces in a literal
  declines("a: |\n  no final break");     // a literal running to the end without a line break
  declines("a: two\n  lines\n");          // multi-line plain scalar
  declines("a: \"two\n  lines\"\n");      // multi-line quoted scalar
  declines("a: [1,\n  2]\n");             // flow over several lines
  declines("a: [1, 2, ]\n");              // trailing comma
  declines("a: \"\\x41\"\n");             // other escapes
  declines("a:\tb\n");                    // tabs
  declines("a: b\r\n");                   // CR
  declines("a: \xc3\xa9\n");              // non-ASCII
  declines("? a\n: b\n");                 // complex keys
  declines("a: b: c\n");                  // a map on one line
  declines("%YAML 1.1\n---\na: 1\n");     // directives and markers
  declines("a: 1\n---\nb: 2\n");
  declines("- a\n- b\n");  // a root that is not a map
  declines("  a: 1\n");
  declines("scalar\n");
  declines("");
  declines("a:\n  scalar below its key\n");
  declines("a:\n  - - nested\n");
  declines("a: 1\n b: 2\n");  // wrong indentation
  declines("a:\n    b: 1\n  c: 2\n");
  declines("a b: 1\n");  // keys outside [A-Za-z0-9_./-]
  declines("null: 1\n");
  declines(std::string(1025, 'k') + ": 1\n");  // longer than YAML's 1024 for an implicit key
  declines("\"" + std::string(1025, 'k') + "\": 1\n");
  reads_as_yaml_cpp(std::string(1024, 'k') + ": 1\n");
  declines("a: {b}\n");
  declines("a: [b: c]\n");
  std::string deep = "a: ";
  for (int i = 0; i < 200; ++i) deep += "[";
  declines(deep + "\n");
}

BOOST_AUTO_TEST_CASE(the_comparer_reads_a_lite_tree_like_a_yaml_cpp_tree) {
  YAML::Node original = YAML::Load("a: 1\nb: \"on\"\nc:\n  d: [x]\n");
  BOOST_TEST(!tree_difference(original, {}, *read_lite("c:\n  d: [x]\nb: 'on'\na: 1\n")));
  BOOST_TEST(*tree_difference(original, {}, *read_lite("a: 1\nb: on\nc:\n  d: [x]\n")) == "b");
  BOOST_TEST(*tree_difference(original, {}, *read_lite("a: 1\nb: \"on\"\nc:\n  d: [y]\n")) == "c.d[0]");
  BOOST_TEST(*tree_difference(original, {}, *read_lite("a: 1\nb: \"on\"\n")) == "the document root");
  edit_tree edits;
  edits.set(yaml_path{{"c"}, {"e"}}, "25%", false);
  edits.set(yaml_path{{"f"}}, "30", false);
  BOOST_TEST(!tree_difference(original, edits, *read_lite("f: 30\na: 1\nb: \"on\"\nc:\n  e: 25%\n  d: [x]\n")));
  BOOST_TEST(*tree_difference(original, edits, *read_lite("f: \"30\"\na: 1\nb: \"on\"\nc:\n  e: 25%\n  d: [x]\n")) ==
             "f");
  BOOST_TEST(*tree_difference(original, edits, *read_lite("a: 1\nb: \"on\"\nc:\n  e: 25%\n  d: [x]\n")) ==
             "the document root");
}

BOOST_AUTO_TEST_CASE(two_lite_trees_compare_as_a_yaml_cpp_tree_and_a_lite_tree_do) {
  const std::string original_text = "a: 1\nb: \"on\"\nc:\n  d: [x]\n";
  YAML::Node original = YAML::Load(original_text);
  lite_node original_lite = *read_lite(original_text);
  edit_tree edits;
  edits.set(yaml_path{{"c"}, {"e"}}, "25%", false);
  edits.set(yaml_path{{"f"}}, "30", false);
  for (const char* rewritten :
       {"f: 30\na: 1\nb: \"on\"\nc:\n  e: 25%\n  d: [x]\n", "f: \"30\"\na: 1\nb: \"on\"\nc:\n  e: 25%\n  d: [x]\n",
        "a: 1\nb: \"on\"\nc:\n  e: 25%\n  d: [x]\n", "f: 30\na: 1\nb: on\nc:\n  e: 25%\n  d: [x]\n",
        "f: 30\na: 1\nb: \"on\"\nc:\n  e: 25%\n  d: [y]\n"}) {
    lite_node actual = *read_lite(rewritten);
    BOOST_TEST((tree_difference(original_lite, edits, actual) == tree_difference(original, edits, actual)), rewritten);
    BOOST_TEST(
        (tree_difference(original_lite, edits, actual) == tree_difference(original, edits, YAML::Load(rewritten))),
        rewritten);
  }
  BOOST_TEST(!tree_difference(original_lite, edits, *read_lite("f: 30\na: 1\nb: \"on\"\nc:\n  e: 25%\n  d: [x]\n")));
  BOOST_TEST(*tree_difference(original_lite, {}, *read_lite("a: 1\nb: \"on\"\nc:\n  d: [x, y]\n")) == "c.d");
}

BOOST_AUTO_TEST_CASE(check_rewrite_uses_either_reader_with_the_same_verdict) {
  YAML::Node original = YAML::Load("a: 1\n");
  edit_tree edits;
  edits.set(yaml_path{{"b"}}, "2", false);
  BOOST_TEST(!check_rewrite("b: 2\na: 1\n", true, original, edits));                             // read_lite
  BOOST_TEST(*check_rewrite("b: 2\na: !!int 1\n", true, original, edits) == "it differs at a");  // yaml-cpp
  BOOST_TEST(*check_rewrite("b: 3\na: 1\n", true, original, edits) == "it differs at b");
  lite_node original_lite = *read_lite("a: 1\n");
  BOOST_TEST(!check_rewrite("b: 2\na: 1\n", true, original, edits, nullptr, &original_lite));
  BOOST_TEST(*check_rewrite("b: 3\na: 1\n", true, original, edits, nullptr, &original_lite) == "it differs at b");
  BOOST_TEST(*check_rewrite("b: >\n  3\na: 1\n", true, original, edits) == "it differs at b");
  BOOST_TEST(check_rewrite("b: [\na: 1\n", true, original, edits)->rfind("it no longer parses", 0) == 0);
}

namespace {

// Random documents made only of what read_lite accepts, to explore its subset more densely than a
// byte-level fuzzer does.
class generator {
 public:
  explicit generator(unsigned seed) : rng_(seed) {}

  std::string document() {
    std::string out = pick({"", "# Source: chart/templates/x.yaml\n", "\n# c\n"});
    map(out, 0, 0);
    return out;
  }

 private:
  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  std::string pick(std::initializer_list<const char*> options) { return *(options.begin() + below(options.size())); }
  std::string scalar() {
    switch (below(4)) {
      case 0: return pick({"\"8080\"", "\"a \\\"q\\\" \\\\ \\/ \\n\"", "\"\"", "\"on\""});
      case 1: return pick({"'it''s'", "''", "'#x'", "'a: b'"});
      default:
        return pick({"x", "on", "8080", "~", "null", "Null", "a b", "x#y", "-1", "25%", "nginx:1.16", "a[b]{c},d",
                     "--flag=1", "1.5", "true", "/path/to", "a - b"});
    }
  }
  std::string flow_scalar() { return pick({"x", "1", "\"y\"", "'z'", "~", "-1", "a b", "/"}); }
  std::string flow(int depth) {
    bool seq = below(2) == 0;
    std::string out = seq ? "[" : "{";
    std::size_t n = below(4);
    for (std::size_t i = 0; i < n; ++i) {
      if (i) out += pick({", ", ",", " , "});
      if (!seq) out += pick({"k", "\"q\"", "a.b/c"}) + std::string(": ");
      out += depth < 2 && below(4) == 0 ? flow(depth + 1) : flow_scalar();
    }
    return out + (seq ? "]" : "}");
  }
  std::string key() {
    return pick({"a", "name", "app.kubernetes.io/name", "x_1", "\"q k\"", "'s'", "on", "8080", "b-c"});
  }
  static std::string spaces(std::size_t n) { return std::string(n, ' '); }

  void literal(std::string& out, std::size_t indent) {
    out += pick({"|", "|-", "| # c"}) + std::string("\n");
    std::size_t m = indent + 1 + below(3), lines = 1 + below(3);
    for (std::size_t i = 0; i < lines; ++i) {
      if (i && below(3) == 0) out += "\n";
      out +=
          spaces(m + (i && below(3) == 0 ? 2 : 0)) + pick({"text", "# not a comment", "a: b", "- x", "\"q\""}) + "\n";
    }
    if (below(3) == 0) out += "\n";
  }

  // A value after "key:" or "- ", for a node at column indent; may_list: a list may sit at indent.
  void value(std::string& out, std::size_t indent, int depth, bool may_list) {
    switch (depth < 4 ? below(8) : below(4)) {
      case 0: out += " " + scalar() + (below(4) == 0 ? "  # c" : "") + "\n"; return;
      case 1: out += " " + flow(0) + "\n"; return;
      case 2:
        out += " ";
        literal(out, indent);
        return;
      case 3: out += pick({"\n", " # c\n"}); return;  // null
      case 4:
      case 5:
        out += "\n";
        map(out, indent + 2 + below(2), depth + 1);
        return;
      default:
        out += "\n";
        list(out, may_list && below(2) ? indent : indent + 2, depth + 1);
        return;
    }
  }

  void map(std::string& out, std::size_t indent, int depth, bool compact = false) {
    std::size_t n = 1 + below(4);
    for (std::size_t i = 0; i < n; ++i) {
      if (!(compact && i == 0)) {  // a compact map's first key is on the "- " line
        if (below(6) == 0) out += pick({"\n", "# c\n", "   # c\n"});
        out += spaces(indent);
      }
      out += key() + ":";
      value(out, indent, depth, true);
    }
  }

  void list(std::string& out, std::size_t indent, int depth) {
    std::size_t n = 1 + below(3);
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t gap = 1 + below(2);
      out += spaces(indent) + "-";
      if (below(3) == 0) {
        out += spaces(gap);
        map(out, indent + 1 + gap, depth + 1, true);
      } else {
        value(out, indent, depth, false);
      }
    }
  }

  std::mt19937 rng_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(random_documents_of_the_subset_are_all_read_as_yaml_cpp_reads_them) {
  generator g(20261127);
  for (int i = 0; i < 20000; ++i) {
    std::string doc = g.document();
    BOOST_TEST_CONTEXT(doc) {
      BOOST_TEST(read_lite(doc).has_value());
      BOOST_TEST(fuzzing::lite_agrees(doc) == "");
    }
  }
}

BOOST_AUTO_TEST_CASE(every_golden_and_corpus_document_it_accepts_reads_as_yaml_cpp_reads_it) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(ROLLOUT_PACE_SOURCE_DIR) / "test" / "golden"))
    if (fs::exists(e.path() / "input.yaml")) files.push_back(e.path() / "input.yaml");
  fs::path corpus = ROLLOUT_PACE_CORPUS_DIR;
  BOOST_TEST_REQUIRE(fs::is_directory(corpus), "the corpus folder is missing: " << corpus);
  for (const auto& e : fs::directory_iterator(corpus))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::size_t accepted = 0, documents = 0;
  for (const fs::path& f : files) {
    for (const std::string& body : bodies(slurp(f))) {
      ++documents;
      if (read_lite(body)) ++accepted;
      BOOST_TEST(fuzzing::lite_agrees(body) == "", f << ": " << body.substr(0, 200));
    }
  }
  BOOST_TEST_MESSAGE("read_lite accepted " << accepted << " of " << documents << " documents");
  BOOST_TEST(accepted * 2 > documents);  // the fast path is the common one
}
