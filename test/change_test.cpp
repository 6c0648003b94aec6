#define BOOST_TEST_MODULE change
// Major, minor or patch from the images, as the README's table says.
#include "manifest/change.h"

#include "yaml/tree.h"

#include <boost/test/unit_test.hpp>

using namespace rollout_pace;

namespace {
struct pair_case {
  const char *before, *after, *want;
};
}  // namespace

BOOST_AUTO_TEST_CASE(image_pairs_are_classified_by_the_table) {
  const pair_case cases[] = {
      {"api:1.9.4", "api:2.0.0", "major"},
      {"api:1.9.4", "api:1.10.0", "minor"},
      {"api:1.9.4", "api:1.9.5", "patch"},
      {"api:v1.2.3", "api:v1.3.0", "minor"},
      {"api:V1.2.3", "api:v1.2.4", "patch"},
      {"api:1.2", "api:1.3", "minor"},
      {"api:1", "api:2", "major"},
      {"api:1.2", "api:1.2.1", "patch"},     // missing parts are 0
      {"api:1.2.0", "api:1.2", "minor"},     // the same numbers, another spelling: only the text differs
      {"api:0.9.1", "api:0.10.0", "major"},  // 0.y.z: y is major
      {"api:0.9.1", "api:0.9.2", "patch"},
      {"api:2.0.0", "api:1.9.4", "major"},  // a downgrade, the same way
      {"api:1.4.0", "api:1.3.9", "minor"},
      {"api:1.2.3-rc.1", "api:1.2.3", "minor"},  // only the suffix
      {"api:1.2.3", "api:1.2.3+build.7", "minor"},
      {"api:1.2.3-alpine", "api:1.2.4-alpine", "patch"},
      {"api:latest", "api:1.2.3", "major"},  // not a version: the safe side
      {"api:main", "api:develop", "major"},
      {"api:sha-1a2b3c", "api:sha-4d5e6f", "major"},
      {"api:1.2.3", "other/api:1.2.3", "major"},                                  // another repository
      {"api:1.2.3@sha256:aaa", "api:1.2.3@sha256:bbb", "patch"},                  // only the digest
      {"api", "api:latest", "none"},                                              // no tag pulls latest
      {"registry:5000/team/api:1.0.0", "registry:5000/team/api:1.0.1", "patch"},  // a port is not a tag
      {"api:1.2.3.4", "api:1.2.3.5", "major"},                                    // four parts: not a version we read
      {"api:1.2.3", "api:1.2.3", "none"},
      // Docker's normalisation: one image, however its registry is spelled.
      {"nginx:1.25.3", "docker.io/library/nginx:1.25.3", "none"},
      {"nginx:1.25.3", "index.docker.io/library/nginx:1.25.4", "patch"},
      {"team/api:1.0.0", "docker.io/team/api:1.0.0", "none"},
      {"nginx:1.25.3", "ghcr.io/library/nginx:1.25.3", "major"},
      {"localhost/api:1.0.0", "api:1.0.0", "major"},
      // A digest under a tag that is not a version, or with no tag: nothing says how much changed.
      {"api:latest@sha256:aaa", "api:latest@sha256:bbb", "major"},
      {"api:main@sha256:aaa", "api:main@sha256:bbb", "major"},
      {"api@sha256:aaa", "api@sha256:bbb", "major"},
      {"api@sha256:aaa", "api:1.2.3", "major"},
  };
  for (const auto& c : cases) {
    change got = classify_images("api", c.before, c.after);
    BOOST_TEST(std::string(display_name(got.kind)) == c.want, c.before << " -> " << c.after << ": " << got.reason);
  }
}

BOOST_AUTO_TEST_CASE(images_split_like_a_registry_reads_them) {
  image_ref r = parse_image("registry:5000/team/api:1.0@sha256:abc");
  BOOST_TEST(r.repository == "registry:5000/team/api");
  BOOST_TEST(parse_image("nginx").repository == "docker.io/library/nginx");
  BOOST_TEST(parse_image("index.docker.io/team/api:1").repository == "docker.io/team/api");
  BOOST_TEST(parse_image("Registry/api").repository == "Registry/api");  // not lower case: a domain
  BOOST_TEST(r.tag == "1.0");
  BOOST_TEST(r.digest == "sha256:abc");
  BOOST_TEST(parse_image("registry:5000/api").tag == "");
}

namespace {
YAML::Node deployment(const std::string& containers, const std::string& labels = "",
                      const std::string& annotations = "") {
  return YAML::Load("metadata: {name: api" + labels + "}\nspec:\n  template:\n    metadata: {annotations: {" +
                    annotations + "}}\n    spec:\n      containers:\n" + containers);
}
const std::string api_1 = "      - {name: api, image: \"api:1.9.4\"}\n";
const std::string api_2 = "      - {name: api, image: \"api:2.0.0\"}\n";
const std::string sidecar = "      - {name: proxy, image: \"envoy:1.30.1\"}\n";
}  // namespace

