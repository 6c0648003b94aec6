#pragma once
// How flux renders a HelmRelease's chart: the real helm template, run without a shell.
#include <string>

#include "manifest/options.h"

namespace rollout_pace {

/// Runs `helm template RELEASE CHART --namespace NS -f FILE...` (helm: $HELM_BIN, else helm in PATH)
/// with the request's valuesFiles, then its values documents written to a private temporary folder,
/// and returns what it renders. Throws failure(bad_input) with one line when helm is missing or
/// fails (its last line of error output quoted).
std::string render_with_helm(const chart_render& request);

}  // namespace rollout_pace
