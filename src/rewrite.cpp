#include "rollout_pace/rewrite.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "rollout_pace/json_stream.h"
#include "rollout_pace/release_plan.h"
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

// What processing one candidate document produced.
struct outcome {
  std::optional<std::string> text;  // the rewritten document, when it changed
  std::vector<diagnostic> diagnostics;
  std::optional<failure> error;
  std::vector<planned_workload> workloads;
  std::vector<hpa_target> hpas;
};

// An autoscaling HorizontalPodAutoscaler: which workload it scales, and its range (the plan's
// replicas for a workload without spec.replicas).
std::optional<hpa_target> read_hpa(const YAML::Node& root) {
  try {
    if (scalar_or(lookup(root, "kind").value, "") != "HorizontalPodAutoscaler") return std::nullopt;
    if (scalar_or(lookup(root, "apiVersion").value, "").rfind("autoscaling/", 0) != 0) return std::nullopt;
    YAML::Node meta = lookup(root, "metadata").value, spec = lookup(root, "spec").value;
    YAML::Node ref = lookup(spec, "scaleTargetRef").value;
    hpa_target h{scalar_or(lookup(meta, "name").value, ""), scalar_or(lookup(meta, "namespace").value, ""),
                 scalar_or(lookup(ref, "kind").value, ""), scalar_or(lookup(ref, "name").value, "")};
    auto number = [&](const char* key, std::int64_t fallback) -> std::optional<std::int64_t> {
      YAML::Node v = lookup(spec, key).value;
      return v.IsNull() ? fallback : plain_count(v);
    };
    auto min = number("minReplicas", 1), max = number("maxReplicas", 0);
    if (!min || !max || *max <= 0) return std::nullopt;
    h.min_replicas = *min;
    h.max_replicas = *max;
    return h;
  } catch (const yaml_error&) {
    return std::nullopt;  // a bad merge key: Kubernetes refuses it; it only informs the plan
  }
}

struct stream_view {
  std::string_view text;
  const std::vector<scanned_document>& docs;
  bool json;
};

outcome process(const stream_view& stream, std::size_t i, const options& opts) {
  outcome out;
  const scanned_document& doc = stream.docs[i];
  // Line numbers are counted only for a message: most runs never need one.
  auto first_line = [&] {
    return 1 + std::count(stream.text.begin(), stream.text.begin() + doc.offset, '\n');
  };
  try {
    std::size_t index = i + 1;
    std::string where = "document " + std::to_string(index);
    layout l = stream.json ? json_layout(doc.text) : describe(doc.text, doc.offset == 0);
    std::string source = source_of(doc.text.substr(0, l.body_begin));
    if (!source.empty()) where += " (from " + source + ")";
    auto located = [&](std::size_t line, const std::string& what) {
      return failure(exit_code::bad_input, where + ", line " + std::to_string(first_line() + line) + ": " + what);
    };
    if (doc.text.size() > max_parsed_document_bytes)
      throw failure(exit_code::bad_input, where + ": may hold a Deployment but is " +
                                              std::to_string(doc.text.size() >> 20) + " MiB, over the " +
                                              std::to_string(max_parsed_document_bytes >> 20) +
                                              " MiB rollout-pace parses (yaml-cpp needs about 40 times that in memory)");
    if (l.content_after_end)
      throw located(l.problem_line, l.problem + ", which Kubernetes ignores; remove it or start a new document "
                                                "with \"---\"");
    std::size_t parse_line = std::count(doc.text.begin(), doc.text.begin() + l.parse_begin, '\n');
    YAML::Node root;
    try {
      YAML::Node loaded = load_document(doc.text.substr(l.parse_begin));
      root.reset(loaded);
    } catch (const yaml_error& e) {
      throw failure(exit_code::bad_input, where + ", line " + std::to_string(first_line() + parse_line + e.line) +
                                              ", column " + std::to_string(e.column + 1) + ": " + e.what());
    }
    if (!root.IsMap() && doc.kind.certain && find_kind(doc.kind.kind))
      throw failure(exit_code::bad_input, where + ": reads like a " + doc.kind.kind + " but does not parse as a map; "
                                              "refusing to pass it on unpaced");
    if (!doc.kind.certain || doc.kind.kind == "HorizontalPodAutoscaler")
      if (auto h = read_hpa(root)) out.hpas.push_back(*h);
    std::vector<workload> found = find_workloads(root, index, source);
    if (found.empty()) return out;
    edit_tree edits;
    node_set shared;
    bool shared_known = false;
    for (const workload& w : found) {
      workload_decision d = decide_workload(w, opts);
      if (d.pace) {  // an edit that cannot be made is the error to report, before any warning
        if (!shared_known) { shared = shared_nodes(root, doc.text); shared_known = true; }
        add_edits(w, d, shared, edits);
      }
      for (auto& diag : d.diagnostics) out.diagnostics.push_back(std::move(diag));
      if (opts.report) out.diagnostics.push_back(report(w, d));
      planned_workload p;
      p.kind = std::string(w.kind->kind);
      p.written = d.written;
      p.ns = w.ns;
      p.name = w.name;
      p.source = w.source;
      p.document = w.document;
      p.pace = d.pace;
      p.left_alone = d.left_alone;
      p.replicas = d.replicas;
      p.replicas_from = d.replicas_defaulted ? "the default" : "spec.replicas";
      p.change = d.change;
      p.change_reason = d.change_reason;
      out.workloads.push_back(std::move(p));
    }
    if (edits.empty()) return out;
    if (stream.json) {
      std::size_t begin = doc.text.find('{'), end = doc.text.rfind('}') + 1;
      std::string text = std::string(doc.text.substr(0, begin)) + emit_json(root, edits) + std::string(doc.text.substr(end));
      if (auto problem = check_rewrite(text, true, root, edits, &shared))
        throw failure(exit_code::bad_input, where + ": cannot rewrite this JSON object faithfully: " + *problem);
      out.text = std::move(text);
      return out;
    }
    // A directive belongs to the document after it, but sits in the chunk before its "---".
    if (l.problem.empty() && i > 0 && ends_with_directive(stream.docs[i - 1].text)) l.problem = "a YAML directive before it";
    if (!l.problem.empty())
      throw located(l.problem_line, l.problem + "; Kubernetes would not read this document as written, so "
                                                "rollout-pace will not rewrite it");
    std::optional<std::string> text = splice(doc.text, l.parse_begin, root, edits, l.crlf);
    std::optional<lite_node> before = read_lite(doc.text.substr(l.parse_begin));  // the cheapest check, when it can
    if (!text || check_rewrite(*text, true, root, edits, &shared, before ? &*before : nullptr)) {
      std::string body = emit_document(root, edits, &shared);
      text = std::string(doc.text.substr(0, l.body_begin)) + (l.crlf ? to_crlf(body) : body) +
             std::string(doc.text.substr(l.body_end));
      if (auto problem = check_rewrite(*text, true, root, edits, &shared, before ? &*before : nullptr))
        throw failure(exit_code::bad_input, where + ": cannot rewrite this document faithfully: " + *problem);
      out.diagnostics.push_back({diagnostic::level::note,
                                 where + ": its layout (flow style or multi-line values) cannot be edited in place, "
                                         "so the document was re-emitted; comments inside it are not kept"});
    }
    out.text = std::move(text);
  } catch (const failure& f) {
    out.error = f;
  } catch (const std::exception& e) {  // never let one escape the core; tests hold that this never happens
    out.error = failure(exit_code::bad_input, "document " + std::to_string(i + 1) + ": unexpected failure: " + e.what());
  }
  return out;
}

