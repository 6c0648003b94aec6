#define BOOST_TEST_MODULE rewrite
#include "commands/rewrite.h"

#include <boost/test/unit_test.hpp>

using namespace rollout_pace;

namespace {
options with(profile_name p) {
  options o;
  o.flags.profile = p;
  return o;
}
const std::string deployment =
    "---\n# Source: web/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
    "spec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: web\n        image: web\n"
    "        readinessProbe: {tcpSocket: {port: 80}}\n";
const std::string service =
    "---\n# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n";
}  // namespace

BOOST_AUTO_TEST_CASE(paranoid_deployment_gets_its_three_fields) {
  options o = with(profile_name::paranoid);
  o.timeout_ns = std::int64_t{3600} * 1000000000;  // Paranoid on 2 replicas takes 10 min 20 s: no timeout warning
  result r = rewrite(service + deployment, o);
  BOOST_TEST(static_cast<int>(r.code) == 0);
  BOOST_TEST(r.output() ==
             service +
                 "---\n# Source: web/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\n"
                 "metadata:\n  name: web\nspec:\n  minReadySeconds: 300\n  strategy:\n    type: RollingUpdate\n"
                 "    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n  replicas: 2\n  template:\n"
                 "    spec:\n      containers:\n      - name: web\n        image: web\n"
                 "        readinessProbe: {tcpSocket: {port: 80}}\n");
  BOOST_TEST(r.diagnostics.empty());
}

BOOST_AUTO_TEST_CASE(second_run_changes_nothing) {
  result once = rewrite(deployment, with(profile_name::blitz));
  result twice = rewrite(once.output(), with(profile_name::blitz));
  BOOST_TEST(twice.output() == once.output());
}

BOOST_AUTO_TEST_CASE(nothing_chosen_is_byte_for_byte) {
  result r = rewrite(service + deployment, options{});
  BOOST_TEST(r.output() == service + deployment);
}

BOOST_AUTO_TEST_CASE(an_error_leaves_the_output_empty_and_comes_last) {
  std::string bad = deployment;
  bad.replace(bad.find("metadata:\n"), 10, "metadata:\n  annotations:\n    rollout-pace/max-unavailable: \"150%\"\n");
  result r = rewrite(service + deployment + bad, with(profile_name::cautious));
  BOOST_TEST(static_cast<int>(r.code) == 1);
  BOOST_TEST(r.output().empty());
  BOOST_REQUIRE(!r.diagnostics.empty());
  BOOST_TEST((r.diagnostics.back().kind == diagnostic::level::error));
  BOOST_TEST(
      r.diagnostics.back().located() ==
      "document 3 (Deployment web, from web/templates/deployment.yaml): spec.strategy.rollingUpdate.maxUnavailable: "
      "\"150%\" must not be greater than 100% (maxSurge 25% from flag, maxUnavailable 150% from annotation)");
}

BOOST_AUTO_TEST_CASE(empty_input_gives_empty_output) {
  result r = rewrite("", with(profile_name::paranoid));
  BOOST_TEST(static_cast<int>(r.code) == 0);
  BOOST_TEST(r.output().empty());
}

BOOST_AUTO_TEST_CASE(input_over_256_mib_is_refused) {
  std::string big(max_input_bytes + 1, '#');
  result r = rewrite(big, with(profile_name::paranoid));
  BOOST_TEST(static_cast<int>(r.code) == 1);
  BOOST_TEST(r.output().empty());
  BOOST_TEST(r.diagnostics.back().text == "input is larger than 256 MiB (268435457 bytes); refusing to process it");
}

BOOST_AUTO_TEST_CASE(strict_turns_a_warning_into_the_error) {
  std::string no_probe = deployment.substr(0, deployment.find("        readinessProbe"));
  options o = with(profile_name::paranoid);
  BOOST_TEST(static_cast<int>(rewrite(no_probe, o).code) == 0);
  BOOST_TEST((rewrite(no_probe, o).diagnostics.at(0).kind == diagnostic::level::warning));
  o.strict = true;
  result r = rewrite(no_probe, o);
  BOOST_TEST(static_cast<int>(r.code) == 1);
  BOOST_TEST(r.output().empty());
}

BOOST_AUTO_TEST_CASE(report_names_profile_origin_and_old_and_new_values) {
  options o = with(profile_name::cautious);
  o.report = true;
  result r = rewrite(deployment, o);
  BOOST_REQUIRE(r.diagnostics.size() == 1u);
  BOOST_TEST(
      format(r.diagnostics[0]) ==
      "rollout-pace: report: document 1 (Deployment web, from web/templates/deployment.yaml): Cautious from flag: "
      "maxSurge unset -> 25%, maxUnavailable unset -> 0, minReadySeconds unset -> 30");
}

BOOST_AUTO_TEST_CASE(hooks_are_left_alone_unless_included) {
  std::string hook = deployment;
  hook.replace(hook.find("metadata:\n"), 10, "metadata:\n  annotations:\n    helm.sh/hook: pre-upgrade\n");
  BOOST_TEST(rewrite(hook, with(profile_name::paranoid)).output() == hook);
  options o = with(profile_name::paranoid);
  o.include_hooks = true;
  BOOST_TEST(rewrite(hook, o).output() != hook);
}

BOOST_AUTO_TEST_CASE(threads_do_not_change_the_output_or_the_first_error) {
  std::string stream;
  for (int i = 0; i < 400; ++i) stream += service + deployment;  // enough to be parsed on several threads
  options one = with(profile_name::paranoid), many = one;
  one.threads = 1;
  many.threads = 4;
  result a = rewrite(std::string_view(stream), one), b = rewrite(std::string_view(stream), many);
  BOOST_TEST(static_cast<int>(a.code) == 0);
  BOOST_TEST(a.output() == b.output());
  std::string bad = deployment;
  bad.replace(bad.find("metadata:\n"), 10, "metadata:\n  annotations:\n    rollout-pace/profile: Turbo\n");
  std::string broken = stream + bad + stream + bad;
  result c = rewrite(std::string_view(broken), one), d = rewrite(std::string_view(broken), many);
  BOOST_TEST(static_cast<int>(d.code) == 1);
  BOOST_TEST(d.diagnostics.back().located() == c.diagnostics.back().located());
  BOOST_TEST(d.diagnostics.back().located().find("document 801 ") == 0u);
  BOOST_TEST(d.output().empty());
}

BOOST_AUTO_TEST_CASE(messages_stay_one_line_whatever_the_input_holds) {
  // regression: a fuzzed Helm 4 filename annotation with line breaks made a three-line error
  std::string doc =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: \"a\\nb\"\n  annotations:\n"
      "    postrenderer.helm.sh/postrender-filename: \"web/x\\r\\n.yaml\"\n";
  result r = rewrite(doc, with(profile_name::cautious));
  BOOST_TEST(static_cast<int>(r.code) == 1);
  BOOST_TEST(
      format(r.diagnostics.back()) ==
      "rollout-pace: error: document 1 (Deployment a\\nb, from web/x\\r\\n.yaml): spec: Required value: a Deployment "
      "needs a spec map");
  diagnostic long_one{diagnostic::level::warning, std::string(10000, 'x')};
  BOOST_TEST(format(long_one).size() == 4096u + 3u);
}
