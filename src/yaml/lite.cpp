#include "yaml/lite.h"

namespace rollout_pace {
namespace {

constexpr int max_depth = 100;         // deeper text is declined (yaml-cpp's own limit is higher)
constexpr std::size_t max_key = 1024;  // YAML's limit for an implicit key; longer ones are declined

// yaml-cpp's IsNullString: plain scalars it turns into null nodes.
bool is_null_word(std::string_view s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

// Characters of a plain key this reader accepts: what Kubernetes field names, label and
// annotation keys are made of. Any other key is declined.
bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '/' || c == '-';
}

// Characters that cannot start a plain scalar (YAML's c-indicator); "-" may when a non-space follows.
bool is_indicator(char c) {
  switch (c) {
    case '-':
    case '?':
    case ':':
    case ',':
    case '[':
    case ']':
    case '{':
    case '}':
    case '#':
    case '&':
    case '*':
    case '!':
    case '|':
    case '>':
    case '\'':
    case '"':
    case '%':
    case '@':
    case '`': return true;
    default: return false;
  }
}

class reader {
 public:
  explicit reader(std::string_view t) : t_(t) {}

  bool read(lite_node& root) {
    for (char ch : t_) {
      auto c = static_cast<unsigned char>(ch);
      if (c >= 0x7f || (c < 0x20 && c != '\n')) return false;  // tabs, CR, controls, non-ASCII
    }
    seek(0);
    if (end_ || ind_ != 0 || !key_at(c_)) return false;
    if (!block_map(0, root, 0)) return false;
    return end_;
  }

 private:
  // --- lines: the current content line is [ls_, le_), indented by ind_, cursor c_ ---
  void seek(std::size_t p) {  // to the first line at or after p that is not blank or a comment
    while (p < t_.size()) {
      std::size_t e = t_.find('\n', p);
      if (e == std::string_view::npos) e = t_.size();
      std::size_t i = p;
      while (i < e && t_[i] == ' ') ++i;
      if (i < e && t_[i] != '#') {
        ls_ = p, le_ = e, ind_ = i - p, c_ = i, end_ = false;
        return;
      }
      p = e + 1;
    }
    end_ = true, ls_ = le_ = c_ = t_.size(), ind_ = 0;
  }
  void next_line() { seek(le_ + 1); }
  char at(std::size_t p) const { return p < le_ ? t_[p] : '\n'; }
  void skip_spaces() {
    while (c_ < le_ && t_[c_] == ' ') ++c_;
  }
  // After a value: only spaces, or spaces and a comment, up to the end of the line.
  bool rest_is_empty() {
    std::size_t from = c_;
    skip_spaces();
    return c_ == le_ || (t_[c_] == '#' && c_ > from);
  }
  bool seq_entry_at(std::size_t p) const { return at(p) == '-' && (at(p + 1) == ' ' || at(p + 1) == '\n'); }

  // Whether a map key starts at p: a plain key of key characters or a one-line quoted scalar,
  // followed by ':' and a space or the line's end.
  bool key_at(std::size_t p) const {
    if (at(p) == '"' || at(p) == '\'') {
      char q = at(p);
      std::size_t i = p + 1;
      for (; i < le_; ++i) {
        if (q == '"' && t_[i] == '\\') {
          ++i;
          continue;
        }
        if (t_[i] == q) {
          if (q == '\'' && at(i + 1) == '\'') {
            ++i;
            continue;
          }
          break;
        }
      }
      if (i >= le_ || i - p > max_key) return false;
      return at(i + 1) == ':' && (at(i + 2) == ' ' || at(i + 2) == '\n');
    }
    std::size_t i = p;
    if (at(i) == '-' || t_.substr(p, 3) == "...") return false;  // never a marker line
    while (i < le_ && is_key_char(t_[i])) ++i;
    return i > p && i - p <= max_key && at(i) == ':' && (at(i + 1) == ' ' || at(i + 1) == '\n');
  }

  // --- scalars ---
  void mark(lite_node& v) const { v.pos = c_, v.column = c_ - ls_; }

  bool quoted(lite_node& v) {
    mark(v);
    char q = t_[c_];
    v.type = YAML::NodeType::Scalar, v.plain = false;
    for (std::size_t i = c_ + 1; i < le_; ++i) {
      char ch = t_[i];
      if (ch == q) {
        if (q == '\'' && at(i + 1) == '\'') {
          v.text += '\'';
          ++i;
          continue;
        }
        c_ = i + 1;
        return true;
      }
      if (q == '"' && ch == '\\') {
        switch (at(i + 1)) {
          case '\\': v.text += '\\'; break;
          case '"': v.text += '"'; break;
          case '/': v.text += '/'; break;
          case 'n': v.text += '\n'; break;
          case 't': v.text += '\t'; break;
          default: return false;  // other escapes: yaml-cpp decides
        }
        ++i;
        continue;
      }
      v.text += ch;
    }
    return false;  // runs past the line: a multi-line scalar
  }

