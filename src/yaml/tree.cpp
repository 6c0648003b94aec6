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

std::string scalar_or(const node_view& node, const std::string& fallback) {
  return node.is_scalar() ? node.text() : fallback;
}

bool is_plain(const node_view& node) {
  if (const YAML::Node* y = node.yaml()) return is_plain(*y);
  return node.tag() == "?";
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

node_set shared_nodes(const YAML::Node& root, std::string_view text) {
  return text.find('*') == std::string_view::npos ? node_set{} : shared_nodes(root);
}

}  // namespace rollout_pace
