#!/usr/bin/env python3
"""The part of a Kubernetes API server that `helm get manifest` and `helm get values` read: /version,
discovery, and Helm's release Secrets (storage driver "secret") in one namespace. It lets the tests
run the real Helm 3 and Helm 4 against a running release without a cluster. Releases are stored as
Helm stores them: the release as JSON, gzipped, base64, as the Secret's data "release" (which the
API's JSON base64-encodes once more), labelled name, owner=helm, status and version.

Usage: kube_api_stub.py NAMESPACE RELEASE MANIFEST_FILE [VALUES_JSON]
Prints "port N" once it listens on 127.0.0.1 (a free port).
"""
import base64
import gzip
import http.server
import json
import sys
import urllib.parse

namespace, release, manifest_file = sys.argv[1], sys.argv[2], sys.argv[3]
values = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
record = {
    "name": release, "namespace": namespace, "version": 1, "manifest": open(manifest_file).read(),
    "config": values,
    "info": {"status": "deployed", "first_deployed": "2026-11-01T00:00:00Z", "last_deployed": "2026-11-01T00:00:00Z",
             "description": "Install complete"},
    "chart": {"metadata": {"name": "chart", "version": "0.1.0", "apiVersion": "v2"}, "values": {}},
}
encoded = base64.b64encode(gzip.compress(json.dumps(record).encode())).decode()
secret = {
    "apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
    "metadata": {"name": f"sh.helm.release.v1.{release}.v1", "namespace": namespace,
                 "labels": {"name": release, "owner": "helm", "status": "deployed", "version": "1"}},
    "data": {"release": base64.b64encode(encoded.encode()).decode()},
}


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, body, code=200):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/version":
            return self.reply({"major": "1", "minor": "35", "gitVersion": "v1.35.0", "platform": "linux/amd64"})
        if url.path == "/api":
            return self.reply({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []})
        if url.path == "/apis":
            return self.reply({"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
        if url.path == "/api/v1":
            return self.reply({"kind": "APIResourceList", "groupVersion": "v1", "resources": [
                {"name": "secrets", "singularName": "secret", "namespaced": True, "kind": "Secret",
                 "verbs": ["get", "list"]}]})
        if url.path == f"/api/v1/namespaces/{namespace}/secrets":
            selector = query.get("labelSelector", [""])[0]
            items = [secret] if f"name={release}" in selector.split(",") else []
            return self.reply({"apiVersion": "v1", "kind": "SecretList", "metadata": {"resourceVersion": "1"},
                               "items": items})
        if url.path.startswith("/api/v1/namespaces/") and url.path.endswith("/secrets"):
            return self.reply({"apiVersion": "v1", "kind": "SecretList", "metadata": {}, "items": []})
        return self.reply({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound",
                           "code": 404}, 404)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"port {server.server_address[1]}", flush=True)
server.serve_forever()
