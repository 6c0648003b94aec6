#include "rollout_pace/cli.h"

#include <boost/program_options.hpp>

#include <sstream>

#include "rollout_pace/change.h"
#include "rollout_pace/diagnostic.h"
#include "rollout_pace/files.h"
#include "rollout_pace/kube_rules.h"
#include "rollout_pace/plan_format.h"
#include "rollout_pace/release_plan.h"
#include "rollout_pace/values.h"
#include "rollout_pace/version.h"
#include "rollout_pace/workload_kind.h"

namespace po = boost::program_options;

namespace rollout_pace {
namespace {

po::options_description describe_options() {
  po::options_description d("Options", 100);
  d.add_options()
    ("profile", po::value<std::string>()->value_name("NAME"), "Blitz, Cautious, Paranoid or Custom (any case)")
    ("max-surge", po::value<std::string>()->value_name("N|N%"), "override maxSurge")
    ("max-unavailable", po::value<std::string>()->value_name("N|N%"), "override maxUnavailable")
    ("min-ready-seconds", po::value<std::string>()->value_name("S"), "override minReadySeconds")
    ("values,f", po::value<std::vector<std::string>>()->value_name("FILE")->composing(),
     "Helm values file with deploymentStrategy/customStrategy; repeatable, later files win")
    ("environment", po::value<std::string>()->value_name("ENV"), "TEST, ACC or PROD: choose by the matrix")
    ("change", po::value<std::string>()->value_name("KIND"), "major, minor or patch (ACC and PROD need it, or --previous)")
    ("previous", po::value<std::string>()->value_name("FILE"),
     "the running release's manifests (helm get manifest RELEASE): find major/minor/patch from the images")
    ("strict", "treat warnings as errors")
    ("include-hooks", "also pace documents with a helm.sh/hook annotation (Helm 4 sends hooks)")
    ("report", "print one line per workload on stderr: profile, where it came from, old -> new, or why not")
    ("timeout", po::value<std::string>()->value_name("DURATION"),
     "warn when the release takes longer than this (Helm's syntax: 5m0s, 300s, 1h; default 5m0s, Helm's and Flux's)")
    ("pod-startup", po::value<std::string>()->value_name("S"), "plan: seconds from a pod's creation to ready (default 10)")
    ("format", po::value<std::string>()->value_name("FORMAT"), "plan, explain: table (default), json, markdown or mermaid")
    ("replicas", po::value<std::string>()->value_name("N"), "explain: the replicas to plan for (default 4)")
    ("kinds", po::value<std::string>()->value_name("LIST"),
     "the kinds to pace, comma-separated (default: Deployment,DaemonSet,StatefulSet,Rollout)")
    ("kube-version", po::value<std::string>()->value_name("1.X"),
     "the cluster's Kubernetes version, for fields older API servers drop (default: the newest known, 1.35)")
    ("nodes", po::value<std::string>()->value_name("N"), "plan: the nodes a DaemonSet runs on (default 3)")
    ("set", po::value<std::string>()->value_name("PROFILE"),
     "flux: write this profile (with --max-surge/--max-unavailable/--min-ready-seconds) into spec.values")
    ("fit-timeout", "flux: raise spec.timeout to the rollout's estimate plus a margin (never lowers it)")
    ("check", "flux: change nothing; exit 1 naming each HelmRelease whose rollout-pace entry is missing or stale")
    ("log-file", po::value<std::string>()->value_name("FILE"), "also append every diagnostic to FILE (or set ROLLOUT_PACE_LOG)")
    ("help,h", "show this help")
    ("version", "print the version");
  return d;
}

template <typename T, typename F>
std::optional<T> parsed(const po::variables_map& vm, const char* name, F parse) {
  if (!vm.count(name)) return std::nullopt;
  const std::string& text = vm[name].as<std::string>();
  try {
    return parse(text);
  } catch (const rule_error& e) {
    throw failure(exit_code::bad_usage, std::string("--") + name + ": " + e.what());
  }
}

}  // namespace

std::string help_text() {
  std::ostringstream out;
  out << "rollout-pace " ROLLOUT_PACE_VERSION " - a Helm post-renderer that paces rollouts by profile\n"
         "\n"
         "Usage: helm install|upgrade|template ... --post-renderer rollout-pace [--post-renderer-args ARG]...\n"
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
      << describe_options()
      << "\nSubcommands:\n"
         "  rollout-pace plan [OPTIONS] < manifests.yaml   what each rollout will take; changes nothing\n"
         "  rollout-pace explain PROFILE [--replicas N]    the profile in words and its plan\n"
         "  rollout-pace flux [FILE|DIR]...                write spec.postRenderers kustomize patches into HelmReleases\n"
         "\nExit codes: 0 success, 1 the input cannot be processed safely, 2 bad usage.\n";
  return out.str();
}

command_line parse_command_line(const std::vector<std::string>& args) {
  command_line cl;
  std::vector<std::string> rest = args;
  if (!rest.empty() && (rest[0] == "flux" || rest[0] == "plan" || rest[0] == "explain")) {
    cl.what = rest[0] == "flux" ? command_line::action::flux
              : rest[0] == "plan" ? command_line::action::plan : command_line::action::explain;
    rest.erase(rest.begin());
  }
  po::options_description all = describe_options();
  all.add_options()("file", po::value<std::vector<std::string>>()->composing(), "input files");
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(rest).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw failure(exit_code::bad_usage, std::string(e.what()) + " (see --help)");
  }
  if (vm.count("help")) { cl.what = command_line::action::help; return cl; }
  if (vm.count("version")) { cl.what = command_line::action::version; return cl; }
  if (vm.count("file")) {
    cl.files = vm["file"].as<std::vector<std::string>>();
    if (cl.what == command_line::action::explain) {
      if (cl.files.size() != 1 || vm.count("profile"))
        throw failure(exit_code::bad_usage, "explain takes one profile: rollout-pace explain PROFILE [--replicas N]");
      vm.insert({"profile", po::variable_value(cl.files[0], false)});
      cl.files.clear();
    } else if (cl.what != command_line::action::flux)
      throw failure(exit_code::bad_usage, "unexpected argument \"" + cl.files[0] +
                                              "\": the manifests come on standard input (see --help)");
  }
  options& o = cl.opts;
  if (vm.count("profile")) {
    const std::string& name = vm["profile"].as<std::string>();
    o.flags.profile = parse_profile_name(name);
    if (!o.flags.profile)
      throw failure(exit_code::bad_usage, "--profile: \"" + name + "\" is not a profile (" +
                                              std::string(profile_names_list()) + ")");
  }
  o.flags.overrides.max_surge = parsed<int_or_percent>(vm, "max-surge", parse_int_or_percent);
  o.flags.overrides.max_unavailable = parsed<int_or_percent>(vm, "max-unavailable", parse_int_or_percent);
  o.flags.overrides.min_ready_seconds = parsed<std::int32_t>(vm, "min-ready-seconds", parse_seconds);
  if (vm.count("values") && cl.what == command_line::action::flux)
    throw failure(exit_code::bad_usage, "--values does not apply to flux: it reads each HelmRelease's spec.values");
  if (vm.count("values")) o.values = read_values_files(vm["values"].as<std::vector<std::string>>());
  if (vm.count("change") && !vm.count("environment"))
    throw failure(exit_code::bad_usage, "--change needs --environment TEST|ACC|PROD");
  if (vm.count("previous")) {
    const std::string& path = vm["previous"].as<std::string>();
    std::string text;
    try {
      text = read_file(path);
    } catch (const failure& f) {
      throw failure(exit_code::bad_usage, std::string("--previous ") + f.what());
    }
    o.previous = std::make_shared<const previous_release>(text, path);
  }
  if (vm.count("environment")) {
    o.environment = vm["environment"].as<std::string>();
    if (vm.count("change")) o.change = vm["change"].as<std::string>();
    try {
      // With --previous and no --change, each workload's change chooses; check the names now.
      o.matrix.profile = matrix_profile(o.environment, !o.change.empty() ? o.change : o.previous ? "major" : "");
      if (o.previous && o.change.empty()) o.matrix.profile.reset();
    } catch (const std::invalid_argument& e) {
      throw failure(exit_code::bad_usage, e.what());
    }
  }
  if (cl.what == command_line::action::explain && !o.flags.profile && o.flags.overrides.empty())
    throw failure(exit_code::bad_usage, "explain needs a profile: rollout-pace explain PROFILE [--replicas N]");
  if (vm.count("timeout")) {
    try {
      o.timeout_seconds = parse_duration(vm["timeout"].as<std::string>());
    } catch (const std::invalid_argument& e) {
      throw failure(exit_code::bad_usage, std::string("--timeout: ") + e.what());
    }
  }
  auto count = [&](const char* name, std::int64_t low) -> std::optional<std::int64_t> {
    if (!vm.count(name)) return std::nullopt;
    try {
      std::int64_t v = parse_seconds(vm[name].as<std::string>());
      if (v < low) throw rule_error("must be at least " + std::to_string(low));
      return v;
    } catch (const rule_error& e) {
      throw failure(exit_code::bad_usage, std::string("--") + name + ": " + e.what());
    }
  };
  if (auto v = count("pod-startup", 0)) o.pod_startup_seconds = *v;
  if (auto v = count("nodes", 0)) o.nodes = *v;
  if (vm.count("kinds")) {
    std::string list = vm["kinds"].as<std::string>();
    for (std::size_t at = 0; at <= list.size();) {
      std::size_t comma = list.find(',', at);
      std::string name = list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
      if (!find_kind(name))
        throw failure(exit_code::bad_usage, "--kinds: \"" + name + "\" is not a kind rollout-pace paces (" + kind_names() + ")");
      o.kinds.push_back(name);
      if (comma == std::string::npos) break;
      at = comma + 1;
    }
  }
  if (vm.count("kube-version")) {
    const std::string& v = vm["kube-version"].as<std::string>();
    bool ok = v.size() > 2 && v.compare(0, 2, "1.") == 0 && v.find_first_not_of("0123456789", 2) == std::string::npos &&
              v.size() < 6;
    if (!ok) throw failure(exit_code::bad_usage, "--kube-version: \"" + v + "\" is not a version such as 1.34");
    o.kube_minor = std::stoi(v.substr(2));
  }
  if (auto v = count("replicas", 0)) cl.replicas = *v;
  if (vm.count("format")) {
    if (cl.what != command_line::action::plan && cl.what != command_line::action::explain)
      throw failure(exit_code::bad_usage, "--format applies to plan and explain");
    cl.format = vm["format"].as<std::string>();
    try {
      parse_plan_format(cl.format);
    } catch (const std::invalid_argument& e) {
      throw failure(exit_code::bad_usage, e.what());
    }
  }
  if ((vm.count("set") || vm.count("fit-timeout")) && cl.what != command_line::action::flux)
    throw failure(exit_code::bad_usage, std::string(vm.count("set") ? "--set" : "--fit-timeout") + " applies to flux");
  if (vm.count("set")) {
    if (o.flags.profile) throw failure(exit_code::bad_usage, "--set names the profile; --profile is not needed");
    choice wanted;
    const std::string& name = vm["set"].as<std::string>();
    wanted.profile = parse_profile_name(name);
    if (!wanted.profile)
      throw failure(exit_code::bad_usage, "--set: \"" + name + "\" is not a profile (" + std::string(profile_names_list()) + ")");
    wanted.overrides = o.flags.overrides;  // the fields go into spec.values with the profile
    o.flags = choice{};
    o.set_values = wanted;
  }
  o.fit_timeout = vm.count("fit-timeout") > 0;
  o.check = vm.count("check") > 0;
  if (o.check && (cl.what != command_line::action::flux || cl.files.empty()))
    throw failure(exit_code::bad_usage, "--check applies to flux FILE|DIR...");
  if (o.check && (o.set_values || o.fit_timeout))
    throw failure(exit_code::bad_usage, "--check changes nothing: it does not go with --set or --fit-timeout");
  o.strict = vm.count("strict") > 0;
  o.include_hooks = vm.count("include-hooks") > 0;
  o.report = vm.count("report") > 0;
  if (vm.count("log-file")) cl.log_file = vm["log-file"].as<std::string>();

  return cl;
}

}  // namespace rollout_pace
