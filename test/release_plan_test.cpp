#define BOOST_TEST_MODULE release_plan
#include "plan/release_plan.h"

#include <boost/test/unit_test.hpp>

#include "base/duration.h"
#include "commands/explain.h"
#include "commands/rewrite.h"

using namespace rollout_pace;

BOOST_AUTO_TEST_CASE(durations_parse_and_print_as_go_does) {
  const std::int64_t s = 1000000000;
  BOOST_TEST(parse_duration("5m0s") == 300 * s);
  BOOST_TEST(parse_duration("300s") == 300 * s);
  BOOST_TEST(parse_duration("1.5h") == 5400 * s);
  BOOST_TEST(parse_duration("0") == 0);
  BOOST_TEST(parse_duration("1500ms") == 1500000000);
  BOOST_TEST(parse_duration("-5m") == -300 * s);  // Go accepts it; the timeout is then always exceeded
  BOOST_TEST(parse_duration(".5s") == 500000000);
  BOOST_TEST(parse_duration("2562047h47m16.854775807s") == INT64_MAX);
  for (const char* bad :
       {"", "5", "5 m", "m", "5x", "1h5", ".s", ".", "-", "2562047h47m16.854775808s", "9223372036854775808ns"})
    BOOST_CHECK_THROW(parse_duration(bad), std::invalid_argument);
  BOOST_TEST(go_duration(300 * s) == "5m0s");
  BOOST_TEST(go_duration(3600 * s) == "1h0m0s");
  BOOST_TEST(go_duration(3600 * s + s / 2) == "1h0m0.5s");
  BOOST_TEST(go_duration(300000000) == "300ms");
  BOOST_TEST(go_duration(1500) == "1.5\xC2\xB5s");
  BOOST_TEST(go_duration(0) == "0s");
  BOOST_TEST(go_duration(-2 * s) == "-2s");
  BOOST_TEST(go_duration_seconds(3600) == "1h0m0s");
  BOOST_TEST(decimal_seconds(300 * s) == "300");
  BOOST_TEST(decimal_seconds(300000000) == "0.3");
  BOOST_TEST(decimal_seconds(1000000 * s) == "1000000");   // never 1e+06
  BOOST_TEST(*suggested_timeout(1240) == 1980);            // 1240 * 1.5 + 120 = 1980: 33 min, already whole
  BOOST_TEST(*suggested_timeout(100) == 300);              // 270, up to whole minutes
  BOOST_TEST(!suggested_timeout(7000000000).has_value());  // 1.05e10 s: past Go's 2562047h47m16s
  // Past it, the warning says no timeout fits instead of suggesting one Helm cannot read.
  options paranoid;
  paranoid.flags.profile = profile_name::paranoid;
  result huge = rewrite(std::string("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: most}\nspec:\n"
                                    "  replicas: 2147483647\n"),
                        paranoid);
  std::vector<diagnostic> ws = release_warnings(huge.plan);
  BOOST_TEST_REQUIRE(ws.size() == 1u);
  BOOST_TEST(ws[0].text.find(std::string(no_timeout_fits) + ": choose a faster profile") != std::string::npos);
  BOOST_TEST(ws[0].text.find("helm --timeout") == std::string::npos);
}

namespace {
const std::string stream =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template: {}\n---\n"
    "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api-hpa, namespace: shop}\n"
    "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}, minReplicas: 3, maxReplicas: 9}\n---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other, namespace: shop}\nspec:\n  template: {}\n";
}

BOOST_AUTO_TEST_CASE(an_hpa_gives_the_replicas_a_workload_lacks) {
  options o;
  o.flags.profile = profile_name::paranoid;
  result r = rewrite(stream, o);
  BOOST_TEST_REQUIRE(r.plan.workloads.size() == 2u);
  const planned_workload& api = r.plan.workloads[0];
  BOOST_TEST(*api.replicas == 9);
  BOOST_TEST(api.replicas_text() == "HorizontalPodAutoscaler api-hpa (3-9, planned for its maximum)");
  BOOST_TEST(api.rollout->min_duration_seconds == 9 * 310);
  const planned_workload& other = r.plan.workloads[1];
  BOOST_TEST(*other.replicas == 1);
  BOOST_TEST(other.replicas_text() == "the default");
  BOOST_TEST(r.plan.min_duration_seconds == 9 * 310);
  BOOST_TEST(r.plan.longest() == &api);
  BOOST_TEST(r.plan.exceeds_timeout);
}

