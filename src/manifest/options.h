#pragma once
// Everything a command needs to know from the command line (or a KRM function's config): what the
// decision reads (pace/options.h) and the commands' own settings.
#include <memory>
#include <optional>
#include <string>

#include "pace/choose.h"
#include "pace/options.h"

namespace rollout_pace {

class previous_release;  // manifest/change.h

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
};

}  // namespace rollout_pace
