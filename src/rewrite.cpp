#include "rollout_pace/rewrite.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

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

// Parses one document. YAML::Load, never LoadAll: yaml-cpp 0.7's LoadAll loops forever on a
// stray "," at the start of a document (found by fuzzing). The splitter already keeps one
// document per chunk; describe() flags what could hide a second one.
template <typename LineOf>
YAML::Node parse(std::string_view text, const std::string& where, LineOf first_line) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    throw failure(exit_code::bad_input, where + ", line " + std::to_string(first_line() + e.mark.line) +
                                            ": nesting deeper than yaml-cpp's limit of 500 levels");
  } catch (const YAML::Exception& e) {
    throw failure(exit_code::bad_input, where + ", line " + std::to_string(first_line() + e.mark.line) +
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
std::optional<std::string> verify(const std::string& text, const YAML::Node& original, const edit_tree& edits,
                                  const node_set& shared) {
  if (split_documents(text).size() != 1) return "it splits into several documents";
  if (!describe(text, true).problem.empty()) return "it holds " + describe(text, true).problem;
  YAML::Node again;
  try {
    YAML::Node loaded = YAML::Load(text);
    again.reset(loaded);  // never assign YAML::Node values: assignment rebinds shared nodes
  } catch (const YAML::Exception& e) {
    return "it no longer parses (" + e.msg + ")";
  }
  if (auto d = tree_difference(original, edits, again, &shared)) return "it differs at " + *d;
  return std::nullopt;
}

// Whether a chunk's last line that is not blank or a comment is a "%" directive (which then
// belongs to the next document). Reads backwards: the chunk may be a large CRD.
bool ends_with_directive(std::string_view chunk) {
  std::size_t end = chunk.size();
  while (end > 0) {
    std::size_t start = line_start(chunk, end - 1);
    std::string_view line = chunk.substr(start, end - start);
    if (!is_blank_or_comment(line)) return line[0] == '%';
    end = start;
  }
  return false;
}

// What processing one document that may hold a Deployment produced.
struct outcome {
  std::optional<std::string> text;  // the rewritten document, when it changed
  std::vector<diagnostic> diagnostics;
  std::optional<failure> error;
};

outcome process(std::string_view stream, const std::vector<document>& docs, std::size_t i, const options& opts) {
  outcome out;
  const document& doc = docs[i];
  // Line numbers are counted only for a message: most runs never need one.
  auto first_line = [&] { return 1 + std::count(stream.begin(), stream.begin() + doc.offset, '\n'); };
  try {
    std::size_t index = i + 1;
    std::string where = "document " + std::to_string(index);
    layout l = describe(doc.text, doc.offset == 0);
    std::string source = source_of(doc.text.substr(0, l.body_begin));
    if (!source.empty()) where += " (from " + source + ")";
    auto located = [&](std::size_t line, const std::string& what) {
      return failure(exit_code::bad_input, where + ", line " + std::to_string(first_line() + line) + ": " + what);
    };
    if (doc.text.size() > max_parsed_document_bytes)
      throw failure(exit_code::bad_input, where + ": may hold a Deployment but is " +
                                              std::to_string(doc.text.size() >> 20) +
                                              " MiB, over the 16 MiB rollout-pace parses (yaml-cpp needs about "
                                              "40 times that in memory)");
    if (l.content_after_end)
      throw located(l.problem_line, l.problem + ", which Kubernetes ignores; remove it or start a new document "
                                                "with \"---\"");
    const YAML::Node root = parse(doc.text, where, first_line);
    if (!root.IsMap() && has_root_kind_deployment(doc.text))
      throw failure(exit_code::bad_input, where + ": reads like a Deployment but does not parse as a map; "
                                              "refusing to pass it on unpaced");
    std::vector<workload> found = find_deployments(root, index, source, out.diagnostics);
    if (found.empty()) return out;
    node_set shared = shared_nodes(root, doc.text);
    edit_tree edits;
    for (const workload& w : found) plan_deployment(w, opts, shared, edits, out.diagnostics);
    if (edits.empty()) return out;
    // A directive belongs to the document after it, but sits in the chunk before its "---".
    if (l.problem.empty() && i > 0 && ends_with_directive(docs[i - 1].text)) l.problem = "a YAML directive before it";
    if (!l.problem.empty())
      throw located(l.problem_line, l.problem + "; Kubernetes would not read this document as written, so "
                                                "rollout-pace will not rewrite it");
    std::optional<std::string> text = splice(doc.text, l.bom, root, edits, l.crlf);
    if (!text || verify(*text, root, edits, shared)) {
      std::string body = emit_document(root, edits, &shared);
      text = std::string(doc.text.substr(0, l.body_begin)) + (l.crlf ? to_crlf(body) : body) +
             std::string(doc.text.substr(l.body_end));
      if (auto problem = verify(*text, root, edits, shared))
        throw failure(exit_code::bad_input, where + ": cannot rewrite this document faithfully: " + *problem);
      out.diagnostics.push_back({diagnostic::level::note,
                                 where + ": its layout (flow style or multi-line values) cannot be edited in place, "
                                         "so the document was re-emitted; comments inside it are not kept"});
    }
    out.text = std::move(text);
  } catch (const failure& f) {
    out.error = f;
  } catch (const std::exception& e) {  // yaml-cpp or std: never let one escape the core
    out.error = failure(exit_code::bad_input, "document " + std::to_string(i + 1) + ": unexpected failure: " + e.what());
  }
  return out;
}

// Parsing is the cost (yaml-cpp reads 2-6 MB/s), so documents are parsed on all cores when there
// is enough of them; results are put together in document order, as one thread would.
std::vector<outcome> process_all(std::string_view stream, const std::vector<document>& docs,
                                 const std::vector<std::size_t>& candidates, const options& opts) {
  std::vector<outcome> results(candidates.size());
  std::size_t bytes = 0;
  for (std::size_t i : candidates) bytes += docs[i].text.size();
  unsigned threads = opts.threads ? opts.threads : std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()), 8);
  if (bytes < (256u << 10) || candidates.size() < 16) threads = 1;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t k; (k = next.fetch_add(1)) < candidates.size();)
      results[k] = process(stream, docs, candidates[k], opts);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return results;
}

}  // namespace