// Replicas from what scales a workload: an autoscaler without metadata.namespace lives in the
// release's namespace (loki-distributed's HPAs beside Deployments that say namespace: default), a KEDA
// ScaledObject counts as the HPA KEDA makes of it, --scale says what scales it from outside, and a
// count nothing states is warned.
BOOST_AUTO_TEST_CASE(replicas_come_from_autoscalers_in_the_release_namespace_keda_and_scale) {
  const std::string loki =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: distributor, namespace: default}\n"
      "spec: {template: {spec: {containers: [{name: d, image: loki}]}}}\n---\n"
      "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: distributor}\n"
      "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: distributor}, minReplicas: 2, "
      "maxReplicas: 8}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker}\n"
      "spec: {template: {spec: {containers: [{name: w, image: w}]}}}\n---\n"
      "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: worker-queue}\n"
      "spec: {scaleTargetRef: {name: worker}, maxReplicaCount: 30}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: coredns}\n"
      "spec: {template: {spec: {containers: [{name: c, image: coredns}]}}}\n";
  options o;
  o.flags.profile = profile_name::cautious;
  result r = rewrite(loki, o);
  BOOST_TEST_REQUIRE(r.plan.workloads.size() == 3u);
  BOOST_TEST(*r.plan.workloads[0].replicas == 8);
  BOOST_TEST(r.plan.workloads[0].replicas_text() ==
             "HorizontalPodAutoscaler distributor (2-8, planned for its maximum)");
  BOOST_TEST(*r.plan.workloads[1].replicas == 30);
  BOOST_TEST(r.plan.workloads[1].replicas_text() == "ScaledObject worker-queue (0-30, planned for its maximum)");
  BOOST_TEST(*r.plan.workloads[2].replicas == 1);
  std::vector<diagnostic> ws = release_warnings(r.plan);
  BOOST_TEST_REQUIRE(ws.size() == 1u);  // only coredns's count is unknown
  BOOST_TEST((ws[0].id == warning_id::replicas_unknown));
  BOOST_TEST(ws[0].about->name == "coredns");
  BOOST_TEST(ws[0].text.find("give --scale Deployment/coredns=N") != std::string::npos);
  // Released into another namespace, the HPA is there, not beside the Deployment in default.
  o.release_namespace = "loki";
  BOOST_TEST(*rewrite(loki, o).plan.workloads[0].replicas == 1);
  // --scale: what scales coredns from outside the stream; it also wins over the stream's own.
  o.release_namespace = "default";
  o.scales = {{"Deployment", "coredns", 5}, {"Deployment", "worker", 4}};
  result scaled = rewrite(loki, o);
  BOOST_TEST(*scaled.plan.workloads[2].replicas == 5);
  BOOST_TEST(scaled.plan.workloads[2].replicas_text() == "--scale Deployment/coredns=5");
  BOOST_TEST(*scaled.plan.workloads[1].replicas == 4);
  BOOST_TEST(release_warnings(scaled.plan).empty());
}

BOOST_AUTO_TEST_CASE(the_timeout_warning_names_the_longest_workload_and_what_happens) {
  options o;
  o.flags.profile = profile_name::paranoid;
  o.scales = {{"Deployment", "other", 1}};  // its count is known: only the timeout is warned
  result r = rewrite(stream, o);
  std::vector<diagnostic> ws = release_warnings(r.plan);
  BOOST_TEST_REQUIRE(ws.size() == 1u);
  BOOST_TEST((ws[0].id == warning_id::timeout));
  const std::string w = ws[0].located();
  BOOST_TEST(w.rfind("document 1 (Deployment shop/api): the release takes at least 46 min 30 s", 0) == 0);
  BOOST_TEST(w.find("helm --wait gives up") != std::string::npos);
  BOOST_TEST(w.find("rolls back") != std::string::npos);
  o.timeout_ns = std::int64_t{3600} * 1000000000;
  BOOST_TEST(release_warnings(rewrite(stream, o).plan).empty());
}

BOOST_AUTO_TEST_CASE(explain_is_the_same_decision_and_plan) {
  options o;
  o.flags.profile = profile_name::paranoid;
  o.flags.overrides.min_ready_seconds = 120;
  planned_workload w = explain(o, *find_kind("Deployment"), 4);
  BOOST_TEST(w.summary ==
             "Paranoid with minReadySeconds 120: replaces 1 pod at a time, no pod down, and waits 120 s after each is "
             "ready; 4 replicas: 4 steps, at least 8 min 40 s, 5 pods at most");
  BOOST_TEST(w.rollout->min_duration_seconds == 520);
}

