#pragma once
#include <string>
#include <string_view>

#include "commands/result.h"
#include "manifest/options.h"
#include "yaml/stream.h"

namespace rollout_pace {

/// The core, and its one entry point: applies rollout profiles to the workloads of a manifest
/// stream (the kinds of kube/kinds.h: Deployments, StatefulSets, DaemonSets, Argo Rollouts). Pure (no I/O). Untouched
/// documents are copied byte for byte; a changed document differs only in the lines of the changed fields, and is
/// checked by parsing it again. On any error the output is empty and the last diagnostic is the one-line, located
/// error. The input must outlive the result, whose output refers to it.
result rewrite(std::string_view stream, const options& opts);
/// The same for a temporary input, which the result then keeps.
result rewrite(std::string&& stream, const options& opts);
/// The same for a string literal.
inline result rewrite(const char* stream, const options& opts) { return rewrite(std::string_view(stream), opts); }

/// Whether rewrite() parses a document whose kind the text scan read as k: a workload kind, a list
/// that may hold one, an HPA (a workload's replicas for the plan), or a kind the text does not show
/// plainly. Every other document is passed on byte for byte unparsed.
bool must_parse(const kind_reading& k);

}  // namespace rollout_pace
