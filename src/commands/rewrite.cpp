#include "commands/rewrite.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include "manifest/change.h"
#include "manifest/disruption_budget.h"
#include "manifest/hpa.h"
#include "manifest/workload.h"
#include "pace/decision.h"
#include "pace/warnings.h"
#include "plan/release_plan.h"
#include "yaml/compare.h"
#include "yaml/reader.h"
#include "yaml/stream.h"
#include "yaml/write_back.h"

namespace rollout_pace {
namespace {

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
  // When the document changed: the rewritten text between the bytes it shares with the original at
  // its start and at its end (kept_before, kept_after), which the output takes from the input.
  std::optional<std::string> text;
  std::size_t kept_before = 0, kept_after = 0;
  std::vector<diagnostic> diagnostics;
  std::unique_ptr<failure> error;  // out of line: a failure is large, and an outcome is kept per document
  std::vector<planned_workload> workloads;
  std::vector<hpa_target> hpas;
  std::vector<disruption_budget> budgets;
  bool needs_yaml = false;  // read by read_lite(), but only yaml-cpp's tree can write it back
  std::vector<std::pair<workload_target, std::string>> templates;  // a Rollout's workloadRef, and the Rollout
};

// Workloads whose pod template a Rollout of the stream runs, and which Rollout: found in a first
// pass, they are decided again as left alone.
using template_owners = std::vector<std::pair<workload_target, std::string>>;

// Decides every workload of a parsed document and collects the edits that apply the decisions.
void decide_document(const parsed_document& d, std::string_view chunk, const options& opts, edit_tree& edits,
                     node_set& shared, outcome& out, const template_owners& owners) {
  bool shared_known = d.lite != nullptr;  // read_lite() reads no anchors: nothing is shared
  for (const workload& w : find_workloads(d.tree(), d.index, d.source)) {
    workload_facts facts = read_facts(w);
    if (facts.runs_template_of)
      out.templates.emplace_back(*facts.runs_template_of, std::string(w.ref.kind->kind) + " " + w.ref.qualified_name());
    for (const auto& [target, owner] : owners)
      if (target == workload_target{std::string(w.ref.kind->kind), w.ref.ns, w.ref.name}) facts.template_for = owner;
    if (opts.previous)
      facts.changed = opts.previous->classify(std::string(w.ref.kind->kind), w.ref.ns, w.ref.name, *w.node.yaml());
    workload_decision decided = decide_workload(facts, opts);
    if (decided.pace) {  // an edit that cannot be made is the error to report, before any warning
      if (!shared_known) {
        shared = shared_nodes(d.root, chunk);
        shared_known = true;
      }
      add_edits(w, decided, shared, edits);
    }
    for (auto& diag : decided.diagnostics) out.diagnostics.push_back(std::move(diag));
    decided.diagnostics.clear();
    if (opts.report) out.diagnostics.push_back(report(w.ref, decided));
    out.workloads.emplace_back(w.ref, std::move(decided));
  }
}

// fast: read the document with read_lite() where it can (not with --previous, whose comparison
// reads yaml-cpp trees).
outcome process(const manifest_stream& stream, std::size_t i, const options& opts, bool fast,
                const template_owners& owners) {
  outcome out;
  const scanned_document& doc = stream.docs[i];
  try {
    std::string holds = doc.kind.certain && find_kind(doc.kind.kind) ? "a " + doc.kind.kind : "a workload";
    parsed_document d = parse_document(stream, i, holds, fast && !opts.previous);
    node_view root = d.tree();
    if (!root.is_map() && doc.kind.certain && find_kind(doc.kind.kind))
      throw failure(exit_code::bad_input, d.where + ": reads like a " + doc.kind.kind +
                                              " but does not parse as a map; "
                                              "refusing to pass it on unpaced");
    if (!doc.kind.certain || doc.kind.kind == "HorizontalPodAutoscaler" || doc.kind.kind == "ScaledObject" ||
        is_list_kind(doc.kind.kind))
      for (hpa_target& h : read_hpas(root)) out.hpas.push_back(std::move(h));
    if (!doc.kind.certain || doc.kind.kind == "PodDisruptionBudget" || is_list_kind(doc.kind.kind))
      for (disruption_budget& b : read_budgets(root)) {
        b.about.document = i + 1;
        b.about.kind = "PodDisruptionBudget";
        b.about.ns = b.ns;
        b.about.name = b.name;
        b.about.source = d.source;
        out.budgets.push_back(std::move(b));
      }
    edit_tree edits;
    node_set shared;
    decide_document(d, doc.text, opts, edits, shared, out, owners);
    if (edits.empty()) return out;
    if (!stream.json) {
      // A directive belongs to the document after it, but sits in the chunk before its "---".
      layout& l = d.shape;
      if (l.problem.empty() && i > 0 && ends_with_directive(stream.docs[i - 1].text))
        l.problem = "a YAML directive before it";
      if (!l.problem.empty()) {
        std::size_t line = position_of(stream.text, doc.offset).line + l.problem_line;
        throw failure(exit_code::bad_input, d.where + ", line " + std::to_string(line) + ": " + l.problem +
                                                "; Kubernetes would not read this document as written, so "
                                                "rollout-pace will not rewrite it");
      }
    }
    written_document w = write_back(doc.text, d, stream.json, edits, &shared, /*allow_reemit=*/true);
    if (w.needs_yaml) {
      out.needs_yaml = true;
      return out;
    }
    if (!w.problem.empty())
      throw failure(exit_code::bad_input, d.where + ": cannot rewrite this " +
                                              (stream.json ? "JSON object" : "document") + " faithfully: " + w.problem);
    if (w.reemitted)
      out.diagnostics.push_back({diagnostic::level::note,
                                 d.where + ": its layout (flow style or multi-line values) cannot be edited in place, "
                                           "so the document was re-emitted; comments inside it are not kept"});
    // Keep only what differs from the input (the edits, a few lines), not a copy of the document.
    std::string_view was = doc.text;
    const std::string& now = w.text;
    std::size_t common = std::min(was.size(), now.size()), before = 0, after = 0;
    while (before < common && was[before] == now[before]) ++before;
    while (after < common - before && was[was.size() - 1 - after] == now[now.size() - 1 - after]) ++after;
    out.kept_before = before;
    out.kept_after = after;
    out.text = now.substr(before, now.size() - before - after);
  } catch (const failure& f) {
    out.error = std::make_unique<failure>(f);
  } catch (const std::exception& e) {  // never let one escape the core; tests hold that this never happens
    out.error = std::make_unique<failure>(exit_code::bad_input,
                                          "document " + std::to_string(i + 1) + ": unexpected failure: " + e.what());
  }
  return out;
}

// One document: read with read_lite() where it can; a document that only yaml-cpp's tree can write
// back, or that fails (for the error message yaml-cpp's reading gives), is read again by yaml-cpp.
outcome process(const manifest_stream& stream, std::size_t i, const options& opts, const template_owners& owners = {}) {
  if (opts.fast_reader) {
    outcome o = process(stream, i, opts, true, owners);
    if (!o.needs_yaml && !o.error) return o;
  }
  return process(stream, i, opts, false, owners);
}

// Parsing is the cost (yaml-cpp reads 2-6 MB/s), so documents are parsed on all cores when there
// is enough of them; results are put together in document order, as one thread would. With consume,
// the calling thread hands each result to it in document order as soon as it and all before it are
// done, and then frees it (an outcome is kept only until it is in the result, not for the whole
// stream); consume returns false to take no more (an error). Without, every result is kept.
std::vector<outcome> process_all(const manifest_stream& stream, const std::vector<std::size_t>& candidates,
                                 const options& opts, const std::function<bool(outcome&)>& consume = nullptr) {
  // One slot a candidate, filled by whichever thread processed it: a pointer, so that a slot taken
  // costs nothing once its outcome is freed.
  std::vector<std::unique_ptr<outcome>> slots(candidates.size());
  std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[candidates.size()]());
  std::size_t consumed = 0;
  bool taking = static_cast<bool>(consume);
  std::exception_ptr thrown;  // raised again once the other threads are joined
  auto drain = [&] {          // the calling thread only
    while (taking && consumed < candidates.size() && done[consumed].load(std::memory_order_acquire)) {
      try {
        taking = consume(*slots[consumed]);
      } catch (...) {
        thrown = std::current_exception();
        taking = false;
      }
      slots[consumed++].reset();
    }
  };
  std::size_t bytes = 0;
  for (std::size_t i : candidates) bytes += stream.docs[i].text.size();
  unsigned threads =
      opts.threads ? opts.threads : std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()), 8);
  if (bytes < (256u << 10) || candidates.size() < 16) threads = 1;
  std::atomic<std::size_t> next{0};
  auto work = [&](bool calling) {
    for (std::size_t k; (k = next.fetch_add(1)) < candidates.size();) {
      slots[k] = std::make_unique<outcome>(process(stream, candidates[k], opts));
      done[k].store(true, std::memory_order_release);
      if (calling) drain();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, false);
  work(true);
  for (auto& t : pool) t.join();
  drain();
  if (thrown) std::rethrow_exception(thrown);
  std::vector<outcome> results;
  if (consume) return results;
  results.reserve(slots.size());
  for (auto& o : slots) {
    results.push_back(std::move(*o));
    o.reset();
  }
  return results;
}

