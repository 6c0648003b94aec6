#include "rollout_pace/rewrite.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "rollout_pace/stream.h"
#include "rollout_pace/workload.h"
#include "rollout_pace/yaml_emit.h"
#include "rollout_pace/yaml_splice.h"

namespace rollout_pace {
namespace {

// The template a Helm 3 document came from: its "# Source: x" header line.
std::string source_of(std::string_view header) {
  static constexpr std::string_view tag = "# Source: ";
  std::size_t at = header.find(tag);
  if (at == std::string_view::npos) return "";
  std::size_t end = header.find_first_of("\r\n", at);
  return std::string(header.substr(at + tag.size(), end == std::string_view::npos ? end : end - at - tag.size()));
}

std::string to_crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// Tracks line numbers of document starts without counting the whole stream more than once.
class line_index {
 public:
  explicit line_index(std::string_view stream) : stream_(stream) {}
  std::size_t line_of(std::size_t offset) {  // 1-based
    if (offset < offset_) { offset_ = 0; line_ = 1; }
    line_ += std::count(stream_.begin() + offset_, stream_.begin() + offset, '\n');
    offset_ = offset;
    return line_;
  }

 private:
  std::string_view stream_;
  std::size_t offset_ = 0, line_ = 1;
};

// Parses one document. YAML::Load, never LoadAll: yaml-cpp 0.7's LoadAll loops forever on a
// stray "," at the start of a document (found by fuzzing). The splitter already keeps one
// document per chunk; describe() flags what could hide a second one.
YAML::Node parse(std::string_view text, const std::string& where, std::size_t first_line) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    throw failure(exit_code::bad_input, where + ", line " + std::to_string(first_line + e.mark.line) +
                                            ": nesting deeper than yaml-cpp's limit of 500 levels");
  } catch (const YAML::Exception& e) {
    throw failure(exit_code::bad_input, where + ", line " + std::to_string(first_line + e.mark.line) +
                                            ", column " + std::to_string(e.mark.column + 1) +
                                            ": malformed YAML: " + e.msg);
  }
}

// A root-level "kind: Deployment" line: what a Deployment document cannot lack.
bool has_root_kind_deployment(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); i = line_end(text, i)) {
    std::string_view line = text.substr(i, line_end(text, i) - i);
    if (line.compare(0, 5, "kind:") == 0 && may_hold_deployment(line)) return true;
  }
  return false;
}

// Parses a rewritten document and compares it with the original plus the edits.
std::optional<std::string> verify(const std::string& text, const YAML::Node& original, const edit_tree& edits) {
  if (split_documents(text).size() != 1) return "it splits into several documents";
  if (!describe(text, true).problem.empty()) return "it holds " + describe(text, true).problem;
  YAML::Node again;
  try {
    YAML::Node loaded = YAML::Load(text);
    again.reset(loaded);  // never assign YAML::Node values: assignment rebinds shared nodes
  } catch (const YAML::Exception& e) {
    return "it no longer parses (" + e.msg + ")";
  }
  if (auto d = tree_difference(original, edits, again)) return "it differs at " + *d;
  return std::nullopt;
}

}  // namespace

result rewrite(std::string_view stream, const options& opts) {
  result r;
  try {
    if (stream.size() > max_input_bytes)
      throw failure(exit_code::bad_input, "input is larger than 256 MiB (" + std::to_string(stream.size()) +
                                              " bytes); refusing to process it");
    check_text(stream);
    r.output.reserve(stream.size() + stream.size() / 32);
    line_index lines(stream);
    std::vector<document> docs = split_documents(stream);
    for (std::size_t i = 0; i < docs.size(); ++i) {
      const document& doc = docs[i];
      if (!may_hold_deployment(doc.text)) {
        r.output.append(doc.text);
        continue;
      }
      std::size_t index = i + 1;
      std::size_t first_line = lines.line_of(doc.offset);
      std::string where = "document " + std::to_string(index);
      layout l = describe(doc.text, doc.offset == 0);
      std::string source = source_of(doc.text.substr(0, l.body_begin));
      if (!source.empty()) where += " (from " + source + ")";
      if (doc.text.size() > max_parsed_document_bytes)
        throw failure(exit_code::bad_input, where + ": may hold a Deployment but is " +
                                                std::to_string(doc.text.size() >> 20) +
                                                " MiB, over the 16 MiB rollout-pace parses (yaml-cpp needs about "
                                                "40 times that in memory)");
      if (l.content_after_end)
        throw failure(exit_code::bad_input, where + ", line " + std::to_string(first_line + l.problem_line) +
                                                ": " + l.problem + ", which Kubernetes ignores; remove it or "
                                                "start a new document with \"---\"");
      const YAML::Node root = parse(doc.text, where, first_line);
      if (!root.IsMap() && has_root_kind_deployment(doc.text))
        throw failure(exit_code::bad_input, where + ": reads like a Deployment but does not parse as a map; "
                                                "refusing to pass it on unpaced");
      std::vector<workload> found = find_deployments(root, index, source, r.diagnostics);
      edit_tree edits;
      if (!found.empty()) {
        node_set shared = shared_nodes(root);
        for (const workload& w : found) plan_deployment(w, opts, shared, edits, r.diagnostics);
      }
      if (edits.empty()) {
        r.output.append(doc.text);
        continue;
      }
      // A directive belongs to the document after it, but sits in the chunk before its "---".
      if (l.problem.empty() && i > 0 && describe(docs[i - 1].text, docs[i - 1].offset == 0).problem == "a YAML directive")
        l.problem = "a YAML directive before it";
      if (!l.problem.empty())
        throw failure(exit_code::bad_input, where + ", line " + std::to_string(first_line + l.problem_line) +
                                                ": " + l.problem + "; Kubernetes would not read this document "
                                                "as written, so rollout-pace will not rewrite it");
      std::optional<std::string> text = splice(doc.text, l.bom, root, edits, l.crlf);
      if (!text || verify(*text, root, edits)) {
        std::string body = emit_document(root, edits);
        text = std::string(doc.text.substr(0, l.body_begin)) + (l.crlf ? to_crlf(body) : body) +
               std::string(doc.text.substr(l.body_end));
        if (auto problem = verify(*text, root, edits))
          throw failure(exit_code::bad_input, where + ": cannot rewrite this document faithfully: " + *problem);
        r.diagnostics.push_back({diagnostic::level::note,
                                 where + ": its layout (flow style or multi-line values) cannot be edited in place, "
                                         "so the document was re-emitted; comments inside it are not kept"});
      }
      r.output += *text;
    }
  } catch (const failure& f) {
    r.code = f.code();
    r.output.clear();
    r.diagnostics.push_back({diagnostic::level::error, f.what()});
  } catch (const std::exception& e) {  // yaml-cpp or std: never let one escape the core
    r.code = exit_code::bad_input;
    r.output.clear();
    r.diagnostics.push_back({diagnostic::level::error, std::string("unexpected failure: ") + e.what()});
  }
  return r;
}

}  // namespace rollout_pace
