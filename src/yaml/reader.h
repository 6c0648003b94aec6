#pragma once
// The one reader of manifest streams: every command (rewrite, plan, flux, and --previous) reads its
// input through read_stream() and parse_document(), so a stream is split, checked, limited, parsed
// and located the same way everywhere.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "yaml/lite.h"
#include "yaml/stream.h"
#include "yaml/view.h"

namespace rollout_pace {

/// A stream as Kubernetes splits it: the objects of a JSON stream, or the YAML documents.
struct manifest_stream {
  std::string_view text;
  std::vector<scanned_document> docs;
  bool json = false;  ///< a JSON stream (YAMLOrJSONDecoder): each object one document
};

/// Splits and checks a stream: refuses one over max_input_bytes, bytes no YAML stream may hold, and a
/// JSON stream that is not a sequence of objects. Throws failure(bad_input), located.
manifest_stream read_stream(std::string_view text);

/// One document of a stream, parsed.
struct parsed_document {
  std::size_t index = 0;            ///< 1-based
  std::string where;                ///< "document 3", or "document 3 (from web/templates/api.yaml)"
  std::string source;               ///< the template it came from (a Helm "# Source:" line), if any
  layout shape;                     ///< where its parts are, and what would make a rewrite unsafe
  YAML::Node root;                  ///< the tree yaml-cpp read; undefined when read_lite() read it
  std::unique_ptr<lite_node> lite;  ///< the tree read_lite() read, when asked for and in its subset
  bool first_in_stream = false;
  /// The tree, whichever reader read it.
  node_view tree() const { return lite ? node_view(*lite) : node_view(root); }
};

/// Parses document i of s, which may hold what holds says ("a StatefulSet", "a HelmRelease", for messages): refuses a
/// document over max_parsed_document_bytes, content after a "..." line (Kubernetes ignores it), and malformed YAML,
/// each located by line and column in the stream. Throws failure(bad_input). With fast, a document in read_lite()'s
/// subset is read by it (d.lite) and not by yaml-cpp.
parsed_document parse_document(const manifest_stream& s, std::size_t i, std::string_view holds, bool fast = false);

/// The same for a chunk that is not (or no longer) a document of a stream, such as a document after
/// an edit; first_line gives the chunk's first line in the stream, asked only for a message.
parsed_document parse_chunk(std::string_view chunk, bool first_in_stream, bool json, std::size_t index,
                            std::string_view holds, const std::function<std::size_t()>& first_line, bool fast = false);

/// The 1-based line of a byte offset, counted forward from the last offset asked for (documents are
/// visited in order).
class line_counter {
 public:
  explicit line_counter(std::string_view text) : text_(text) {}
  std::size_t line_of(std::size_t offset);

 private:
  std::string_view text_;
  std::size_t at_ = 0, line_ = 1;
};

}  // namespace rollout_pace
