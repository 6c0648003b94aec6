#include "commands/flux.h"

#include "pace/warnings.h"

#include "base/duration.h"
#include "base/text.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "base/files.h"
#include "kube/kinds.h"
#include "manifest/helm_release.h"
#include "manifest/values.h"
#include "manifest/workload.h"
#include "plan/release_plan.h"
#include "yaml/reader.h"
#include "yaml/splice.h"
#include "yaml/stream.h"
#include "yaml/tree.h"
#include "yaml/write_back.h"

namespace rollout_pace {
namespace {

[[noreturn]] void fail(const std::string& where, const std::string& message) {
  throw failure(exit_code::bad_input, where + ": " + message);
}

// True for a post-renderer entry this tool wrote: a kustomize patch that starts with our marker.
bool is_ours(const YAML::Node& entry) {
  try {
    YAML::Node patches = lookup(lookup(entry, "kustomize").value, "patches").value;
    if (!patches.IsSequence()) return false;
    for (auto it = patches.begin(); it != patches.end(); ++it) {
      std::string patch = scalar_or(lookup(*it, "patch").value, "");
      if (patch.compare(0, flux_marker.size(), flux_marker) == 0) return true;
    }
  } catch (const yaml_error&) {}
  return false;
}

std::size_t mark_offset(const YAML::Node& n, std::size_t base) { return static_cast<std::size_t>(n.Mark().pos) + base; }

// Where the value of key ends in a block map: the line of the next key, else the parent's end;
// comment and blank lines just before that point stay outside.
std::size_t value_end(std::string_view text, const YAML::Node& map, std::string_view key, std::size_t parent_end,
                      std::size_t base) {
  bool after = false;
  std::size_t end = parent_end;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (after) {
      end = line_start(text, mark_offset(it->first, base));
      break;
    }
    after = it->first.IsScalar() && it->first.Scalar() == key;
  }
  while (end > 0) {
    std::size_t s = line_start(text, end - 1);
    if (!is_blank_or_comment(text.substr(s, end - s))) break;
    end = s;
  }
  return end;
}

// Compares two maps key by key, except one key. nullopt when equal.
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

// A HelmRelease and what rollout-pace decides for it.
struct release {
  helm_release hr;
  std::size_t end = 0;             // where the HelmRelease's text ends: the document's body, or the next List item
  std::optional<decision> chosen;  // nullopt: no entry (nothing chosen, or rollout-pace/skip)
  edit_tree pace_edits;            // --set: the annotations or values that say the pace
  std::optional<std::string> timeout_edit;  // --fit-timeout: the new spec.timeout
  std::vector<diagnostic> edit_notes;       // what the values or timeout edit did
  std::vector<std::string> kinds;           // --kinds: the kinds the entry patches
  std::string recorded;                     // the flags that shaped the entry, as its marker records them
  bool had_entry = false;                   // spec.postRenderers holds an entry an earlier run wrote
};

// The flags that shape an entry (the pace, the matrix, the kinds, the values key), as the entry's
// marker line records them: " --profile=Cautious --kinds=Deployment,StatefulSet" ("" for none).
std::string recorded_flags(const options& opts) {
  std::string out;
  auto add = [&](const char* flag, const std::string& value) {
    if (!value.empty()) out += " --" + std::string(flag) + "=" + value;
  };
  if (opts.flags.profile) add("profile", std::string(display_name(*opts.flags.profile)));
  const pace& o = opts.flags.overrides;
  if (o.max_surge) add("max-surge", o.max_surge->text());
  if (o.max_unavailable) add("max-unavailable", o.max_unavailable->text());
  if (o.min_ready_seconds) add("min-ready-seconds", std::to_string(*o.min_ready_seconds));
  add("environment", opts.environment);
  add("change", opts.change);
  std::string kinds;
  for (const std::string& k : opts.kinds) kinds += (kinds.empty() ? "" : ",") + k;
  add("kinds", kinds);
  add("values-key", opts.values_key);
  return out;
}

// The flags an earlier run recorded in the marker line of its entry in the HelmRelease (nullopt:
// no entry of ours).
std::optional<std::string> recorded_in(const YAML::Node& hr) {
  try {
    YAML::Node list = lookup(lookup(hr, "spec").value, "postRenderers").value;
    if (!list.IsSequence()) return std::nullopt;
    for (auto e = list.begin(); e != list.end(); ++e) {
      YAML::Node patches = lookup(lookup(*e, "kustomize").value, "patches").value;
      if (!patches.IsSequence()) continue;
      for (auto it = patches.begin(); it != patches.end(); ++it) {
        std::string patch = scalar_or(lookup(*it, "patch").value, "");
        if (patch.compare(0, flux_marker.size(), flux_marker) != 0) continue;
        std::string line = patch.substr(flux_marker.size(), patch.find('\n') - flux_marker.size());
        return line.substr(0, line.find(": "));
      }
    }
  } catch (const yaml_error&) {}
  return std::nullopt;
}

// Reads recorded flags back into opts, for a run given none of its own.
void apply_recorded(const std::string& recorded, options& opts, const std::string& where) {
  auto bad = [&](const std::string& why) {
    fail(where, "its rollout-pace entry records \"" + recorded + "\", which " + why +
                    "; run rollout-pace flux with the flags you mean");
  };
  for (std::size_t at = 0; at < recorded.size();) {
    std::size_t end = std::min(recorded.find(' ', at + 1), recorded.size());
    std::string word = recorded.substr(at + 1, end - at - 1);
    at = end;
    std::size_t eq = word.find('=');
    if (word.compare(0, 2, "--") != 0 || eq == std::string::npos) bad("is not a list of --flag=value");
    std::string flag = word.substr(2, eq - 2), value = word.substr(eq + 1);
    try {
      if (flag == "profile") {
        opts.flags.profile = parse_profile_name(value);
        if (!opts.flags.profile) bad("names no profile");
      } else if (flag == "max-surge") {
        opts.flags.overrides.max_surge = parse_int_or_percent(value);
      } else if (flag == "max-unavailable") {
        opts.flags.overrides.max_unavailable = parse_int_or_percent(value);
      } else if (flag == "min-ready-seconds") {
        opts.flags.overrides.min_ready_seconds = parse_seconds(value);
      } else if (flag == "environment") {
        opts.environment = value;
      } else if (flag == "change") {
        opts.change = value;
      } else if (flag == "kinds") {
        for (std::size_t k = 0; k <= value.size();) {
          std::size_t comma = std::min(value.find(',', k), value.size());
          std::string kind = value.substr(k, comma - k);
          if (!find_kind(kind)) bad("names a kind rollout-pace does not pace");
          opts.kinds.push_back(kind);
          k = comma + 1;
        }
      } else if (flag == "values-key") {
        opts.values_key = value;
      } else {
        bad("holds --" + flag + ", not a flag that shapes an entry");
      }
    } catch (const std::invalid_argument& e) {  // rule_error and the matrix's
      bad(std::string("does not read: ") + e.what());
    }
  }
  if (!opts.environment.empty()) {
    try {
      opts.matrix.profile = matrix_profile(opts.environment, opts.change);
    } catch (const std::invalid_argument& e) {
      bad(std::string("does not read: ") + e.what());
    }
  }
}

// The pace the layers choose for a HelmRelease: its annotations, the flags, its spec.values, the
// matrix (choose(), as for a workload), checked against the Deployment's rules its patch carries.
void choose_for_release(release& r, std::size_t first_line, const options& opts, std::vector<diagnostic>& diagnostics) {
  const std::string& where = r.hr.where;
  std::vector<std::string> notes;
  choice from_values = values_choice(release_values(r.hr), where + " spec.values", first_line, opts.values_key, &notes);
  for (const std::string& n : notes) diagnostics.push_back({diagnostic::level::note, n});
  try {
    r.chosen = choose({r.hr.annotations.chosen, opts.flags, from_values, opts.matrix});
  } catch (const incomplete_profile& e) {
    fail(where, std::string(e.what()) + " (set " + where_to_set(e, "spec.values.", "") + ")");
  }
  if (!r.chosen) {
    if (opts.report) diagnostics.push_back({diagnostic::level::report, where + ": no profile chosen, no patch"});
    return;
  }
  if (auto v = validate_rolling_update_deployment(r.chosen->max_surge, r.chosen->max_unavailable))
    fail(where, "spec.strategy.rollingUpdate." + v->field + ": " + v->message);
  if (opts.report)
    diagnostics.push_back({diagnostic::level::report,
                           where + ": " + std::string(display_name(r.chosen->profile)) + " from " +
                               std::string(display_name(r.chosen->profile_from)) + ": maxSurge " +
                               r.chosen->max_surge.text() + ", maxUnavailable " + r.chosen->max_unavailable.text() +
                               ", minReadySeconds " + std::to_string(r.chosen->min_ready_seconds)});
}

// How long the release's rollout takes, for spec.values.replicaCount, against helm-controller's
// timeout for upgrades (spec.upgrade.timeout, else spec.timeout, else 5m): a warning, or with
// --fit-timeout the raised spec.timeout.
void fit_timeout(release& r, const options& opts, std::vector<diagnostic>& diagnostics) {
  const std::string& where = r.hr.where;
  std::optional<std::int64_t> replica_count = release_replica_count(r.hr);
  std::int64_t replicas = replica_count.value_or(1);
  release_timeout t = read_timeout(r.hr);
  rollout_plan plan;
  try {
    plan = simulate_rolling_update(replicas, r.chosen->max_surge, r.chosen->max_unavailable,
                                   r.chosen->min_ready_seconds, opts.pod_startup_seconds);
  } catch (const std::invalid_argument& e) {
    fail(where, std::string("spec.values.replicaCount: ") + e.what());
  }
  std::string sentence = summary_sentence(*r.chosen, plan) +
                         (replica_count ? "" : " (spec.values.replicaCount is not set: planned for 1 replica)");
  if (opts.report || opts.set_values) diagnostics.push_back({diagnostic::level::note, where + ": " + sentence});
  if (plan.min_duration_seconds <= floor_seconds(t.ns)) return;
  std::optional<std::int64_t> fits = suggested_timeout(plan.min_duration_seconds);
  std::string fit = fits ? go_duration_seconds(*fits) : "";
  if (opts.fit_timeout && !t.upgrade_set) {
    if (!fits)
      fail(where, "spec.timeout: the rollout takes at least " + human_duration(plan.min_duration_seconds) +
                      ", longer than any duration helm-controller reads (Go's end at 2562047h47m16s); choose a "
                      "faster profile");
    if (!t.spec_editable)
      fail(where, "spec.timeout: comes through a merge key or is written twice; rollout-pace does not edit it");
    r.timeout_edit = fit;
    r.edit_notes.push_back({diagnostic::level::note, where + ": spec.timeout raised from " + go_duration(t.ns) +
                                                         " to " + fit + " to fit a rollout of at least " +
                                                         human_duration(plan.min_duration_seconds)});
    return;
  }
  std::string field = t.upgrade_set ? "spec.upgrade.timeout" : "spec.timeout";
  diagnostics.push_back(warning(
      "timeout",
      where + ": the rollout takes at least " + human_duration(plan.min_duration_seconds) + " for " +
          count_of(replicas, "replica", "replicas") + ", longer than " + t.from + " (" + go_duration(t.ns) +
          "): helm-controller stops waiting and, with remediation, rolls back or retries a rollout that was going "
          "fine; " +
          (fits ? "raise " + field + " to " + fit + (t.upgrade_set ? "" : " (rollout-pace flux --fit-timeout does it)")
                : std::string(no_timeout_fits) + ": choose a faster profile")));
}

void decide_pace(release& r, std::size_t first_line, const options& opts, std::vector<diagnostic>& diagnostics);

// The steps of decide_release().
std::optional<release> decide_release_steps(const YAML::Node& root, const std::string& where, std::size_t first_line,
                                            const options& opts, std::vector<diagnostic>& diagnostics,
                                            const yaml_path& at) {
  std::optional<helm_release> hr = read_helm_release(root, where, diagnostics, at);
  if (!hr) return std::nullopt;
  release r;
  r.hr = std::move(*hr);
  // The inputs that shape the entry: this run's flags, else those its entry recorded (so that the
  // command --check suggests, and --check itself, reproduce it).
  std::optional<std::string> earlier = recorded_in(root);
  r.had_entry = earlier.has_value();
  r.recorded = recorded_flags(opts);
  if (r.recorded.empty() && earlier && !earlier->empty() && !opts.set_values) {
    options recorded_opts = opts;
    apply_recorded(*earlier, recorded_opts, r.hr.where);
    r.recorded = *earlier;
    decide_pace(r, first_line, recorded_opts, diagnostics);
  } else {
    decide_pace(r, first_line, opts, diagnostics);
  }
  return r;
}

// What decide_release_steps() decides once the inputs are known: the entry's kinds, --set's edits,
// the pace and the timeout.
void decide_pace(release& r, std::size_t first_line, const options& opts, std::vector<diagnostic>& diagnostics) {
  r.kinds = opts.kinds;
  if (r.hr.annotations.skip) {
    if (opts.report)
      diagnostics.push_back({diagnostic::level::report, r.hr.where + ": rollout-pace/skip is \"true\", no patch"});
    return;
  }
  if (opts.set_values) {
    set_edits set = set_edits_for(r.hr, *opts.set_values, opts.values_key);
    const choice& own = r.hr.annotations.chosen;
    if (set.into_values && (own.profile || !own.overrides.empty()))
      diagnostics.push_back(warning("annotations-override", r.hr.where +
                                                                ": its rollout-pace/* annotations override "
                                                                "what --set writes into " +
                                                                set.written));
    if (!set.edits.empty()) {
      r.pace_edits = std::move(set.edits);
      r.edit_notes.push_back({diagnostic::level::note, r.hr.where + ": --set wrote the pace into " + set.written +
                                                           (set.into_values ? " (the chart's values for rollout-pace)"
                                                                            : " (rollout-pace flux reads them; the "
                                                                              "chart never sees them)")});
      return;  // the next pass reads what was written
    }
  }
  choose_for_release(r, first_line, opts, diagnostics);
  if (r.chosen) {
    // One patch per kind cannot see a workload's own strategy: it would flip what the post-renderer
    // leaves alone. Never silently (issue 21): a warning, until the chart can be rendered.
    std::vector<std::string> kinds;
    for (const workload_kind& k : workload_kinds())
      if (k.flux_patch && kind_selected(r.kinds, k.kind)) kinds.emplace_back(k.kind);
    std::string patched;
    for (std::size_t i = 0; i < kinds.size(); ++i)
      patched += (i == 0 ? "" : i + 1 == kinds.size() ? " and " : ", ") + kinds[i];
    if (!patched.empty())
      diagnostics.push_back(warning(
          "flux-static-patch",
          r.hr.where + ": its patches set every " + patched +
              " of the release to RollingUpdate: a static patch cannot see a Recreate Deployment or an OnDelete "
              "StatefulSet or DaemonSet (vault), which the post-renderer leaves alone; annotate those "
              "rollout-pace/skip: \"true\", or leave their kind out with --kinds"));
    fit_timeout(r, opts, diagnostics);
  }
}

// Reads one parsed document and decides for it; nullopt when it is not a Flux HelmRelease. The
// warnings accepted by --accept or the HelmRelease's rollout-pace/accept are left out.
// first_line: the line the parsed text starts on, for messages.
std::optional<release> decide_release(const YAML::Node& root, const std::string& where, std::size_t first_line,
                                      const options& opts, std::vector<diagnostic>& diagnostics,
                                      const yaml_path& at = {}) {
  std::vector<diagnostic> mine;
  std::optional<release> r = decide_release_steps(root, where, first_line, opts, mine, at);
  drop_accepted(mine, opts.accept, r ? r->hr.annotations.accept : std::vector<std::string>{});
  for (diagnostic& d : mine) diagnostics.push_back(std::move(d));
  return r;
}

struct text_edit {
  std::size_t begin = 0, end = 0;
  std::string text;
};

// Where our entry goes in the document's text: in place of an earlier one wherever it stands, else
// first in the list; the whole key when the list held only ours and nothing is chosen any more.
// nullopt when nothing is to be done.
std::optional<text_edit> place_entry(const release& r, std::string_view text, const layout& l, std::size_t base,
                                     std::optional<std::size_t>& ours) {
  const YAML::Node& list = r.hr.renderers.value;
  bool has_list = r.hr.renderers.present() && !list.IsNull();
  if (r.hr.renderers.merged || r.hr.renderers.explicit_count > 1)
    fail(r.hr.where,
         "spec.postRenderers: comes through a merge key or is written twice; rollout-pace does not edit it");
  if (has_list && (!list.IsSequence() || list.Style() != YAML::EmitterStyle::Block || list.size() == 0))
    fail(r.hr.where, "spec.postRenderers: rollout-pace edits it only as a block list (\"- kustomize: ...\")");
  if (r.hr.spec.Style() != YAML::EmitterStyle::Block)
    fail(r.hr.where, "spec: rollout-pace edits it only in block style");
  if (has_list) {
    std::size_t k = 0;
    for (auto it = list.begin(); it != list.end(); ++it, ++k)
      if (is_ours(*it)) {
        if (ours) fail(r.hr.where, "spec.postRenderers: holds two entries generated by rollout-pace");
        ours = k;
      }
  }
  if (!r.chosen && !ours) return std::nullopt;
  std::string eol = l.crlf ? "\r\n" : "\n";
  if (!has_list) {
    if (r.hr.renderers.present()) {  // "postRenderers:" with no value: an empty list, filled below its key
      std::size_t key_at = mark_offset(r.hr.renderers.key, base);
      std::size_t start = line_start(text, key_at);
      std::size_t end = line_end(text, key_at);
      std::string_view rest = text.substr(key_at, end - key_at);
      std::size_t colon = rest.find(':');
      if (text.substr(start, key_at - start).find_first_not_of(' ') != std::string_view::npos ||
          colon == std::string_view::npos || !is_blank_or_comment(rest.substr(colon + 1)))
        fail(
            r.hr.where,
            "spec.postRenderers: rollout-pace edits an empty one only when written \"postRenderers:\" on its own line");
      if (end == text.size() && (text.empty() || text.back() != '\n'))
        return text_edit{end, end, eol + flux_entry(*r.chosen, key_at - start + 2, eol, r.kinds, r.recorded)};
      return text_edit{end, end, flux_entry(*r.chosen, key_at - start + 2, eol, r.kinds, r.recorded)};
    }
    std::size_t first = mark_offset(r.hr.spec.begin()->first, base);
    std::size_t start = line_start(text, first);
    if (text.substr(start, first - start).find_first_not_of(' ') != std::string_view::npos)
      fail(r.hr.where, "spec: its first key does not start its line");
    std::size_t indent = first - start;
    return text_edit{start, start,
                     std::string(indent, ' ') + "postRenderers:" + eol +
                         flux_entry(*r.chosen, indent + 2, eol, r.kinds, r.recorded)};
  }
  // Each item's "- " line start, and the list's end.
  std::vector<std::size_t> starts;
  for (auto it = list.begin(); it != list.end(); ++it) starts.push_back(line_start(text, mark_offset(*it, base)));
  std::size_t dash = text.find('-', starts[0]);
  std::size_t indent = dash - starts[0];
  std::size_t spec_end = value_end(text, r.hr.root, "spec", r.end, base);
  std::size_t list_end = value_end(text, r.hr.spec, "postRenderers", spec_end, base);
  std::string entry = r.chosen ? flux_entry(*r.chosen, indent, eol, r.kinds, r.recorded) : "";
  if (!ours) return text_edit{starts[0], starts[0], entry};
  std::size_t b = starts[*ours], e = *ours + 1 < starts.size() ? starts[*ours + 1] : list_end;
  if (!r.chosen && list.size() == 1) b = line_start(text, mark_offset(r.hr.renderers.key, base));  // drop the key too
  return text_edit{b, e, entry};
}

// Everything but spec.postRenderers is the same, and the list is the old one with our entry put
// in place of the old one (or first), or taken out.
std::optional<std::string> check_release(const release& r, const std::string& out, bool first_in_stream,
                                         std::optional<std::size_t> ours, const YAML::Node& document) try {
  YAML::Node again;
  if (auto problem = read_back(out, first_in_stream, again)) return problem;
  if (!r.hr.at.empty()) {
    // A List item: the rest of the List the same, then the item as a HelmRelease of its own.
    std::size_t i = r.hr.at.back().index;
    if (auto d = difference_except(document, again, "items", "")) return d;
    YAML::Node before = lookup(document, "items").value, after = lookup(again, "items").value;
    if (!after.IsSequence() || after.size() != before.size()) return std::string("items");
    for (std::size_t j = 0; j < before.size(); ++j)
      if (auto d = tree_difference(before[j], {}, after[j]); d && j != i)
        return "items[" + std::to_string(j) + "]." + *d;
    YAML::Node item = after[i];
    again.reset(item);
  }
  if (auto d = difference_except(r.hr.root, again, "spec", "")) return d;
  YAML::Node new_spec = lookup(again, "spec").value;
  if (auto d = difference_except(r.hr.spec, new_spec, "postRenderers", "spec")) return d;
  std::vector<YAML::Node> want;
  const YAML::Node& old = r.hr.renderers.value;
  if (old.IsSequence())
    for (auto it = old.begin(); it != old.end(); ++it) want.push_back(*it);
  YAML::Node generated;
  YAML::Node entry_list;
  if (r.chosen) {
    YAML::Node loaded = load_document(flux_entry(*r.chosen, 0, "\n", r.kinds, r.recorded));
    entry_list.reset(loaded);
    generated.reset(entry_list[0]);
  }
  if (ours && r.chosen)
    want[*ours].reset(generated);
  else if (ours)
    want.erase(want.begin() + static_cast<std::ptrdiff_t>(*ours));
  else
    want.insert(want.begin(), generated);
  YAML::Node list = lookup(new_spec, "postRenderers").value;
  std::size_t actual = list.IsSequence() ? list.size() : 0;
  if (want.size() != actual) return "spec.postRenderers has " + std::to_string(actual) + " entries";
  for (std::size_t k = 0; k < want.size(); ++k)
    if (auto diff = tree_difference(want[k], {}, list[k]))
      return "spec.postRenderers[" + std::to_string(k) + "]." + *diff;
  return std::nullopt;
} catch (const yaml_error& e) {  // a merge key the new text reads badly
  return std::string(e.what());
}

}  // namespace

