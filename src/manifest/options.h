#pragma once
// Everything a command needs to know from the command line (or a KRM function's config): what the
// decision reads (pace/options.h) and the commands' own settings.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pace/choose.h"
#include "pace/options.h"

namespace rollout_pace {

class previous_release;  // manifest/change.h

/// What flux asks helm template to render: the chart as helm-controller would install it.
struct chart_render {
  std::string chart;                      ///< a chart folder or .tgz
  std::string release_name, ns;           ///< as helm-controller names the release
  std::vector<std::string> values_files;  ///< spec.chart.spec.valuesFiles, as paths, in order
  std::vector<std::string> values;        ///< values documents (JSON) in order: valuesFrom, then spec.values
};

/// The options of a run: the decision's, and the commands' own.
struct options : pace_options {
  std::string
      values_key;       ///< --values-key: read the values' NAME instead of deploymentStrategy/customStrategy (flux too)
  bool strict = false;  ///< warnings are errors (except accepted ones)
  bool report = false;  ///< one report line per workload
  bool fast_reader = true;  ///< read a document with read_lite() where it can (tests compare with false)
  unsigned threads = 0;     ///< documents parsed at once; 0: one per core (the output is the same)
  std::shared_ptr<const previous_release> previous;  ///< --previous: the running release's manifests
  std::optional<choice> set_values;                  ///< flux --set: the pace to write into spec.values
  bool fit_timeout = false;                          ///< flux --fit-timeout: raise spec.timeout to fit the rollout
  bool check = false;                                ///< flux --check: change nothing, say which HelmReleases are stale
  bool wait_given = false;                           ///< --wait was given (flux reads spec.waitStrategy else)
  std::string chart;        ///< flux --chart: the chart folder or .tgz to render each HelmRelease with
  std::string source_file;  ///< flux: the file being read, whose git checkout may hold a GitRepository's chart
  /// flux: renders a chart (app/ runs helm template); empty: flux writes the generic patches per kind.
  std::function<std::string(const chart_render&)> render;
};

}  // namespace rollout_pace
