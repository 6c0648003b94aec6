#include "rollout_pace/yaml_emit.h"

#include <stdexcept>
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
      for (std::size_t i = 0; i < anchored_.size(); ++i)
        if (anchored_[i].is(n)) { out_ << YAML::Alias("a" + std::to_string(i + 1)); return; }
      anchored_.push_back(n);
      out_ << YAML::Anchor("a" + std::to_string(anchored_.size()));
    }
    tag(n);
    switch (n.Type()) {
      case YAML::NodeType::Scalar:
        if (n.Tag() == "!") out_ << YAML::DoubleQuoted;
        out_ << n.Scalar();
        break;
      case YAML::NodeType::Sequence: {
        if (!root && n.Style() == YAML::EmitterStyle::Flow) out_ << YAML::Flow;
        out_ << YAML::BeginSeq;
        std::size_t i = 0;
        for (auto it = n.begin(); it != n.end(); ++it, ++i)
          node(*it, e ? e->find({"", i, true}) : nullptr, false);
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
      default:
        out_ << YAML::Null;
    }
    if (!out_.good()) throw std::runtime_error("cannot re-emit the document: " + out_.GetLastError());
  }

  std::string text() const { return std::string(out_.c_str()) + "\n"; }

 private:
  void added_keys(const YAML::Node& n, const edit* e) {
    if (!e) return;
    for (const auto& c : e->children) {
      if (c.step.is_index || child(n, c.step.key).IsDefined()) continue;
      out_ << YAML::Key << c.step.key << YAML::Value;
      node(YAML::Node(YAML::NodeType::Undefined), &c, false);
    }
  }

  void tag(const YAML::Node& n) {
    const std::string& t = n.Tag();
    if (t.empty() || t == "?" || t == "!") return;
    static const std::string core = "tag:yaml.org,2002:";
    if (t.compare(0, core.size(), core) == 0) out_ << YAML::SecondaryTag(t.substr(core.size()));
    else if (t[0] == '!') out_ << YAML::LocalTag(t.substr(1));
    else out_ << YAML::VerbatimTag(t);
  }

  YAML::Emitter out_;
  const node_set& shared_;
  std::vector<YAML::Node> anchored_;
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