std::string flux_entry(const decision& d, std::size_t indent, std::string_view eol,
                       const std::vector<std::string>& kinds, std::string_view recorded) {
  std::string pad(indent, ' ');
  std::vector<std::string> lines{"- kustomize:", "    patches:"};
  auto value = [](const int_or_percent& v) { return v.percent ? "\"" + v.text() + "\"" : v.text(); };
  for (const workload_kind& k : workload_kinds()) {
    if (!k.flux_patch) continue;  // a static patch cannot tell a canary Rollout from a blue-green one
    if (!kind_selected(kinds, k.kind)) continue;
    // A static patch cannot see a DaemonSet's host ports: it takes the mapping that is safe for them.
    kind_pace p = map_pace(k, d.max_surge, d.max_unavailable, /*host_bound=*/true);
    std::string strategy(k.strategy.front());
    lines.insert(lines.end(), {
                                  "      - target:",
                                  "          kind: " + std::string(k.kind),
                                  "          annotationSelector: \"!helm.sh/hook,rollout-pace/skip!=true\"",
                                  "        patch: |",
                                  "          " + std::string(flux_marker) + std::string(recorded) + ": " +
                                      std::string(display_name(d.profile)) + "; re-run it when the values change",
                                  "          apiVersion: apps/v1",
                                  "          kind: " + std::string(k.kind),
                                  "          metadata:",
                                  "            name: not-used",
                                  "          spec:",
                                  "            minReadySeconds: " + std::to_string(d.min_ready_seconds),
                              });
    if (k.other_type == "Recreate")  // the static patch cannot see the strategy the post-renderer leaves alone
      lines.insert(lines.end() - 6, "          # a " + std::string(k.kind) +
                                        " whose strategy is Recreate becomes RollingUpdate here; annotate it "
                                        "rollout-pace/skip: \"true\" to keep Recreate");
    if (k.has_progress_deadline)
      if (auto raised = raised_progress_deadline(std::nullopt, d.min_ready_seconds))
        lines.push_back("            progressDeadlineSeconds: " + std::to_string(*raised));
    lines.insert(lines.end(), {"            " + strategy + ":", "              type: RollingUpdate",
                               "              rollingUpdate:"});
    if (k.has_surge && p.max_surge) lines.push_back("                maxSurge: " + value(*p.max_surge));
    lines.push_back("                maxUnavailable: " + value(p.max_unavailable));
  }
  std::string out;
  for (const auto& l : lines) out += pad + l + std::string(eol);
  return out;
}

