// Generates benchmark streams on stdout.
//   bench_generate helm DOCS    Helm 3 output of DOCS/4 releases: ServiceAccount, ConfigMap, Service
//                               and a workload each (a Deployment; every fourth release a DaemonSet
//                               or a StatefulSet), with "# Source:" lines, quoted values, probes.
//   bench_generate crd MB       a CRD-heavy stream of about MB megabytes: large CRDs (1 MiB each
//                               schema, whose examples mention "kind: Deployment") with a Deployment
//                               between every few of them.
//   bench_generate anchors N    one Deployment with N anchors and N aliases (time must grow linearly).
//   bench_generate mixed N      N each of Deployment, StatefulSet, DaemonSet and ConfigMap (4N documents:
//                               a workload in three of four, the stream memory grows with).
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

void helm(long docs) {
  for (long r = 0; r * 4 < docs; ++r) {
    std::string n = "app-" + std::to_string(r);
    std::printf(
        "---\n# Source: %s/templates/serviceaccount.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n"
        "  name: %s\n  labels:\n    helm.sh/chart: %s-0.1.0\n    app.kubernetes.io/name: %s\n"
        "    app.kubernetes.io/managed-by: Helm\nautomountServiceAccountToken: true\n",
        n.c_str(), n.c_str(), n.c_str(), n.c_str());
    std::printf(
        "---\n# Source: %s/templates/configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n"
        "data:\n  FEATURE_FLAG: \"on\"\n  LEGACY: \"yes\"\n  PORT: \"8080\"\n  MODE: \"0755\"\n"
        "  note: this ConfigMap feeds the Deployment below\n  start.sh: |\n    #!/bin/sh\n    exec /app --port "
        "\"$PORT\"\n",
        n.c_str(), n.c_str());
    std::printf(
        "---\n# Source: %s/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n"
        "spec:\n  type: ClusterIP\n  ports:\n    - port: 80\n      targetPort: http\n      protocol: TCP\n"
        "      name: http\n  selector:\n    app.kubernetes.io/name: %s\n",
        n.c_str(), n.c_str(), n.c_str());
    // Every fourth release runs a DaemonSet or a StatefulSet instead of its Deployment.
    const char* kind = r % 8 == 3 ? "DaemonSet" : r % 8 == 7 ? "StatefulSet" : "Deployment";
    std::printf(
        "---\n# Source: %s/templates/workload.yaml\napiVersion: apps/v1\nkind: %s\nmetadata:\n"
        "  name: %s\n  labels:\n    helm.sh/chart: %s-0.1.0\n    app.kubernetes.io/name: %s\n"
        "    app.kubernetes.io/version: \"1.16.0\"\n    app.kubernetes.io/managed-by: Helm\nspec:\n  replicas: 4\n"
        "  selector:\n    matchLabels:\n      app.kubernetes.io/name: %s\n  template:\n    metadata:\n"
        "      annotations:\n        checksum/config: \"5d41402abc4b2a76b9719d911017c592\"\n      labels:\n"
        "        app.kubernetes.io/name: %s\n    spec:\n      serviceAccountName: %s\n      containers:\n"
        "        - name: app\n          image: \"nginx:1.16.0\"\n          imagePullPolicy: IfNotPresent\n"
        "          args: [\"--port\", \"8080\", \"--verbose\", \"on\"]\n          env:\n"
        "            - name: ENABLED\n              value: \"true\"\n            - name: PORT\n"
        "              value: \"8080\"\n          ports:\n            - name: http\n              containerPort: 80\n"
        "              protocol: TCP\n          livenessProbe:\n            httpGet: {path: /, port: http}\n"
        "          readinessProbe:\n            httpGet:\n              path: /\n              port: http\n"
        "          resources:\n            limits: {cpu: 100m, memory: 128Mi}\n            requests: {cpu: 100m, "
        "memory: 128Mi}\n",
        n.c_str(), kind, n.c_str(), n.c_str(), n.c_str(), n.c_str(), n.c_str(), n.c_str());
  }
}

