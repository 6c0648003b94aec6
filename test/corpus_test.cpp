#define BOOST_TEST_MODULE corpus
// Every real manifest stream in test/corpus, with each profile: the document count is kept,
// untouched documents are byte-identical, every eligible Deployment carries the profile, nothing
// but the rollout fields changed, and a second run changes nothing. The corpus is part of the
// repository: a missing folder fails the test.
#include <boost/test/unit_test.hpp>

#include "test_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands/rewrite.h"
#include "corpus_check.h"
#include "yaml/lite.h"
#include "yaml/stream.h"
#include "yaml/tree.h"

namespace fs = std::filesystem;
namespace utf = boost::unit_test;
using namespace rollout_pace;
using test_files::slurp;

namespace {

const fs::path corpus = ROLLOUT_PACE_CORPUS_DIR;

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  BOOST_TEST_REQUIRE(fs::is_directory(corpus), "the corpus folder is missing: " << corpus);
  for (const auto& e : fs::directory_iterator(corpus))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_corpus_stream_with_every_profile) {
  std::vector<fs::path> files = corpus_files();
  BOOST_TEST(files.size() >= 24u);
  std::size_t paced = 0;
  for (const fs::path& file : files) {
    std::string input = slurp(file);
    for (const auto& p : corpus_check::paces()) {
      BOOST_TEST_CONTEXT(file.filename().string() << " with " << p.name) {
        options o;
        o.flags.profile = parse_profile_name(p.name);
        result r = rewrite(input, o);
        BOOST_TEST_REQUIRE(static_cast<int>(r.code) == 0);
        paced += corpus_check::check_paced_stream(input, r.output(), p);
        BOOST_TEST(rewrite(r.output(), o).output() == r.output(), "a second run changed the output");
      }
    }
  }
  // The corpus holds 48 eligible Deployments (SOURCES.md counts, less hooks, Recreate and old APIs),
  // 6 DaemonSets (5 of them on the host network) and 5 StatefulSets.
  BOOST_TEST(paced == 3 * (48u + 6u + 5u));
}

// The fast reader changes nothing but the time: every corpus stream and golden input, under each
// profile (and with --report), gives the same result read by read_lite() where it can as read by
// yaml-cpp alone.
BOOST_AUTO_TEST_CASE(read_lite_and_yaml_cpp_give_the_same_result) {
  std::vector<fs::path> files = corpus_files();
  for (const auto& e : fs::directory_iterator(fs::path(ROLLOUT_PACE_SOURCE_DIR) / "test" / "golden"))
    if (fs::exists(e.path() / "input.yaml")) files.push_back(e.path() / "input.yaml");
  std::size_t compared = 0, read_fast = 0;
  for (const fs::path& file : files) {
    std::string input = slurp(file);
    for (const char* profile : {"Blitz", "Cautious", "Paranoid"}) {
      BOOST_TEST_CONTEXT(file << " with " << profile) {
        options fast;
        fast.flags.profile = parse_profile_name(profile);
        fast.report = true;
        options slow = fast;
        slow.fast_reader = false;
        result a = rewrite(input, fast), b = rewrite(input, slow);
        BOOST_TEST(static_cast<int>(a.code) == static_cast<int>(b.code));
        BOOST_TEST(a.output() == b.output());
        BOOST_TEST_REQUIRE(a.diagnostics.size() == b.diagnostics.size());
        for (std::size_t i = 0; i < a.diagnostics.size(); ++i)
          BOOST_TEST(a.diagnostics[i].text == b.diagnostics[i].text);
        BOOST_TEST_REQUIRE(a.plan.workloads.size() == b.plan.workloads.size());
        for (std::size_t i = 0; i < a.plan.workloads.size(); ++i)
          BOOST_TEST(a.plan.workloads[i].summary == b.plan.workloads[i].summary);
        ++compared;
      }
    }
    try {
      for (const scanned_document& d : scan_stream(input))
        if (must_parse(d.kind) && read_lite(d.text.substr(describe(d.text, d.offset == 0).parse_begin))) ++read_fast;
    } catch (const failure&) {  // a golden input that is refused as a whole (NUL bytes, bad UTF-8)
    }
  }
  BOOST_TEST(compared > 400u);
  BOOST_TEST_MESSAGE("read_lite read " << read_fast << " of the documents rewrite() parses");
  BOOST_TEST(read_fast > 100u);  // the fast path is taken, not only the fallback
}
