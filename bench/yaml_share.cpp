// bench_yaml_share FILE: how much of rollout-pace's work on FILE is reading YAML. Prints the CPU
// seconds of rewrite() on one thread, of YAML::Load on the documents the cheap scan passes on (the
// parse every decision needs), and of read_lite on the same documents of the output (the check
// that reads each rewrite back), how many of those read_lite accepted, the bytes parsed and
// rewrite()'s exit code.
#include <yaml-cpp/yaml.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>
#include <vector>

#include "commands/rewrite.h"
#include "yaml/lite.h"
#include "yaml/stream.h"

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
    if (!rollout_pace::must_parse(d.kind)) continue;
    YAML::Load(std::string(d.text));
    parsed += d.text.size();
  }
  double yaml_cpu = double(std::clock() - t1) / CLOCKS_PER_SEC;
  std::string out = r.output();
  std::vector<std::string_view> bodies;
  bool first = true;
  for (const auto& d : rollout_pace::scan_stream(out)) {
    rollout_pace::layout l = rollout_pace::describe(d.text, first);
    first = false;
    if (rollout_pace::must_parse(d.kind)) bodies.push_back(d.text.substr(l.parse_begin));
  }
  std::clock_t t2 = std::clock();
  std::size_t accepted = 0;
  for (std::string_view body : bodies)
    if (rollout_pace::read_lite(body)) ++accepted;
  double lite_cpu = double(std::clock() - t2) / CLOCKS_PER_SEC;
  std::size_t read = bodies.size();
  std::cout << rewrite_cpu << " " << yaml_cpu << " " << lite_cpu << " " << accepted << "/" << read << " " << parsed
            << " " << static_cast<int>(r.code) << "\n";
  return 0;
}
