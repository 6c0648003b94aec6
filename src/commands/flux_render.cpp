#include "commands/flux_render.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <limits>

#include "base/text.h"
#include "commands/rewrite.h"
#include "kube/kinds.h"
#include "manifest/helm_release.h"
#include "pace/warnings.h"
#include "yaml/compare.h"
#include "yaml/reader.h"
#include "yaml/scalars.h"
#include "yaml/tree.h"

namespace rollout_pace {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& where, const std::string& message) {
  throw failure(exit_code::bad_input, where + ": " + message);
}

// A scalar at a path of maps, "" when any step is missing or not a map.
std::string text_at(const YAML::Node& root, std::initializer_list<std::string_view> path) {
  YAML::Node n(root);
  for (std::string_view key : path) {
    if (!n.IsMap()) return "";
    YAML::Node next = lookup(n, key).value;
    n.reset(next);
  }
  return scalar_or(n, "");
}

// The git checkout holding a file: the nearest folder above it with a .git (a folder, or a file
// for a worktree or a submodule); nullopt when there is none.
std::optional<fs::path> checkout_of(const std::string& file) {
  std::error_code ec;
  fs::path dir = fs::absolute(file, ec).parent_path();
  if (ec) return std::nullopt;
  for (; !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", ec)) return dir;
    if (dir == dir.parent_path()) break;
  }
  return std::nullopt;
}

// A path in a checkout as helm-controller reads one from a GitRepository's root ("./charts/web"),
// refused when it leads out of the checkout.
std::optional<fs::path> inside(const fs::path& root, const std::string& relative) {
  fs::path p = (root / fs::path(relative).relative_path()).lexically_normal();
  fs::path rel = p.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return std::nullopt;
  std::error_code ec;
  fs::path real = fs::weakly_canonical(p, ec), real_root = fs::weakly_canonical(root, ec);
  if (ec) return std::nullopt;
  fs::path real_rel = real.lexically_relative(real_root);
  if (real_rel.empty() || *real_rel.begin() == "..") return std::nullopt;  // a link out of it
  return p;
}

// Where the chart is and the checkout its valuesFiles are read from (none for --chart outside one).
struct chart_place {
  std::string chart;
  std::optional<fs::path> checkout;
  std::string how;  // for the note: "--chart", "the GitRepository flux-system's ./charts/web"
};

std::optional<chart_place> find_chart(const release& r, const options& opts, std::string& why_not) {
  YAML::Node chart_spec = lookup(lookup(r.hr.spec, "chart").value, "spec").value;
  std::optional<fs::path> checkout = opts.source_file.empty() ? std::nullopt : checkout_of(opts.source_file);
  if (!opts.chart.empty()) return chart_place{opts.chart, checkout, "--chart " + opts.chart};
  std::string source = text_at(chart_spec, {"sourceRef", "kind"});
  std::string path = text_at(chart_spec, {"chart"});
  if (source != "GitRepository") {
    why_not = source.empty() ? "its chart comes through spec.chartRef or names no source"
                             : "its chart comes from a " + source + ", which flux cannot render";
    return std::nullopt;
  }
  if (opts.source_file.empty()) {
    why_not = "its chart is in a GitRepository, and a HelmRelease read from standard input has no checkout";
    return std::nullopt;
  }
  if (!checkout) {
    why_not = "its chart is in a GitRepository, and " + opts.source_file + " is in no git checkout";
    return std::nullopt;
  }
  std::optional<fs::path> at = path.empty() ? std::nullopt : inside(*checkout, path);
  std::error_code ec;
  if (!at || !fs::exists(*at / "Chart.yaml", ec)) {
    why_not = "its chart's path \"" + path + "\" holds no Chart.yaml in the checkout at " + checkout->string();
    return std::nullopt;
  }
  std::string repo = text_at(chart_spec, {"sourceRef", "name"});
  return chart_place{at->string(), checkout, "the GitRepository " + repo + "'s " + path};
}