result flux_patch(std::string&& stream, const options& opts) {
  return keeping_input(std::move(stream), static_cast<result (*)(std::string_view, const options&)>(flux_patch), opts);
}

namespace {

// flux --check: one error line per HelmRelease whose document would change, naming it and the fix.
std::size_t report_stale(const std::string& path, std::string_view before, std::string_view after,
                         std::vector<diagnostic>& diagnostics) {
  manifest_stream a = read_stream(before), b = read_stream(after);  // both read already: no failure here
  std::size_t found = 0;
  for (std::size_t i = 0; i < a.docs.size() && i < b.docs.size(); ++i) {
    if (a.docs[i].text == b.docs[i].text) continue;
    std::string name;
    try {
      parsed_document d = parse_document(a, i, "a HelmRelease");
      YAML::Node meta = lookup(d.root, "metadata").value;
      std::string ns = scalar_or(lookup(meta, "namespace").value, ""), n = scalar_or(lookup(meta, "name").value, "");
      name = (ns.empty() ? "" : ns + "/") + n;
    } catch (const std::runtime_error&) {  // failure or yaml_error: the name is only for the message
    }
    std::string what = name.empty() ? "a List of HelmReleases" : "HelmRelease " + name;
    bool had = a.docs[i].text.find(flux_marker) != std::string_view::npos;
    diagnostics.push_back({diagnostic::level::error,
                           path + ": document " + std::to_string(i + 1) + " (" + what +
                               "): its rollout-pace "
                               "entry is " +
                               (had ? "stale (the values or annotations changed since it was written)" : "missing") +
                               "; run: rollout-pace flux " + path});
    ++found;
  }
  return found;
}

// The HelmReleases a parsed document may hold: the document itself, or the items of a List, each
// with its path, its name for messages and where its text ends.
struct candidate {
  YAML::Node node;
  yaml_path at;
  std::string where;
  std::size_t end;
};

std::vector<candidate> candidates_of(const parsed_document& d, std::string_view text) {
  const YAML::Node& root = d.root;
  std::vector<candidate> out;
  YAML::Node items;
  try {
    if (root.IsMap() && is_list_kind(scalar_or(lookup(root, "kind").value, "")))
      items.reset(lookup(root, "items").value);
  } catch (const yaml_error&) {}
  if (!items.IsSequence()) {
    out.push_back({root, {}, d.where, d.shape.body_end});
    return out;
  }
  std::size_t base = d.shape.parse_begin;
  std::size_t list_end = value_end(text, root, "items", d.shape.body_end, base);
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::size_t end = i + 1 < items.size() ? line_start(text, mark_offset(items[i + 1], base)) : list_end;
    out.push_back({items[i], yaml_path{{"items", 0, false}, {"", i, true}},
                   d.where + " at items[" + std::to_string(i) + "]", end});
  }
  return out;
}

