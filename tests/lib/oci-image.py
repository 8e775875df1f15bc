#!/usr/bin/python3
# Pack a root directory into a one-layer OCI image archive (an OCI image layout in a tar), for engines
# that import images (`ctr image import`) where no registry is reachable.
#   oci-image.py ROOTFS OUT.tar NAME [CMD...]
# NAME is the image reference (e.g. docker.io/library/bb:latest): containerd takes it from the
# io.containerd.image.name annotation of index.json. CMD (default: sh) is the config's Cmd.
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile


def blob(out, data, media_type, **extra):
    digest = hashlib.sha256(data).hexdigest()
    info = tarfile.TarInfo("blobs/sha256/" + digest)
    info.size = len(data)
    info.mode = 0o644
    out.addfile(info, io.BytesIO(data))
    return dict(mediaType=media_type, digest="sha256:" + digest, size=len(data), **extra)


def layer_of(rootfs):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name in sorted(os.listdir(rootfs)):
            t.add(os.path.join(rootfs, name), arcname=name)
    diff = raw.getvalue()
    # mtime 0: the same rootfs gives the same digests.
    return diff, gzip.compress(diff, mtime=0)


def main(rootfs, out_path, name, *cmd):
    diff, gz = layer_of(rootfs)
    config = {
        "architecture": {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine),
        "os": "linux",
        "config": {"Cmd": list(cmd) or ["sh"], "Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(diff).hexdigest()]},
    }
    with tarfile.open(out_path, "w") as out:
        layer = blob(out, gz, "application/vnd.oci.image.layer.v1.tar+gzip")
        cfg = blob(out, json.dumps(config).encode(), "application/vnd.oci.image.config.v1+json")
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": cfg, "layers": [layer]}
        man = blob(out, json.dumps(manifest).encode(), "application/vnd.oci.image.manifest.v1+json",
                   platform={"architecture": config["architecture"], "os": "linux"},
                   annotations={"io.containerd.image.name": name,
                                "org.opencontainers.image.ref.name": name.rsplit(":", 1)[-1]})
        for fname, data in (("oci-layout", {"imageLayoutVersion": "1.0.0"}),
                            ("index.json", {"schemaVersion": 2, "manifests": [man]})):
            data = json.dumps(data).encode()
            info = tarfile.TarInfo(fname)
            info.size = len(data)
            info.mode = 0o644
            out.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit("usage: oci-image.py ROOTFS OUT.tar NAME [CMD...]")
    main(*sys.argv[1:])
