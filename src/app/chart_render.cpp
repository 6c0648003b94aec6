#include "app/chart_render.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#ifdef _WIN32
#include <process.h>
#endif

#include "app/process.h"
#include "base/diagnostic.h"
#include "base/limits.h"

namespace rollout_pace {
namespace {

namespace fs = std::filesystem;

// A private temporary folder, removed with everything in it when it goes.
struct scratch {
  fs::path dir;
  scratch() {
#ifdef _WIN32  // no mkdtemp: a name of this process's that create_directory finds new
    std::error_code ec;
    for (int i = 0; i < 100 && dir.empty(); ++i) {
      fs::path p = fs::temp_directory_path(ec) /
                   ("rollout-pace-render." + std::to_string(::_getpid()) + "." + std::to_string(i));
      if (!ec && fs::create_directory(p, ec)) dir = p;
    }
    if (dir.empty()) throw failure(exit_code::bad_input, "cannot make a temporary folder to render in");
#else
    std::string pattern = (fs::temp_directory_path() / "rollout-pace-render.XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw failure(exit_code::bad_input, "cannot make a temporary folder to render in");
    dir = pattern;
#endif
  }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  scratch(const scratch&) = delete;
  scratch& operator=(const scratch&) = delete;
  fs::path write(const std::string& name, const std::string& text) const {
    fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
};

// The last line of what a program wrote on standard error, for a one-line message.
std::string last_line(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line, last;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  if (last.size() > 400) last = last.substr(0, 400) + "...";
  return last;
}

}  // namespace

std::string render_with_helm(const chart_render& request) {
  const char* bin = std::getenv("HELM_BIN");
  std::string helm = bin && *bin ? bin : "helm";
  scratch tmp;
  std::vector<std::string> argv{helm, "template", request.release_name, request.chart, "--namespace", request.ns};
  for (const std::string& f : request.values_files) argv.insert(argv.end(), {"--values", f});
  for (std::size_t i = 0; i < request.values.size(); ++i)
    argv.insert(argv.end(),
                {"--values", tmp.write("values-" + std::to_string(i) + ".json", request.values[i]).string()});
  fs::path err = tmp.dir / "stderr";
  process_output out;
  try {
    out = run_process(argv, max_input_bytes, err.string());
  } catch (const failure& f) {
    throw failure(exit_code::bad_input, std::string(f.what()) +
                                            "; flux renders a chart with helm template: install Helm 3 or 4, or set "
                                            "HELM_BIN");
  }
  if (out.exit_status != 0)
    throw failure(exit_code::bad_input, "helm template " + request.chart + " exited with status " +
                                            std::to_string(out.exit_status) + ": " + last_line(err));
  return out.out;
}

}  // namespace rollout_pace