// The effective pace as the entry's flags would give it to the post-renderer: the profile, with the
// fields where it differs (Custom: all three).
choice as_flags(const decision& d) {
  choice c;
  c.profile = d.profile;
  if (differs_from_profile(d, pace_field::max_surge)) c.overrides.max_surge = d.max_surge;
  if (differs_from_profile(d, pace_field::max_unavailable)) c.overrides.max_unavailable = d.max_unavailable;
  if (differs_from_profile(d, pace_field::min_ready_seconds)) c.overrides.min_ready_seconds = d.min_ready_seconds;
  return c;
}

// The merge patch that makes before into after (both maps): changed and new keys with their new
// values (as JSON, which reads as Kubernetes read the rendered value), maps compared key by key,
// removed keys as null. Lines at indent.
void merge_patch(const YAML::Node& before, const YAML::Node& after, std::size_t indent, std::string& out) {
  std::string pad(indent, ' ');
  for (const auto& [key, f] : fields(after)) {
    field was = lookup(before, key);
    if (f.value.IsMap() && f.value.size() > 0 && (!was.present() || was.value.IsMap())) {
      std::string inner;
      merge_patch(was.present() ? was.value : YAML::Node(YAML::NodeType::Map), f.value, indent + 2, inner);
      if (!inner.empty()) out += pad + plain_or_quoted(key) + ":\n" + inner;
    } else if (!was.present() || tree_difference(was.value, {}, f.value)) {
      out += pad + plain_or_quoted(key) + ": " + json_of(f.value) + "\n";
    }
  }
  for (const auto& [key, f] : fields(before))
    if (!lookup(after, key).present()) out += pad + plain_or_quoted(key) + ": null\n";
}

// The patch for one changed workload (or List item).
workload_patch patch_of(const YAML::Node& before, const YAML::Node& after) {
  workload_patch p;
  p.api_version = text_at(after, {"apiVersion"});
  p.kind = text_at(after, {"kind"});
  p.name = text_at(after, {"metadata", "name"});
  p.ns = text_at(after, {"metadata", "namespace"});
  merge_patch(lookup(before, "spec").value, lookup(after, "spec").value, 2, p.body);
  if (!p.body.empty()) p.body = "spec:\n" + p.body;
  return p;
}

// What rewrite() changed in the rendered stream, one patch per workload.
std::vector<workload_patch> patches_between(std::string_view rendered, const std::string& paced) {
  manifest_stream a = read_stream(rendered), b = read_stream(paced);
  std::vector<workload_patch> out;
  if (a.docs.size() != b.docs.size())
    throw failure(exit_code::bad_input, "the post-renderer's output has another document count than the render");
  for (std::size_t i = 0; i < a.docs.size(); ++i) {
    if (a.docs[i].text == b.docs[i].text) continue;
    parsed_document x = parse_document(a, i, "a workload"), y = parse_document(b, i, "a workload");
    YAML::Node items_x = lookup(x.root, "items").value, items_y = lookup(y.root, "items").value;
    if (is_list_kind(text_at(x.root, {"kind"})) && items_x.IsSequence() && items_y.IsSequence()) {
      for (std::size_t k = 0; k < items_x.size() && k < items_y.size(); ++k)
        if (tree_difference(items_x[k], {}, items_y[k])) out.push_back(patch_of(items_x[k], items_y[k]));
      continue;
    }
    out.push_back(patch_of(x.root, y.root));
  }
  return out;
}

