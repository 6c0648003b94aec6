#include "plan/format.h"

#include "base/duration.h"
#include "base/text.h"
#include "plan/budget_use.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace rollout_pace {
namespace {

std::string qualified(const planned_workload& w) { return w.ref.qualified_name(); }

// The change found with --previous, as the table and json show it; "" without.
std::string change_name(const planned_workload& w) {
  return w.decision.changed ? std::string(display_name(w.decision.changed->kind)) : "";
}
std::string change_reason(const planned_workload& w) { return w.decision.changed ? w.decision.changed->reason : ""; }

// Whether the plan knows changes (--previous): then the tables have a CHANGE column.
bool with_change(const release_plan& p) {
  return std::any_of(p.workloads.begin(), p.workloads.end(),
                     [](const planned_workload& w) { return w.decision.changed.has_value(); });
}

std::vector<std::string> pace_cells(const planned_workload& w);

// Cells of one table row, shared by the table and markdown formats.
std::vector<std::string> cells(const planned_workload& w, bool change) {
  std::vector<std::string> c = pace_cells(w);
  if (change) c.insert(c.begin() + 2, change_name(w).empty() ? "-" : change_name(w));
  return c;
}

std::vector<std::string> pace_cells(const planned_workload& w) {
  const workload_decision& wd = w.decision;
  std::string replicas = w.replicas ? std::to_string(*w.replicas) : wd.pace ? "?" : "-";
  if (!wd.pace) return {w.kind_name(), qualified(w), replicas, "-", "-", "-", "-", "-", "-", "-", "-"};
  const decision& d = *wd.pace;
  std::vector<std::string> c{w.kind_name(), qualified(w), replicas, std::string(display_name(d.profile)),
                             std::string(display_name(d.profile_from))};
  std::string surge = wd.written.max_surge ? wd.written.max_surge->text() : "-";
  if (!w.rollout) {
    c.insert(c.end(), {surge, wd.written.max_unavailable.text(), "-", "-", "-", "-"});
    return c;
  }
  const rollout_plan& r = *w.rollout;
  if (r.by_weight) {  // a traffic-routed canary: the router's weights, not these fields, pace it
    c.insert(c.end(), {surge + " (unused)", wd.written.max_unavailable.text() + " (unused)"});
  } else {
    c.push_back(wd.written.max_surge ? surge + " (" + std::to_string(r.pods.surge) + ")" : "-");
    c.push_back(wd.written.max_unavailable.text() + " (" + std::to_string(r.pods.unavailable) + ")");
  }
  c.push_back(std::to_string(r.step_count()));
  c.push_back(human_duration(r.min_duration_seconds));
  c.push_back(std::to_string(r.peak_pods));
  c.push_back(r.min_available == 0 && r.replicas > 0 ? "0 DOWNTIME"
              : r.min_available < r.replicas ? std::to_string(r.min_available) + " of " + std::to_string(r.replicas)
                                             : std::to_string(r.min_available));
  return c;
}

constexpr std::array<std::string_view, 11> headers{
    "KIND",  "NAME",     "REPLICAS",  "PROFILE",      "FROM", "MAX SURGE (PODS)", "MAX UNAVAILABLE (PODS)",
    "STEPS", "AT LEAST", "PEAK PODS", "MIN AVAILABLE"};

std::string release_line(const release_plan& p) {
  std::string out = "Release: at least " + human_duration(p.min_duration_seconds) +
                    " (Helm applies every workload, then waits for all)";
  if (p.max_duration_seconds > p.min_duration_seconds)
    out += ", at most " + human_duration(p.max_duration_seconds) +
           " if every old pod takes its terminationGracePeriodSeconds";
  out += "; ";
  if (p.wait == helm_wait::legacy && p.helm_waits_seconds < p.min_duration_seconds)
    out += "Helm's legacy wait ends after " + human_duration(p.helm_waits_seconds) + "; ";
  out += "timeout " + go_duration(p.timeout_ns);
  if (p.exceeds_timeout) out += ": EXCEEDED (see the warning)";
  return out + "\n";
}

// The header row, with CHANGE after NAME when the plan knows changes.
std::vector<std::string> header_row(bool change) {
  std::vector<std::string> h(headers.begin(), headers.end());
  if (change) h.insert(h.begin() + 2, "CHANGE");
  return h;
}

std::string table(const release_plan& p) {
  bool change = with_change(p);
  std::vector<std::vector<std::string>> rows{header_row(change)};
  for (const auto& w : p.workloads) rows.push_back(cells(w, change));
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i)
      line += r[i] + (i + 1 < r.size() ? std::string(width[i] - r[i].size() + 2, ' ') : "");
    out += line + "\n";
  }
  out += "\n";
  for (const auto& w : p.workloads) {
    out += w.kind_name() + " " + qualified(w) + ": " + w.summary;
    if (w.decision.pace && w.replicas_from != replica_source::spec) out += " (replicas: " + w.replicas_text() + ")";
    if (w.decision.changed) out += " [change " + (change_reason(w).empty() ? change_name(w) : change_reason(w)) + "]";
    out += "\n";
  }
  for (const budget_use& u : budget_uses(p)) out += budget_sentence(u) + "\n";
  return out + release_line(p);
}

