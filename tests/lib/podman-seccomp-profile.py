#!/usr/bin/python3
# podman-seccomp-profile.py CONFIG [ERRNO]: put podman's default seccomp profile into the bundle config
# CONFIG as linux.seccomp, the way podman 4.3 sends it for a container without extra capabilities on
# amd64 (containers-common's /usr/share/containers/seccomp.json: the entries whose "includes" name
# no capability and no other arch). ERRNO overrides defaultErrnoRet (podman's is ENOSYS).
import json, sys

d = json.load(open("/usr/share/containers/seccomp.json"))

def applies(s):
    inc = s.get("includes") or {}
    return not inc.get("caps") and "amd64" in inc.get("arches", ["amd64"])

calls = [{k: v for k, v in s.items() if k in ("names", "action", "args", "errnoRet")}
         for s in d["syscalls"] if applies(s)]
profile = {"defaultAction": d["defaultAction"], "defaultErrnoRet": d.get("defaultErrnoRet", 1),
           "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": calls}
if len(sys.argv) > 2:
    profile["defaultErrnoRet"] = int(sys.argv[2])
c = json.load(open(sys.argv[1]))
c.setdefault("linux", {})["seccomp"] = profile
json.dump(c, open(sys.argv[1], "w"), indent=1)