// A workload whose pod template a Rollout runs (workloadRef) is left alone: the documents that hold
// one are decided again, knowing which Rollout runs it (rare: most streams skip this at no cost).
void redecide_templates(const manifest_stream& stream, const std::vector<std::size_t>& candidates, const options& opts,
                        std::vector<outcome>& results) {
  template_owners owners;
  for (const outcome& o : results) owners.insert(owners.end(), o.templates.begin(), o.templates.end());
  if (owners.empty()) return;
  for (std::size_t k = 0; k < results.size(); ++k) {
    bool affected = false;
    for (const planned_workload& w : results[k].workloads)
      for (const auto& [target, owner] : owners)
        affected = affected || target == workload_target{w.kind_name(), w.ref.ns, w.ref.name};
    if (affected) results[k] = process(stream, candidates[k], opts, owners);
  }
}

// The candidates' outcomes into r in document order, with the documents between them; each
// diagnostic through add. Only a Rollout (workloadRef) makes other documents be decided again, once
// every document is read: when no candidate can hold one, each outcome goes into r as soon as it is
// ready and is freed (the stream's outcomes are never all held beside the plan). Throws the first
// document's failure.
template <typename Add>
void assemble(const manifest_stream& view, const std::vector<std::size_t>& candidates, const options& opts, result& r,
              std::vector<hpa_target>& hpas, Add& add) {
  const std::vector<scanned_document>& docs = view.docs;
  bool may_hold_template = false;
  for (std::size_t i : candidates) {
    const kind_reading& k = docs[i].kind;
    const workload_kind* wk = k.certain ? find_kind(k.kind) : nullptr;
    may_hold_template = may_hold_template || !k.certain || is_list_kind(k.kind) || (wk && !wk->template_ref.empty());
  }
  std::unique_ptr<failure> stopped;
  std::size_t next_doc = 0, k = 0;
  auto take = [&](outcome& o) {  // the next candidate's outcome, in document order
    std::size_t i = candidates[k++];
    for (; next_doc < i; ++next_doc) r.append(docs[next_doc].text);
    ++next_doc;
    for (auto& d : o.diagnostics) add(std::move(d));
    if (o.error) {
      stopped = std::move(o.error);
      return false;
    }
    if (o.text) {
      std::string_view was = docs[i].text;
      r.append(was.substr(0, o.kept_before));
      r.append_owned(std::move(*o.text));
      r.append(was.substr(was.size() - o.kept_after));
    } else {
      r.append(docs[i].text);
    }
    for (auto& w : o.workloads) r.plan.workloads.push_back(std::move(w));
    for (auto& h : o.hpas) hpas.push_back(std::move(h));
    for (auto& b : o.budgets) r.plan.budgets.push_back(std::move(b));
    return true;
  };
  if (!may_hold_template) {
    // At most one workload a candidate: one allocation for the plan's workloads, touched as filled.
    r.plan.workloads.reserve(candidates.size());
    process_all(view, candidates, opts, take);
  } else {
    std::vector<outcome> results = process_all(view, candidates, opts);
    redecide_templates(view, candidates, opts, results);
    // One allocation for the plan's workloads: growing it would hold two copies at its peak.
    std::size_t planned = 0;
    for (const outcome& o : results) planned += o.workloads.size();
    r.plan.workloads.reserve(planned);
    for (outcome& o : results) {
      if (!take(o)) break;
      o = outcome{};
    }
  }
  if (stopped) throw failure(*stopped);
  for (; next_doc < docs.size(); ++next_doc) r.append(docs[next_doc].text);
}

}  // namespace

