#define BOOST_TEST_MODULE argocd_settings
// The Argo CD plugins' settings (app/argocd.h): an Application gives settings, never command lines.
// What each setting becomes, word for word, and what is refused.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "base/diagnostic.h"
#include "commands/argocd.h"

using namespace rollout_pace;
namespace fs = std::filesystem;

namespace {

struct app_folder {
  fs::path dir = fs::temp_directory_path() / ("argocd-settings-" + std::to_string(::getpid()));
  app_folder() {
    fs::create_directories(dir / "env");
    std::ofstream(dir / "env" / "prod.yaml") << "replicaCount: 3\n";
    std::ofstream(dir / "Chart.yaml") << "apiVersion: v2\nname: shop\nversion: 1.0.0\n";
  }
  ~app_folder() { fs::remove_all(dir); }
};

environment argo(environment more) {
  environment env{{"ARGOCD_APP_NAME", "shop"},
                  {"ARGOCD_APP_NAMESPACE", "shop-prod"},
                  {"KUBE_VERSION", "v1.33.2+k3s1"},
                  {"KUBE_API_VERSIONS", "v1,apps/v1"},
                  {"PATH", "/bin"}};
  for (auto& [k, v] : more) env[k] = v;
  return env;
}

std::string refusal(const environment& env, const fs::path& dir) {
  try {
    plan_argocd_helm(env, dir);
  } catch (const failure& f) {
    BOOST_TEST((f.code() == exit_code::bad_usage));
    return f.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_setting_becomes_one_word_of_the_form_flag_equals_value) {
  app_folder app;
  argocd_helm_plan p = plan_argocd_helm(argo({{"ARGOCD_ENV_PROFILE", "Cautious"},
                                              {"ARGOCD_ENV_VALUES", "env/prod.yaml"},
                                              {"ARGOCD_ENV_SET", "image.tag=$(id),a=b c"},
                                              {"ARGOCD_ENV_CHART_VERSION", ">=1.0.0"},
                                              {"ARGOCD_ENV_ACCEPT", "timeout,cannot-surge"},
                                              {"ARGOCD_ENV_STRICT", "true"},
                                              {"ARGOCD_ENV_CHANGE", ""}}),
                                        app.dir);
  std::vector<std::string> helm{"helm",
                                "template",
                                "shop",
                                ".",
                                "--namespace=shop-prod",
                                "--kube-version=1.33.2",
                                "--api-versions=v1,apps/v1",
                                "--values=env/prod.yaml",
                                "--set=image.tag=$(id),a=b c",
                                "--version=>=1.0.0"};
  std::vector<std::string> pace{"--kube-version=1.33.2", "--values=env/prod.yaml", "--profile=Cautious",
                                "--accept=timeout,cannot-surge", "--strict"};
  BOOST_TEST(p.helm == helm, boost::test_tools::per_element());
  BOOST_TEST(p.pace == pace, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(anything_not_on_the_list_or_not_what_its_setting_takes_is_refused) {
  app_folder app;
  fs::create_symlink("/etc", app.dir / "etc");
  BOOST_TEST(refusal(argo({{"ARGOCD_ENV_HELM_ARGS", "--post-renderer=sh"}}), app.dir)
                 .rfind("ARGOCD_ENV_HELM_ARGS: not a setting of rollout-pace-helm", 0) == 0u);
  BOOST_TEST(refusal(argo({{"ARGOCD_ENV_LOG_FILE", "/tmp/x"}}), app.dir).rfind("ARGOCD_ENV_LOG_FILE: ", 0) == 0u);
  for (const char* bad :
       {"../x.yaml", "/etc/passwd", "etc/passwd", "env/../../x.yaml", "-", "--values=x", "env/missing.yaml", "env"})
    BOOST_TEST(refusal(argo({{"ARGOCD_ENV_VALUES", bad}}), app.dir).rfind("ARGOCD_ENV_VALUES: ", 0) == 0u, bad);
  BOOST_TEST(refusal(argo({{"ARGOCD_ENV_PROFILE", "Blitz --log-file=x"}}), app.dir) ==
             "ARGOCD_ENV_PROFILE: \"Blitz --log-file=x\" is not a profile name");
  BOOST_TEST(refusal(argo({{"ARGOCD_ENV_STRICT", "yes"}}), app.dir) ==
             "ARGOCD_ENV_STRICT: \"yes\" is not true or false");
  BOOST_TEST(refusal(argo({{"ARGOCD_ENV_KUBE_VERSION", "1.30\n"}}), app.dir).rfind("ARGOCD_ENV_KUBE_VERSION: ", 0) ==
             0u);
  BOOST_TEST(refusal(argo({{"ARGOCD_ENV_SET", "a=1, customStrategy.maxSurge=3"}}), app.dir)
                 .rfind("ARGOCD_ENV_SET: rollout-pace's own values keys", 0) == 0u);
  BOOST_TEST(refusal(argo({{"ARGOCD_APP_NAME", "--kubeconfig=/x"}}), app.dir).rfind("ARGOCD_APP_NAME: ", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(kpt_runs_rollout_pace_alone_with_the_package_config) {
  app_folder app;
  std::ofstream(app.dir / "Kptfile")
      << "apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata: {name: p}\npipeline:\n"
         "  mutators:\n    - exec: ./bin/rollout-pace fn\n      configPath: env/prod.yaml\n";
  std::vector<std::string> argv = plan_argocd_kpt({{"PATH", "/bin"}}, app.dir, "/opt/rollout-pace");
  std::vector<std::string> want{
      "kpt", "fn", "eval", ".", "--exec=/opt/rollout-pace", "--output=unwrap", "--fn-config=env/prod.yaml"};
  BOOST_TEST(argv == want, boost::test_tools::per_element());
  std::ofstream(app.dir / "Kptfile", std::ios::app) << "    - image: gcr.io/x/set-labels:v1\n";
  BOOST_CHECK_THROW(plan_argocd_kpt({}, app.dir, "/opt/rollout-pace"), failure);
}

BOOST_AUTO_TEST_CASE(kpt_output_keeps_the_cluster_resources_byte_for_byte) {
  std::string in =
      "apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata: {name: p}\n---\n"
      "apiVersion: v1\nkind: ConfigMap  # kept\nmetadata: {name: a}\n---\n"
      "apiVersion: x/v1\nkind: RolloutPace\nmetadata:\n  name: c\n  annotations:\n"
      "    config.kubernetes.io/local-config: \"true\"\n---\n"
      "apiVersion: v1\nkind: Service\nmetadata: {name: b}\n";
  BOOST_TEST(without_local_config(in) ==
             "apiVersion: v1\nkind: ConfigMap  # kept\nmetadata: {name: a}\n---\n"
             "apiVersion: v1\nkind: Service\nmetadata: {name: b}\n");
}
