#include "yaml/splice.h"

#include <algorithm>
#include <vector>

#include "base/diagnostic.h"
#include "yaml/compare.h"
#include "yaml/stream.h"

namespace rollout_pace {
namespace {

using edit = edit_tree::node;

struct replacement {
  std::size_t begin, end;
  std::string text;
};

bool is_blank_or_comment_rest(std::string_view rest) {
  for (std::size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '\n' || c == '\r') return true;
    if (c == '#') return i > 0;  // a comment needs a blank before it, which the scalar does not hold
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

class splicer {
 public:
  splicer(std::string_view chunk, std::size_t mark_offset, bool crlf)
      : chunk_(chunk), offset_(mark_offset), eol_(crlf ? "\r\n" : "\n") {}

  bool node(const node_view& n, const edit& e) {
    if (n.is_sequence()) {
      if (!n.block()) return false;
      for (const auto& c : e.children) {
        if (!c.step.is_index || c.step.index >= n.size()) return false;
        if (!value(n.item(c.step.index), c)) return false;
      }
      return true;
    }
    if (!n.is_map() || !n.block() || n.size() == 0) return false;
    std::vector<const edit*> missing;
    for (const auto& c : e.children) {
      if (c.step.is_index) return false;
      node_view k, v;
      std::size_t count = 0;
      n.each_pair([&](const node_view& key, const node_view& value) {
        if (key.is_scalar() && key.text() == c.step.key && count++ == 0) k = key, v = value;
      });
      if (count > 1) return false;
      if (!v.defined()) {
        missing.push_back(&c);
        continue;
      }
      if (!c.text && v.is_null()) {
        if (!fill_empty(k, c)) return false;
        continue;
      }
      if (!c.text && v.is_map() && !v.block() && v.size() == 0) {  // "key: {}", as charts often write it
        if (!fill_empty_flow(k, v, c)) return false;
        continue;
      }
      if (!value(v, c)) return false;
    }
    if (missing.empty()) return true;
    // Insert the missing keys as whole lines above the map's first key, at its indentation.
    node_view first;
    n.each_pair([&](const node_view& key, const node_view&) {
      if (!first.defined()) first = key;
    });
    if (first.pos() < 0) return false;
    std::size_t key_at = static_cast<std::size_t>(first.pos()) + offset_;
    if (key_at > chunk_.size()) return false;
    std::size_t start = line_start(chunk_, key_at);
    if (chunk_.substr(start, key_at - start).find_first_not_of(' ') != std::string_view::npos) return false;
    std::string indent(key_at - start, ' ');
    std::string lines;
    for (const edit* c : missing) render(*c, indent, lines);
    out_.push_back({start, start, lines});
    return true;
  }

  std::vector<replacement> take() { return std::move(out_); }

 private:
  // Where the colon after a plain key that is an edit's step stands, or nullopt.
  std::optional<std::size_t> colon_of(const node_view& key, const edit& c) const {
    if (key.pos() < 0 || key.tag() != "?" || c.children.empty()) return std::nullopt;
    std::size_t at = static_cast<std::size_t>(key.pos()) + offset_;
    if (at >= chunk_.size() || chunk_.compare(at, c.step.key.size(), c.step.key) != 0) return std::nullopt;
    std::size_t colon = at + c.step.key.size();
    while (colon < chunk_.size() && (chunk_[colon] == ' ' || chunk_[colon] == '\t')) ++colon;
    if (colon >= chunk_.size() || chunk_[colon] != ':') return std::nullopt;
    return colon;
  }

  // The edit's new keys as lines at end (the end of the key's line), two columns deeper than the key.
  bool fill_below(const node_view& key, const edit& c, std::size_t end) {
    std::string indent(static_cast<std::size_t>(key.column()) + 2, ' ');
    std::string lines = (end == chunk_.size() && (chunk_.empty() || chunk_.back() != '\n')) ? eol_ : "";
    for (const auto& g : c.children) {
      if (g.step.is_index) return false;
      render(g, indent, lines);
    }
    out_.push_back({end, end, lines});
    return true;
  }

  // "key:" with no value (null) that edits turn into a map: the new keys go on the lines below it.
  // Only when nothing but blanks or a comment follows the colon.
  bool fill_empty(const node_view& key, const edit& c) {
    std::optional<std::size_t> colon = colon_of(key, c);
    if (!colon) return false;
    std::size_t end = line_end(chunk_, *colon);
    if (!is_blank_or_comment_rest(chunk_.substr(*colon + 1, end - *colon - 1))) return false;
    return fill_below(key, c, end);
  }

  // "key: {}" that edits fill: the "{}" goes, and the new keys go on the lines below, as for "key:".
  bool fill_empty_flow(const node_view& key, const node_view& map, const edit& c) {
    std::optional<std::size_t> colon = colon_of(key, c);
    if (!colon || map.pos() < 0) return false;
    std::size_t open = static_cast<std::size_t>(map.pos()) + offset_;
    if (open >= chunk_.size() || chunk_[open] != '{') return false;
    if (chunk_.substr(*colon + 1, open - *colon - 1).find_first_not_of(' ') != std::string_view::npos) return false;
    std::size_t close = open + 1;
    while (close < chunk_.size() && chunk_[close] == ' ') ++close;
    if (close >= chunk_.size() || chunk_[close] != '}') return false;
    std::size_t end = line_end(chunk_, *colon);
    if (!is_blank_or_comment_rest(chunk_.substr(close + 1, end - close - 1))) return false;
    if (!fill_below(key, c, end)) return false;
    out_.push_back({*colon + 1, close + 1, ""});
    return true;
  }

  bool value(const node_view& v, const edit& c) {
    if (!c.text) return node(v, c);
    if (!v.is_scalar()) return false;
    auto range = scalar_range(v);
    if (!range) return false;
    out_.push_back({range->first, range->second, rendered(c)});
    return true;
  }

  // Byte range of a single-line plain or quoted scalar, or nullopt.
  std::optional<std::pair<std::size_t, std::size_t>> scalar_range(const node_view& v) const {
    if (v.pos() < 0) return std::nullopt;
    std::size_t at = static_cast<std::size_t>(v.pos()) + offset_;
    if (at >= chunk_.size()) return std::nullopt;
    std::size_t eol = chunk_.find('\n', at);
    std::string_view line = chunk_.substr(at, (eol == std::string_view::npos ? chunk_.size() : eol) - at);
    std::size_t end = 0;
    std::string tag = v.tag();
    if (tag == "?") {
      const std::string& s = v.text();
      if (line.compare(0, s.size(), s) != 0) return std::nullopt;
      end = s.size();
    } else if (tag == "!" && (line[0] == '"' || line[0] == '\'')) {
      char q = line[0];
      std::size_t i = 1;
      for (; i < line.size(); ++i) {
        if (q == '"' && line[i] == '\\') {
          ++i;
          continue;
        }
        if (line[i] == q) {
          if (q == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
            ++i;
            continue;
          }
          break;
        }
      }
      if (i >= line.size()) return std::nullopt;  // closes on a later line
      end = i + 1;
    } else {
      return std::nullopt;  // block scalar or explicit tag
    }
    if (!is_blank_or_comment_rest(line.substr(end))) return std::nullopt;
    return std::make_pair(at, at + end);
  }

  static std::string rendered(const edit& c) { return c.quoted ? "\"" + *c.text + "\"" : *c.text; }

  void render(const edit& c, const std::string& indent, std::string& lines) const {
    lines += indent + c.step.key + ":";
    if (c.text) {
      lines += " " + rendered(c) + eol_;
      return;
    }
    lines += eol_;
    for (const auto& g : c.children) render(g, indent + "  ", lines);
  }

  std::string_view chunk_;
  std::size_t offset_;
  std::string eol_;
  std::vector<replacement> out_;
};

}  // namespace

namespace {

// read_back()'s checks of the text alone; sets l.
std::optional<std::string> text_problem(const std::string& text, bool first_in_stream, layout& l) {
  if (split_documents(text).size() != 1) return std::string("it splits into several documents");
  l = describe(text, first_in_stream);
  if (!l.problem.empty()) return "it holds " + l.problem;
  try {
    check_text(text);
  } catch (const failure& f) {
    return std::string("it would hold what Kubernetes' YAML reader refuses (") + f.what() + ")";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> read_back(const std::string& text, bool first_in_stream, YAML::Node& root) {
  layout l;
  if (auto problem = text_problem(text, first_in_stream, l)) return problem;
  try {
    YAML::Node loaded = load_document(std::string_view(text).substr(l.parse_begin));
    root.reset(loaded);  // never assign YAML::Node values: assignment rebinds shared nodes
  } catch (const yaml_error& e) {
    return std::string("it no longer parses (") + e.what() + ")";
  }
  return std::nullopt;
}

std::optional<std::string> check_rewrite(const std::string& text, bool first_in_stream, const YAML::Node& original,
                                         const edit_tree& edits, const node_set* shared,
                                         const lite_node* original_lite) {
  layout l;
  if (auto problem = text_problem(text, first_in_stream, l)) return problem;
  std::optional<std::string> d;
  if (std::optional<lite_node> lite = read_lite(std::string_view(text).substr(l.parse_begin))) {
    d = original_lite ? tree_difference(*original_lite, edits, *lite) : tree_difference(original, edits, *lite);
  } else {
    YAML::Node again;
    try {
      again.reset(load_document(std::string_view(text).substr(l.parse_begin)));
    } catch (const yaml_error& e) {
      return std::string("it no longer parses (") + e.what() + ")";
    }
    d = tree_difference(original, edits, again, shared);
  }
  if (d) return "it differs at " + *d;
  return std::nullopt;
}

std::optional<std::string> check_rewrite_lite(const std::string& text, bool first_in_stream, const lite_node& original,
                                              const edit_tree& edits) {
  layout l;
  if (auto problem = text_problem(text, first_in_stream, l)) return problem;
  std::optional<lite_node> again = read_lite(std::string_view(text).substr(l.parse_begin));
  if (!again) return std::string("it is not in read_lite's subset");
  if (auto d = tree_difference(original, edits, *again)) return "it differs at " + *d;
  return std::nullopt;
}

std::optional<std::string> splice(std::string_view chunk, std::size_t mark_offset, const node_view& root,
                                  const edit_tree& edits, bool crlf) {
  if (edits.empty()) return std::string(chunk);
  splicer s(chunk, mark_offset, crlf);
  if (!s.node(root, edits.root())) return std::nullopt;
  std::vector<replacement> reps = s.take();
  std::stable_sort(reps.begin(), reps.end(),
                   [](const replacement& a, const replacement& b) { return a.begin < b.begin; });
  std::string out;
  out.reserve(chunk.size() + 256);
  std::size_t at = 0;
  for (const auto& r : reps) {
    if (r.begin < at) return std::nullopt;  // overlapping edits: never expected, refuse
    out.append(chunk.substr(at, r.begin - at));
    out += r.text;
    at = r.end;
  }
  out.append(chunk.substr(at));
  return out;
}

}  // namespace rollout_pace
