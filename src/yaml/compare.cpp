#include "yaml/compare.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <utility>

#include "yaml/scalars.h"

namespace rollout_pace {

namespace {

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

std::optional<std::string> difference_except(const YAML::Node& a, const YAML::Node& b, std::string_view skip,
                                             const std::string& where) {
  if (!a.IsMap() || !b.IsMap()) return where;
  std::size_t na = 0, nb = 0;
  for (auto it = a.begin(); it != a.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == skip) continue;
    ++na;
    if (!it->first.IsScalar()) return where;
    YAML::Node other(YAML::NodeType::Undefined);
    for (auto o = b.begin(); o != b.end(); ++o)
      if (o->first.IsScalar() && o->first.Scalar() == it->first.Scalar() && !other.IsDefined()) other.reset(o->second);
    if (!other.IsDefined()) return where + "." + it->first.Scalar();
    if (auto d = tree_difference(it->second, {}, other)) return where + "." + it->first.Scalar() + "." + *d;
  }
  for (auto it = b.begin(); it != b.end(); ++it)
    if (!(it->first.IsScalar() && it->first.Scalar() == skip)) ++nb;
  if (na != nb) return where;
  return std::nullopt;
}

}  // namespace rollout_pace