std::string result::output() const {
  std::size_t n = 0;
  for (auto p : pieces_) n += p.size();
  std::string out;
  out.reserve(n);
  for (auto p : pieces_) out.append(p);
  return out;
}

void result::append(std::string_view text) {
  if (text.empty()) return;
  if (!pieces_.empty() && pieces_.back().data() + pieces_.back().size() == text.data())
    pieces_.back() = std::string_view(pieces_.back().data(), pieces_.back().size() + text.size());
  else
    pieces_.push_back(text);
}

void result::append_owned(std::string text) {
  owned_.push_back(std::move(text));
  if (!owned_.back().empty()) pieces_.push_back(owned_.back());
}

void result::clear_output() {
  pieces_.clear();
  owned_.clear();
}

result keeping_input(std::string&& input, result (*core)(std::string_view, const options&), const options& opts) {
  auto kept = std::make_shared<const std::string>(std::move(input));
  result r = core(std::string_view(*kept), opts);
  r.keep(std::move(kept));
  return r;
}

result rewrite(std::string&& stream, const options& opts) {
  return keeping_input(std::move(stream), static_cast<result (*)(std::string_view, const options&)>(rewrite), opts);
}

result rewrite(std::string_view stream, const options& opts) {
  result r;
  try {
    if (stream.size() > max_input_bytes)
      throw failure(exit_code::bad_input, "input is larger than 256 MiB (" + std::to_string(stream.size()) +
                                              " bytes); refusing to process it");
    std::vector<scanned_document> scanned = scan_stream(stream);
    std::vector<document> docs(scanned.begin(), scanned.end());
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < scanned.size(); ++i)
      if (scanned[i].may_hold_deployment) candidates.push_back(i);
    std::vector<outcome> results = process_all(stream, docs, candidates, opts);
    for (std::size_t i = 0, k = 0; i < docs.size(); ++i) {
      if (k == candidates.size() || candidates[k] != i) {
        r.append(docs[i].text);
        continue;
      }
      outcome& o = results[k++];
      for (auto& d : o.diagnostics) r.diagnostics.push_back(std::move(d));
      if (o.error) throw *o.error;
      if (o.text) r.append_owned(std::move(*o.text));
      else r.append(docs[i].text);
    }
  } catch (const failure& f) {
    r.code = f.code();
    r.clear_output();
    r.diagnostics.push_back({diagnostic::level::error, f.what()});
  } catch (const std::exception& e) {  // std: never let one escape the core
    r.code = exit_code::bad_input;
    r.clear_output();
    r.diagnostics.push_back({diagnostic::level::error, std::string("unexpected failure: ") + e.what()});
  }
  return r;
}

}  // namespace rollout_pace
