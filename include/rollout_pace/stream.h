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

/// Splits a stream where apimachinery's YAMLReader and YAML's c-forbidden rule agree: at lines that
/// start with "---" followed by a space, tab, CR, LF or the end of input. Text before the first
/// marker is a document of its own unless it is empty. Never fails; the texts concatenate to the stream.
std::vector<document> split_documents(std::string_view stream);

/// Cheap scan, no parse: true when some line reads like `kind: Deployment…` (also quoted, JSON,
/// `!!str`). Documents for which this is false cannot hold a Deployment and are passed through.
bool may_hold_deployment(std::string_view text);
/// The same scan for any kind whose name starts with word (e.g. "HelmRelease").
bool may_hold_kind(std::string_view text, std::string_view word);

/// Offset just past the line holding offset i (after its '\n'), or the text's end.
std::size_t line_end(std::string_view text, std::size_t i);
/// Offset of the start of the line holding offset i.
std::size_t line_start(std::string_view text, std::size_t i);
/// True for a line that holds only blanks or a comment.
bool is_blank_or_comment(std::string_view line);

/// Where a document's parts are, and why it cannot be rewritten safely, if so.
struct layout {
  std::size_t bom = 0;         ///< 3 when the chunk starts with a UTF-8 byte order mark
  std::size_t body_begin = 0;  ///< after the marker line and the comment or blank lines that follow it
  std::size_t body_end = 0;    ///< start of a "..." end-marker line, or the chunk's end
  bool crlf = false;           ///< the chunk's lines end in CR LF
  std::string problem;         ///< non-empty: what makes a rewrite unsafe (directive, "--- content", ...)
  std::size_t problem_line = 0;  ///< 0-based line of the problem within the chunk
  bool content_after_end = false;  ///< content follows a "..." line: Kubernetes ignores it
};

/// Describes a chunk returned by split_documents; first_in_stream allows a leading BOM.
layout describe(std::string_view chunk, bool first_in_stream);

/// Fails (bad_input) on bytes no YAML stream may hold: NUL, other C0 control characters than tab,
/// LF and CR, DEL, and invalid UTF-8, naming the line and column.
void check_text(std::string_view stream);

/// A document and what the cheap scan says of it.
struct scanned_document : document {
  bool may_hold_deployment = false;
};

/// split_documents, check_text and may_hold_deployment in a single pass over the stream (the
/// pass that decides how close to `cat` rollout-pace runs on large streams). Fails as check_text.
std::vector<scanned_document> scan_stream(std::string_view stream);

/// 1-based line and column of a byte offset, for messages.
struct position {
  std::size_t line = 1;
  std::size_t column = 1;
};
position position_of(std::string_view text, std::size_t offset);

}  // namespace rollout_pace
