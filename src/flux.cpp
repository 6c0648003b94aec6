#include "rollout_pace/flux.h"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <vector>

#include "rollout_pace/stream.h"
#include "rollout_pace/values.h"
#include "rollout_pace/yaml_tree.h"

namespace rollout_pace {
namespace {

constexpr std::string_view flux_group = "helm.toolkit.fluxcd.io/";

[[noreturn]] void fail(const std::string& where, const std::string& message) {
  throw failure(exit_code::bad_input, where + ": " + message);
}

YAML::Node unique(const std::string& where, const YAML::Node& map, std::string_view key, const std::string& path) {
  try {
    return child(map, key);
  } catch (const duplicate_key&) {
    fail(where, (path.empty() ? "" : path + ": ") + "duplicate key \"" + std::string(key) + "\"");
  }
}

// True for a post-renderer entry this tool wrote.
bool is_ours(const YAML::Node& entry) {
  YAML::Node patches = child(child(entry, "kustomize"), "patches");
  if (!patches.IsSequence()) return false;
  for (auto it = patches.begin(); it != patches.end(); ++it) {
    std::string patch = scalar_or(child(*it, "patch"), "");
    if (patch.compare(0, flux_marker.size(), flux_marker) == 0) return true;
  }
  return false;
}

// The annotations layer of a HelmRelease: the same rollout-pace/* keys as on a workload.
choice annotation_choice(const std::string& where, const YAML::Node& annotations) {
  choice c;
  if (!annotations.IsMap()) return c;
  auto value = [&](const char* key) -> std::optional<std::string> {
    YAML::Node v = unique(where, annotations, key, "metadata.annotations");
    if (!v.IsDefined()) return std::nullopt;
    if (!v.IsScalar()) fail(where, std::string("metadata.annotations.") + key + ": must be a string");
    return v.Scalar();
  };
  try {
    if (auto p = value("rollout-pace/profile")) {
      c.profile = parse_profile_name(*p);
      if (!c.profile)
        fail(where, "metadata.annotations.rollout-pace/profile: \"" + *p + "\" is not a profile (" +
                        std::string(profile_names_list()) + ")");
    }
    if (auto v = value("rollout-pace/max-surge")) c.overrides.max_surge = parse_int_or_percent(*v);
    if (auto v = value("rollout-pace/max-unavailable")) c.overrides.max_unavailable = parse_int_or_percent(*v);
    if (auto v = value("rollout-pace/min-ready-seconds")) c.overrides.min_ready_seconds = parse_seconds(*v);
  } catch (const rule_error& e) {
    fail(where, std::string("metadata.annotations: ") + e.what());
  }
  return c;
}

std::size_t mark_offset(const YAML::Node& n, std::size_t bom) { return static_cast<std::size_t>(n.Mark().pos) + bom; }

// Where the value of key ends in a block map: the line of the next key, else the parent's end;
// comment and blank lines just before that point stay outside.
std::size_t value_end(std::string_view text, const YAML::Node& map, std::string_view key, std::size_t parent_end,
                      std::size_t bom) {
  bool after = false;
  std::size_t end = parent_end;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (after) { end = line_start(text, mark_offset(it->first, bom)); break; }
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
    YAML::Node other = child(b, it->first.Scalar());
    if (!other.IsDefined()) return where + "." + it->first.Scalar();
    if (auto d = tree_difference(it->second, {}, other)) return where + "." + it->first.Scalar() + "." + *d;
  }
  for (auto it = b.begin(); it != b.end(); ++it)
    if (!(it->first.IsScalar() && it->first.Scalar() == skip)) ++nb;
  if (na != nb) return where;
  return std::nullopt;
}

struct release_edit {
  std::size_t begin, end;
  std::string text;
};

}  // namespace

std::string flux_entry(const decision& d, std::size_t indent, std::string_view eol) {
  std::string pad(indent, ' ');
  std::vector<std::string> lines{
      "- kustomize:",
      "    patches:",
      "      - target:",
      "          kind: Deployment",
      "          annotationSelector: \"!helm.sh/hook,rollout-pace/skip!=true\"",
      "        patch: |",
      "          " + std::string(flux_marker) + ": " + std::string(display_name(d.profile)) +
          "; re-run it when the values change",
      "          apiVersion: apps/v1",
      "          kind: Deployment",
      "          metadata:",
      "            name: not-used",
      "          spec:",
      "            minReadySeconds: " + std::to_string(d.min_ready_seconds),
  };
  if (auto raised = raised_progress_deadline(std::nullopt, d.min_ready_seconds))
    lines.push_back("            progressDeadlineSeconds: " + std::to_string(*raised));
  auto value = [](const int_or_percent& v) { return v.percent ? "\"" + v.text() + "\"" : v.text(); };
  lines.insert(lines.end(), {
      "            strategy:",
      "              type: RollingUpdate",
      "              rollingUpdate:",
      "                maxSurge: " + value(d.max_surge),
      "                maxUnavailable: " + value(d.max_unavailable),
  });
  std::string out;
  for (const auto& l : lines) out += pad + l + std::string(eol);
  return out;
}

