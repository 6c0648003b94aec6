#!/usr/bin/env python3
"""Writes the KRM function's container image: one OCI image index for linux/amd64 and linux/arm64,
as an OCI layout archive (image-spec v1.1: oci-layout, index.json, blobs/sha256/), from the static
binaries. kpt (`kpt fn eval --image`, Kptfile pipelines), kustomize's containerized functions and
Config Sync run it: the entrypoint is `rollout-pace fn`, a ResourceList on standard input.

Each platform's image is one layer: /usr/local/bin/rollout-pace (the static binary, nothing else:
it needs no libc, shell or certificates), run as nobody (65534). The archive is reproducible: every
time stamp is SOURCE_DATE_EPOCH (default 0), tar and gzip headers carry no host data, and the same
binaries give the same bytes.

index.json names the image index by its version (org.opencontainers.image.ref.name), so that
`skopeo copy --all oci-archive:FILE:VERSION docker://REGISTRY/rollout-pace:VERSION` pushes both
platforms (docs/kpt-and-kustomize.md).

Usage: oci-image.py VERSION OUTPUT.tar amd64=BINARY arm64=BINARY
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import time

MEDIA = {
    "index": "application/vnd.oci.image.index.v1+json",
    "manifest": "application/vnd.oci.image.manifest.v1+json",
    "config": "application/vnd.oci.image.config.v1+json",
    "layer": "application/vnd.oci.image.layer.v1.tar+gzip",
}
SOURCE = "https://github.com/rollout-pace/rollout-pace"


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def descriptor(media, data, **extra):
    d = {"mediaType": media, "digest": "sha256:" + hashlib.sha256(data).hexdigest(), "size": len(data)}
    d.update(extra)
    return d


def tar_of(entries, epoch):
    """A tar of (path, mode, bytes or None for a directory), in order, with no host data."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, mode, data in entries:
            info = tarfile.TarInfo(path)
            info.mode, info.mtime, info.uid, info.gid, info.uname, info.gname = mode, epoch, 0, 0, "", ""
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def gzipped(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9, filename="") as gz:
        gz.write(data)
    return out.getvalue()


def image(version, arch, binary, epoch, blobs):
    """One platform's manifest, its config and its layer into blobs; returns the manifest's descriptor."""
    with open(binary, "rb") as f:
        exe = f.read()
    layer_tar = tar_of([("usr/", 0o755, None), ("usr/local/", 0o755, None), ("usr/local/bin/", 0o755, None),
                        ("usr/local/bin/rollout-pace", 0o755, exe)], epoch)
    layer = gzipped(layer_tar)
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    labels = {"org.opencontainers.image.title": "rollout-pace", "org.opencontainers.image.version": version,
              "org.opencontainers.image.source": SOURCE,
              "org.opencontainers.image.description": "rollout-pace as a KRM function: rollout-pace fn"}
    config = canonical({
        "created": created, "architecture": arch, "os": "linux",
        "config": {"User": "65534:65534", "Entrypoint": ["/usr/local/bin/rollout-pace", "fn"], "WorkingDir": "/",
                   "Env": ["PATH=/usr/local/bin"], "Labels": labels},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer_tar).hexdigest()]},
        "history": [{"created": created, "created_by": "scripts/oci-image.py: the static rollout-pace binary"}],
    })
    manifest = canonical({
        "schemaVersion": 2, "mediaType": MEDIA["manifest"],
        "config": descriptor(MEDIA["config"], config), "layers": [descriptor(MEDIA["layer"], layer)],
        "annotations": {"org.opencontainers.image.version": version, "org.opencontainers.image.created": created},
    })
    for data in (layer, config, manifest):
        blobs["sha256:" + hashlib.sha256(data).hexdigest()] = data
    return descriptor(MEDIA["manifest"], manifest, platform={"architecture": arch, "os": "linux"})


def main(argv):
    if len(argv) != 5 or not all("=" in a for a in argv[3:]):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    version, output = argv[1], argv[2]
    binaries = dict(a.split("=", 1) for a in argv[3:])
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    blobs = {}
    manifests = [image(version, arch, binaries[arch], epoch, blobs) for arch in ("amd64", "arm64")]
    index = canonical({"schemaVersion": 2, "mediaType": MEDIA["index"], "manifests": manifests,
                       "annotations": {"org.opencontainers.image.version": version}})
    blobs["sha256:" + hashlib.sha256(index).hexdigest()] = index
    top = canonical({"schemaVersion": 2, "mediaType": MEDIA["index"], "manifests": [
        descriptor(MEDIA["index"], index, annotations={"org.opencontainers.image.ref.name": version})]})
    entries = [("oci-layout", 0o644, canonical({"imageLayoutVersion": "1.0.0"})), ("index.json", 0o644, top),
               ("blobs/", 0o755, None), ("blobs/sha256/", 0o755, None)]
    entries += [("blobs/sha256/" + d.split(":", 1)[1], 0o644, blobs[d]) for d in sorted(blobs)]
    with open(output, "wb") as f:
        f.write(tar_of(entries, epoch))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