// One document that may hold HelmReleases (a List holds several): its new text, or nullopt when it
// stays as it is. Runs again on its own result after each edit: a values (--set) or timeout
// (--fit-timeout) edit first, then the entry; first: the first List item not yet done.
std::optional<std::string> process_document(std::string_view text, bool first_in_stream, bool json, std::size_t index,
                                            std::size_t line, const options& opts, std::vector<diagnostic>& diagnostics,
                                            std::size_t first = 0, int pass = 0) {
  parsed_document d = parse_chunk(text, first_in_stream, json, index, "a HelmRelease", [&] { return line; });
  const layout& l = d.shape;
  std::size_t parse_line = line + std::count(text.begin(), text.begin() + l.parse_begin, '\n');
  std::vector<candidate> candidates = candidates_of(d, text);
  for (std::size_t c = first; c < candidates.size(); ++c) {
    std::vector<diagnostic> found;
    std::optional<release> rel =
        decide_release(candidates[c].node, candidates[c].where, parse_line, opts, found, candidates[c].at);
    if (!rel) continue;
    rel->end = candidates[c].end;
    auto refuse_unsafe = [&] {
      if (json) fail(rel->hr.where, "rollout-pace flux edits HelmReleases written in YAML, not JSON");
      if (!l.problem.empty()) fail(rel->hr.where, l.problem + "; Kubernetes would not read this document as written");
    };
    if (pass < 2 && (!rel->pace_edits.empty() || rel->timeout_edit)) {
      refuse_unsafe();
      // First the values or the timeout, then (on the result) our entry, which reads them.
      edit_tree edits = rel->pace_edits;
      if (rel->timeout_edit) edits.set(rel->hr.at / "spec" / "timeout", *rel->timeout_edit, false);
      written_document w = write_back(text, d, json, edits, nullptr, /*allow_reemit=*/false);
      if (!w.spliceable)
        fail(rel->hr.where,
             "cannot edit spec in place (flow style or a multi-line value on the path); edit it by hand");
      if (!w.problem.empty()) fail(rel->hr.where, "cannot edit this document faithfully: " + w.problem);
      for (auto& n : rel->edit_notes) diagnostics.push_back(std::move(n));
      auto again = process_document(w.text, first_in_stream, json, index, line, opts, diagnostics, c, pass + 1);
      return again ? again : std::optional<std::string>(w.text);
    }
    for (auto& f : found) diagnostics.push_back(std::move(f));
    std::optional<std::size_t> ours;
    std::optional<text_edit> edit = place_entry(*rel, text, l, l.parse_begin, ours);
    if (!edit || text.substr(edit->begin, edit->end - edit->begin) == edit->text) {
      pass = 0;
      continue;
    }
    refuse_unsafe();
    if (rel->had_entry && !rel->chosen) {  // never silently: the release loses its pace
      diagnostic removed = warning("flux-entry-removed",
                                   rel->hr.where + ": its rollout-pace entry is removed: " +
                                       (rel->hr.annotations.skip ? "rollout-pace/skip is \"true\""
                                                                 : "no profile is chosen for it (no flag, annotation, "
                                                                   "values or recorded input)"));
      if (!accepted(removed, opts.accept, rel->hr.annotations.accept)) diagnostics.push_back(std::move(removed));
    }
    std::string out = std::string(text.substr(0, edit->begin)) + edit->text + std::string(text.substr(edit->end));
    if (auto problem = check_release(*rel, out, first_in_stream, ours, d.root))
      fail(rel->hr.where, "cannot edit this document faithfully: " + *problem);
    if (c + 1 == candidates.size()) return out;
    auto again = process_document(out, first_in_stream, json, index, line, opts, diagnostics, c + 1, 0);
    return again ? again : std::optional<std::string>(out);
  }
  return std::nullopt;
}

}  // namespace