// A Markdown table cell holds no "|" (escaped) and no line break (a space).
std::string markdown_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string markdown(const release_plan& p) {
  bool change = with_change(p);
  std::vector<std::string> header = header_row(change);
  std::string out = "|";
  for (const std::string& h : header) out += " " + h + " |";
  out += " SUMMARY |\n|";
  for (std::size_t i = 0; i <= header.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& w : p.workloads) {
    out += "|";
    for (const auto& c : cells(w, change)) out += " " + markdown_cell(c) + " |";
    out += " " + markdown_cell(w.summary) + " |\n";
  }
  return out + "\n" + release_line(p);
}

// Mermaid's grammar ends a label at ':', '#' or ';', starts a comment at "%%", and a quote or a line
// break cuts it: each becomes a space.
std::string mermaid_text(std::string s) {
  for (char& c : s)
    if (c == ':' || c == '#' || c == ';' || c == '%' || c == '"' || c == '`' || static_cast<unsigned char>(c) < 0x20 ||
        c == 0x7f)
      c = ' ';
  return s;
}

// A time of the chart: seconds after the start, as a local date and time on 2000-01-01. Mermaid
// reads and draws dates in the viewer's time zone, so a chart written in local time starts at
// 00:00:00 wherever it is viewed (January holds no daylight saving change in most zones).
std::string mermaid_time(std::int64_t seconds) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "2000-01-%02lld %02lld:%02lld:%02lld", 1 + static_cast<long long>(seconds / 86400),
                static_cast<long long>(seconds % 86400 / 3600), static_cast<long long>(seconds % 3600 / 60),
                static_cast<long long>(seconds % 60));
  return buf;
}

std::string mermaid(const release_plan& p) {
  std::int64_t end = 0;
  for (const auto& w : p.workloads)
    if (w.rollout && w.decision.pace)
      for (const auto& s : w.rollout->steps) end = std::max(end, std::max(s.last_available(), s.created + 1));
  const char* axis = end < 3600 ? "%M:%S" : end < 86400 ? "%H:%M:%S" : "%d %H:%M";
  std::string out =
      "gantt\n  title " +
      mermaid_text("rollout-pace plan, at least " + human_duration(p.min_duration_seconds) + " (timeout " +
                   go_duration(p.timeout_ns) + ")" + (end < 86400 ? "" : ", the axis in days and hours")) +
      "\n  dateFormat YYYY-MM-DD HH:mm:ss\n  axisFormat " + axis + "\n";
  std::size_t id = 0;
  for (const auto& w : p.workloads) {
    if (!w.rollout || !w.decision.pace) continue;
    out += "  section " +
           mermaid_text(qualified(w) + " " + std::string(display_name(w.decision.pace->profile)) + ", " +
                        count_of(w.rollout->replicas, "replica", "replicas")) +
           "\n";
    std::int64_t k = 0;
    for (const auto& s : w.rollout->steps) {
      // A run of alike steps is one bar.
      std::string label = s.count == 1 ? "step " + std::to_string(k + 1) + ", " + count_of(s.pods, "pod", "pods")
                                       : "steps " + std::to_string(k + 1) + " to " + std::to_string(k + s.count) +
                                             ", " + count_of(s.pods, "pod", "pods") + " each";
      k += s.count;
      out += "  " + mermaid_text(label) + " :t" + std::to_string(++id) + ", " + mermaid_time(s.created) + ", " +
             mermaid_time(std::max(s.last_available(), s.created + 1)) + "\n";
    }
  }
  return out;
}

}  // namespace