  // A plain scalar in block context: to the line's end or a " #" comment, trailing spaces trimmed.
  bool plain(lite_node& v) {
    if (!plain_starts_here(false)) return false;
    std::size_t end = c_;
    for (; end < le_; ++end) {
      if (t_[end] == '#' && t_[end - 1] == ' ') break;
      if (t_[end] == ':' && (at(end + 1) == ' ' || at(end + 1) == '\n')) return false;  // a map on one line
    }
    take_plain(v, end);
    return true;
  }

  // Whether a plain scalar may start at c_: not at an indicator, but "-" may before a character
  // that can follow it (a space cannot, nor a flow indicator in a flow collection).
  bool plain_starts_here(bool in_flow) const {
    char first = t_[c_], second = at(c_ + 1);
    if (!is_indicator(first)) return true;
    if (first != '-' || second == ' ' || second == '\n') return false;
    return !in_flow || (second != ',' && second != '[' && second != ']' && second != '{' && second != '}');
  }

  // The plain scalar [c_, end) without its trailing spaces, as yaml-cpp reads it (a null word is
  // null); leaves c_ after it.
  void take_plain(lite_node& v, std::size_t end) {
    mark(v);
    std::size_t stop = end;
    while (stop > c_ && t_[stop - 1] == ' ') --stop;
    std::string_view s = t_.substr(c_, stop - c_);
    if (is_null_word(s)) {
      v.type = YAML::NodeType::Null;
    } else {
      v.type = YAML::NodeType::Scalar, v.plain = true, v.text.assign(s);
    }
    c_ = stop;
  }

  // A plain key (the caller has checked key_at) or a quoted one; leaves c_ after the ':'.
  bool key(lite_node& k) {
    if (t_[c_] == '"' || t_[c_] == '\'') {
      if (!quoted(k)) return false;
    } else {
      std::size_t end = c_;
      while (end < le_ && is_key_char(t_[end])) ++end;
      if (is_null_word(t_.substr(c_, end - c_))) return false;  // a null key: declined
      take_plain(k, end);
    }
    if (at(c_) != ':') return false;
    ++c_;
    return true;
  }

  // "|" or "|-" and the lines below it, more indented than the node holding it (column n).
  bool literal(std::size_t n, lite_node& v) {
    mark(v);
    v.type = YAML::NodeType::Scalar, v.plain = false;
    ++c_;
    bool strip = false;
    if (at(c_) == '-') strip = true, ++c_;
    if (!rest_is_empty()) return false;  // "|+", "|2", ">" ... are declined
    std::size_t p = le_ + 1, m = 0, pending = 0;
    bool any = false;
    while (true) {
      if (p >= t_.size()) {
        if (p > t_.size()) return false;  // the last line had no line break
        end_ = true, ls_ = le_ = c_ = t_.size(), ind_ = 0;
        break;
      }
      std::size_t e = t_.find('\n', p);
      if (e == std::string_view::npos) return false;
      std::size_t ind = 0;
      while (p + ind < e && t_[p + ind] == ' ') ++ind;
      if (p + ind == e) {  // an empty line; one holding spaces only is declined
        if (ind > 0 || !any) return false;
        ++pending, p = e + 1;
        continue;
      }
      if (!any) {
        if (ind <= n) return false;  // an empty scalar
        m = ind, any = true;
      }
      if (ind < m) {
        seek(p);
        break;
      }
      v.text.append(pending, '\n');
      pending = 0;
      v.text.append(t_.substr(p + m, e - p - m));
      v.text += '\n';
      p = e + 1;
    }
    if (!any) return false;  // an empty scalar
    if (strip) v.text.pop_back();
    return true;
  }

  // --- flow collections on one line ---
  bool flow_plain(lite_node& v) {
    if (!plain_starts_here(true)) return false;
    std::size_t end = c_;
    for (; end < le_; ++end) {
      char ch = t_[end];
      if (ch == ',' || ch == ']' || ch == '}') break;
      if (ch == ':' || ch == '#' || ch == '[' || ch == '{' || ch == '?') return false;  // yaml-cpp ends at "?"
    }
    if (end == le_) return false;
    take_plain(v, end);
    return true;
  }