result flux_patch(std::string_view stream, const options& opts) {
  result r;
  try {
    manifest_stream s = read_stream(stream);
    line_counter lines(stream);
    for (std::size_t i = 0; i < s.docs.size(); ++i) {
      const scanned_document& doc = s.docs[i];
      if (doc.kind.certain && doc.kind.kind != "HelmRelease" && !is_list_kind(doc.kind.kind)) {
        r.append(doc.text);
        continue;
      }
      std::vector<diagnostic> diagnostics;
      std::optional<std::string> out =
          process_document(doc.text, doc.offset == 0, s.json, i + 1, lines.line_of(doc.offset), opts, diagnostics);
      for (auto& d : diagnostics) {
        if (d.kind == diagnostic::level::warning && opts.strict) throw strict_failure(d);
        r.diagnostics.push_back(std::move(d));
      }
      if (out)
        r.append_owned(std::move(*out));
      else
        r.append(doc.text);
    }
  } catch (const failure& f) {
    r.code = f.code();
    r.clear_output();
    r.diagnostics.push_back(f.as_error());
  } catch (const std::exception& e) {  // never let one escape the core; tests hold that this never happens
    r.code = exit_code::bad_input;
    r.clear_output();
    r.diagnostics.push_back({diagnostic::level::error, std::string("unexpected failure: ") + e.what()});
  }
  return r;
}