void crd(long megabytes) {
  long written = 0, i = 0;
  const long target = megabytes << 20;
  while (written < target) {
    std::string name = "widgets" + std::to_string(i) + ".example.com";
    std::string head = "---\n# Source: crds/templates/crd-" + std::to_string(i) +
                       ".yaml\n"
                       "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: " +
                       name +
                       "\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n"
                       "  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n"
                       "      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n";
    std::fputs(head.c_str(), stdout);
    written += static_cast<long>(head.size());
    for (long p = 0; p < 2600; ++p) {  // about 1 MiB of schema
      char buf[512];
      int n =
          std::snprintf(buf, sizeof buf,
                        "            field%ld:\n              type: string\n              description: Field %ld of "
                        "the widget. It names the object this widget points at; when it is empty the\n"
                        "                controller chooses one and records it in the status.\n"
                        "              x-example: |\n                kind: Deployment\n"
                        "              pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'\n",
                        p, p);
      std::fwrite(buf, 1, n, stdout);
      written += n;
    }
    if (i % 4 == 3) {
      std::string d =
          "---\n# Source: crds/templates/operator.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
          "  name: operator-" +
          std::to_string(i) +
          "\nspec:\n  replicas: 2\n  template:\n    spec:\n"
          "      containers:\n        - name: operator\n          image: \"operator:1.0\"\n"
          "          readinessProbe: {httpGet: {path: /healthz, port: 8081}}\n";
      std::fputs(d.c_str(), stdout);
      written += static_cast<long>(d.size());
    }
    ++i;
  }
}

// One Deployment whose annotations hold N anchors and N aliases to them.
void anchors(long n) {
  std::printf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: anchors\n  annotations:\n");
  for (long i = 0; i < n; ++i) std::printf("    a%ld: &a%ld v%ld\n", i, i, i);
  for (long i = 0; i < n; ++i) std::printf("    b%ld: *a%ld\n", i, i);
  std::printf(
      "spec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: w\n"
      "          image: nginx\n          readinessProbe: {tcpSocket: {port: 80}}\n");
}

// N each of Deployment, StatefulSet, DaemonSet and ConfigMap, each workload with a readiness probe.
void mixed(long n) {
  for (long i = 0; i < n; ++i) {
    for (const char* kind : {"Deployment", "StatefulSet", "DaemonSet"}) {
      std::string lower = kind;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string name = lower + "-" + std::to_string(i);
      std::string s = "---\n# Source: mixed/templates/" + lower + ".yaml\napiVersion: apps/v1\nkind: " + kind +
                      "\nmetadata:\n  name: " + name + "\n  labels:\n    app.kubernetes.io/name: " + name + "\nspec:\n";
      if (lower != "daemonset") s += "  replicas: 3\n";
      if (lower == "statefulset") s += "  serviceName: " + name + "\n";
      s += "  selector:\n    matchLabels:\n      app: " + name +
           "\n  template:\n    metadata:\n      labels:\n        app: " + name +
           "\n    spec:\n      containers:\n        - name: app\n          image: \"example/" + lower + ":1." +
           std::to_string(i % 50) +
           ".0\"\n          ports:\n            - containerPort: 8080\n          readinessProbe:\n"
           "            httpGet: {path: /healthz, port: 8080}\n";
      std::fputs(s.c_str(), stdout);
    }
    std::printf(
        "---\n# Source: mixed/templates/configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        "config-%ld\n"
        "data:\n  MODE: \"production\"\n  PORT: \"8080\"\n  LOG_LEVEL: info\n",
        i);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench_generate helm DOCS | crd MEGABYTES | anchors N | mixed N\n");
    return 2;
  }
  std::string kind = argv[1];
  long n = std::atol(argv[2]);
  if (kind == "helm")
    helm(n);
  else if (kind == "crd")
    crd(n);
  else if (kind == "anchors")
    anchors(n);
  else if (kind == "mixed")
    mixed(n);
  else
    return 2;
  return 0;
}
