#include "yaml/write_back.h"

#include <optional>

#include "base/text.h"
#include "yaml/compare.h"
#include "yaml/emit.h"
#include "yaml/json_stream.h"
#include "yaml/lite.h"
#include "yaml/splice.h"

namespace rollout_pace {
namespace {

std::string to_crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace

written_document write_back(std::string_view chunk, const parsed_document& d, bool json, const edit_tree& edits,
                            const node_set* shared, bool allow_reemit) {
  written_document out;
  const layout& l = d.shape;
  if (json) {
    std::size_t begin = chunk.find('{'), end = chunk.rfind('}') + 1;
    out.text = std::string(chunk.substr(0, begin)) + emit_json(d.root, edits) + std::string(chunk.substr(end));
    if (auto problem = check_rewrite(out.text, d.first_in_stream, d.root, edits, shared)) out.problem = *problem;
    return out;
  }
  if (d.lite) {
    std::optional<std::string> text = splice(chunk, l.parse_begin, node_view(*d.lite), edits, l.crlf);
    if (!text || check_rewrite_lite(*text, d.first_in_stream, *d.lite, edits)) {
      out.needs_yaml = true;
      return out;
    }
    out.text = std::move(*text);
    return out;
  }
  std::optional<std::string> text = splice(chunk, l.parse_begin, d.root, edits, l.crlf);
  std::optional<lite_node> before;
  if (allow_reemit) before = read_lite(chunk.substr(l.parse_begin));  // the cheapest check, when it can
  const lite_node* original_lite = before ? &*before : nullptr;
  std::optional<std::string> problem;
  if (text) problem = check_rewrite(*text, d.first_in_stream, d.root, edits, shared, original_lite);
  if (text && !problem) {
    out.text = std::move(*text);
    return out;
  }
  if (!allow_reemit) {
    out.spliceable = text.has_value();
    if (problem) out.problem = *problem;
    return out;
  }
  std::string body = emit_document(d.root, edits, shared);
  out.text = std::string(chunk.substr(0, l.body_begin)) + (l.crlf ? to_crlf(body) : body) +
             std::string(chunk.substr(l.body_end));
  out.reemitted = true;
  if (auto again = check_rewrite(out.text, d.first_in_stream, d.root, edits, shared, original_lite))
    out.problem = *again;
  return out;
}

std::size_t mark_offset(const YAML::Node& n, std::size_t base) { return static_cast<std::size_t>(n.Mark().pos) + base; }
std::size_t value_end(std::string_view text, const YAML::Node& map, std::string_view key, std::size_t parent_end,
                      std::size_t base) {
  bool after = false;
  std::size_t end = parent_end;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (after) {
      end = line_start(text, mark_offset(it->first, base));
      break;
    }
    after = it->first.IsScalar() && it->first.Scalar() == key;
  }
  while (end > 0) {
    std::size_t s = line_start(text, end - 1);
    if (!is_blank_or_comment(text.substr(s, end - s))) break;
    end = s;
  }
  return end;
}

}  // namespace rollout_pace
