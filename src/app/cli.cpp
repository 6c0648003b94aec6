#include "app/cli.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <set>
#include <sstream>

#include "app/version.h"
#include "base/diagnostic.h"
#include "base/duration.h"
#include "base/files.h"
#include "base/text.h"
#include "commands/flags.h"
#include "kube/kinds.h"
#include "kube/rules.h"
#include "manifest/change.h"
#include "manifest/values.h"
#include "pace/choose.h"
#include "pace/warnings.h"

namespace po = boost::program_options;

namespace rollout_pace {
namespace {

// A Boost.ProgramOptions option for a row of the flag table.
void add_option(po::options_description& d, const flag& f) {
  std::string names = f.short_name ? f.name + "," + std::string(1, f.short_name) : f.name;
  if (f.value_name.empty()) {
    d.add_options()(names.c_str(), f.help_line().c_str());
  } else if (f.repeatable) {
    d.add_options()(names.c_str(), po::value<std::vector<std::string>>()->value_name(f.value_name)->composing(),
                    f.help_line().c_str());
  } else {
    d.add_options()(names.c_str(), po::value<std::string>()->value_name(f.value_name), f.help_line().c_str());
  }
}

// The options a command takes, in the table's order, as its --help lists them.
po::options_description options_of(command c) {
  po::options_description mine("Options", 110);
  for (const flag* f : flags_of(c)) add_option(mine, *f);
  return mine;
}

// Every flag of every command, once: what the parser knows, so that a flag of another command is
// refused by name.
po::options_description all_options() {
  po::options_description all("Options", 110);
  std::vector<std::string> seen;
  for (const flag& f : flags()) {
    if (std::find(seen.begin(), seen.end(), f.name) != seen.end()) continue;
    seen.push_back(f.name);
    add_option(all, f);
  }
  return all;
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

namespace {

// The post-renderer's profile table and precedence, from the profile table.
std::string profiles_text() {
  std::string out =
      "Profiles (names match in any case):\n  Profile    maxSurge  maxUnavailable  minReadySeconds  meant for\n";
  auto cell = [](std::string text, std::size_t width) {
    return text.append(width > text.size() ? width - text.size() : 1, ' ');
  };
  for (profile_name p : all_profiles()) {
    pace v = profile_values(p);
    out += "  " + cell(std::string(display_name(p)), 11) + cell(v.max_surge ? v.max_surge->text() : "given", 10) +
           cell(v.max_unavailable ? v.max_unavailable->text() : "given", 16) +
           cell(v.min_ready_seconds ? std::to_string(*v.min_ready_seconds) : "given", 17) + std::string(meant_for(p)) +
           "\n";
  }
  return out +
         "\n"
         "Choosing a profile, most specific first:\n"
         "  1. the workload's annotations rollout-pace/profile, rollout-pace/max-surge,\n"
         "     rollout-pace/max-unavailable, rollout-pace/min-ready-seconds (rollout-pace/skip: \"true\" skips it)\n"
         "  2. --profile, --max-surge, --max-unavailable, --min-ready-seconds\n"
         "  3. --values files: deploymentStrategy, customStrategy.{maxSurge,maxUnavailable,readinessDelay}\n"
         "  4. --environment TEST|ACC|PROD with --change major|minor|patch\n"
         "  5. nothing chosen: the workload is left byte for byte as it was\n"
         "A field given alone overrides the profile chosen at its level or a less specific one.\n";
}

// fn's config keys, from the flag table.
std::string config_keys_text() {
  std::string out = "Config keys (a RolloutPace's spec or a ConfigMap's data), each the option of its name:\n", line;
  for (const flag* f : flags_of(command::fn)) {
    if (f->config_key.empty()) continue;
    if (line.size() + f->config_key.size() > 96) out += "  " + line + "\n", line.clear();
    line += f->config_key + ", ";
  }
  return out + "  " + line.substr(0, line.size() - 2) + "\n";
}

}  // namespace

std::string help_text(command c) {
  const command_info& info = info_of(c);
  std::ostringstream out;
  out << "rollout-pace " ROLLOUT_PACE_VERSION " - a Helm post-renderer that paces rollouts by profile\n\n";
  out << "Usage: " << info.usage << "\n" << info.about;
  if (c == command::rewrite) out << "\n" << profiles_text();
  if (c == command::fn) out << config_keys_text();
  out << "\n" << options_of(c);
  if (c == command::rewrite) {
    out << "\nSubcommands (each has its own --help):\n";
    for (const command_info& i : commands())
      if (i.what != command::rewrite)
        out << "  rollout-pace " << std::left << std::setw(9) << std::string(display_name(i.what)) << i.summary << "\n";
    out << "\nExit codes: 0 success, 1 the input cannot be processed safely, 2 bad usage.\n";
  }
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
  } catch (const po::unknown_option& e) {
    std::string given = e.get_option_name();
    std::vector<std::string> names;
    for (const flag* f : flags_of(c)) names.push_back("--" + f->name);
    usage(std::string(e.what()) + did_you_mean(given, names) + " " + see_help(c));
  } catch (const po::error& e) {
    usage(std::string(e.what()) + " " + see_help(c));
  }
  for (const auto& [name, value] : vm) {
    if (name == "file" || find_flag(c, name)) continue;
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
    std::vector<std::string> names;
    for (const command_info& i : commands())
      if (i.what != command::rewrite) names.emplace_back(display_name(i.what));
    std::string hint = cl.what == command::rewrite ? did_you_mean(cl.files[0], names) : "";
    usage("unexpected argument \"" + cl.files[0] + "\": the manifests come on standard input" + hint + " " +
          see_help(cl.what));
  }
}

void read_choice(const po::variables_map& vm, options& o) {
  for (const char* field : {"profile", "max-surge", "max-unavailable", "min-ready-seconds"}) {
    if (!vm.count(field)) continue;
    try {
      set_choice_field(o.flags, field, vm[field].as<std::string>());
    } catch (const unknown_profile& e) {
      usage("--profile: " + not_a_profile(e.name));
    } catch (const rule_error& e) {
      usage(std::string("--") + field + ": " + e.what());
    }
  }
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
      if (!find_kind(name)) {
        std::vector<std::string> kinds;
        for (const workload_kind& k : workload_kinds()) kinds.emplace_back(k.kind);
        usage("--kinds: \"" + name + "\" is not a kind rollout-pace paces (" + kind_names() + ")" +
              did_you_mean(name, kinds));
      }
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
  if (vm.count("wait")) {
    const std::string& w = vm["wait"].as<std::string>();
    if (w != "watcher" && w != "legacy") usage("--wait: \"" + w + "\" is not watcher or legacy (Helm 4's names)");
    o.wait = w == "legacy" ? helm_wait::legacy : helm_wait::watcher;
    o.wait_given = true;
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
  if (vm.count("input-name")) {
    cl.input_name = vm["input-name"].as<std::string>();
    if (cl.input_name.empty()) usage("--input-name: give the file the manifests came from");
  }
}

void read_flux_flags(const po::variables_map& vm, command_line& cl) {
  options& o = cl.opts;
  if (vm.count("set")) {
    if (o.flags.profile) usage("--set names the profile; --profile is not needed");
    choice wanted;
    const std::string& name = vm["set"].as<std::string>();
    wanted.profile = parse_profile_name(name);
    if (!wanted.profile) usage("--set: " + not_a_profile(name));
    wanted.overrides = o.flags.overrides;  // the fields go into spec.values with the profile
    o.flags = choice{};
    o.set_values = wanted;
  }
  o.fit_timeout = vm.count("fit-timeout") > 0;
  o.check = vm.count("check") > 0;
  if (vm.count("chart")) {
    o.chart = vm["chart"].as<std::string>();
    if (o.chart.empty()) usage("--chart: give the chart's folder or .tgz");
    if (o.chart.find(' ') != std::string::npos)  // the entry records it as --chart=PATH, one word
      usage("--chart: a path with a space cannot be recorded in the entry; use a path without one");
  }
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
        for (warning_id id : parse_accept(list)) o.accept.push_back(id);
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

}  // namespace rollout_pace
