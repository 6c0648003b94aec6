#include "app/cli.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "app/version.h"
#include "base/diagnostic.h"
#include "base/duration.h"
#include "base/files.h"
#include "base/text.h"
#include "kube/kinds.h"
#include "kube/rules.h"
#include "manifest/change.h"
#include "manifest/values.h"
#include "pace/choose.h"
#include "pace/warnings.h"

namespace po = boost::program_options;

namespace rollout_pace {
namespace {

// Every option, once; each command takes the names listed for it below.
po::options_description all_options() {
  po::options_description d("Options", 110);
  d.add_options()("profile", po::value<std::string>()->value_name("NAME"),
                  "Blitz, Cautious, Paranoid or Custom (any case)")(
      "max-surge", po::value<std::string>()->value_name("N|N%"), "override maxSurge")(
      "max-unavailable", po::value<std::string>()->value_name("N|N%"), "override maxUnavailable")(
      "min-ready-seconds", po::value<std::string>()->value_name("S"), "override minReadySeconds")(
      "values,f", po::value<std::vector<std::string>>()->value_name("FILE")->composing(),
      "Helm values file with deploymentStrategy/customStrategy; repeatable, later files win")(
      "values-key", po::value<std::string>()->value_name("NAME"),
      "read the pace from the values' top-level NAME (NAME.profile, NAME.maxSurge, NAME.maxUnavailable, "
      "NAME.minReadySeconds) instead of deploymentStrategy/customStrategy, which the chart owns")(
      "environment", po::value<std::string>()->value_name("ENV"), "TEST, ACC or PROD: choose by the matrix")(
      "change", po::value<std::string>()->value_name("KIND"),
      "major, minor or patch (ACC and PROD need it, or --previous)")(
      "previous", po::value<std::string>()->value_name("FILE"),
      "the running release's manifests (helm get manifest RELEASE): find major/minor/patch from the images")(
      "strict", "treat warnings as errors, except accepted ones")(
      "accept", po::value<std::vector<std::string>>()->value_name("ID,...")->composing(),
      "accept these warnings (ids as shown in [brackets]): not printed, and --strict does not fail on them")(
      "include-hooks", "also pace documents with a helm.sh/hook annotation (Helm 4 sends hooks)")(
      "report", "one line per workload on stderr: profile, where from, old -> new, or why not")(
      "timeout", po::value<std::string>()->value_name("DURATION"),
      "warn when the release takes longer than this (Helm's syntax: 5m0s, 300s, 1h; default 5m0s, Helm's and Flux's)")(
      "pod-startup", po::value<std::string>()->value_name("S"),
      "seconds from a pod's creation to ready, for the plan (default 10)")(
      "format", po::value<std::string>()->value_name("FORMAT"), "table (default), json, markdown or mermaid")(
      "replicas", po::value<std::string>()->value_name("N"), "the replicas to plan for (default 4)")(
      "kinds", po::value<std::string>()->value_name("LIST"), "the kinds to pace, comma-separated (default: all four)")(
      "kube-version", po::value<std::string>()->value_name("1.X[.Y]"),
      "the cluster's Kubernetes version, 1.X or 1.X.Y, for fields its API server drops (default: 1.37, the newest "
      "released)")("nodes", po::value<std::string>()->value_name("N"),
                   "the nodes a DaemonSet runs on, for the plan (default 3)")(
      "namespace", po::value<std::string>()->value_name("NS"),
      "the release's namespace, where objects without metadata.namespace live (default: HELM_NAMESPACE, else "
      "default)")("scale", po::value<std::vector<std::string>>()->value_name("KIND/NAME=N,...")->composing(),
                  "plan this workload for N replicas (something outside the stream scales it); repeatable")(
      "set", po::value<std::string>()->value_name("PROFILE"),
      "write this profile, with the field flags, into the HelmRelease: its rollout-pace/* annotations, or its "
      "spec.values where they hold rollout-pace's own keys")(
      "fit-timeout", "raise spec.timeout to fit the rollout, with a margin (never lowers it)")(
      "check", "change nothing; exit 1 naming each HelmRelease whose entry is missing or stale")(
      "log-file", po::value<std::string>()->value_name("FILE"),
      "also append every diagnostic to FILE (or set ROLLOUT_PACE_LOG)")("help,h", "show this help")(
      "version", "print the version");
  return d;
}

// The options each command takes, in the order its --help lists them.
const std::vector<std::string>& names_for(command c) {
  static const std::vector<std::string> rewrite{"profile",   "max-surge",  "max-unavailable", "min-ready-seconds",
                                                "values",    "values-key", "environment",     "change",
                                                "previous",  "strict",     "accept",          "include-hooks",
                                                "report",    "timeout",    "pod-startup",     "nodes",
                                                "namespace", "scale",      "kinds",           "kube-version",
                                                "log-file",  "help",       "version"};
  static const std::vector<std::string> plan = [] {
    std::vector<std::string> p = rewrite;
    p.insert(std::find(p.begin(), p.end(), "pod-startup"), "format");
    return p;
  }();
  static const std::vector<std::string> explain{
      "max-surge",   "max-unavailable", "min-ready-seconds", "replicas", "kinds", "nodes",
      "pod-startup", "format",          "log-file",          "help"};
  static const std::vector<std::string> flux{"profile",     "max-surge", "max-unavailable", "min-ready-seconds",
                                             "environment", "change",    "values-key",      "set",
                                             "fit-timeout", "check",     "strict",          "accept",
                                             "report",      "kinds",     "pod-startup",     "log-file",
                                             "help"};
  switch (c) {
    case command::plan: return plan;
    case command::explain: return explain;
    case command::flux: return flux;
    case command::fn:  // the post-renderer's, the config adding its own
    case command::rewrite: break;
  }
  return rewrite;
}

po::options_description options_of(command c) {
  po::options_description all = all_options(), mine("Options", 110);
  for (const std::string& name : names_for(c))
    for (const auto& o : all.options())
      if (o->long_name() == name) mine.add(o);
  return mine;
}

std::string see_help(command c) {
  return c == command::rewrite ? "(see --help)" : "(see rollout-pace " + std::string(display_name(c)) + " --help)";
}

[[noreturn]] void usage(const std::string& message) { throw failure(exit_code::bad_usage, message); }

template <typename T, typename F>
std::optional<T> parsed(const po::variables_map& vm, const char* name, F parse) {
  if (!vm.count(name)) return std::nullopt;
  const std::string& text = vm[name].as<std::string>();
  try {
    return parse(text);
  } catch (const rule_error& e) {
    usage(std::string("--") + name + ": " + e.what());
  }
}

// A count flag (--replicas, --nodes, --pod-startup): a non-negative int32 of unit.
std::optional<std::int64_t> count(const po::variables_map& vm, const char* name, std::string_view unit) {
  return parsed<std::int64_t>(vm, name, [&](const std::string& t) { return std::int64_t{parse_count(t, unit)}; });
}

}  // namespace

std::string_view display_name(command c) {
  switch (c) {
    case command::plan: return "plan";
    case command::explain: return "explain";
    case command::flux: return "flux";
    case command::fn: return "fn";
    case command::rewrite: break;
  }
  return "rewrite";
}

std::string help_text(command c) {
  std::ostringstream out;
  out << "rollout-pace " ROLLOUT_PACE_VERSION " - a Helm post-renderer that paces rollouts by profile\n\n";
  switch (c) {
    case command::plan:
      out << "Usage: rollout-pace plan [OPTIONS] < manifests.yaml\n"
             "What each workload's rollout will take (steps, time, pods), and the release against the\n"
             "timeout; changes nothing.\n\n"
          << options_of(c);
      return out.str();
    case command::explain:
      out << "Usage: rollout-pace explain PROFILE [OPTIONS]\n"
             "The profile in words and its plan for --replicas (a DaemonSet: --nodes) of one kind\n"
             "(--kinds names it; default Deployment).\n\n"
          << options_of(c);
      return out.str();
    case command::flux:
      out << "Usage: rollout-pace flux [OPTIONS] [FILE|DIR]...   (no FILE: standard input to standard output)\n"
             "Writes the spec.postRenderers kustomize patches that pace each Flux HelmRelease's workloads.\n\n"
          << options_of(c);
      return out.str();
    case command::fn:
      out << "Usage: rollout-pace fn [OPTIONS] < resource-list.yaml   (kpt fn eval --exec, kustomize exec functions)\n"
             "A KRM function: paces the workloads among a ResourceList's items as the post-renderer does and\n"
             "reports every warning as a result. Its config (functionConfig) is a RolloutPace resource (spec:\n"
             "profile, maxSurge, maxUnavailable, minReadySeconds, environment, change, strict, accept, timeout,\n"
             "kubeVersion, kinds, includeHooks, podStartup, nodes, namespace, scale, report) or a ConfigMap's\n"
             "data with the same keys; it adds to the options below. A ResourceList on standard input runs as a\n"
             "function without \"fn\" too.\n\n"
          << options_of(c);
      return out.str();
    case command::rewrite: break;
  }
  out << "Usage: helm install|upgrade|template ... --post-renderer rollout-pace [--post-renderer-args ARG]...\n"
         "       rollout-pace [OPTIONS] < manifests.yaml > paced.yaml\n"
         "\n"
         "Profiles (names match in any case):\n"
         "  Profile    maxSurge  maxUnavailable  minReadySeconds  meant for\n"
         "  Blitz      100%      50%             0                TEST, any change\n"
         "  Cautious   25%       0               30               PROD, minor or patch change\n"
         "  Paranoid   1         0               300              PROD, major change\n"
         "  Custom     given     given           given            anything\n"
         "\n"
         "Choosing a profile, most specific first:\n"
         "  1. the workload's annotations rollout-pace/profile, rollout-pace/max-surge,\n"
         "     rollout-pace/max-unavailable, rollout-pace/min-ready-seconds (rollout-pace/skip: \"true\" skips it)\n"
         "  2. --profile, --max-surge, --max-unavailable, --min-ready-seconds\n"
         "  3. --values files: deploymentStrategy, customStrategy.{maxSurge,maxUnavailable,readinessDelay}\n"
         "  4. --environment TEST|ACC|PROD with --change major|minor|patch\n"
         "  5. nothing chosen: the workload is left byte for byte as it was\n"
         "A field given alone overrides the profile chosen at its level or a less specific one.\n"
         "\n"
      << options_of(c)
      << "\nSubcommands (each has its own --help):\n"
         "  rollout-pace plan [OPTIONS] < manifests.yaml   what each rollout will take; changes nothing\n"
         "  rollout-pace explain PROFILE [--replicas N]    the profile in words and its plan\n"
         "  rollout-pace flux [FILE|DIR]...                write spec.postRenderers kustomize patches into "
         "HelmReleases\n"
         "  rollout-pace fn < resource-list.yaml           a KRM function for kpt and kustomize\n"
         "\nExit codes: 0 success, 1 the input cannot be processed safely, 2 bad usage.\n";
  return out.str();
}

namespace {

command command_of(std::vector<std::string>& rest) {
  if (rest.empty()) return command::rewrite;
  for (command c : {command::plan, command::explain, command::flux, command::fn})
    if (rest[0] == display_name(c)) {
      rest.erase(rest.begin());
      return c;
    }
  return command::rewrite;
}

po::variables_map parse(command c, const std::vector<std::string>& rest) {
  po::options_description all = all_options();
  all.add_options()("file", po::value<std::vector<std::string>>()->composing(), "input files");
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  try {
    auto style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(rest).options(all).positional(positional).style(style).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    usage(std::string(e.what()) + " " + see_help(c));
  }
  const std::vector<std::string>& mine = names_for(c);
  for (const auto& [name, value] : vm) {
    if (name == "file" || std::find(mine.begin(), mine.end(), name) != mine.end()) continue;
    if (c == command::flux && name == "values")
      usage("--values does not apply to flux: it reads each HelmRelease's spec.values");
    std::string cmd = c == command::rewrite ? "the post-renderer" : std::string(display_name(c));
    usage("--" + name + " does not apply to " + cmd + " " + see_help(c));
  }
  return vm;
}

// The positional arguments: explain's profile, flux's files; none for the others.
void take_positional(command_line& cl, po::variables_map& vm) {
  if (!vm.count("file")) return;
  cl.files = vm["file"].as<std::vector<std::string>>();
  if (cl.what == command::explain) {
    if (cl.files.size() != 1) usage("explain takes one profile: rollout-pace explain PROFILE [--replicas N]");
    vm.insert({"profile", po::variable_value(cl.files[0], false)});
    cl.files.clear();
  } else if (cl.what != command::flux) {
    usage("unexpected argument \"" + cl.files[0] + "\": the manifests come on standard input " + see_help(cl.what));
  }
}

void read_choice(const po::variables_map& vm, options& o) {
  if (vm.count("profile")) {
    const std::string& name = vm["profile"].as<std::string>();
    o.flags.profile = parse_profile_name(name);
    if (!o.flags.profile)
      usage("--profile: \"" + name + "\" is not a profile (" + std::string(profile_names_list()) + ")");
  }
  o.flags.overrides.max_surge = parsed<int_or_percent>(vm, "max-surge", parse_int_or_percent);
  o.flags.overrides.max_unavailable = parsed<int_or_percent>(vm, "max-unavailable", parse_int_or_percent);
  o.flags.overrides.min_ready_seconds = parsed<std::int32_t>(vm, "min-ready-seconds", parse_seconds);
  if (vm.count("change") && !vm.count("environment")) usage("--change needs --environment TEST|ACC|PROD");
  if (vm.count("environment")) o.environment = vm["environment"].as<std::string>();
  if (vm.count("change")) o.change = vm["change"].as<std::string>();
}

void read_kinds(const po::variables_map& vm, command_line& cl) {
  options& o = cl.opts;
  if (vm.count("kinds")) {
    std::string list = vm["kinds"].as<std::string>();
    for (std::size_t at = 0; at <= list.size();) {
      std::size_t comma = list.find(',', at);
      std::string name = list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
      if (!find_kind(name)) usage("--kinds: \"" + name + "\" is not a kind rollout-pace paces (" + kind_names() + ")");
      o.kinds.push_back(name);
      if (comma == std::string::npos) break;
      at = comma + 1;
    }
  }
  if (cl.what == command::explain) {
    if (o.kinds.size() > 1) usage("--kinds: explain takes one kind, e.g. --kinds StatefulSet");
    cl.explain_kind = find_kind(o.kinds.empty() ? "Deployment" : o.kinds.front());
  }
  if (vm.count("kube-version")) {
    const std::string& v = vm["kube-version"].as<std::string>();
    std::optional<kube_version> k = parse_kube_version(v);
    if (!k) usage("--kube-version: \"" + v + "\" is not a version such as 1.37 or 1.35.4");
    o.kube = *k;
  }
}

void read_plan_flags(const po::variables_map& vm, command_line& cl) {
  options& o = cl.opts;
  if (vm.count("timeout")) {
    try {
      o.timeout_ns = parse_duration(vm["timeout"].as<std::string>());
    } catch (const std::invalid_argument& e) {
      usage(std::string("--timeout: ") + e.what());
    }
  }
  if (auto v = count(vm, "pod-startup", "seconds")) o.pod_startup_seconds = *v;
  if (auto v = count(vm, "nodes", "nodes")) o.nodes = *v;
  if (auto v = count(vm, "replicas", "replicas")) cl.replicas = *v;
  if (vm.count("namespace")) {
    o.release_namespace = vm["namespace"].as<std::string>();
  } else if (const char* env = std::getenv("HELM_NAMESPACE"); env && *env) {  // Helm sets it for plugins
    o.release_namespace = env;
  }
  if (o.release_namespace.empty()) usage("--namespace: give a namespace");
  if (vm.count("scale"))
    for (const std::string& list : vm["scale"].as<std::vector<std::string>>())
      for (std::size_t at = 0; at <= list.size();) {
        std::size_t comma = std::min(list.find(',', at), list.size());
        std::string one = list.substr(at, comma - at);
        std::size_t slash = one.find('/'), eq = one.find('=', slash == std::string::npos ? 0 : slash);
        const workload_kind* k = slash == std::string::npos ? nullptr : find_kind(one.substr(0, slash));
        std::optional<std::int64_t> n;
        try {
          if (eq != std::string::npos) n = parse_count(one.substr(eq + 1), "replicas");
        } catch (const rule_error&) {}
        if (!k || eq == std::string::npos || eq == slash + 1 || !n)
          usage("--scale: \"" + one +
                "\" is not KIND/NAME=N (a kind rollout-pace paces, a name, replicas 0 to 2147483647)");
        o.scales.push_back({std::string(k->kind), one.substr(slash + 1, eq - slash - 1), *n});
        at = comma + 1;
      }
  if (vm.count("format")) {
    try {
      cl.format = parse_plan_format(vm["format"].as<std::string>());
    } catch (const std::invalid_argument& e) {
      usage(e.what());
    }
    if (cl.what == command::explain && cl.format != plan_format::table && cl.format != plan_format::json)
      usage("--format: explain writes one workload's plan as table or json");
  }
}

void read_flux_flags(const po::variables_map& vm, command_line& cl) {
  options& o = cl.opts;
  if (vm.count("set")) {
    if (o.flags.profile) usage("--set names the profile; --profile is not needed");
    choice wanted;
    const std::string& name = vm["set"].as<std::string>();
    wanted.profile = parse_profile_name(name);
    if (!wanted.profile) usage("--set: \"" + name + "\" is not a profile (" + std::string(profile_names_list()) + ")");
    wanted.overrides = o.flags.overrides;  // the fields go into spec.values with the profile
    o.flags = choice{};
    o.set_values = wanted;
  }
  o.fit_timeout = vm.count("fit-timeout") > 0;
  o.check = vm.count("check") > 0;
  if (o.check && cl.files.empty()) usage("--check applies to flux FILE|DIR...");
  if (o.check && (o.set_values || o.fit_timeout))
    usage("--check changes nothing: it does not go with --set or --fit-timeout");
}

}  // namespace

command_line parse_command_line(const std::vector<std::string>& args) {
  command_line cl;
  std::vector<std::string> rest = args;
  cl.what = command_of(rest);
  po::variables_map vm = parse(cl.what, rest);
  if (vm.count("help")) {
    cl.help = true;
    return cl;
  }
  if (vm.count("version")) {
    cl.version = true;
    return cl;
  }
  take_positional(cl, vm);
  options& o = cl.opts;
  read_choice(vm, o);
  if (vm.count("values")) cl.values_files = vm["values"].as<std::vector<std::string>>();
  if (vm.count("values-key")) {
    o.values_key = vm["values-key"].as<std::string>();
    if (o.values_key.empty() || o.values_key.find_first_of(" \t.") != std::string::npos)
      usage("--values-key: \"" + o.values_key + "\" is not a top-level values key (a name such as rolloutPace)");
  }
  if (vm.count("previous")) cl.previous_file = vm["previous"].as<std::string>();
  if (cl.what == command::explain && !o.flags.profile && o.flags.overrides.empty())
    usage("explain needs a profile: rollout-pace explain PROFILE [--replicas N]");
  if (!o.environment.empty()) {
    try {
      // With --previous and no --change, each workload's change chooses; check the names now.
      o.matrix.profile = matrix_profile(o.environment, !o.change.empty()           ? o.change
                                                       : !cl.previous_file.empty() ? "major"
                                                                                   : "");
      if (!cl.previous_file.empty() && o.change.empty()) o.matrix.profile.reset();
    } catch (const std::invalid_argument& e) {
      usage(e.what());
    }
  }
  read_plan_flags(vm, cl);
  read_kinds(vm, cl);
  if (cl.what == command::flux) read_flux_flags(vm, cl);
  o.strict = vm.count("strict") > 0;
  if (vm.count("accept")) {
    for (const std::string& list : vm["accept"].as<std::vector<std::string>>()) {
      try {
        for (std::string& id : parse_accept(list)) o.accept.push_back(std::move(id));
      } catch (const std::invalid_argument& e) {
        usage(std::string("--accept: ") + e.what());
      }
    }
  }
  o.include_hooks = vm.count("include-hooks") > 0;
  o.report = vm.count("report") > 0;
  if (vm.count("log-file")) cl.log_file = vm["log-file"].as<std::string>();
  return cl;
}

void read_inputs(command_line& cl) {
  options& o = cl.opts;
  std::vector<values_file> values;
  for (const std::string& path : cl.values_files) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      usage("--values " + path + ": is a directory; name a values file, as with helm -f");
    try {
      values.push_back({path, read_file(path)});
    } catch (const failure& f) {
      usage(std::string("--values ") + f.what());
    }
  }
  if (!values.empty()) o.values = parse_values(values, o.values_key, &cl.notes);
  if (!cl.previous_file.empty()) {
    std::string text;
    try {
      text = read_file(cl.previous_file);
    } catch (const failure& f) {
      usage(std::string("--previous ") + f.what());
    }
    o.previous = std::make_shared<const previous_release>(std::move(text), cl.previous_file);
  }
}

}  // namespace rollout_pace