// The HPA controller finds its target by the group of scaleTargetRef.apiVersion, the kind, the name
// and the namespace; HPAs inside a List count.
BOOST_AUTO_TEST_CASE(an_hpa_targets_a_workload_as_the_hpa_controller_finds_it) {
  auto planned_replicas = [](const std::string& hpa) {
    std::string s =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template: {}\n"
        "---\n" +
        hpa;
    options o;
    o.flags.profile = profile_name::cautious;
    result r = rewrite(s, o);
    BOOST_TEST_REQUIRE(r.plan.workloads.size() == 1u);
    return *r.plan.workloads[0].replicas;
  };
  auto hpa = [](const std::string& ref, const std::string& ns = "shop") {
    return "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: " + ns +
           "}\nspec: {scaleTargetRef: " + ref + ", maxReplicas: 7}\n";
  };
  BOOST_TEST(planned_replicas(hpa("{apiVersion: apps/v1, kind: Deployment, name: api}")) == 7);
  BOOST_TEST(planned_replicas(hpa("{apiVersion: apps/v1beta2, kind: Deployment, name: api}")) ==
             7);  // the group counts
  BOOST_TEST(planned_replicas(hpa("{apiVersion: v1, kind: Deployment, name: api}")) == 1);
  BOOST_TEST(planned_replicas(hpa("{apiVersion: argoproj.io/v1alpha1, kind: Deployment, name: api}")) == 1);
  BOOST_TEST(planned_replicas(hpa("{kind: Deployment, name: api}")) == 1);  // no apiVersion: the core group
  BOOST_TEST(planned_replicas(hpa("{apiVersion: apps/v1, kind: StatefulSet, name: api}")) == 1);
  BOOST_TEST(planned_replicas(hpa("{apiVersion: apps/v1, kind: Deployment, name: api}", "other")) == 1);
  BOOST_TEST(
      planned_replicas("apiVersion: v1\nkind: List\nitems:\n- " +
                       std::string("apiVersion: autoscaling/v2\n  kind: HorizontalPodAutoscaler\n  metadata: {name: h, "
                                   "namespace: shop}\n  spec: {scaleTargetRef: {apiVersion: apps/v1, kind: "
                                   "Deployment, name: api}, maxReplicas: 5}\n")) == 5);
}

namespace {

// One workload of a kind, its replicas and its pace, as a stream.
std::string one(const std::string& kind, int replicas, const std::string& pace) {
  return "apiVersion: apps/v1\nkind: " + kind + "\nmetadata:\n  name: w\n  annotations:\n" + pace + "spec:\n" +
         (kind == "DaemonSet" ? "" : "  replicas: " + std::to_string(replicas) + "\n") +
         "  template:\n    spec:\n      containers:\n        - name: c\n          image: x:1\n"
         "          readinessProbe: {tcpSocket: {port: 80}}\n";
}

std::int64_t helm_waits(const std::string& stream, helm_wait wait) {
  options o;
  o.wait = wait;
  o.nodes = 5;
  result r = rewrite(stream, o);
  BOOST_TEST_REQUIRE(static_cast<int>(r.code) == 0);
  BOOST_TEST_REQUIRE(r.plan.workloads.size() == 1u);
  BOOST_TEST_REQUIRE(r.plan.workloads[0].helm_waits_seconds.has_value());
  BOOST_TEST(*r.plan.workloads[0].helm_waits_seconds == r.plan.helm_waits_seconds);
  return *r.plan.workloads[0].helm_waits_seconds;
}

}  // namespace

// issue 21 item 6, from helm/helm pkg/kube/ready.go: what Helm's legacy waiter waits for, per kind,
// and Helm 4's watcher (kstatus) the whole rollout. Pod startup 10 s.
BOOST_AUTO_TEST_CASE(helm_waits_as_its_waiter_does) {
  // Deployment, 4 replicas, surge 1, none down, minReadySeconds 30: new pods at 0, 40, 80, 120;
  // deploymentReady needs 4 - 0 ready: the last is ready at 130; available (the rollout's end) at 160.
  std::string cautious = "    rollout-pace/profile: Cautious\n";
  BOOST_TEST(helm_waits(one("Deployment", 4, cautious), helm_wait::legacy) == 130);
  BOOST_TEST(helm_waits(one("Deployment", 4, cautious), helm_wait::watcher) == 160);
  // maxUnavailable 2 of 4 (surge 0, minReadySeconds 0): 2 new pods at 0, ready at 10, is enough.
  std::string two_down =
      "    rollout-pace/profile: Custom\n    rollout-pace/max-surge: \"0\"\n"
      "    rollout-pace/max-unavailable: \"2\"\n    rollout-pace/min-ready-seconds: \"0\"\n";
  BOOST_TEST(helm_waits(one("Deployment", 4, two_down), helm_wait::legacy) == 10);
  BOOST_TEST(helm_waits(one("Deployment", 4, two_down), helm_wait::watcher) == 20);
  // DaemonSet on 5 nodes, maxSurge 25% (2 nodes at a time), minReadySeconds 30: new pods at 0, 40
  // and 80; daemonSetReady once the last node's is scheduled (80); the rollout ends at 120.
  BOOST_TEST(helm_waits(one("DaemonSet", 0, cautious), helm_wait::legacy) == 80);
  BOOST_TEST(helm_waits(one("DaemonSet", 0, cautious), helm_wait::watcher) == 120);
  // StatefulSet, 3 replicas, one at a time, minReadySeconds 30: the last pod is ready at 90.
  BOOST_TEST(helm_waits(one("StatefulSet", 3, cautious), helm_wait::legacy) == 90);
  BOOST_TEST(helm_waits(one("StatefulSet", 3, cautious), helm_wait::watcher) == 120);
}
