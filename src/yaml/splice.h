#pragma once
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "yaml/compare.h"
#include "yaml/tree.h"

namespace rollout_pace {

/// Applies edits to a document's text, touching only the lines that carry the edited fields:
/// an existing single-line scalar is replaced in place, a missing key is inserted as new lines
/// just above the first key of its map, at that key's indentation. Everything else (comments,
/// quoting, key order, block scalars, line endings) stays byte for byte.
/// root was parsed from chunk, whose yaml-cpp marks are mark_offset bytes short (a leading BOM).
/// Returns nullopt where the layout does not allow a splice: flow style, a multi-line, tagged or
/// block scalar, an empty value, or a map whose first key shares its line with "- ".
/// Reads a rewritten document back as Kubernetes would, the check every edit ends with: it must
/// still be exactly one document, hold none of describe()'s problems and no byte go-yaml's reader
/// refuses, and parse. Sets root and returns nullopt, or returns why not ("it holds ...").
std::optional<std::string> read_back(const std::string& text, bool first_in_stream, YAML::Node& root);

/// The check every edit ends with: read_back()'s checks, then the rewritten text must read as
/// original with edits applied (tree_difference). The text is read with read_lite() where it is in
/// that reader's subset (the common case, several times faster), else with load_document().
/// original_lite: the original as read_lite() read it, if it could; the two lite trees are then
/// compared directly. Returns nullopt, or why not ("it differs at spec.strategy", "it no longer
/// parses (...)").
std::optional<std::string> check_rewrite(const std::string& text, bool first_in_stream, const YAML::Node& original,
                                         const edit_tree& edits, const node_set* shared = nullptr,
                                         const lite_node* original_lite = nullptr);

/// check_rewrite() for an original that read_lite() read (no yaml-cpp tree): nullopt when the text
/// reads back with read_lite() as the original with the edits; else why not (also when the text is
/// outside read_lite's subset, which this check cannot read).
std::optional<std::string> check_rewrite_lite(const std::string& text, bool first_in_stream, const lite_node& original,
                                              const edit_tree& edits);

std::optional<std::string> splice(std::string_view chunk, std::size_t mark_offset, const node_view& root,
                                  const edit_tree& edits, bool crlf);

}  // namespace rollout_pace
