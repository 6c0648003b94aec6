#include "yaml/reader.h"

#include <algorithm>

#include "base/diagnostic.h"
#include "base/limits.h"
#include "yaml/json_stream.h"
#include "yaml/tree.h"

namespace rollout_pace {
namespace {

// The template a Helm 3 document came from: its "# Source: x" header line.
std::string source_of(std::string_view header) {
  static constexpr std::string_view tag = "# Source: ";
  std::size_t at = header.find(tag);
  if (at == std::string_view::npos) return "";
  std::size_t end = header.find_first_of("\r\n", at);
  return std::string(header.substr(at + tag.size(), end == std::string_view::npos ? end : end - at - tag.size()));
}

}  // namespace

manifest_stream read_stream(std::string_view text) {
  if (text.size() > max_input_bytes)
    throw failure(exit_code::bad_input, "input is larger than " + std::to_string(max_input_bytes >> 20) + " MiB (" +
                                            std::to_string(text.size()) + " bytes); refusing to process it");
  manifest_stream s;
  s.text = text;
  s.json = is_json_stream(text);
  if (!s.json) {
    s.docs = scan_stream(text);
    return s;
  }
  check_text(text);
  s.docs = split_json_stream(text);
  return s;
}

std::size_t line_counter::line_of(std::size_t offset) {
  if (offset < at_) at_ = 0, line_ = 1;
  line_ += static_cast<std::size_t>(std::count(text_.begin() + at_, text_.begin() + offset, '\n'));
  at_ = offset;
  return line_;
}

parsed_document parse_document(const manifest_stream& s, std::size_t i, std::string_view holds, bool fast) {
  const scanned_document& doc = s.docs[i];
  return parse_chunk(
      doc.text, doc.offset == 0, s.json, i + 1, holds,
      [&] { return 1 + static_cast<std::size_t>(std::count(s.text.begin(), s.text.begin() + doc.offset, '\n')); },
      fast);
}

parsed_document parse_chunk(std::string_view chunk, bool first_in_stream, bool json, std::size_t index,
                            std::string_view holds, const std::function<std::size_t()>& first_line, bool fast) {
  parsed_document d;
  d.index = index;
  d.first_in_stream = first_in_stream;
  d.where = "document " + std::to_string(d.index);
  d.shape = json ? json_layout(chunk) : describe(chunk, d.first_in_stream);
  d.source = source_of(chunk.substr(0, d.shape.body_begin));
  if (!d.source.empty()) d.where += " (from " + d.source + ")";
  // Line numbers are counted only for a message: most runs never need one.
  auto line_in_stream = [&](std::size_t line_in_chunk) { return first_line() + line_in_chunk; };
  if (chunk.size() > max_parsed_document_bytes)
    throw failure(exit_code::bad_input, d.where + ": may hold " + std::string(holds) + " but is " +
                                            std::to_string(chunk.size() >> 20) + " MiB, over the " +
                                            std::to_string(max_parsed_document_bytes >> 20) +
                                            " MiB rollout-pace parses (yaml-cpp needs about 40 times that in memory)");
  if (d.shape.content_after_end)
    throw failure(exit_code::bad_input,
                  d.where + ", line " + std::to_string(line_in_stream(d.shape.problem_line)) + ": " + d.shape.problem +
                      ", which Kubernetes ignores; remove it or start a new document with \"---\"");
  if (fast && !json) {
    if (std::optional<lite_node> lite = read_lite(chunk.substr(d.shape.parse_begin))) {
      d.lite = std::make_unique<lite_node>(std::move(*lite));
      return d;
    }
  }
  try {
    YAML::Node loaded = load_document(chunk.substr(d.shape.parse_begin));
    d.root.reset(loaded);
  } catch (const yaml_error& e) {
    std::size_t parse_line =
        static_cast<std::size_t>(std::count(chunk.begin(), chunk.begin() + d.shape.parse_begin, '\n'));
    throw failure(exit_code::bad_input, d.where + ", line " + std::to_string(line_in_stream(parse_line + e.line)) +
                                            ", column " + std::to_string(e.column + 1) + ": " + e.what());
  }
  return d;
}

}  // namespace rollout_pace
