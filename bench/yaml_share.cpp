// bench_yaml_share FILE: how much of rollout-pace's work on FILE is yaml-cpp parsing.
// Prints the CPU seconds of rewrite() on one thread and of YAML::Load on the documents the cheap
// scan passes on, twice each (rollout-pace parses a changed document again to check it).
#include <yaml-cpp/yaml.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "rollout_pace/rewrite.h"
#include "rollout_pace/stream.h"
#include "rollout_pace/workload_kind.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  rollout_pace::options o;
  o.flags.profile = rollout_pace::profile_name::cautious;
  o.threads = 1;
  std::clock_t t0 = std::clock();
  rollout_pace::result r = rollout_pace::rewrite(std::string_view(text), o);
  double rewrite_cpu = double(std::clock() - t0) / CLOCKS_PER_SEC;
  std::clock_t t1 = std::clock();
  std::size_t parsed = 0;
  for (const auto& d : rollout_pace::scan_stream(text)) {
    if (d.kind.certain && !rollout_pace::find_kind(d.kind.kind)) continue;
    for (int i = 0; i < 2; ++i) YAML::Load(std::string(d.text));
    parsed += d.text.size();
  }
  double yaml_cpu = double(std::clock() - t1) / CLOCKS_PER_SEC;
  std::cout << rewrite_cpu << " " << yaml_cpu << " " << parsed << " " << static_cast<int>(r.code) << "\n";
  return 0;
}
