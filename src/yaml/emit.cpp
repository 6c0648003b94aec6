#include "yaml/emit.h"
#include "yaml/compare.h"

#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace rollout_pace {
namespace {

using edit = edit_tree::node;

class emitter {
 public:
  explicit emitter(const node_set& shared) : shared_(shared) {
    out_.SetOutputCharset(YAML::EmitNonAscii);
    out_.SetIndent(2);
  }

  void node(const YAML::Node& n, const edit* e, bool root) {
    if (e && e->text) {
      if (e->quoted) out_ << YAML::DoubleQuoted;
      out_ << *e->text;
      return;
    }
    if (e && (!n.IsDefined() || n.IsNull())) {  // a map that exists only through edits
      out_ << YAML::BeginMap;
      added_keys(n, e);
      out_ << YAML::EndMap;
      return;
    }
    if (shared_.contains(n)) {
      for (const auto& [node, number] : anchored_[n.Mark().pos])
        if (node.is(n)) {
          out_ << YAML::Alias("a" + std::to_string(number));
          return;
        }
      anchored_[n.Mark().pos].emplace_back(n, ++anchors_);
      out_ << YAML::Anchor("a" + std::to_string(anchors_));
    }
    tag(n);
    switch (n.Type()) {
      case YAML::NodeType::Scalar: scalar(n.Scalar(), n.Tag() == "!"); break;
      case YAML::NodeType::Sequence: {
        if (!root && n.Style() == YAML::EmitterStyle::Flow) out_ << YAML::Flow;
        out_ << YAML::BeginSeq;
        std::size_t i = 0;
        for (auto it = n.begin(); it != n.end(); ++it, ++i) node(*it, e ? e->find({"", i, true}) : nullptr, false);
        out_ << YAML::EndSeq;
        break;
      }
      case YAML::NodeType::Map: {
        // The root stays block style: a stream that starts with "{" is read as JSON by apimachinery.
        if (!root && n.Style() == YAML::EmitterStyle::Flow) out_ << YAML::Flow;
        out_ << YAML::BeginMap;
        for (auto it = n.begin(); it != n.end(); ++it) {
          out_ << YAML::Key;
          node(it->first, nullptr, false);
          out_ << YAML::Value;
          const edit* ce = (e && it->first.IsScalar()) ? e->find({it->first.Scalar(), 0, false}) : nullptr;
          node(it->second, ce, false);
        }
        added_keys(n, e);
        out_ << YAML::EndMap;
        break;
      }
      default: out_ << YAML::Null;
    }
    if (!out_.good()) throw std::runtime_error("cannot re-emit the document: " + out_.GetLastError());
  }

  std::string text() const { return std::string(out_.c_str()) + "\n"; }

 private:
  // go-yaml refuses raw DEL, C1 controls and U+FFFE/U+FFFF anywhere in a stream, which yaml-cpp
  // writes raw: such a scalar is written double-quoted with every non-ASCII character escaped.
  static bool needs_escapes(const std::string& t) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      auto c = static_cast<unsigned char>(t[i]);
      if (c < 0x20 || c == 0x7F) return true;
      if (c == 0xC2 && i + 1 < t.size() && static_cast<unsigned char>(t[i + 1]) < 0xA0) return true;
      if (c == 0xEF && i + 2 < t.size() && static_cast<unsigned char>(t[i + 1]) == 0xBF &&
          static_cast<unsigned char>(t[i + 2]) >= 0xBE)
        return true;
    }
    return false;
  }

  void scalar(const std::string& text, bool quoted) {
    if (!needs_escapes(text)) {
      if (quoted) out_ << YAML::DoubleQuoted;
      out_ << text;
      return;
    }
    out_.SetOutputCharset(YAML::EscapeNonAscii);
    out_ << YAML::DoubleQuoted << text;
    out_.SetOutputCharset(YAML::EmitNonAscii);
  }

  void added_keys(const YAML::Node& n, const edit* e) {
    if (!e) return;
    for (const auto& c : e->children) {
      bool exists = false;
      if (n.IsMap())
        for (auto it = n.begin(); it != n.end() && !exists; ++it)
          exists = it->first.IsScalar() && it->first.Scalar() == c.step.key;
      if (c.step.is_index || exists) continue;
      out_ << YAML::Key << c.step.key << YAML::Value;
      node(YAML::Node(YAML::NodeType::Undefined), &c, false);
    }
  }

  void tag(const YAML::Node& n) {
    const std::string& t = n.Tag();
    if (t.empty() || t == "?" || t == "!") return;
    static const std::string core = "tag:yaml.org,2002:";
    if (t.compare(0, core.size(), core) == 0)
      out_ << YAML::SecondaryTag(t.substr(core.size()));
    else if (t[0] == '!')
      out_ << YAML::LocalTag(t.substr(1));
    else
      out_ << YAML::VerbatimTag(t);
  }

  YAML::Emitter out_;
  const node_set& shared_;
  std::unordered_map<int, std::vector<std::pair<YAML::Node, std::size_t>>> anchored_;  // by Mark().pos
  std::size_t anchors_ = 0;
};

}  // namespace

std::string emit_document(const YAML::Node& original, const edit_tree& edits, const node_set* shared) {
  node_set computed;
  if (!shared) computed = shared_nodes(original);
  emitter e(shared ? *shared : computed);
  e.node(original, edits.empty() ? nullptr : &edits.root(), true);
  return e.text();
}

}  // namespace rollout_pace
