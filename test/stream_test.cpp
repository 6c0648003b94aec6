#define BOOST_TEST_MODULE stream
#include "yaml/stream.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/diagnostic.h"

using namespace rollout_pace;

namespace {
std::vector<std::string> texts(std::string_view s) {
  std::vector<std::string> out;
  for (const auto& d : split_documents(s)) out.emplace_back(d.text);
  return out;
}
std::string check_error(std::string_view s) {
  try {
    check_text(s);
  } catch (const failure& f) {
    BOOST_TEST(static_cast<int>(f.code()) == 1);
    return f.what();
  }
  return "";
}
}  // namespace

BOOST_AUTO_TEST_CASE(helm3_stream_splits_before_each_marker) {
  std::vector<std::string> want{"---\n# Source: a.yaml\na: 1\n", "---\n# Source: b.yaml\nb: 2\n"};
  BOOST_TEST(texts("---\n# Source: a.yaml\na: 1\n---\n# Source: b.yaml\nb: 2\n") == want);
}

BOOST_AUTO_TEST_CASE(text_before_the_first_marker_is_a_document) {
  std::vector<std::string> want{"a: 1\n", "---\nb: 2\n"};
  BOOST_TEST(texts("a: 1\n---\nb: 2\n") == want);
}

BOOST_AUTO_TEST_CASE(marker_needs_blank_or_line_end_after_it) {
  std::vector<std::string> want{"a: 1\n----\n---x\n", "--- # c\n", "---\t\n", "---\r\nb: 1\r\n", "---"};
  BOOST_TEST(texts("a: 1\n----\n---x\n--- # c\n---\t\n---\r\nb: 1\r\n---") == want);
}

BOOST_AUTO_TEST_CASE(marker_inside_an_indented_block_scalar_is_not_a_boundary) {
  std::vector<std::string> want{"a: |\n  ---\n  x\n"};
  BOOST_TEST(texts("a: |\n  ---\n  x\n") == want);
}

BOOST_AUTO_TEST_CASE(empty_stream_has_no_documents) { BOOST_TEST(split_documents("").empty()); }

BOOST_AUTO_TEST_CASE(documents_concatenate_to_the_stream) {
  std::string s = "x\n---\n---\n# only\n---\nkind: Deployment\n...\n";
  std::string joined;
  for (const auto& d : split_documents(s)) joined += std::string(d.text);
  BOOST_TEST(joined == s);
  BOOST_TEST(split_documents(s).size() == 4u);
}

std::string certain_kind(std::string_view text) {
  kind_reading k = read_kind(text);
  return k.certain ? k.kind : "(parse)";
}

BOOST_AUTO_TEST_CASE(kind_written_plainly_at_the_top_is_read_from_the_text) {
  BOOST_TEST(certain_kind("apiVersion: apps/v1\nkind: Deployment\n") == "Deployment");
  BOOST_TEST(certain_kind("---\n# Source: x\nkind: Service # a comment\r\n") == "Service");
  BOOST_TEST(certain_kind("---#c\nkind : ConfigMap\n") == "ConfigMap");
  BOOST_TEST(certain_kind("metadata:\n  name: x\n") == "");
  BOOST_TEST(certain_kind("# only a comment\n") == "");
  BOOST_TEST(certain_kind("kindred: x\nkind: Secret\n") == "Secret");
}

BOOST_AUTO_TEST_CASE(kind_lines_deeper_in_the_document_do_not_count) {
  std::string crd =
      "kind: CustomResourceDefinition\nspec:\n  description: |\n    kind: Deployment\n"
      "  x:\n    kind: Deployment\nitems:\n- kind: Deployment\n";
  BOOST_TEST(certain_kind(crd) == "CustomResourceDefinition");
}

BOOST_AUTO_TEST_CASE(kind_the_text_cannot_show_plainly_means_parse) {
  for (const char* doc :
       {"kind: &k Deployment\n", "kind:\n  Deployment\n", "kind: \"Deploy\\u006dent\"\n",
        "kind: !<tag:yaml.org,2002:str> Deployment\n", "kind: >-\n  Deployment\n", "? kind\n: Deployment\n",
        "\"kind\": Deployment\n", "<<: *base\nkind: Service\n", "{\"kind\": \"Service\"}\n", "  kind: Service\n",
        "--- {kind: Deployment}\n", "a: \"x\nkind: Service\"\nkind: Deployment\n", "- kind: Deployment\n",
        "kind:Deployment\n", "&a kind: Service\n", "kind: Service\n'q': x\n"})
    BOOST_TEST(certain_kind(doc) == "(parse)", doc);
}

BOOST_AUTO_TEST_CASE(describe_finds_header_body_and_end_marker) {
  std::string chunk = "---\n# Source: x\n\napiVersion: v1\n...\n# after\n";
  layout l = describe(chunk, false);
  BOOST_TEST(l.body_begin == std::string("---\n# Source: x\n\n").size());
  BOOST_TEST(l.body_end == chunk.find("..."));
  BOOST_TEST(l.problem.empty());
  BOOST_TEST(!l.crlf);
}

