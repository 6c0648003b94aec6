#pragma once
// The library's facade: what a program that embeds rollout-pace includes. Everything else lives in
// the layers under src/ (docs/architecture.md), private to the project.
//
//   rollout_pace::options opts;                        // what the flags and values files say
//   opts.flags.profile = rollout_pace::profile_name::cautious;
//   rollout_pace::result r = rollout_pace::rewrite(stream, opts);
//   if (r.code == rollout_pace::exit_code::ok) std::cout << r.output();
//   for (const auto& d : r.diagnostics) std::cerr << rollout_pace::format(d) << "\n";
//
// rewrite() is the post-renderer (and plan: r.plan); flux_patch() writes Flux HelmReleases' patches.
// Both are pure: no I/O, the same input gives the same output, and on any error the output is empty
// and the last diagnostic is the one-line, located error.
#include "base/diagnostic.h"   // IWYU pragma: export
#include "commands/flux.h"     // IWYU pragma: export
#include "commands/result.h"   // IWYU pragma: export
#include "commands/rewrite.h"  // IWYU pragma: export
#include "manifest/options.h"  // IWYU pragma: export