plan_format parse_plan_format(const std::string& name) {
  if (name == "table") return plan_format::table;
  if (name == "json") return plan_format::json;
  if (name == "sarif") return plan_format::sarif;
  if (name == "markdown") return plan_format::markdown;
  if (name == "mermaid") return plan_format::mermaid;
  throw std::invalid_argument("--format: \"" + name + "\" is not table, json, markdown, mermaid or sarif");
}

namespace {

using json = nlohmann::ordered_json;

json int_or_percent_json(const int_or_percent& v) { return v.percent ? json(v.text()) : json(v.value); }
json string_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json workload_object(const planned_workload& w) {
  const workload_decision& wd = w.decision;
  json o{{"kind", w.kind_name()},
         {"namespace", string_or_null(w.ref.ns)},
         {"name", w.ref.name},
         {"replicas", w.replicas ? json(*w.replicas) : json(nullptr)}};
  o["profile"] = wd.pace ? json(std::string(display_name(wd.pace->profile))) : json(nullptr);
  o["source"] = wd.pace ? json(std::string(display_name(wd.pace->profile_from))) : json(nullptr);
  o["max_surge"] = wd.pace && wd.written.max_surge ? int_or_percent_json(*wd.written.max_surge) : json(nullptr);
  o["max_unavailable"] = wd.pace ? int_or_percent_json(wd.written.max_unavailable) : json(nullptr);
  const rollout_plan* r = w.rollout ? &*w.rollout : nullptr;
  auto number = [&](auto get) { return r ? json(get(*r)) : json(nullptr); };
  // A traffic-routed canary uses neither field: null pods.
  o["surge_pods"] = r && !r->by_weight ? json(r->pods.surge) : json(nullptr);
  o["unavailable_pods"] = r && !r->by_weight ? json(r->pods.unavailable) : json(nullptr);
  o["steps"] = number([](const rollout_plan& p) { return p.step_count(); });
  o["min_duration_seconds"] = number([](const rollout_plan& p) { return p.min_duration_seconds; });
  o["max_duration_seconds"] = r ? json(w.max_duration_seconds) : json(nullptr);
  o["peak_pods"] = number([](const rollout_plan& p) { return p.peak_pods; });
  o["min_available"] = number([](const rollout_plan& p) { return p.min_available; });
  o["helm_waits_seconds"] = w.helm_waits_seconds ? json(*w.helm_waits_seconds) : json(nullptr);
  o["change"] = string_or_null(change_name(w));
  o["change_reason"] = string_or_null(change_reason(w));
  o["summary"] = w.summary;
  return o;
}

json budget_object(const budget_use& u) {
  const disruption_budget& b = *u.budget;
  json selects = json::array();
  for (const planned_workload* w : u.covered)
    selects.push_back({{"kind", w->kind_name()}, {"namespace", string_or_null(w->ref.ns)}, {"name", w->ref.name}});
  json o{{"name", b.name}, {"namespace", string_or_null(b.ns)}};
  o["min_available"] = b.min_available ? int_or_percent_json(*b.min_available) : json(nullptr);
  o["max_unavailable"] = b.max_unavailable ? int_or_percent_json(*b.max_unavailable) : json(nullptr);
  o["selects"] = std::move(selects);
  o["pods"] = u.pods;
  o["fewest_pods"] = u.fewest_pods;
  o["desired_healthy"] = u.keeps;
  o["never_allows_disruption"] = u.never_allows;
  json during = nullptr;
  if (const planned_workload* w = u.blocks_during)
    during = {{"kind", w->kind_name()},
              {"name", w->ref.name},
              {"min_available", w->checked()->min_available},
              {"seconds", u.blocked_seconds},
              {"rollout_seconds", w->checked()->min_duration_seconds}};
  o["blocks_during_rollout"] = std::move(during);
  return o;
}

// JSON text of a value: UTF-8 the input did not hold right is replaced, never thrown about.
std::string text_of(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string workload_json(const planned_workload& w) { return text_of(workload_object(w)); }

std::string format_plan(const release_plan& p, plan_format f) { return format_plan(p, f, findings_context{}); }

namespace {

// Where a finding is, as a person edits it: the chart template, else the input at the document.
struct finding_place {
  std::string file;
  std::size_t line = 1;
};

finding_place place_of(const diagnostic& d, const findings_context& c) {
  if (!d.about) return {c.input_name, 1};
  if (!d.about->source.empty()) return {d.about->source, 1};
  std::size_t i = d.about->document;
  return {c.input_name, i >= 1 && i <= c.document_lines.size() ? c.document_lines[i - 1] : 1};
}

json finding_object(const diagnostic& d, const findings_context& c) {
  finding_place at = place_of(d, c);
  json o{{"id", std::string(name_of(d.id))},
         {"level", d.kind == diagnostic::level::error ? "error" : "warning"},
         {"message", d.text}};
  o["kind"] = d.about ? string_or_null(d.about->kind) : json(nullptr);
  o["namespace"] = d.about ? string_or_null(d.about->ns) : json(nullptr);
  o["name"] = d.about ? string_or_null(d.about->name) : json(nullptr);
  o["document"] = d.about && d.about->document > 0 ? json(d.about->document) : json(nullptr);
  o["file"] = at.file;
  o["line"] = at.line;
  return o;
}

// SARIF 2.1.0 (docs.oasis-open.org/sarif/sarif/v2.1.0), as GitHub code scanning reads it.
std::string sarif(const findings_context& c) {
  json rules = json::array();
  for (const warning_kind& k : warning_kinds())
    rules.push_back({{"id", std::string(k.name)},
                     {"shortDescription", {{"text", std::string(k.what)}}},
                     {"fullDescription", {{"text", std::string(k.what)}}},
                     {"help", {{"text", std::string(k.what) + " (what to do: docs/warnings.md in rollout-pace)"}}},
                     {"defaultConfiguration", {{"level", "warning"}}}});
  json results = json::array();
  for (const diagnostic& d : c.findings) {
    if (d.id == warning_id::none) continue;
    finding_place at = place_of(d, c);
    json location{
        {"physicalLocation", {{"artifactLocation", {{"uri", at.file}}}, {"region", {{"startLine", at.line}}}}}};
    if (d.about)
      location["logicalLocations"] =
          json::array({{{"name", d.about->name},
                        {"fullyQualifiedName",
                         d.about->kind + "/" + (d.about->ns.empty() ? "" : d.about->ns + "/") + d.about->name},
                        {"kind", "resource"}}});
    results.push_back({{"ruleId", std::string(name_of(d.id))},
                       {"ruleIndex", static_cast<std::size_t>(d.id) - 1},
                       {"level", d.kind == diagnostic::level::error ? "error" : "warning"},
                       {"message", {{"text", d.located()}}},
                       {"locations", json::array({location})}});
  }
  json driver{{"name", "rollout-pace"},
              {"informationUri", "https://github.com/rollout-pace/rollout-pace"},
              {"rules", std::move(rules)}};
  if (!c.version.empty()) driver["semanticVersion"] = c.version;
  json log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
           {"version", "2.1.0"},
           {"runs", json::array({{{"tool", {{"driver", std::move(driver)}}}, {"results", std::move(results)}}})}};
  return log.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string format_plan(const release_plan& p, plan_format f, const findings_context& c) {
  switch (f) {
    case plan_format::table: return table(p);
    case plan_format::markdown: return markdown(p);
    case plan_format::mermaid: return mermaid(p);
    case plan_format::sarif: return sarif(c);
    case plan_format::json: break;
  }
  json workloads = json::array();
  for (const planned_workload& w : p.workloads) workloads.push_back(workload_object(w));
  // Helm's timeout in seconds: a whole number, or with the fraction a Go duration can give.
  json timeout =
      p.timeout_ns % 1000000000 == 0 ? json(p.timeout_ns / 1000000000) : json(static_cast<double>(p.timeout_ns) / 1e9);
  json plan{{"workloads", std::move(workloads)},
            {"release_min_duration_seconds", p.min_duration_seconds},
            {"release_max_duration_seconds", p.max_duration_seconds},
            {"wait", p.wait == helm_wait::legacy ? "legacy" : "watcher"},
            {"release_helm_waits_seconds", p.helm_waits_seconds},
            {"timeout_seconds", std::move(timeout)},
            {"exceeds_timeout", p.exceeds_timeout}};
  json budgets = json::array();
  for (const budget_use& u : budget_uses(p)) budgets.push_back(budget_object(u));
  plan["budgets"] = std::move(budgets);
  json findings = json::array();
  for (const diagnostic& d : c.findings)
    if (d.id != warning_id::none) findings.push_back(finding_object(d, c));
  plan["findings"] = std::move(findings);
  std::string out = text_of(plan) + "\n";
  return out;
}

}  // namespace rollout_pace
