#include "yaml/json_stream.h"

#include <cstdio>
#include <vector>

#include "base/diagnostic.h"
#include "base/text.h"
#include "yaml/compare.h"

namespace rollout_pace {
namespace {

bool is_json_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A validating scanner over the JSON grammar (RFC 8259), iterative so that nesting costs no stack.
class json_scanner {
 public:
  explicit json_scanner(std::string_view s) : s_(s) {}

  std::vector<scanned_document> split() {
    std::vector<scanned_document> docs;
    std::size_t start = 0;
    blanks();
    while (i_ < s_.size()) {
      if (s_[i_] != '{')
        fail("Kubernetes reads this stream as JSON (it starts with \"{\"), and expects an object here");
      kind_ = {true, ""};
      kinds_ = 0;
      value();
      docs.push_back({{start, s_.substr(start, i_ - start)}, kind_});
      start = i_;
      blanks();
    }
    if (start < s_.size()) {
      if (docs.empty())
        docs.push_back({{start, s_.substr(start)}, {true, ""}});
      else
        docs.back().text = s_.substr(docs.back().offset, s_.size() - docs.back().offset);
    }
    return docs;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    position p = position_of(s_, i_);
    throw failure(exit_code::bad_input,
                  "line " + std::to_string(p.line) + ", column " + std::to_string(p.column) + ": " + what);
  }
  void blanks() {
    while (i_ < s_.size() && is_json_blank(s_[i_])) ++i_;
  }
  void expect(char c) {
    if (i_ >= s_.size() || s_[i_] != c) fail(std::string("invalid JSON: expected '") + c + "'");
    ++i_;
  }
  // A string; returns its raw text between the quotes, and whether it held an escape.
  std::string_view string(bool& escaped) {
    expect('"');
    std::size_t b = i_;
    escaped = false;
    while (true) {
      if (i_ >= s_.size()) fail("invalid JSON: unterminated string");
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') break;
      if (c < 0x20) fail("invalid JSON: a control character inside a string");
      if (c == '\\') {
        escaped = true;
        if (++i_ >= s_.size()) fail("invalid JSON: unterminated string");
        char e = s_[i_];
        if (e == 'u') {
          for (int k = 1; k <= 4; ++k)
            if (i_ + k >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_ + k])))
              fail("invalid JSON: bad \\u escape");
          i_ += 4;
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          fail("invalid JSON: bad escape");
        }
      }
      ++i_;
    }
    std::string_view raw = s_.substr(b, i_ - b);
    ++i_;
    return raw;
  }
  void digits() {
    if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) fail("invalid JSON: expected a digit");
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  void number() {
    if (s_[i_] == '-') ++i_;
    if (i_ < s_.size() && s_[i_] == '0')
      ++i_;
    else
      digits();
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      digits();
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      digits();
    }
  }
  void scalar() {
    char c = s_[i_];
    if (c == '"') {
      bool e;
      string(e);
      return;
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      number();
      return;
    }
    for (std::string_view lit : {"true", "false", "null"})
      if (s_.compare(i_, lit.size(), lit) == 0) {
        i_ += lit.size();
        return;
      }
    fail("invalid JSON: unexpected character");
  }
  // One value; records the top-level "kind" of the outermost object.
  void value() {
    std::vector<char> stack;  // '{' or '['
    while (true) {
      blanks();
      if (i_ >= s_.size()) fail("invalid JSON: unexpected end of input");
      char c = s_[i_];
      if (c == '{' || c == '[') {
        stack.push_back(c);
        ++i_;
        blanks();
        if (i_ < s_.size() && s_[i_] == (c == '{' ? '}' : ']')) {
          ++i_;
          stack.pop_back();
        } else if (c == '{') {
          key(stack.size());
          continue;
        } else
          continue;
      } else {
        scalar();
      }
      // After a value: close containers or move on to the next element.
      while (true) {
        if (stack.empty()) return;
        blanks();
        if (i_ >= s_.size()) fail("invalid JSON: unexpected end of input");
        char open = stack.back();
        if (s_[i_] == ',') {
          ++i_;
          if (open == '{') key(stack.size());
          break;
        }
        expect(open == '{' ? '}' : ']');
        stack.pop_back();
      }
    }
  }
  // A key and its colon; the value of a top-level "kind" is looked at before it is scanned.
  void key(std::size_t depth) {
    blanks();
    bool escaped = false;
    std::string_view k = string(escaped);
    blanks();
    expect(':');
    if (depth != 1) return;
    if (escaped) {
      kind_.certain = false;
      return;
    }  // "\u006bind" may be kind
    if (k != "kind") return;
    blanks();
    if (++kinds_ > 1 || i_ >= s_.size() || s_[i_] != '"') {
      kind_.certain = false;
      return;
    }
    std::size_t save = i_;
    bool value_escaped = false;
    std::string_view v = string(value_escaped);
    i_ = save;
    if (value_escaped)
      kind_.certain = false;
    else
      kind_.kind = std::string(v);
  }

  std::string_view s_;
  std::size_t i_ = 0;
  kind_reading kind_;
  std::size_t kinds_ = 0;
};

bool is_json_number(const std::string& t) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t b = i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    return i > b;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

using edit = edit_tree::node;

void write(std::string& out, const YAML::Node& n, const edit* e) {
  if (e && e->text) {
    if (!e->quoted && is_json_number(*e->text))
      out += *e->text;
    else
      append_json_string(out, *e->text);
    return;
  }
  auto added = [&](bool first) {
    if (!e) return;
    for (const auto& c : e->children) {
      if (c.step.is_index || (n.IsMap() && n[c.step.key].IsDefined())) continue;
      if (!first) out += ',';
      first = false;
      append_json_string(out, c.step.key);
      out += ':';
      write(out, YAML::Node(YAML::NodeType::Undefined), &c);
    }
  };
  if (!n.IsDefined() || n.IsNull()) {
    if (e) {
      out += '{';
      added(true);
      out += '}';
    } else
      out += "null";
    return;
  }
  if (n.IsScalar()) {
    const std::string& t = n.Scalar();
    if (n.Tag() == "?" && (is_json_number(t) || t == "true" || t == "false" || t == "null"))
      out += t;
    else
      append_json_string(out, t);
    return;
  }
  if (n.IsSequence()) {
    out += '[';
    std::size_t i = 0;
    for (auto it = n.begin(); it != n.end(); ++it, ++i) {
      if (i) out += ',';
      write(out, *it, e ? e->find({"", i, true}) : nullptr);
    }
    out += ']';
    return;
  }
  out += '{';
  bool first = true;
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, it->first.Scalar());
    out += ':';
    write(out, it->second, (e && it->first.IsScalar()) ? e->find({it->first.Scalar(), 0, false}) : nullptr);
  }
  added(first);
  out += '}';
}

}  // namespace

bool is_json_stream(std::string_view s) {
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') continue;
    return c == '{';
  }
  return false;
}

std::vector<scanned_document> split_json_stream(std::string_view stream) { return json_scanner(stream).split(); }

layout json_layout(std::string_view chunk) {
  layout l;
  l.body_end = chunk.size();
  return l;
}

std::string emit_json(const YAML::Node& root, const edit_tree& edits) {
  std::string out;
  write(out, root, edits.empty() ? nullptr : &edits.root());
  return out;
}

}  // namespace rollout_pace
