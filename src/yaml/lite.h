#pragma once
// A fast reader for the plain block YAML that rendered charts are written in: block maps and
// sequences, plain and one-line quoted scalars, one-line flow collections of those, and "|" / "|-"
// block scalars. It reads such text exactly as yaml-cpp's YAML::Load does (a differential fuzzer
// and the corpus test hold it to that), and declines everything else: anchors, aliases, tags,
// directives, multi-line plain or quoted scalars, folded scalars, tabs, CR, non-ASCII bytes. A
// decline is not an error; the caller parses with load_document() instead.
// It exists for one hot path: reading every rewritten workload back to check the rewrite
// (yaml-cpp's scanner made that half of rollout-pace's time).
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollout_pace {

/// One node as YAML::Load would build it, for the subset read_lite() accepts.
struct lite_node {
  YAML::NodeType::value type = YAML::NodeType::Null;
  bool plain = true;             ///< scalars: written plain (yaml-cpp's tag "?"), else quoted or block ("!")
  std::string text;              ///< scalars: the value
  std::vector<lite_node> items;  ///< sequences: the items; maps: key, value, key, value, ...
  std::size_t pos = 0;           ///< where the node starts in the text read, as yaml-cpp's Mark().pos
  std::size_t column = 0;        ///< 0-based column of pos, as Mark().column
  bool flow = false;             ///< collections: written in flow style ({...} or [...])
};

/// The document text (after its "---" line) read as one node, or nullopt when the text is not in
/// the subset (or not one block map at column 0): then parse it with load_document().
std::optional<lite_node> read_lite(std::string_view text);

}  // namespace rollout_pace