// The request to helm template: the release as helm-controller names it, its values in order.
chart_render request_for(const release& r, const chart_place& place, std::vector<diagnostic>& diagnostics) {
  const std::string& where = r.hr.where;
  chart_render req;
  req.chart = place.chart;
  std::string name = text_at(r.hr.root, {"metadata", "name"});
  std::string target = text_at(r.hr.spec, {"targetNamespace"});
  req.release_name = text_at(r.hr.spec, {"releaseName"});
  if (req.release_name.empty()) req.release_name = target.empty() ? name : target + "-" + name;
  if (req.release_name.size() > 53)  // helm-controller's ShortenName adds a hash rollout-pace does not compute
    fail(where, "the release name \"" + req.release_name +
                    "\" is longer than 53 characters, which helm-controller shortens with a hash; set "
                    "spec.releaseName to render its chart");
  req.ns = target.empty() ? text_at(r.hr.root, {"metadata", "namespace"}) : target;
  if (req.ns.empty()) req.ns = "default";
  YAML::Node chart_spec = lookup(lookup(r.hr.spec, "chart").value, "spec").value;
  YAML::Node files = lookup(chart_spec, "valuesFiles").value;
  if (files.IsSequence())
    for (auto it = files.begin(); it != files.end(); ++it) {
      std::string file = scalar_or(*it, "");
      std::optional<fs::path> at = place.checkout ? inside(*place.checkout, file) : std::nullopt;
      if (!at) fail(where, "spec.chart.spec.valuesFiles: \"" + file + "\" is not a file in the chart's checkout");
      req.values_files.push_back(at->string());
    }
  YAML::Node from = lookup(r.hr.spec, "valuesFrom").value;
  if (from.IsSequence() && from.size() > 0)
    diagnostics.push_back(warning(warning_id::flux_values_unread,
                                  where + ": spec.valuesFrom is read by helm-controller from the cluster; the chart "
                                          "is rendered without it, so where those values shape a workload the patches "
                                          "follow spec.values and the chart's defaults"));
  YAML::Node values = release_values(r.hr);
  if (values.IsMap()) {
    try {
      req.values.push_back(json_of(values));
    } catch (const yaml_error& e) {
      fail(where, std::string("spec.values: ") + e.what());
    }
  }
  return req;
}

}  // namespace

std::optional<rendered_chart> render_chart(const release& r, const options& opts, std::string& why_not) {
  if (!r.chosen) return std::nullopt;
  if (!opts.render) {
    why_not = "nothing here can render a chart";
    return std::nullopt;
  }
  std::optional<chart_place> place = find_chart(r, opts, why_not);
  if (!place) return std::nullopt;
  rendered_chart out;
  out.chart = place->chart;
  chart_render req = request_for(r, *place, out.diagnostics);
  std::string rendered;
  try {
    rendered = opts.render(req);
  } catch (const failure& f) {
    if (!opts.chart.empty()) throw;
    why_not = std::string("its chart ") + place->how + " could not be rendered: " + f.what();
    return std::nullopt;
  }
  // The post-renderer as the entry's flags run it, on what helm-controller would render.
  options paced_opts = opts;
  paced_opts.flags = as_flags(*r.chosen);
  paced_opts.values = paced_opts.matrix = choice{};
  paced_opts.values_key.clear();
  paced_opts.previous = nullptr;
  paced_opts.strict = paced_opts.report = false;
  paced_opts.release_namespace = req.ns;
  paced_opts.timeout_ns = std::numeric_limits<std::int64_t>::max();  // flux checks spec.timeout itself
  paced_opts.wait = flux_wait(r.hr, opts);
  paced_opts.render = nullptr;
  result paced = rewrite(std::string_view(rendered), paced_opts);
  if (paced.code != exit_code::ok)
    fail(r.hr.where, "its chart " + place->how + " renders what the post-renderer refuses: " +
                         (paced.diagnostics.empty() ? std::string("no reason given") : paced.diagnostics.back().text));
  out.patches = patches_between(rendered, paced.output());
  out.plan = std::move(paced.plan);
  out.diagnostics.push_back(
      {diagnostic::level::note,
       r.hr.where + ": rendered " + place->how + " as release " + req.release_name + " in " + req.ns + ": " +
           count_of(static_cast<std::int64_t>(out.patches.size()), "workload", "workloads") + " to patch"});
  for (diagnostic& d : paced.diagnostics)
    if (d.kind == diagnostic::level::warning)
      out.diagnostics.push_back({d.kind, r.hr.where + ": in its chart: " + d.located(), d.id});
  return out;
}

}  // namespace rollout_pace
