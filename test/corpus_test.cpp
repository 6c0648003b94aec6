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