BOOST_AUTO_TEST_CASE(describe_flags_what_makes_a_rewrite_unsafe) {
  BOOST_TEST(describe("--- !!map\na: 1\n", false).problem == "content on the \"---\" marker line");
  BOOST_TEST(describe("a: 1\n...\nb: 2\n", false).problem == "content after the \"...\" end marker");
  BOOST_TEST(describe("%YAML 1.1\n", true).problem == "a YAML directive");
  BOOST_TEST(describe("\xEF\xBB\xBF"
                      "a: 1\n",
                      false)
                 .problem == "a byte order mark inside the stream");
  BOOST_TEST(describe("\xEF\xBB\xBF"
                      "a: 1\n",
                      true)
                 .problem.empty());
  BOOST_TEST(describe("---\r\na: 1\r\n", false).crlf);
}

BOOST_AUTO_TEST_CASE(check_text_accepts_utf8_tabs_and_crlf) {
  BOOST_TEST(check_error("a:\t\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x9A\x80\"\r\n").empty());
}

BOOST_AUTO_TEST_CASE(check_text_rejects_nul_with_its_position) {
  BOOST_TEST(check_error(std::string_view("a: 1\nb: x\0y\n", 11)) ==
             "line 2, column 5: a NUL byte: this is binary data, not a YAML manifest stream");
}

BOOST_AUTO_TEST_CASE(check_text_rejects_control_characters_and_bad_utf8) {
  BOOST_TEST(check_error("a: \x1b\n") == "line 1, column 4: control character U+001B is not allowed in YAML");
  BOOST_TEST(check_error("a: \x7f\n") == "line 1, column 4: control character U+007F is not allowed in YAML");
  BOOST_TEST(check_error("0123456789a: caf\xe9\n") ==
             "line 1, column 17: invalid UTF-8: YAML streams must be UTF-8 text");
  BOOST_TEST(check_error("a: \xC0\xAF\n") == "line 1, column 4: invalid UTF-8: YAML streams must be UTF-8 text");
  BOOST_TEST(check_error("a: \xED\xA0\x80\n") == "line 1, column 4: invalid UTF-8: YAML streams must be UTF-8 text");
}

// scan_stream must say exactly what the three separate functions say.
void agrees(std::string_view s) {
  std::string separate_error, scan_error;
  try {
    check_text(s);
  } catch (const failure& f) {
    separate_error = f.what();
  }
  std::vector<scanned_document> scanned;
  try {
    scanned = scan_stream(s);
  } catch (const failure& f) {
    scan_error = f.what();
  }
  BOOST_TEST(scan_error == separate_error);
  if (!separate_error.empty()) return;
  std::vector<document> docs = split_documents(s);
  BOOST_TEST_REQUIRE(scanned.size() == docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    BOOST_TEST(scanned[i].offset == docs[i].offset);
    BOOST_TEST(scanned[i].text == docs[i].text);
    kind_reading k = read_kind(docs[i].text);
    BOOST_TEST(scanned[i].kind.certain == k.certain);
    BOOST_TEST(scanned[i].kind.kind == k.kind);
  }
}

BOOST_AUTO_TEST_CASE(single_pass_scan_agrees_with_the_separate_functions) {
  std::string helm =
      "---\n# Source: a\nkind: Deployment\n---\nkind: Service\nx: Deployment\n---\n"
      "{\"kind\":\"Deployment\"}\n---\r\nkind: 'DeploymentList'\r\n";
  for (std::size_t cut = 0; cut <= helm.size(); ++cut) agrees(std::string_view(helm).substr(0, cut));
  std::string utf8 = std::string(40, 'a') + "\xC3\xA9\xE2\x82\xAC" + std::string(30, 'b') + "\n---\nkind: Deployment\n";
  for (std::size_t shift = 0; shift < 20; ++shift) agrees(std::string(shift, ' ') + utf8);
  agrees(std::string(35, 'x') + "\xE2\x82");  // a character cut short at the very end
  agrees(std::string(35, 'x') + "\x01" + std::string(30, 'y'));
  agrees(std::string(64, '-'));
  agrees("---");
  agrees("");
}

BOOST_AUTO_TEST_CASE(single_pass_scan_agrees_on_the_corpus) {
  BOOST_TEST_REQUIRE(std::filesystem::is_directory(ROLLOUT_PACE_CORPUS_DIR));
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(ROLLOUT_PACE_CORPUS_DIR)) {
    if (e.path().extension() != ".yaml") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST_CONTEXT(e.path().filename()) { agrees(text); }
    ++files;
  }
  BOOST_TEST(files >= 24u);
}