result flux_files(const std::vector<std::string>& paths, const options& opts) {
  result all;
  std::size_t stale = 0;
  try {
    std::vector<std::pair<std::string, std::string>> changed;  // write target, new text
    std::vector<std::string> targets;
    std::vector<std::string> chart_templates;
    std::vector<input_file> files = yaml_files(paths, &chart_templates);
    for (const std::string& dir : chart_templates)
      all.diagnostics.push_back({diagnostic::level::note, dir + ": a Helm chart's templates (beside its Chart.yaml) "
                                                                "are not YAML until rendered; left alone"});
    for (const input_file& file : files) {
      if (file.outside) {  // a repository cannot make flux edit a file outside the folder it was given
        all.diagnostics.push_back({diagnostic::level::note, file.path +
                                                                ": a symbolic link to a file outside the folder "
                                                                "given; left alone (name it to edit it)"});
        continue;
      }
      std::string target = write_target(file.path);
      if (std::find(targets.begin(), targets.end(), target) != targets.end()) continue;  // two links, one file
      targets.push_back(target);
      std::string text = read_file(file.path);
      result r = flux_patch(std::string_view(text), opts);
      if (r.code != exit_code::ok && file.walked && text.find("HelmRelease") == std::string::npos) {
        all.diagnostics.push_back(
            {diagnostic::level::note, file.path + ": left alone: " + r.diagnostics.back().located()});
        continue;
      }
      for (auto& d : r.diagnostics) all.diagnostics.push_back({d.kind, file.path + ": " + d.located(), d.id});
      if (r.code != exit_code::ok) {
        all.code = r.code;
        return all;
      }
      std::string out = r.output();
      if (out == text) continue;
      if (opts.check) {
        stale += report_stale(file.path, text, out, all.diagnostics);
        continue;
      }
      changed.emplace_back(file.path, std::move(out));
    }
    if (opts.check) {
      if (stale > 0)
        all.code = exit_code::bad_input;
      else
        all.diagnostics.push_back({diagnostic::level::note, "every HelmRelease's rollout-pace entry is current"});
      return all;
    }
    for (const auto& [file, text] : changed) {  // refuse before writing any, so that all or nothing holds
      struct stat st;
      if (::stat(write_target(file).c_str(), &st) == 0 && (st.st_mode & 0222) == 0)
        throw failure(exit_code::bad_input, file +
                                                ": is read-only; rollout-pace leaves it as it is (make it "
                                                "writable to let it edit)");
    }
    for (const auto& [file, text] : changed) {
      replace_file(file, text);
      all.diagnostics.push_back({diagnostic::level::note, file + ": spec.postRenderers updated"});
    }
  } catch (const failure& f) {
    all.code = f.code();
    all.diagnostics.push_back(f.as_error());
  }
  return all;
}

}  // namespace rollout_pace
