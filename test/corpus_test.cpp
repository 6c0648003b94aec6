#define BOOST_TEST_MODULE corpus
// Every real manifest stream in ../shared/corpus, with each profile: the document count is kept,
// untouched documents are byte-identical, every eligible Deployment carries the profile, nothing
// but the rollout fields changed, and a second run changes nothing. Skipped only when the corpus
// folder is absent.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "rollout_pace/rewrite.h"
#include "rollout_pace/stream.h"
#include "rollout_pace/yaml_tree.h"

namespace fs = std::filesystem;
namespace utf = boost::unit_test;
using namespace rollout_pace;

namespace {

const fs::path corpus = ROLLOUT_PACE_CORPUS_DIR;

utf::assertion_result corpus_present(utf::test_unit_id) { return utf::assertion_result(fs::is_directory(corpus)); }

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(corpus))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The Deployments of a document, found independently of the library: the root or List items.
std::vector<YAML::Node> deployments(const YAML::Node& root) {
  std::vector<YAML::Node> out;
  if (!root.IsMap() || !root["kind"]) return out;
  std::string kind = root["kind"].as<std::string>();
  if (kind == "Deployment") out.push_back(root);
  if (kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0 && root["items"].IsSequence())
    for (const auto& item : root["items"])
      if (item.IsMap() && item["kind"] && item["kind"].as<std::string>() == "Deployment") out.push_back(item);
  return out;
}

// The node at a path of keys, or an undefined node (yaml-cpp throws when indexing a missing node).
YAML::Node at(YAML::Node n, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (!n.IsMap() || !n[k]) return YAML::Node(YAML::NodeType::Undefined);
    n.reset(n[k]);
  }
  return n;
}

bool eligible(const YAML::Node& d) {
  YAML::Node api = at(d, {"apiVersion"}), type = at(d, {"spec", "strategy", "type"});
  if (!api.IsDefined() || api.as<std::string>() != "apps/v1") return false;
  if (at(d, {"metadata", "annotations", "helm.sh/hook"}).IsDefined()) return false;
  if (at(d, {"metadata", "annotations", "rollout-pace/skip"}).IsDefined()) return false;
  return !(type.IsDefined() && type.as<std::string>() == "Recreate");
}

struct expected_pace {
  const char* name;
  std::string surge, unavailable;
  int min_ready;
};

void check_profile(const YAML::Node& d, const expected_pace& p) {
  const YAML::Node spec = d["spec"];
  BOOST_TEST(spec["minReadySeconds"].as<std::string>() == std::to_string(p.min_ready));
  BOOST_TEST(spec["minReadySeconds"].Tag() == "?");
  BOOST_TEST(spec["strategy"]["type"].as<std::string>() == "RollingUpdate");
  BOOST_TEST(spec["strategy"]["rollingUpdate"]["maxSurge"].as<std::string>() == p.surge);
  BOOST_TEST(spec["strategy"]["rollingUpdate"]["maxUnavailable"].as<std::string>() == p.unavailable);
  YAML::Node deadline_node = at(d, {"spec", "progressDeadlineSeconds"});
  int deadline = deadline_node.IsDefined() ? deadline_node.as<int>() : 600;
  BOOST_TEST(deadline > p.min_ready);
}

// Removes the fields rollout-pace may write, so that what remains must be identical.
void strip_rollout_fields(YAML::Node d) {
  YAML::Node spec = d["spec"];
  spec.remove("minReadySeconds");
  spec.remove("progressDeadlineSeconds");
  spec.remove("strategy");
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_corpus_stream_with_every_profile, *utf::precondition(corpus_present)) {
  const std::vector<expected_pace> paces{
      {"Blitz", "100%", "50%", 0}, {"Cautious", "25%", "0", 30}, {"Paranoid", "1", "0", 300}};
  std::vector<fs::path> files = corpus_files();
  BOOST_TEST(files.size() >= 24u);
  std::size_t paced = 0;
  for (const fs::path& file : files) {
    std::string input = read(file);
    for (const expected_pace& p : paces) {
      BOOST_TEST_CONTEXT(file.filename().string() << " with " << p.name) {
        options o;
        o.flags.profile = parse_profile_name(p.name);
        result r = rewrite(input, o);
        BOOST_REQUIRE(static_cast<int>(r.code) == 0);
        std::vector<document> in = split_documents(input), out = split_documents(r.output);
        BOOST_REQUIRE(in.size() == out.size());
        for (std::size_t i = 0; i < in.size(); ++i) {
          if (in[i].text.find("Deployment") == std::string_view::npos) {
            BOOST_TEST(in[i].text == out[i].text);
            continue;
          }
          std::vector<YAML::Node> a = YAML::LoadAll(std::string(in[i].text));
          std::vector<YAML::Node> b = YAML::LoadAll(std::string(out[i].text));
          BOOST_REQUIRE(a.size() == b.size());
          if (a.empty()) continue;
          std::vector<YAML::Node> da = deployments(a[0]), db = deployments(b[0]);
          BOOST_REQUIRE(da.size() == db.size());
          bool any = false;
          for (std::size_t k = 0; k < da.size(); ++k) {
            if (!eligible(da[k])) continue;
            any = true;
            ++paced;
            check_profile(db[k], p);
            strip_rollout_fields(da[k]);
            strip_rollout_fields(db[k]);
          }
          if (!any) BOOST_TEST(in[i].text == out[i].text);
          auto difference = tree_difference(a[0], {}, b[0]);
          BOOST_TEST(!difference, "document " << i + 1 << " differs beyond the rollout fields at " << difference.value_or(""));
        }
        BOOST_TEST(rewrite(r.output, o).output == r.output, "a second run changed the output");
      }
    }
  }
  BOOST_TEST(paced == 3 * 48u);  // the corpus holds 48 eligible Deployments (SOURCES.md counts, less hooks, Recreate and old APIs)
}