BOOST_AUTO_TEST_CASE(a_workload_takes_its_largest_change_and_says_why) {
  BOOST_TEST(classify_workload(deployment(api_1), deployment(api_2)).reason == "major: api 1.9.4 -> 2.0.0");
  BOOST_TEST(classify_workload(deployment(api_1), deployment(api_1 + sidecar)).reason ==
             "major: container proxy added");
  BOOST_TEST(classify_workload(deployment(api_1 + sidecar), deployment(api_1)).reason ==
             "major: container proxy removed");
  // The version label counts when the pod template changes; alone on the workload it replaces no pod.
  BOOST_TEST(classify_workload(deployment(api_1, ", labels: {app.kubernetes.io/version: 1.2.0}", "checksum/config: a"),
                               deployment(api_1, ", labels: {app.kubernetes.io/version: 1.3.0}", "checksum/config: b"))
                 .reason == "minor: app.kubernetes.io/version 1.2.0 -> 1.3.0");
  BOOST_TEST(classify_workload(deployment(api_1, ", labels: {app.kubernetes.io/version: 1.2.0}"),
                               deployment(api_1, ", labels: {app.kubernetes.io/version: 2.0.0}"))
                 .reason == "none: the pod template is unchanged, no pod is replaced");
  BOOST_TEST(classify_workload(deployment(api_1, "", "checksum/config: a"), deployment(api_1, "", "checksum/config: b"))
                 .reason == "patch: the pod template changed (same images and version)");
  change none = classify_workload(deployment(api_1), deployment(api_1));
  BOOST_TEST((none.kind == change_kind::none));
  BOOST_TEST(none.reason == "none: the pod template is unchanged, no pod is replaced");
}

BOOST_AUTO_TEST_CASE(the_running_release_is_matched_by_kind_namespace_and_name) {
  previous_release before(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\n"
      "spec:\n  template:\n    spec:\n      containers:\n" +
          api_1,
      "before.yaml");
  YAML::Node now = deployment(api_2);
  BOOST_TEST(before.classify("Deployment", "shop", "api", now).reason == "major: api 1.9.4 -> 2.0.0");
  BOOST_TEST(before.classify("Deployment", "", "api", now).reason ==
             "major: api 1.9.4 -> 2.0.0");  // no namespace: by name
  BOOST_TEST((before.classify("Deployment", "other", "api", now).kind == change_kind::new_workload));
  BOOST_TEST((before.classify("Deployment", "shop", "web", now).kind == change_kind::new_workload));
}

// Only what Kubernetes reads counts: quoting, key order, comments and JSON against YAML do not.
BOOST_AUTO_TEST_CASE(the_pod_template_is_compared_as_kubernetes_reads_it) {
  auto template_of = [](const std::string& spec) {
    return load_document("kind: Deployment\nspec:\n  template:\n" + spec);
  };
  const std::string yaml =
      "    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n"
      "        image: nginx:1.25\n        ports: [{containerPort: 80}]\n        tty: yes\n";
  const std::string same_other_spelling =
      "    spec:\n      containers:\n      - ports: [{containerPort: 0x50}]  # hex is 80\n"
      "        image: \"nginx:1.25\"\n        name: 'web'\n        tty: true\n    metadata:\n      labels: {app: "
      "web}\n";
  BOOST_TEST(classify_workload(template_of(yaml), template_of(same_other_spelling)).reason ==
             "none: the pod template is unchanged, no pod is replaced");
  YAML::Node json = load_document(
      R"({"kind": "Deployment", "spec": {"template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": )"
      R"([{"name": "web", "image": "nginx:1.25", "ports": [{"containerPort": 80}], "tty": true}]}}}})");
  BOOST_TEST((classify_workload(template_of(yaml), json).kind == change_kind::none));
  // A quoted "80" is a string, not the number: that is a change.
  std::string quoted_port = yaml;
  quoted_port.replace(quoted_port.find("containerPort: 80"), 17, "containerPort: \"80\"");
  BOOST_TEST((classify_workload(template_of(yaml), template_of(quoted_port)).kind == change_kind::patch));
  std::string other_tty = yaml;
  other_tty.replace(other_tty.find("tty: yes"), 8, "tty: no");
  BOOST_TEST((classify_workload(template_of(yaml), template_of(other_tty)).kind == change_kind::patch));
}

// Reasons say what happened: no invented "latest" for an image that only a digest names.
BOOST_AUTO_TEST_CASE(reasons_say_what_happened) {
  BOOST_TEST(classify_images("api", "api@sha256:aaa", "api@sha256:bbb").reason ==
             "major: api api@sha256:aaa -> api@sha256:bbb (only a digest names it: no version to compare)");
  BOOST_TEST(classify_images("api", "api:1.2.3@sha256:aaa", "api:1.2.3@sha256:bbb").reason ==
             "patch: api 1.2.3, only the digest changed");
}