bool must_parse(const kind_reading& k) {
  if (!k.certain) return true;
  return find_kind(k.kind) || k.kind == "HorizontalPodAutoscaler" || k.kind == "ScaledObject" ||
         k.kind == "PodDisruptionBudget" || is_list_kind(k.kind);
}

result rewrite(std::string&& stream, const options& opts) {
  return keeping_input(std::move(stream), static_cast<result (*)(std::string_view, const options&)>(rewrite), opts);
}

result rewrite(std::string_view stream, const options& opts) {
  result r;
  // --strict: every warning not accepted is an error, whichever part of the core raised it; all of
  // them are said (users fix them in one run), then the stream fails.
  // They come last, before an error that stops the stream.
  std::vector<diagnostic> strict_errors;
  auto add = [&](diagnostic&& d) {
    if (d.kind == diagnostic::level::warning && opts.strict)
      strict_errors.push_back(strict_failure(d).as_error());
    else
      r.diagnostics.push_back(std::move(d));
  };
  auto add_strict_errors = [&] {
    for (diagnostic& d : strict_errors) r.diagnostics.push_back(std::move(d));
    strict_errors.clear();
  };
  try {
    manifest_stream view = read_stream(stream);
    if (opts.previous && !opts.previous->holds_workloads()) {
      // helm get manifest of a mistyped release, or of another chart's: every workload would look new.
      diagnostic d =
          warning(warning_id::previous_empty, "--previous " + opts.previous->name() +
                                                  ": holds no workload, so every workload counts as new (is it the "
                                                  "manifest of this release? helm get manifest RELEASE)");
      if (!accepted(d, opts.accept, {})) add(std::move(d));
    }
    const std::vector<scanned_document>& docs = view.docs;
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < docs.size(); ++i)
      if (must_parse(docs[i].kind)) candidates.push_back(i);
    std::vector<hpa_target> hpas;
    assemble(view, candidates, opts, r, hpas, add);
    // How long the release takes at least, against Helm's timeout.
    complete_plan(r.plan, hpas, opts);
    std::vector<diagnostic> warnings = release_warnings(r.plan);
    drop_accepted(warnings, opts.accept, {});
    for (diagnostic& d : warnings) add(std::move(d));
    if (std::string note = nothing_chosen_note(r.plan); !note.empty())
      r.diagnostics.push_back({diagnostic::level::note, note});
    if (!strict_errors.empty()) {
      add_strict_errors();
      r.code = exit_code::bad_input;
      r.clear_output();
      r.strict_failed = true;
    }
  } catch (const failure& f) {
    add_strict_errors();
    r.code = f.code();
    r.clear_output();
    r.diagnostics.push_back(f.as_error());
  } catch (const std::exception& e) {  // std: never let one escape the core
    add_strict_errors();
    r.code = exit_code::bad_input;
    r.clear_output();
    r.diagnostics.push_back({diagnostic::level::error, std::string("unexpected failure: ") + e.what()});
  }
  return r;
}

}  // namespace rollout_pace
