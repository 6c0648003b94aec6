#pragma once
// flux with a chart it can render: `--chart PATH`, or a GitRepository's chart in the git checkout
// that holds the HelmRelease's file. The chart is rendered with the real helm template as
// helm-controller would install it, paced by rewrite() as the post-renderer paces it, and each
// workload the post-renderer changes gets a patch of its own with exactly those fields.
#include <optional>
#include <string>

#include "manifest/options.h"
#include "manifest/release_decision.h"

namespace rollout_pace {

/// The chart_source flux uses. Renders r's chart (opts.render runs helm template) when opts.chart
/// names one, or when spec.chart.spec.sourceRef is a GitRepository and opts.source_file sits in a git
/// checkout holding spec.chart.spec.chart (helm-controller resolves it from the repository's root):
/// the release name and namespace as helm-controller gives them (spec.releaseName, else
/// [targetNamespace-]name; targetNamespace, else the HelmRelease's namespace), its valuesFiles from
/// the checkout and spec.values. nullopt, with why_not, when it cannot render (a HelmRepository or
/// OCI chart, no checkout, no helm for a chart it found itself). Throws failure when the chart named
/// with --chart cannot be rendered, or renders what the post-renderer would refuse.
std::optional<rendered_chart> render_chart(const release& r, const options& opts, std::string& why_not);

}  // namespace rollout_pace
