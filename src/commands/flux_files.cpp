#include "commands/flux_files.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "base/files.h"
#include "commands/flux.h"
#include "manifest/release_decision.h"
#include "yaml/reader.h"
#include "yaml/stream.h"
#include "yaml/tree.h"

namespace rollout_pace {
namespace {

// flux --check: one error line per HelmRelease whose document would change, naming it and the fix.
std::size_t report_stale(const std::string& path, std::string_view before, std::string_view after,
                         std::vector<diagnostic>& diagnostics) {
  manifest_stream a = read_stream(before), b = read_stream(after);  // both read already: no failure here
  std::size_t found = 0;
  for (std::size_t i = 0; i < a.docs.size() && i < b.docs.size(); ++i) {
    if (a.docs[i].text == b.docs[i].text) continue;
    std::string name;
    try {
      parsed_document d = parse_document(a, i, "a HelmRelease");
      YAML::Node meta = lookup(d.root, "metadata").value;
      std::string ns = scalar_or(lookup(meta, "namespace").value, ""), n = scalar_or(lookup(meta, "name").value, "");
      name = (ns.empty() ? "" : ns + "/") + n;
    } catch (const std::runtime_error&) {  // failure or yaml_error: the name is only for the message
    }
    std::string what = name.empty() ? "a List of HelmReleases" : "HelmRelease " + name;
    bool had = a.docs[i].text.find(flux_marker) != std::string_view::npos;
    diagnostics.push_back({diagnostic::level::error,
                           path + ": document " + std::to_string(i + 1) + " (" + what +
                               "): its rollout-pace "
                               "entry is " +
                               (had ? "stale (the values or annotations changed since it was written)" : "missing") +
                               "; run: rollout-pace flux " + path});
    ++found;
  }
  return found;
}

}  // namespace

result flux_files(const std::vector<std::string>& paths, const options& opts) {
  result all;
  std::size_t stale = 0;
  try {
    std::vector<std::pair<std::string, std::string>> changed;  // write target, new text
    std::vector<std::string> targets;
    std::vector<std::string> chart_templates;
    std::vector<input_file> files = yaml_files(paths, &chart_templates);
    for (const std::string& dir : chart_templates)
      all.diagnostics.push_back({diagnostic::level::note, dir + ": a Helm chart's templates (beside its Chart.yaml) "
                                                                "are not YAML until rendered; left alone"});
    for (const input_file& file : files) {
      if (file.outside) {  // a repository cannot make flux edit a file outside the folder it was given
        all.diagnostics.push_back({diagnostic::level::note, file.path +
                                                                ": a symbolic link to a file outside the folder "
                                                                "given; left alone (name it to edit it)"});
        continue;
      }
      std::string target = write_target(file.path);
      if (std::find(targets.begin(), targets.end(), target) != targets.end()) continue;  // two links, one file
      targets.push_back(target);
      std::string text = read_file(file.path);
      options file_opts = opts;
      file_opts.source_file = file.path;  // its checkout may hold a GitRepository's chart
      result r = flux_patch(std::string_view(text), file_opts);
      if (r.code != exit_code::ok && file.walked && text.find("HelmRelease") == std::string::npos) {
        all.diagnostics.push_back(
            {diagnostic::level::note, file.path + ": left alone: " + r.diagnostics.back().located()});
        continue;
      }
      for (auto& d : r.diagnostics) all.diagnostics.push_back({d.kind, file.path + ": " + d.located(), d.id});
      if (r.code != exit_code::ok) {
        all.code = r.code;
        return all;
      }
      std::string out = r.output();
      if (out == text) continue;
      if (opts.check) {
        stale += report_stale(file.path, text, out, all.diagnostics);
        continue;
      }
      changed.emplace_back(file.path, std::move(out));
    }
    if (opts.check) {
      if (stale > 0)
        all.code = exit_code::bad_input;
      else
        all.diagnostics.push_back({diagnostic::level::note, "every HelmRelease's rollout-pace entry is current"});
      return all;
    }
    for (const auto& [file, text] : changed) {  // refuse before writing any, so that all or nothing holds
      struct stat st;
      if (::stat(write_target(file).c_str(), &st) == 0 && (st.st_mode & 0222) == 0)
        throw failure(exit_code::bad_input, file +
                                                ": is read-only; rollout-pace leaves it as it is (make it "
                                                "writable to let it edit)");
    }
    for (const auto& [file, text] : changed) {
      replace_file(file, text);
      all.diagnostics.push_back({diagnostic::level::note, file + ": spec.postRenderers updated"});
    }
  } catch (const failure& f) {
    all.code = f.code();
    all.diagnostics.push_back(f.as_error());
  }
  return all;
}

}  // namespace rollout_pace
