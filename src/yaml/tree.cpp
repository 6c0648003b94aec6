#include "yaml/tree.h"

#include <cmath>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <sstream>
#include <unordered_map>
#include <utility>

namespace rollout_pace {

std::string to_string(const yaml_path& path) {
  std::string out;
  for (const auto& step : path) {
    if (step.is_index) {
      out += "[" + std::to_string(step.index) + "]";
    } else {
      if (!out.empty()) out += ".";
      out += step.key;
    }
  }
  return out;
}

yaml_path operator/(yaml_path path, std::string key) {
  path.push_back({std::move(key), 0, false});
  return path;
}

namespace {

// Counts documents and remembers where the second one starts; builds nothing.
struct document_counter : YAML::EventHandler {
  std::size_t documents = 0;
  YAML::Mark second;
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents == 2) second = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

constexpr const char* content_after_first_node =
    "content after the document's first node (two JSON objects or a second root in one document); "
    "YAML readers see only the first, so rollout-pace refuses to drop the rest";

}  // namespace

YAML::Node load_document(std::string_view text) {
  std::string owned(text);
  YAML::Node root;
  try {
    YAML::Node loaded = YAML::Load(owned);
    root.reset(loaded);  // never assign YAML::Node values: assignment rebinds shared nodes
  } catch (const YAML::DeepRecursion& e) {
    throw yaml_error("nesting deeper than yaml-cpp's limit of 500 levels", e.mark);
  } catch (const YAML::Exception& e) {
    throw yaml_error("malformed YAML: " + e.msg, e.mark);
  }
  // A block map that starts at column 0 runs to the end of the document (yaml-cpp fails on
  // anything after it). Any other root may end early: a flow collection, a scalar, an indented map.
  if (root.IsMap() && root.Style() == YAML::EmitterStyle::Block && root.Mark().column == 0) return root;
  std::istringstream in(owned);
  YAML::Parser parser(in);
  document_counter counter;
  try {
    // One call per document, never a loop: the LoadAll hang is a loop that makes no progress.
    parser.HandleNextDocument(counter);
    if (parser.HandleNextDocument(counter)) throw yaml_error(content_after_first_node, counter.second);
  } catch (const YAML::Exception& e) {
    throw yaml_error(content_after_first_node, counter.documents >= 2 ? counter.second : e.mark);
  }
  return root;
}

bool is_merge_key(const YAML::Node& key) {
  return key.IsScalar() && key.Scalar() == "<<" && (key.Tag() == "?" || key.Tag() == "tag:yaml.org,2002:merge");
}

namespace {

constexpr int max_merge_depth = 64;

// Calls visit(key text, key, value, merged) for the entries of map in the order go-yaml v2 applies
// them (mapping() and merge() in its decode.go): entries in document order, a merge key's map in
// its place, a merge key's list of maps from the last to the first, so that earlier maps win.
template <typename Visit>
void walk_fields(const YAML::Node& map, int depth, Visit& visit) {
  if (depth > max_merge_depth) throw yaml_error("merge keys (<<) nested too deep", map.Mark());
  for (auto it = map.begin(); it != map.end(); ++it) {
    const auto entry = *it;  // one dereference: each builds the pair of nodes anew
    const YAML::Node& k = entry.first;
    const YAML::Node& v = entry.second;
    if (is_merge_key(k)) {
      auto merge_one = [&](const YAML::Node& m) {
        if (!m.IsMap())
          throw yaml_error("a merge key (<<) needs a map or a list of maps; Kubernetes refuses this document",
                           m.Mark());
        walk_fields(m, depth + 1, visit);
      };
      if (v.IsSequence()) {
        std::vector<YAML::Node> items;
        for (auto i = v.begin(); i != v.end(); ++i) items.push_back(*i);
        for (auto i = items.rbegin(); i != items.rend(); ++i) merge_one(*i);
      } else {
        merge_one(v);
      }
      continue;
    }
    if (k.IsScalar()) visit(k.Scalar(), k, v, depth > 0);
  }
}

}  // namespace

namespace {

// A key met while walking a map: the last one wins, and written keys are counted.
void take(field& f, const YAML::Node& k, const YAML::Node& v, bool merged) {
  f.key.reset(k);
  f.value.reset(v);
  f.found = true;
  f.merged = merged;
  if (!merged) ++f.explicit_count;
}

}  // namespace

field lookup(const YAML::Node& map, std::string_view key) {
  field out;
  if (!map.IsMap()) return out;
  auto visit = [&](const std::string& text, const YAML::Node& k, const YAML::Node& v, bool merged) {
    if (text == key) take(out, k, v, merged);
  };
  walk_fields(map, 0, visit);
  return out;
}

std::vector<std::pair<std::string, field>> fields(const YAML::Node& map) {
  std::vector<std::pair<std::string, field>> out;
  if (!map.IsMap()) return out;
  std::unordered_map<std::string, std::size_t> index;
  auto visit = [&](const std::string& text, const YAML::Node& k, const YAML::Node& v, bool merged) {
    auto [it, added] = index.emplace(text, out.size());
    if (added) out.emplace_back(text, field{});
    take(out[it->second].second, k, v, merged);
  };
  walk_fields(map, 0, visit);
  return out;
}

namespace {

bool all_of(std::string_view s, int (*pred)(int)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(static_cast<unsigned char>(c))) return false;
  return true;
}
int is_octal(int c) { return c >= '0' && c <= '7'; }
int is_binary(int c) { return c == '0' || c == '1'; }

// yamlStyleFloat in go-yaml's resolve.go: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool yaml_style_float(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

// Whether go-yaml v2's resolve() keeps a plain scalar a string.
bool plain_is_string(const std::string& in) {
  static const std::set<std::string> not_strings{
      "y",    "Y",    "yes",  "Yes",   "YES",   "true",  "True", "TRUE",  "on",    "On",    "ON",    "n",     "N",
      "no",   "No",   "NO",   "false", "False", "FALSE", "off",  "Off",   "OFF",   "",      "~",     "null",  "Null",
      "NULL", ".nan", ".NaN", ".NAN",  ".inf",  ".Inf",  ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"};
  if (not_strings.count(in)) return false;
  char c = in[0];
  if (c == '.') return !yaml_style_float(in);
  if (!std::isdigit(static_cast<unsigned char>(c)) && c != '+' && c != '-') return true;
  std::string plain;
  for (char ch : in)
    if (ch != '_') plain += ch;
  std::string_view p = plain;
  if (!p.empty() && (p[0] == '+' || p[0] == '-')) p.remove_prefix(1);
  if (all_of(p, [](int ch) { return std::isdigit(ch); })) return false;  // decimal or octal int, or "08" as a float
  if (p.size() > 2 && p[0] == '0') {
    std::string_view rest = p.substr(2);
    if ((p[1] == 'x' || p[1] == 'X') && all_of(rest, [](int ch) { return std::isxdigit(ch); })) return false;
    if ((p[1] == 'o' || p[1] == 'O') && all_of(rest, is_octal)) return false;
    if ((p[1] == 'b' || p[1] == 'B') && all_of(rest, is_binary)) return false;
  }
  return !yaml_style_float(plain);
}

}  // namespace

namespace {

// What go-yaml v2 resolves a plain scalar's text to as an integer (decimal, 0x, 0o, 0b or leading-0
// octal, with "_" and a sign, or a float with an integral value), or as a boolean; nullopt else.
std::optional<std::int64_t> int_text(const std::string& text) {
  if (plain_is_string(text)) return std::nullopt;
  std::string plain;
  for (char c : text)
    if (c != '_') plain += c;
  std::string_view p = plain;
  bool negative = false;
  if (!p.empty() && (p[0] == '+' || p[0] == '-')) negative = p[0] == '-', p.remove_prefix(1);
  int base = 10;
  if (p.size() > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    base = 16, p.remove_prefix(2);
  else if (p.size() > 2 && p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
    base = 8, p.remove_prefix(2);
  else if (p.size() > 2 && p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
    base = 2, p.remove_prefix(2);
  else if (p.size() > 1 && p[0] == '0')
    base = 8;
  auto digit = [&](char c) -> int {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : 99;
    return d < base ? d : -1;
  };
  bool integer = !p.empty();
  unsigned long long v = 0;
  for (char c : p) {
    int d = digit(c);
    if (d < 0 || v > (std::uint64_t{1} << 62) / 8) {
      integer = false;
      break;
    }
    v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
  }
  if (integer) return negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
  // A float with an integral value: go-yaml reads 1e3 as 1000.0, and JSON carries it as 1000.
  if (!yaml_style_float(plain)) return std::nullopt;
  double d = std::strtod(plain.c_str(), nullptr);
  if (d != std::floor(d) || std::fabs(d) > 9.0e15) return std::nullopt;
  return static_cast<std::int64_t>(d);
}

std::optional<bool> bool_word(const std::string& text) {
  static const std::set<std::string> truths{"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"};
  static const std::set<std::string> falses{"n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"};
  if (truths.count(text)) return true;
  if (falses.count(text)) return false;
  return std::nullopt;
}

// A scalar as go-yaml v2 resolves it, reduced to what two readings must agree on: its type and value.
struct resolved {
  enum class type { string, null, boolean, number } kind = type::string;
  std::string text;    // strings
  bool truth = false;  // booleans
  long double number = 0;
};

resolved resolve(const YAML::Node& n) {
  resolved r;
  r.text = n.Scalar();
  if (is_string_for_kubernetes(n)) return r;
  if (std::optional<bool> b = bool_word(r.text)) {
    r.kind = resolved::type::boolean;
    r.truth = *b;
    return r;
  }
  static const std::set<std::string> nulls{"", "~", "null", "Null", "NULL"};
  if (nulls.count(r.text)) {
    r.kind = resolved::type::null;
    return r;
  }
  r.kind = resolved::type::number;
  if (std::optional<std::int64_t> v = int_text(r.text)) {
    r.number = static_cast<long double>(*v);
    return r;
  }
  std::string lower = r.text, digits;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char c : r.text)
    if (c != '_') digits += c;
  if (lower.find("nan") != std::string::npos)
    r.text = "nan";  // NaN equals no number: compare the spelling
  else
    r.number = std::strtold(digits.c_str(), nullptr);
  return r;
}

bool same_scalar(const YAML::Node& a, const YAML::Node& b) {
  resolved x = resolve(a), y = resolve(b);
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case resolved::type::string: return x.text == y.text;
    case resolved::type::null: return true;
    case resolved::type::boolean: return x.truth == y.truth;
    case resolved::type::number: return x.text != "nan" && y.text != "nan" && x.number == y.number;
  }
  return false;
}

bool absent(const YAML::Node& n) { return !n.IsDefined() || n.IsNull(); }

bool same_node(const YAML::Node& a, const YAML::Node& b, std::size_t depth) {
  if (depth > 10000) return false;
  if (absent(a) || absent(b)) return absent(a) && absent(b);
  if (a.IsScalar() && b.IsScalar()) return same_scalar(a, b);
  if (a.IsSequence() && b.IsSequence()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same_node(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (!a.IsMap() || !b.IsMap()) return false;
  std::vector<std::pair<std::string, field>> fa = fields(a), fb = fields(b);
  if (fa.size() != fb.size()) return false;
  std::unordered_map<std::string, const YAML::Node*> in_b;
  for (const auto& [key, f] : fb) in_b.emplace(key, &f.value);
  for (const auto& [key, f] : fa) {
    auto it = in_b.find(key);
    if (it == in_b.end() || !same_node(f.value, *it->second, depth + 1)) return false;
  }
  return true;
}

}  // namespace

bool same_for_kubernetes(const YAML::Node& a, const YAML::Node& b) {
  try {
    return same_node(a, b, 0);
  } catch (const yaml_error&) {
    return false;  // a merge key Kubernetes refuses: not the same
  }
}

bool is_string_for_kubernetes(const YAML::Node& n) {
  if (!n.IsDefined() || !n.IsScalar()) return false;
  const std::string& tag = n.Tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return true;
  if (tag == "?" || tag.empty()) return plain_is_string(n.Scalar());
  static const std::string core = "tag:yaml.org,2002:";
  return tag.compare(0, core.size(), core) != 0;  // !!int "1" is an int; a custom tag keeps the text
}

std::optional<std::string> scalar_text(const YAML::Node& node) {
  if (!node.IsDefined() || !node.IsScalar()) return std::nullopt;
  return node.Scalar();
}

std::string scalar_or(const YAML::Node& node, const std::string& fallback) {
  if (auto s = scalar_text(node)) return *s;
  return fallback;
}

bool is_plain(const YAML::Node& node) { return node.Tag() == "?" || node.Tag().empty(); }

namespace {

view_field wrap(const field& f) { return {node_view(f.key), node_view(f.value), f.found, f.merged, f.explicit_count}; }

// A lite map's fields: the last of duplicate keys wins; there are no merge keys.
template <typename F>
void walk_lite(const node_view& map, F visit) {
  map.each_pair([&](const node_view& k, const node_view& v) {
    if (k.is_scalar()) visit(k.text(), k, v);
  });
}

}  // namespace

view_field lookup(const node_view& map, std::string_view key) {
  if (const YAML::Node* y = map.yaml()) return wrap(lookup(*y, key));
  view_field out;
  walk_lite(map, [&](const std::string& text, const node_view& k, const node_view& v) {
    if (text != key) return;
    out.key = k;
    out.value = v;
    out.found = true;
    ++out.explicit_count;
  });
  return out;
}

std::vector<std::pair<std::string, view_field>> fields(const node_view& map) {
  std::vector<std::pair<std::string, view_field>> out;
  if (const YAML::Node* y = map.yaml()) {
    for (auto& [text, f] : fields(*y)) out.emplace_back(text, wrap(f));
    return out;
  }
  std::unordered_map<std::string, std::size_t> index;
  walk_lite(map, [&](const std::string& text, const node_view& k, const node_view& v) {
    auto [it, added] = index.emplace(text, out.size());
    if (added) out.emplace_back(text, view_field{});
    view_field& f = out[it->second].second;
    f.key = k;
    f.value = v;
    f.found = true;
    ++f.explicit_count;
  });
  return out;
}

bool is_string_for_kubernetes(const node_view& n) {
  if (const YAML::Node* y = n.yaml()) return is_string_for_kubernetes(*y);
  return n.is_scalar() && (n.tag() == "!" || plain_is_string(n.text()));
}

std::string scalar_or(const node_view& node, const std::string& fallback) {
  return node.is_scalar() ? node.text() : fallback;
}

bool is_plain(const node_view& node) {
  if (const YAML::Node* y = node.yaml()) return is_plain(*y);
  return node.tag() == "?";
}

std::optional<std::int64_t> yaml_int(const node_view& n) {
  if (!n.is_scalar() || !is_plain(n)) return std::nullopt;
  return int_text(n.text());
}

std::optional<bool> yaml_bool(const node_view& n) {
  if (!n.is_scalar() || !is_plain(n)) return std::nullopt;
  return bool_word(n.text());
}

bool node_set::insert(const YAML::Node& node) {
  auto& bucket = buckets_[node.Mark().pos];
  for (const auto& n : bucket)
    if (n.is(node)) return false;
  bucket.push_back(node);
  return true;
}

bool node_set::contains(const YAML::Node& node) const {
  auto it = buckets_.find(node.Mark().pos);
  if (it == buckets_.end()) return false;
  for (const auto& n : it->second)
    if (n.is(node)) return true;
  return false;
}

node_set shared_nodes(const YAML::Node& root) {
  node_set seen, shared;
  std::vector<YAML::Node> stack{root};
  while (!stack.empty()) {
    YAML::Node n = stack.back();
    stack.pop_back();
    if (!seen.insert(n)) {
      shared.insert(n);
      continue;
    }
    if (n.IsMap()) {
      for (auto it = n.begin(); it != n.end(); ++it) {
        stack.push_back(it->first);
        stack.push_back(it->second);
      }
    } else if (n.IsSequence()) {
      for (auto it = n.begin(); it != n.end(); ++it) stack.push_back(*it);
    }
  }
  return shared;
}

const edit_tree::node* edit_tree::node::find(const path_step& s) const {
  if (s.is_index && sorted_indices) {
    auto it = std::lower_bound(children.begin(), children.end(), s.index,
                               [](const node& c, std::size_t i) { return c.step.index < i; });
    return it != children.end() && it->step.index == s.index ? &*it : nullptr;
  }
  for (const auto& c : children)
    if (c.step.is_index == s.is_index && c.step.key == s.key && c.step.index == s.index) return &c;
  return nullptr;
}

void edit_tree::set(const yaml_path& path, std::string text, bool quoted) {
  node* n = &root_;
  for (const auto& step : path) {
    node* next = const_cast<node*>(n->find(step));
    if (!next) {
      if (!step.is_index || (!n->children.empty() && n->children.back().step.index >= step.index))
        n->sorted_indices = false;
      n->children.push_back(node{step, std::nullopt, false, {}});
      next = &n->children.back();
    }
    n = next;
  }
  n->text = std::move(text);
  n->quoted = quoted;
}

node_set shared_nodes(const YAML::Node& root, std::string_view text) {
  return text.find('*') == std::string_view::npos ? node_set{} : shared_nodes(root);
}

namespace {

using edit = edit_tree::node;

// A lite_node seen through the part of YAML::Node's interface the comparer uses, so that one
// comparer reads both. Its iterator gives the item itself for sequences and .first/.second for maps.
class lite_iterator;
class lite_view {
 public:
  lite_view() = default;                     // an undefined node, as YAML::Node(YAML::NodeType::Undefined)
  lite_view(const lite_node& n) : n_(&n) {}  // NOLINT: converts like a node
  YAML::NodeType::value Type() const { return n_ ? n_->type : YAML::NodeType::Undefined; }
  bool IsDefined() const { return n_ != nullptr; }
  bool IsNull() const { return Type() == YAML::NodeType::Null; }
  bool IsScalar() const { return Type() == YAML::NodeType::Scalar; }
  bool IsMap() const { return Type() == YAML::NodeType::Map; }
  const std::string& Scalar() const { return n_->text; }
  const std::string& Tag() const {  // yaml-cpp's non-specific tags
    static const std::string plain = "?", quoted = "!";
    return IsScalar() && !n_->plain ? quoted : plain;
  }
  std::size_t size() const { return !n_ ? 0 : IsMap() ? n_->items.size() / 2 : n_->items.size(); }
  lite_iterator begin() const;
  lite_iterator end() const;

 private:
  const lite_node* n_ = nullptr;
};

struct lite_item : lite_view {
  lite_item(const lite_node& self, const lite_node& key, const lite_node& value)
      : lite_view(self), first(key), second(value) {}
  lite_view first, second;
};

class lite_iterator {
 public:
  lite_iterator(const lite_node* p, bool map) : p_(p), map_(map) {}
  lite_item operator*() const { return map_ ? lite_item(p_[0], p_[0], p_[1]) : lite_item(p_[0], p_[0], p_[0]); }
  const lite_item* operator->() const {
    held_.emplace(**this);
    return &*held_;
  }
  lite_iterator& operator++() {
    p_ += map_ ? 2 : 1;
    return *this;
  }
  bool operator!=(const lite_iterator& o) const { return p_ != o.p_; }

 private:
  const lite_node* p_;
  bool map_;
  mutable std::optional<lite_item> held_;
};

lite_iterator lite_view::begin() const { return {n_ ? n_->items.data() : nullptr, IsMap()}; }
lite_iterator lite_view::end() const { return {n_ ? n_->items.data() + n_->items.size() : nullptr, IsMap()}; }

template <class N>
N undefined_node() {
  return N();
}
template <>
YAML::Node undefined_node<YAML::Node>() {
  return YAML::Node(YAML::NodeType::Undefined);
}

// Tags as Kubernetes' reader distinguishes them: "" (created by us) and "?" are both plain.
template <class N>
const std::string& normalized_tag(const N& n) {
  static const std::string plain = "?";
  const std::string& t = n.Tag();
  return t.empty() ? plain : t;
}

// A key's tag as Kubernetes tells keys apart: "minReadySeconds" and minReadySeconds are one key
// (both strings), "1" and 1 are not.
template <class N>
const std::string& key_tag(const N& k) {
  static const std::string str = "str";
  const std::string& t = normalized_tag(k);
  if (t == "!" || (t == "?" && plain_is_string(k.Scalar()))) return str;
  return t;
}

// key_text(a) == key_text(b), without building the strings.
template <class A, class B>
bool same_key(const A& a, const B& b) {
  if (a.IsScalar() && b.IsScalar()) {
    if (a.Scalar() != b.Scalar()) return false;
    return normalized_tag(a) == normalized_tag(b) || key_tag(a) == key_tag(b);  // the cheap test first
  }
  if (a.IsNull() && b.IsNull()) return true;
  return !a.IsScalar() && !a.IsNull() && !b.IsScalar() && !b.IsNull();
}

template <class N>
std::string key_text(const N& key) {
  if (key.IsScalar()) return key_tag(key) + "\x1f" + key.Scalar();
  if (key.IsNull()) return "~";
  return "\x1e";  // complex keys compare pairwise in order
}

// The comparer keeps the path it walks as a stack and spells it out only on a mismatch.
struct step_ref {
  const std::string* key = nullptr;  // a map key's text (owned by the tree), or
  std::size_t index = 0;             // a sequence index
};

// A and B: YAML::Node, or lite_view for text read by read_lite().
template <class A, class B>
class comparer {
 public:
  explicit comparer(const node_set& shared) : shared_(shared) {}

  // a: the original (or undefined where an edit adds a key); e: edits below this point or null.
  // Returns false at the first difference; where() then names it.
  bool run(const A& a, const edit* e, const B& b) {
    if (++visits_ > budget) return mismatch(": too many nodes to compare (aliases?)");
    if (e && e->text) {  // plain text that go-yaml reads as a string may also come out quoted (JSON)
      if (!b.IsScalar() || b.Scalar() != *e->text) return false;
      const std::string& tag = normalized_tag(b);
      return e->quoted ? tag == "!" : (tag == "?" || (tag == "!" && plain_is_string(*e->text)));
    }
    bool a_present = a.IsDefined() && !(e && a.IsNull());
    if (!a_present) {  // a key added by an edit: b must hold exactly the edits
      if (!b.IsMap() || b.size() != e->children.size()) return false;
      for (const auto& c : e->children) {
        std::optional<B> v;
        for (auto it = b.begin(); it != b.end(); ++it)
          if (it->first.IsScalar() && it->first.Scalar() == c.step.key) v.emplace(it->second);
        path_.push_back({&c.step.key, 0});
        if (!v || !run(undefined_node<A>(), &c, *v)) return false;
        path_.pop_back();
      }
      return true;
    }
    if (a.Type() != b.Type()) return false;
    switch (a.Type()) {
      case YAML::NodeType::Scalar: return a.Scalar() == b.Scalar() && normalized_tag(a) == normalized_tag(b);
      case YAML::NodeType::Sequence: {
        if (a.size() != b.size() || normalized_tag(a) != normalized_tag(b)) return false;
        if (!e && !first_visit(a, b)) return true;
        std::size_t i = 0;
        auto ib = b.begin();
        for (auto ia = a.begin(); ia != a.end(); ++ia, ++ib, ++i) {
          const edit* ce = e ? e->find({"", i, true}) : nullptr;
          path_.push_back({nullptr, i});
          if (!run(*ia, ce, *ib)) return false;
          path_.pop_back();
        }
        return true;
      }
      case YAML::NodeType::Map: return compare_maps(a, e, b);
      default: return true;  // Null carries nothing more
    }
  }

  std::string where() const {
    std::string out;
    for (const auto& s : path_) {
      if (s.key)
        out += (out.empty() ? "" : ".") + *s.key;
      else
        out += "[" + std::to_string(s.index) + "]";
    }
    return (out.empty() ? std::string("the document root") : out) + note_;
  }

 private:
  template <class N>
  struct entry {
    std::string key;
    N k, v;
    const edit* e = nullptr;
  };

  bool mismatch(const char* why) {
    note_ = why;
    return false;
  }

  bool compare_maps(const A& a, const edit* e, const B& b) {
    if (normalized_tag(a) != normalized_tag(b)) return false;
    if (!e && !first_visit(a, b)) return true;
    // Fast path: no edits here and the same keys in the same order, compared in one walk (each
    // step of a yaml-cpp iterator copies nodes, with atomic reference counts).
    if (!e && a.size() == b.size()) {
      bool same_order = true;
      auto ib = b.begin();
      for (auto ia = a.begin(); ia != a.end(); ++ia, ++ib) {
        const auto x = *ia;
        const auto y = *ib;
        if (!same_key(x.first, y.first)) {
          same_order = false;
          break;
        }
        path_.push_back({y.first.IsScalar() ? &y.first.Scalar() : &unknown_, 0});
        if (!run(x.first, nullptr, y.first) || !run(x.second, nullptr, y.second)) return false;
        path_.pop_back();
      }
      if (same_order) return true;
    }
    std::vector<entry<A>> ea;
    std::vector<entry<B>> eb;
    for (auto it = a.begin(); it != a.end(); ++it) {
      const edit* ce = (e && it->first.IsScalar()) ? e->find({it->first.Scalar(), 0, false}) : nullptr;
      ea.push_back({key_text(it->first), it->first, it->second, ce});
    }
    if (e) {
      for (const auto& c : e->children) {
        bool exists = false;
        for (auto it = a.begin(); it != a.end() && !exists; ++it)
          exists = it->first.IsScalar() && it->first.Scalar() == c.step.key;
        if (exists) continue;
        ea.push_back({std::string(plain_is_string(c.step.key) ? "str" : "?") + "\x1f" + c.step.key, undefined_node<A>(),
                      undefined_node<A>(), &c});
      }
    }
    for (auto it = b.begin(); it != b.end(); ++it) eb.push_back({key_text(it->first), it->first, it->second});
    if (ea.size() != eb.size()) return false;
    // Sort indices, never the entries: assigning a YAML::Node rebinds the node it refers to.
    auto order = [](const auto& v) {
      std::vector<std::size_t> idx(v.size());
      for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
      std::stable_sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return v[x].key < v[y].key; });
      return idx;
    };
    std::vector<std::size_t> oa = order(ea), ob = order(eb);
    for (std::size_t i = 0; i < ea.size(); ++i) {
      const auto& x = ea[oa[i]];
      const auto& y = eb[ob[i]];
      path_.push_back({y.k.IsScalar() ? &y.k.Scalar() : &unknown_, 0});
      if (x.key != y.key) return false;
      if (x.k.IsDefined() && !run(x.k, nullptr, y.k)) return mismatch(" (key)");
      if (!run(x.v, x.e, y.v)) return false;
      path_.pop_back();
    }
    return true;
  }

  static constexpr std::size_t budget = 20'000'000;
  // Pairs already compared: aliases make a tree a graph, and a pair need be compared once.
  // Pairs are found by their positions in the text, so the lookup stays constant time for any
  // number of anchors (a linear scan made 40 000 aliases take seconds).
  // A lite tree has no shared nodes, and every step down it is a step down b: no pair comes back.
  bool first_visit(const YAML::Node&, const lite_view&) { return true; }
  bool first_visit(const lite_view&, const lite_view&) { return true; }
  bool first_visit(const YAML::Node& a, const YAML::Node& b) {
    if (!shared_.contains(a)) return true;  // only shared nodes can come back
    auto key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a.Mark().pos)) << 32) |
               static_cast<std::uint32_t>(b.Mark().pos);
    auto& bucket = pairs_[key];
    for (auto& [x, y] : bucket)
      if (x.is(a) && y.is(b)) return false;
    bucket.emplace_back(a, b);
    return true;
  }

