#include "rollout_pace/yaml_tree.h"

#include <algorithm>
#include <set>
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

YAML::Node child(const YAML::Node& map, std::string_view key) {
  if (!map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  auto found = map.end();
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar() || it->first.Scalar() != key) continue;
    if (found != map.end()) throw duplicate_key(std::string(key));
    found = it;
  }
  return found != map.end() ? YAML::Node(found->second) : YAML::Node(YAML::NodeType::Undefined);
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
  for (const auto& c : children)
    if (c.step.is_index == s.is_index && c.step.key == s.key && c.step.index == s.index) return &c;
  return nullptr;
}

void edit_tree::set(const yaml_path& path, std::string text, bool quoted) {
  node* n = &root_;
  for (const auto& step : path) {
    node* next = const_cast<node*>(n->find(step));
    if (!next) {
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

// Tags as Kubernetes' reader distinguishes them: "" (created by us) and "?" are both plain.
const std::string& normalized_tag(const YAML::Node& n) {
  static const std::string plain = "?";
  const std::string& t = n.Tag();
  return t.empty() ? plain : t;
}

// key_text(a) == key_text(b), without building the strings.
bool same_key(const YAML::Node& a, const YAML::Node& b) {
  if (a.IsScalar() && b.IsScalar()) return a.Scalar() == b.Scalar() && normalized_tag(a) == normalized_tag(b);
  if (a.IsNull() && b.IsNull()) return true;
  return !a.IsScalar() && !a.IsNull() && !b.IsScalar() && !b.IsNull();
}

std::string key_text(const YAML::Node& key) {
  if (key.IsScalar()) return normalized_tag(key) + "\x1f" + key.Scalar();
  if (key.IsNull()) return "~";
  return "\x1e";  // complex keys compare pairwise in order
}

// The comparer keeps the path it walks as a stack and spells it out only on a mismatch.
struct step_ref {
  const std::string* key = nullptr;  // a map key's text (owned by the tree), or
  std::size_t index = 0;             // a sequence index
};

class comparer {
 public:
  explicit comparer(const node_set& shared) : shared_(shared) {}

  // a: the original (or undefined where an edit adds a key); e: edits below this point or null.
  // Returns false at the first difference; where() then names it.
  bool run(const YAML::Node& a, const edit* e, const YAML::Node& b) {
    if (++visits_ > budget) return mismatch(": too many nodes to compare (aliases?)");
    if (e && e->text)
      return b.IsScalar() && b.Scalar() == *e->text && normalized_tag(b) == (e->quoted ? "!" : "?");
    bool a_present = a.IsDefined() && !(e && a.IsNull());
    if (!a_present) {  // a key added by an edit: b must hold exactly the edits
      if (!b.IsMap() || b.size() != e->children.size()) return false;
      for (const auto& c : e->children) {
        YAML::Node v = child(b, c.step.key);
        path_.push_back({&c.step.key, 0});
        if (!v.IsDefined() || !run(YAML::Node(YAML::NodeType::Undefined), &c, v)) return false;
        path_.pop_back();
      }
      return true;
    }
    if (a.Type() != b.Type()) return false;
    switch (a.Type()) {
      case YAML::NodeType::Scalar:
        return a.Scalar() == b.Scalar() && normalized_tag(a) == normalized_tag(b);
      case YAML::NodeType::Sequence: {
        if (a.size() != b.size() || normalized_tag(a) != normalized_tag(b)) return false;
        if (!e && !first_visit(a, b)) return true;
        std::size_t i = 0;
        for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib, ++i) {
          const edit* ce = e ? e->find({"", i, true}) : nullptr;
          path_.push_back({nullptr, i});
          if (!run(*ia, ce, *ib)) return false;
          path_.pop_back();
        }
        return true;
      }
      case YAML::NodeType::Map:
        return compare_maps(a, e, b);
      default:
        return true;  // Null carries nothing more
    }
  }

  std::string where() const {
    std::string out;
    for (const auto& s : path_) {
      if (s.key) out += (out.empty() ? "" : ".") + *s.key;
      else out += "[" + std::to_string(s.index) + "]";
    }
    return (out.empty() ? std::string("the document root") : out) + note_;
  }

 private:
  struct entry {
    std::string key;
    YAML::Node k, v;
    const edit* e = nullptr;
  };

  bool mismatch(const char* why) {
    note_ = why;
    return false;
  }

  bool compare_maps(const YAML::Node& a, const edit* e, const YAML::Node& b) {
    if (normalized_tag(a) != normalized_tag(b)) return false;
    if (!e && !first_visit(a, b)) return true;
    // Fast path: no edits here and the same keys in the same order, compared in one walk (each
    // step of a yaml-cpp iterator copies nodes, with atomic reference counts).
    if (!e && a.size() == b.size()) {
      bool same_order = true;
      for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
        const auto x = *ia;
        const auto y = *ib;
        if (!same_key(x.first, y.first)) { same_order = false; break; }
        path_.push_back({y.first.IsScalar() ? &y.first.Scalar() : &unknown_, 0});
        if (!run(x.first, nullptr, y.first) || !run(x.second, nullptr, y.second)) return false;
        path_.pop_back();
      }
      if (same_order) return true;
    }
    std::vector<entry> ea, eb;
    for (auto it = a.begin(); it != a.end(); ++it) {
      const edit* ce = (e && it->first.IsScalar()) ? e->find({it->first.Scalar(), 0, false}) : nullptr;
      ea.push_back({key_text(it->first), it->first, it->second, ce});
    }
    if (e) {
      for (const auto& c : e->children) {
        if (child(a, c.step.key).IsDefined()) continue;
        ea.push_back({"?\x1f" + c.step.key, YAML::Node(YAML::NodeType::Undefined),
                      YAML::Node(YAML::NodeType::Undefined), &c});
      }
    }
    for (auto it = b.begin(); it != b.end(); ++it) eb.push_back({key_text(it->first), it->first, it->second});
    if (ea.size() != eb.size()) return false;
    // Sort indices, never the entries: assigning a YAML::Node rebinds the node it refers to.
    auto order = [](const std::vector<entry>& v) {
      std::vector<std::size_t> idx(v.size());
      for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
      std::stable_sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return v[x].key < v[y].key; });
      return idx;
    };
    std::vector<std::size_t> oa = order(ea), ob = order(eb);
    for (std::size_t i = 0; i < ea.size(); ++i) {
      const entry& x = ea[oa[i]];
      const entry& y = eb[ob[i]];
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
  bool first_visit(const YAML::Node& a, const YAML::Node& b) {
    if (!shared_.contains(a)) return true;  // only shared nodes can come back
    for (auto& [x, ys] : pairs_) {
      if (!x.is(a)) continue;
      for (auto& y : ys)
        if (y.is(b)) return false;
      ys.push_back(b);
      return true;
    }
    pairs_.push_back({a, {b}});
    return true;
  }

  const node_set& shared_;
  std::vector<std::pair<YAML::Node, std::vector<YAML::Node>>> pairs_;
  std::size_t visits_ = 0;
  std::vector<step_ref> path_;
  std::string note_;
  const std::string unknown_ = "?";
};

}  // namespace

std::optional<std::string> tree_difference(const YAML::Node& original, const edit_tree& edits,
                                           const YAML::Node& actual, const node_set* shared) {
  node_set computed;
  if (!shared) computed = shared_nodes(original);
  comparer c(shared ? *shared : computed);
  if (c.run(original, edits.empty() ? nullptr : &edits.root(), actual)) return std::nullopt;
  return c.where();
}

}  // namespace rollout_pace
