#pragma once
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "yaml/compare.h"
#include "yaml/stream.h"
#include "yaml/tree.h"

namespace rollout_pace {

/// apimachinery's YAMLOrJSONDecoder reads a stream whose first byte after leading blanks is "{" as
/// JSON, value after value, for the whole stream ("---" lines are then no separators at all).
bool is_json_stream(std::string_view stream);

/// Splits a JSON stream into its objects. Each document holds the blanks before its object; the
/// last also holds the blanks after it, so the texts concatenate to the stream. The kind is read
/// from the text when the object's top-level "kind" is one string without escapes, else left
/// uncertain. Throws failure(bad_input), located, where the stream is not a sequence of JSON objects.
std::vector<scanned_document> split_json_stream(std::string_view stream);

/// A JSON object's chunk as describe() would tell it: no marker line, no header, the whole chunk its
/// body; no problem (split_json_stream has already read it as JSON).
layout json_layout(std::string_view chunk);

/// A document parsed from one JSON object, written back as one line of JSON with edits applied:
/// keys in their order, strings quoted, numbers and literals as they were. A new value that is not
/// a JSON number is written as a string.
std::string emit_json(const YAML::Node& root, const edit_tree& edits);

}  // namespace rollout_pace
