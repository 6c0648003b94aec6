#pragma once
// The one write-back of an edited document, for rewrite and flux alike: splice the edits into the
// text, read the result back as Kubernetes would and compare it with what was meant, and where the
// layout does not allow a splice, re-emit the document (when the caller allows it).
#include <string>
#include <string_view>

#include "yaml/reader.h"
#include "yaml/tree.h"

namespace rollout_pace {

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
