#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rollout_pace {

/// One document of a manifest stream: its marker line (if any) up to the next marker line.
struct document {
  std::size_t offset = 0;  ///< byte offset of text in the stream
  std::string_view text;   ///< the chunk, byte for byte
};

/// Splits a stream at the lines is_marker_at() accepts. Text before the first
/// marker is a document of its own unless it is empty. Never fails; the texts concatenate to the stream.
std::vector<document> split_documents(std::string_view stream);

/// A line that ends a document for apimachinery's YAMLReader: "---" at offset i (a line start)
/// followed by nothing but blanks or a comment ("---#c" included), or "--- content", which YAML
/// reads as a document start (describe() flags it).
bool is_marker_at(std::string_view s, std::size_t i);

/// What the text alone says of a document's top-level kind, without parsing.
struct kind_reading {
  bool certain = false;  ///< false: the text does not show the kind plainly; parse the document to know
  std::string kind;      ///< when certain: the kind, "" when the document has none
};

/// Certain when the document is a block map at column 0 whose one top-level kind key is written
/// plainly (`kind: Word`, one line) and no column-0 line could supply a kind another way (a quoted
/// or explicit key, an anchor, a tag, a merge key "<<", a flow or indented root, content on the
/// marker line, two kind lines). Then the kind is exact: every top-level key of such a map starts
/// a column-0 line, and kind lines deeper in the document (CRD descriptions) do not count.
kind_reading read_kind(std::string_view chunk);

/// Offset just past the line holding offset i (after its '\n'), or the text's end.
std::size_t line_end(std::string_view s, std::size_t i);
/// Offset of the start of the line holding offset i.
std::size_t line_start(std::string_view s, std::size_t i);
/// True for a line that holds only blanks or a comment.
bool is_blank_or_comment(std::string_view line);

/// Where a document's parts are, and why it cannot be rewritten safely, if so.
struct layout {
  std::size_t bom = 0;             ///< 3 when the chunk starts with a UTF-8 byte order mark
  std::size_t parse_begin = 0;     ///< where the parser starts: after the BOM and a marker line without content
  std::size_t body_begin = 0;      ///< after the marker line and the comment or blank lines that follow it
  std::size_t body_end = 0;        ///< start of a "..." end-marker line, or the chunk's end
  bool crlf = false;               ///< the chunk's lines end in CR LF
  std::string problem;             ///< non-empty: what makes a rewrite unsafe (directive, "--- content", ...)
  std::size_t problem_line = 0;    ///< 0-based line of the problem within the chunk
  bool content_after_end = false;  ///< content follows a "..." line: Kubernetes ignores it
};

/// Describes a chunk returned by split_documents; first_in_stream allows a leading BOM.
layout describe(std::string_view chunk, bool first_in_stream);

/// Fails (bad_input) on bytes no YAML stream may hold: NUL, other C0 control characters than tab,
/// LF and CR, DEL, and invalid UTF-8, naming the line and column.
void check_text(std::string_view stream);

/// A document and what the text says of its kind.
struct scanned_document : document {
  kind_reading kind;
};

/// split_documents, check_text and read_kind in a single pass over the stream (the pass that
/// decides how close to `cat` rollout-pace runs on large streams). Fails as check_text.
std::vector<scanned_document> scan_stream(std::string_view stream);

/// 1-based line and column of a byte offset, for messages.
struct position {
  std::size_t line = 1;
  std::size_t column = 1;
};
position position_of(std::string_view text, std::size_t offset);

}  // namespace rollout_pace
