#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "commands/rewrite.h"
#include "manifest/options.h"

namespace rollout_pace {

/// The flux subcommand's core. For each Flux HelmRelease (helm.toolkit.fluxcd.io v2, v2beta1,
/// v2beta2) whose rollout-pace/* annotations, spec.values (deploymentStrategy, customStrategy),
/// flags or matrix choose a profile, writes its own spec.postRenderers entry first in the list,
/// replacing the one an earlier run wrote; removes it when nothing is chosen any more. Everything
/// else stays byte for byte, each changed document is checked by parsing it again, and a second
/// run changes nothing. Pure; errors as in rewrite().
result flux_patch(std::string_view stream, const options& opts);
/// The same for a temporary input, which the result then keeps.
result flux_patch(std::string&& stream, const options& opts);

}  // namespace rollout_pace
