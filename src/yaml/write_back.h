#pragma once
// The one write-back of an edited document, for rewrite and flux alike: splice the edits into the
// text, read the result back as Kubernetes would and compare it with what was meant, and where the
// layout does not allow a splice, re-emit the document (when the caller allows it).
#include <cstddef>
#include <string>
#include <string_view>

#include "yaml/compare.h"
#include "yaml/reader.h"
#include "yaml/tree.h"

namespace rollout_pace {

/// A replacement of text[begin, end) by text: the raw text-position edits of flux's entry, which no
/// edit_tree can say (a list item added or taken out with its comments kept around it).
struct text_edit {
  std::size_t begin = 0, end = 0;
  std::string text;
};

/// The offset in the chunk of a node parsed from the chunk's text starting at base.
std::size_t mark_offset(const YAML::Node& n, std::size_t base);

/// Where the value of key ends in a block map parsed from text at base: the line of the next key,
/// else parent_end; comment and blank lines just before that point stay outside.
std::size_t value_end(std::string_view text, const YAML::Node& map, std::string_view key, std::size_t parent_end,
                      std::size_t base);

/// A document written back, or why it could not be.
struct written_document {
  std::string text;         ///< the whole chunk, with the edits; valid when problem is empty
  bool reemitted = false;   ///< the body was re-emitted (comments inside it are lost)
  bool spliceable = true;   ///< false: the layout does not allow an in-place edit (and no re-emit was allowed)
  std::string problem;      ///< non-empty: what check_rewrite found ("it differs at spec.strategy")
  bool needs_yaml = false;  ///< read by read_lite(), and only yaml-cpp's tree can write it back (no
                            ///< splice, or a result outside read_lite's subset): parse it and retry
};

/// Applies edits to document d, whose text is chunk: a JSON document becomes one line of JSON; a YAML
/// document is spliced in place, and re-emitted when allow_reemit and the splice is impossible or
/// does not read back as meant. Every result is checked with check_rewrite(). shared:
/// shared_nodes(d.root) when known. A document read by read_lite() (d.lite) is only spliced and
/// checked against its lite tree; anything else sets needs_yaml. A document read by read_lite() (d.lite) is only
/// spliced and checked against its lite tree; anything else sets needs_yaml.
written_document write_back(std::string_view chunk, const parsed_document& d, bool json, const edit_tree& edits,
                            const node_set* shared, bool allow_reemit);

}  // namespace rollout_pace