result flux_patch(std::string&& stream, const options& opts) {
  return keeping_input(std::move(stream), static_cast<result (*)(std::string_view, const options&)>(flux_patch), opts);
}

result flux_patch(std::string_view stream, const options& opts) {
  result r;
  try {
    if (stream.size() > max_input_bytes)
      throw failure(exit_code::bad_input, "input is larger than 256 MiB; refusing to process it");
    check_text(stream);
    std::vector<document> docs = split_documents(stream);
    std::size_t line = 1, counted = 0;
    for (std::size_t i = 0; i < docs.size(); ++i) {
      const document& doc = docs[i];
      if (!may_hold_kind(doc.text, "HelmRelease")) { r.append(doc.text); continue; }
      if (doc.text.size() > max_parsed_document_bytes)
        fail("document " + std::to_string(i + 1), "may hold a HelmRelease but is over the 16 MiB rollout-pace parses");
      line += std::count(stream.begin() + counted, stream.begin() + doc.offset, '\n');
      counted = doc.offset;
      layout l = describe(doc.text, doc.offset == 0);
      std::string where = "document " + std::to_string(i + 1);
      YAML::Node root;
      try {
        YAML::Node loaded = YAML::Load(std::string(doc.text));  // not LoadAll: see rewrite.cpp
        root.reset(loaded);
      } catch (const YAML::Exception& e) {
        fail(where + ", line " + std::to_string(line + e.mark.line) + ", column " + std::to_string(e.mark.column + 1),
             "malformed YAML: " + e.msg);
      }
      if (!root.IsMap() || !l.problem.empty()) { r.append(doc.text); continue; }
      std::string api = scalar_or(unique(where, root, "apiVersion", ""), "");
      if (scalar_or(unique(where, root, "kind", ""), "") != "HelmRelease" ||
          api.compare(0, flux_group.size(), flux_group) != 0) {
        r.append(doc.text);
        continue;
      }
      YAML::Node meta = unique(where, root, "metadata", "");
      std::string name = scalar_or(child(meta, "name"), ""), ns = scalar_or(child(meta, "namespace"), "");
      where += " (HelmRelease " + (ns.empty() ? "" : ns + "/") + name + ")";
      if (api != "helm.toolkit.fluxcd.io/v2")
        r.diagnostics.push_back({diagnostic::level::warning,
                                 where + ": " + api + " is no longer served by current Flux (helm-controller v1.5 "
                                 "serves only v2); run flux migrate"});
      YAML::Node spec = unique(where, root, "spec", "");
      if (!spec.IsMap()) fail(where, "spec: must be a map");
      YAML::Node values = unique(where, spec, "values", "spec");
      choice from_values = values_choice(values, where + " spec.values", line);
      choice from_annotations =
          annotation_choice(where, meta.IsMap() ? unique(where, meta, "annotations", "metadata") : YAML::Node());
      std::optional<decision> d;
      try {
        d = decide({from_annotations, opts.flags, from_values, opts.matrix});
      } catch (const incomplete_profile& e) {
        fail(where, std::string(e.what()) + " (set customStrategy in spec.values or a rollout-pace/* annotation)");
      }
      if (d) {
        if (auto v = validate_rolling_update_deployment(d->max_surge, d->max_unavailable))
          fail(where, "spec.strategy.rollingUpdate." + v->field + ": " + v->message);
        if (opts.report)
          r.diagnostics.push_back({diagnostic::level::report,
                                   where + ": " + std::string(display_name(d->profile)) + " from " +
                                       std::string(display_name(d->profile_from)) + ": maxSurge " +
                                       d->max_surge.text() + ", maxUnavailable " + d->max_unavailable.text() +
                                       ", minReadySeconds " + std::to_string(d->min_ready_seconds)});
      }

      // Find our entry and where things are.
      YAML::Node renderers = unique(where, spec, "postRenderers", "spec");
      bool has_list = renderers.IsDefined() && !renderers.IsNull();
      if (has_list && (!renderers.IsSequence() || renderers.Style() != YAML::EmitterStyle::Block ||
                       renderers.size() == 0))
        fail(where, "spec.postRenderers: rollout-pace edits it only as a block list (\"- kustomize: ...\")");
      if (spec.Style() != YAML::EmitterStyle::Block) fail(where, "spec: rollout-pace edits it only in block style");
      std::optional<std::size_t> ours;
      if (has_list) {
        std::size_t k = 0;
        for (auto it = renderers.begin(); it != renderers.end(); ++it, ++k)
          if (is_ours(*it)) {
            if (ours) fail(where, "spec.postRenderers: holds two entries generated by rollout-pace");
            ours = k;
          }
      }
      if (!d && !ours) { r.append(doc.text); continue; }
      std::string_view text = doc.text;
      std::string eol = l.crlf ? "\r\n" : "\n";
      release_edit edit{0, 0, ""};
      if (!has_list) {  // a new key above spec's first key
        std::size_t first = mark_offset(spec.begin()->first, l.bom);
        std::size_t start = line_start(text, first);
        if (text.substr(start, first - start).find_first_not_of(' ') != std::string_view::npos)
          fail(where, "spec: its first key does not start its line");
        std::size_t indent = first - start;
        edit = {start, start, std::string(indent, ' ') + "postRenderers:" + eol + flux_entry(*d, indent + 2, eol)};
      } else {
        // Each item's "- " line start, and the list's end.
        std::vector<std::size_t> starts;
        for (auto it = renderers.begin(); it != renderers.end(); ++it)
          starts.push_back(line_start(text, mark_offset(*it, l.bom)));
        std::size_t dash = text.find('-', starts[0]);
        std::size_t indent = dash - starts[0];
        std::size_t spec_end = value_end(text, root, "spec", l.body_end, l.bom);
        std::size_t list_end = value_end(text, spec, "postRenderers", spec_end, l.bom);
        std::string entry = d ? flux_entry(*d, indent, eol) : "";
        if (ours) {
          std::size_t b = starts[*ours], e = *ours + 1 < starts.size() ? starts[*ours + 1] : list_end;
          if (!d && renderers.size() == 1) {  // the list held only ours: drop the key too
            for (auto it = spec.begin(); it != spec.end(); ++it)
              if (it->first.IsScalar() && it->first.Scalar() == "postRenderers") b = line_start(text, mark_offset(it->first, l.bom));
          }
          edit = {b, e, entry};
        } else {
          edit = {starts[0], starts[0], entry};
        }
      }
      if (text.substr(edit.begin, edit.end - edit.begin) == edit.text) { r.append(doc.text); continue; }
      std::string out = std::string(text.substr(0, edit.begin)) + edit.text + std::string(text.substr(edit.end));

      // Check: everything but spec.postRenderers is the same, and the list is ours + the others.
      YAML::Node reparsed;
      try {
        YAML::Node loaded = YAML::Load(out);
        reparsed.reset(loaded);
      } catch (const YAML::Exception& e) {
        fail(where, "cannot edit this document faithfully: it no longer parses (" + e.msg + ")");
      }
      std::optional<std::string> problem;
      if (split_documents(out).size() != 1 || !describe(out, doc.offset == 0).problem.empty())
        problem = "it no longer holds exactly one document";
      if (!problem) problem = difference_except(root, reparsed, "spec", "");
      YAML::Node new_spec = child(reparsed, "spec");
      if (!problem) problem = difference_except(spec, new_spec, "postRenderers", "spec");
      if (!problem) {
        const YAML::Node list = child(new_spec, "postRenderers");
        std::vector<YAML::Node> want;
        const YAML::Node generated = d ? YAML::Load(flux_entry(*d, 0, "\n")) : YAML::Node();
        std::size_t expected = (d ? 1 : 0) + (has_list ? renderers.size() : 0) - (ours ? 1 : 0);
        std::size_t actual = list.IsSequence() ? list.size() : 0;
        if (expected != actual) problem = "spec.postRenderers has " + std::to_string(actual) + " entries";
        std::size_t k = 0;
        if (!problem && d)
          if (auto diff = tree_difference(*generated.begin(), {}, list[k++]))
            problem = "spec.postRenderers[0]." + *diff;
        if (!problem && has_list) {
          std::size_t j = 0;
          for (auto it = renderers.begin(); it != renderers.end() && !problem; ++it, ++j) {
            if (ours && j == *ours) continue;
            if (auto diff = tree_difference(*it, {}, list[k])) problem = "spec.postRenderers[" + std::to_string(k) + "]." + *diff;
            ++k;
          }
        }
      }
      if (problem) fail(where, "cannot edit this document faithfully: " + *problem);
      r.append_owned(std::move(out));
    }
  } catch (const failure& f) {
    r.code = f.code();
    r.clear_output();
    r.diagnostics.push_back({diagnostic::level::error, f.what()});
  } catch (const std::exception& e) {
    r.code = exit_code::bad_input;
    r.clear_output();
    r.diagnostics.push_back({diagnostic::level::error, std::string("unexpected failure: ") + e.what()});
  }
  return r;
}

}  // namespace rollout_pace