// Parsing is the cost (yaml-cpp reads 2-6 MB/s), so documents are parsed on all cores when there
// is enough of them; results are put together in document order, as one thread would.
std::vector<outcome> process_all(const stream_view& stream, const std::vector<std::size_t>& candidates,
                                 const options& opts) {
  std::vector<outcome> results(candidates.size());
  std::size_t bytes = 0;
  for (std::size_t i : candidates) bytes += stream.docs[i].text.size();
  unsigned threads = opts.threads ? opts.threads : std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()), 8);
  if (bytes < (256u << 10) || candidates.size() < 16) threads = 1;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t k; (k = next.fetch_add(1)) < candidates.size();)
      results[k] = process(stream, candidates[k], opts);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return results;
}

}  // namespace

bool must_parse(const kind_reading& k) {
  if (!k.certain) return true;
  return find_kind(k.kind) || k.kind == "HorizontalPodAutoscaler" || is_list_kind(k.kind);
}

result rewrite(std::string&& stream, const options& opts) {
  return keeping_input(std::move(stream), static_cast<result (*)(std::string_view, const options&)>(rewrite), opts);
}

result rewrite(std::string_view stream, const options& opts) {
  result r;
  try {
    bool json = false;
    std::vector<scanned_document> docs = read_stream(stream, json);
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < docs.size(); ++i)
      if (must_parse(docs[i].kind)) candidates.push_back(i);
    stream_view view{stream, docs, json};
    std::vector<outcome> results = process_all(view, candidates, opts);
    std::vector<hpa_target> hpas;
    for (std::size_t i = 0, k = 0; i < docs.size(); ++i) {
      if (k == candidates.size() || candidates[k] != i) {
        r.append(docs[i].text);
        continue;
      }
      outcome& o = results[k++];
      for (auto& d : o.diagnostics) {
        // --strict: every warning is an error, whichever part of the core raised it.
        if (d.kind == diagnostic::level::warning && opts.strict) throw failure(exit_code::bad_input, d.text + " (--strict)");
        r.diagnostics.push_back(std::move(d));
      }
      if (o.error) throw *o.error;
      if (o.text) r.append_owned(std::move(*o.text));
      else r.append(docs[i].text);
      for (auto& w : o.workloads) r.plan.workloads.push_back(std::move(w));
      for (auto& h : o.hpas) hpas.push_back(std::move(h));
    }
    // How long the release takes at least, against Helm's timeout.
    complete_plan(r.plan, hpas, opts);
    if (std::string warning = timeout_warning(r.plan); !warning.empty()) {
      if (opts.strict) throw failure(exit_code::bad_input, warning + " (--strict)");
      r.diagnostics.push_back({diagnostic::level::warning, warning});
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