  const node_set& shared_;
  std::unordered_map<std::uint64_t, std::vector<std::pair<YAML::Node, YAML::Node>>> pairs_;
  std::size_t visits_ = 0;
  std::vector<step_ref> path_;
  std::string note_;
  const std::string unknown_ = "?";
};

template <class A, class B>
std::optional<std::string> difference(const A& original, const edit_tree& edits, const B& actual,
                                      const node_set& shared) {
  comparer<A, B> c(shared);
  if (c.run(original, edits.empty() ? nullptr : &edits.root(), actual)) return std::nullopt;
  return c.where();
}

const node_set no_shared_nodes;  // what the comparer needs when either side is a lite tree (see first_visit)

}  // namespace

std::optional<std::string> tree_difference(const YAML::Node& original, const edit_tree& edits, const YAML::Node& actual,
                                           const node_set* shared) {
  if (shared) return difference(original, edits, actual, *shared);
  return difference(original, edits, actual, shared_nodes(original));
}

std::optional<std::string> tree_difference(const YAML::Node& original, const edit_tree& edits,
                                           const lite_node& actual) {
  return difference(original, edits, lite_view(actual), no_shared_nodes);
}

std::optional<std::string> tree_difference(const lite_node& original, const edit_tree& edits, const lite_node& actual) {
  return difference(lite_view(original), edits, lite_view(actual), no_shared_nodes);
}

}  // namespace rollout_pace