  bool flow_item(lite_node& v, int depth) {
    char ch = at(c_);
    if (ch == '\n') return false;  // the line ends inside the collection
    if (ch == '[' || ch == '{') return flow(v, depth + 1);
    if (ch == '"' || ch == '\'') return quoted(v);
    return flow_plain(v);
  }

  bool flow(lite_node& v, int depth) {
    if (depth > max_depth) return false;
    char open = t_[c_], close = open == '[' ? ']' : '}';
    mark(v);
    v.flow = true;
    v.type = open == '[' ? YAML::NodeType::Sequence : YAML::NodeType::Map;
    ++c_;
    skip_spaces();
    if (at(c_) == close) return ++c_, true;
    while (true) {
      if (open == '{') {
        lite_node k;
        if (!key_at(c_) || !key(k)) return false;
        if (at(c_) != ' ') return false;
        skip_spaces();
        v.items.push_back(std::move(k));
      }
      lite_node item;
      if (!flow_item(item, depth)) return false;
      v.items.push_back(std::move(item));
      skip_spaces();
      if (at(c_) == close) return ++c_, true;
      if (at(c_) != ',') return false;
      ++c_;
      skip_spaces();
      if (at(c_) == close || at(c_) == ',') return false;  // trailing or empty entries: declined
    }
  }

  // --- block structure ---
  // A value that starts on the current line at c_ (not a compact map): a scalar, a flow
  // collection or a literal. Leaves the reader on the next content line.
  bool inline_value(std::size_t n, lite_node& v, int depth) {
    char ch = t_[c_];
    if (ch == '|') return literal(n, v);
    if (ch == '"' || ch == '\'') {
      if (!quoted(v)) return false;
    } else if (ch == '[' || ch == '{') {
      if (!flow(v, depth + 1)) return false;
    } else if (!plain(v)) {
      return false;
    }
    if (!rest_is_empty()) return false;
    next_line();
    return true;
  }

  // The value of a key or a "- " entry of a node at column n, c_ just after the ':' or '-'.
  // same_column_list: a map's value may be a list at the map's own column.
  bool block_value(std::size_t n, lite_node& v, bool same_column_list, int depth) {
    if (depth > max_depth) return false;
    skip_spaces();
    if (c_ < le_ && t_[c_] != '#') return inline_value(n, v, depth);
    next_line();
    if (!end_ && ind_ > n) {
      if (seq_entry_at(c_)) return block_seq(ind_, v, depth + 1);
      if (key_at(c_)) return block_map(ind_, v, depth + 1);
      return false;  // a scalar on the lines below its key
    }
    if (!end_ && ind_ == n && same_column_list && seq_entry_at(c_)) return block_seq(n, v, depth + 1);
    v.type = YAML::NodeType::Null;
    return true;
  }

  // A collection read to its end: its items take no more room than they need (a large List's tree
  // is held twice while its rewrite is checked).
  static bool done(lite_node& v) {
    v.items.shrink_to_fit();
    return true;
  }

  // A block map whose keys are at column n; c_ is at its first key.
  bool block_map(std::size_t n, lite_node& v, int depth) {
    if (depth > max_depth) return false;
    mark(v);
    v.type = YAML::NodeType::Map;
    while (true) {
      lite_node k, value;
      if (!key(k) || !block_value(n, value, true, depth)) return false;
      v.items.push_back(std::move(k));
      v.items.push_back(std::move(value));
      if (end_ || ind_ < n) return done(v);
      if (ind_ > n || !key_at(c_)) return false;
    }
  }

  // A block sequence whose "- " entries are at column n; c_ is at the first "-".
  bool block_seq(std::size_t n, lite_node& v, int depth) {
    if (depth > max_depth) return false;
    mark(v);
    v.type = YAML::NodeType::Sequence;
    while (true) {
      lite_node item;
      ++c_;
      skip_spaces();
      if (seq_entry_at(c_)) return false;  // "- - a": declined
      if (c_ < le_ && t_[c_] != '#' && key_at(c_)) {
        if (!block_map(c_ - ls_, item, depth + 1)) return false;
      } else if (!block_value(n, item, false, depth)) {
        return false;
      }
      v.items.push_back(std::move(item));
      if (end_ || ind_ < n) return done(v);
      if (ind_ > n) return false;
      if (!seq_entry_at(c_)) return done(v);  // the map holding this list goes on
    }
  }

  std::string_view t_;
  std::size_t ls_ = 0, le_ = 0, ind_ = 0, c_ = 0;
  bool end_ = false;
};

}  // namespace

std::optional<lite_node> read_lite(std::string_view text) {
  lite_node root;
  reader r(text);
  if (!r.read(root)) return std::nullopt;
  return root;
}

}  // namespace rollout_pace
