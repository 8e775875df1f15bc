/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* config.json / process.json parsing and validation: a full good config, runc's default specs, a
 * process.json, the bad-config corpus in $BAD_CONFIGS (NN-name.json + NN-name.expected, the
 * expected message substring; NNN-procjson-*.json are parsed as a process.json), and generated
 * oversized inputs. */

#include <assert.h>
#include <dirent.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "log.h"
#include "path-util.h"
#include "spec.h"
#include "strv.h"
#include "tests.h"

static char *xasprintf(const char *format, ...) _printf_(1, 2);
static char *xasprintf(const char *format, ...) {
        va_list ap;
        char *s;
        int r;

        va_start(ap, format);
        r = vasprintf(&s, format, ap);
        va_end(ap);
        if (r < 0)
                abort();
        return s;
}

static const char full_config[] =
    "{ 'ociVersion': '1.0.2',"
    "  'root': { 'path': 'rootfs', 'readonly': true },"
    "  'hostname': 'box', 'domainname': 'example.org',"
    "  'unknownTopLevel': { 'ignored': [1, 2, 3] },"
    "  'process': {"
    "    'terminal': true,"
    "    'consoleSize': { 'height': 24, 'width': 80 },"
    "    'user': { 'uid': 1000, 'gid': 4294967295, 'umask': 18, 'additionalGids': [5, 6, 7],"
    "              'username': 'ignored' },"
    "    'args': [ '/bin/sh', '-c', 'echo hi' ],"
    "    'env': [ 'PATH=/bin', 'EMPTY=' ],"
    "    'cwd': '/work',"
    "    'rlimits': [ { 'type': 'RLIMIT_NOFILE', 'soft': 1024, 'hard': 4096 },"
    "                 { 'type': 'RLIMIT_CORE', 'soft': 0, 'hard': 18446744073709551615 } ],"
    "    'noNewPrivileges': true,"
    "    'oomScoreAdj': -999,"
    "    'capabilities': { 'bounding': [ 'CAP_KILL', 'CAP_NET_BIND_SERVICE' ], 'effective': [ 'CAP_KILL' ],"
    "                      'inheritable': [], 'permitted': [ 'CAP_KILL' ], 'ambient': [ 'CAP_CHOWN' ] },"
    "    'apparmorProfile': 'unconfined', 'selinuxLabel': 'system_u:system_r:container_t:s0'"
    "  },"
    "  'mounts': ["
    "    { 'destination': '/proc', 'type': 'proc', 'source': 'proc' },"
    "    { 'destination': '//data/./x/', 'source': '/srv', 'options': [ 'rbind', 'ro' ] }"
    "  ],"
    "  'linux': {"
    "    'namespaces': [ { 'type': 'pid' }, { 'type': 'network', 'path': '/run/netns/x' }, { 'type': "
    "'mount' },"
    "                    { 'type': 'ipc' }, { 'type': 'uts' }, { 'type': 'user' }, { 'type': 'cgroup' },"
    "                    { 'type': 'time' } ],"
    "    'uidMappings': [ { 'containerID': 0, 'hostID': 100000, 'size': 65536 } ],"
    "    'gidMappings': [ { 'containerID': 0, 'hostID': 200000, 'size': 1 },"
    "                     { 'containerID': 1, 'hostID': 300000, 'size': 10 } ],"
    "    'devices': [ { 'path': '/dev/fuse', 'type': 'c', 'major': 10, 'minor': 229, 'fileMode': 438,"
    "                   'uid': 0, 'gid': 5 },"
    "                 { 'path': '/dev/myfifo', 'type': 'p' } ],"
    "    'sysctl': { 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '4096', 'fs.mqueue.msg_max': '20',"
    "                'kernel.domainname': 'x' },"
    "    'maskedPaths': [ '/proc/kcore' ],"
    "    'readonlyPaths': [ '/proc/sys', '/proc/bus' ],"
    "    'rootfsPropagation': 'rslave',"
    "    'cgroupsPath': 'machine.slice:berth:box',"
    "    'resources': { 'memory': { 'limit': 1048576 }, 'pids': { 'limit': 10 } },"
    "    'seccomp': { 'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 38,"
    "                 'architectures': [ 'SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32' ],"
    "                 'flags': [ 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW' ],"
    "                 'listenerPath': '/run/agent.sock', 'listenerMetadata': 'meta',"
    "                 'syscalls': [ { 'names': [ 'read', 'write' ], 'action': 'SCMP_ACT_ALLOW' },"
    "                               { 'names': [ 'mkdir' ], 'action': 'SCMP_ACT_NOTIFY' },"
    "                               { 'names': [ 'personality' ], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 1,"
    "                                 'args': [ { 'index': 0, 'value': 255, 'valueTwo': 8,"
    "                                             'op': 'SCMP_CMP_MASKED_EQ' },"
    "                                           { 'index': 5, 'value': 18446744073709551615,"
    "                                             'op': 'SCMP_CMP_NE' } ] } ] },"
    "    'mountLabel': 'system_u:object_r:container_file_t:s0',"
    "    'intelRdt': null"
    "  },"
    "  'annotations': { 'org.example.a': '1', 'b': '' },"
    "  'hooks': {"
    "    'prestart': [ { 'path': '/bin/pre', 'args': [ 'pre', 'x' ], 'env': [ 'A=1' ], 'timeout': 5 } ],"
    "    'createRuntime': [ { 'path': '/bin/cr1' }, { 'path': '/bin/cr2' } ],"
    "    'createContainer': [ { 'path': '/bin/cc' } ],"
    "    'startContainer': [ { 'path': '/bin/sc' } ],"
    "    'poststart': [ { 'path': '/bin/ps' } ],"
    "    'poststop': [ { 'path': '/bin/pst', 'timeout': 1 } ]"
    "  }"
    "}";

static void test_full_config(void) {
        _cleanup_free_ char *json = unquote(full_config);
        _cleanup_(spec_freep) Spec *s = NULL;
        const SpecProcess *p;
        const SpecLinux *l;

        capture_reset();
        ASSERT_OK(spec_parse("config.json", json, strlen(json), &s));
        ASSERT_EQ(captured.n, 0);
        if (captured.n > 0)
                printf("# %s\n", captured.message);
        if (!s)
                return;

        ASSERT_STREQ(s->oci_version, "1.0.2");
        ASSERT_STREQ(s->root_path, "rootfs");
        ASSERT_TRUE(s->root_readonly);
        ASSERT_STREQ(s->hostname, "box");
        ASSERT_STREQ(s->domainname, "example.org");

        p = s->process;
        ASSERT_TRUE(p);
        if (!p)
                return;
        ASSERT_TRUE(p->terminal);
        ASSERT_TRUE(p->has_console_size);
        ASSERT_EQ(p->console_height, 24);
        ASSERT_EQ(p->console_width, 80);
        ASSERT_EQ(p->user.uid, 1000);
        ASSERT_EQ(p->user.gid, 4294967295U);
        ASSERT_TRUE(p->user.has_umask);
        ASSERT_EQ(p->user.umask, 022);
        ASSERT_EQ(p->user.n_additional_gids, 3);
        ASSERT_EQ(p->user.additional_gids[2], 7);
        ASSERT_EQ(strv_length(p->args), 3);
        ASSERT_STREQ(p->args[0], "/bin/sh");
        ASSERT_STREQ(p->args[2], "echo hi");
        ASSERT_EQ(strv_length(p->env), 2);
        ASSERT_STREQ(strv_env_get(p->env, "EMPTY"), "");
        ASSERT_STREQ(p->cwd, "/work");
        ASSERT_EQ(p->n_rlimits, 2);
        ASSERT_EQ(p->rlimits[0].resource, RLIMIT_NOFILE);
        ASSERT_EQ(p->rlimits[0].soft, 1024);
        ASSERT_EQ(p->rlimits[0].hard, 4096);
        ASSERT_EQ(p->rlimits[1].resource, RLIMIT_CORE);
        ASSERT_TRUE(p->rlimits[1].hard == UINT64_MAX);
        ASSERT_TRUE(p->no_new_privileges);
        ASSERT_TRUE(p->has_oom_score_adj);
        ASSERT_EQ(p->oom_score_adj, -999);
        ASSERT_EQ(strv_length(p->capabilities.bounding), 2);
        ASSERT_STREQ(p->capabilities.bounding[1], "CAP_NET_BIND_SERVICE");
        ASSERT_STREQ(p->capabilities.effective[0], "CAP_KILL");
        ASSERT_TRUE(p->capabilities.inheritable && !p->capabilities.inheritable[0]); /* present, empty */
        ASSERT_STREQ(p->capabilities.permitted[0], "CAP_KILL");
        ASSERT_STREQ(p->capabilities.ambient[0], "CAP_CHOWN");
        ASSERT_STREQ(p->apparmor_profile, "unconfined");
        ASSERT_STREQ(p->selinux_label, "system_u:system_r:container_t:s0");

        ASSERT_EQ(s->n_mounts, 2);
        ASSERT_STREQ(s->mounts[0].destination, "/proc");
        ASSERT_STREQ(s->mounts[0].type, "proc");
        ASSERT_STREQ(s->mounts[0].source, "proc");
        ASSERT_TRUE(!s->mounts[0].options);
        ASSERT_STREQ(s->mounts[1].destination, "/data/x"); /* normalized */
        ASSERT_TRUE(!s->mounts[1].type);
        ASSERT_STREQ(s->mounts[1].options[1], "ro");

        l = &s->linux;
        for (SpecNamespaceType t = 0; t < _SPEC_NS_MAX; t++)
                ASSERT_TRUE(l->namespaces[t].present);
        ASSERT_STREQ(l->namespaces[SPEC_NS_NETWORK].path, "/run/netns/x");
        ASSERT_EQ(l->namespaces[SPEC_NS_NETWORK].index, 1);
        ASSERT_TRUE(!l->namespaces[SPEC_NS_PID].path);
        ASSERT_EQ(l->namespaces[SPEC_NS_TIME].index, 7);
        ASSERT_EQ(l->n_uid_mappings, 1);
        ASSERT_EQ(l->uid_mappings[0].host_id, 100000);
        ASSERT_EQ(l->uid_mappings[0].size, 65536);
        ASSERT_EQ(l->n_gid_mappings, 2);
        ASSERT_EQ(l->gid_mappings[1].container_id, 1);
        ASSERT_EQ(l->gid_mappings[1].host_id, 300000);
        ASSERT_EQ(l->gid_mappings[1].size, 10);
        ASSERT_EQ(l->n_devices, 2);
        ASSERT_STREQ(l->devices[0].path, "/dev/fuse");
        ASSERT_EQ(l->devices[0].type, 'c');
        ASSERT_EQ(l->devices[0].major, 10);
        ASSERT_EQ(l->devices[0].minor, 229);
        ASSERT_TRUE(l->devices[0].has_file_mode);
        ASSERT_EQ(l->devices[0].file_mode, 0666);
        ASSERT_TRUE(l->devices[0].has_uid && l->devices[0].has_gid);
        ASSERT_EQ(l->devices[0].gid, 5);
        ASSERT_EQ(l->devices[1].type, 'p');
        ASSERT_TRUE(!l->devices[1].has_file_mode && !l->devices[1].has_uid);
        ASSERT_EQ(l->n_sysctl, 4);
        for (size_t i = 0; i < l->n_sysctl; i++)
                if (streq(l->sysctl[i].key, "kernel.shmmax"))
                        ASSERT_STREQ(l->sysctl[i].value, "4096");
        ASSERT_STREQ(l->masked_paths[0], "/proc/kcore");
        ASSERT_EQ(strv_length(l->readonly_paths), 2);
        ASSERT_EQ(l->rootfs_propagation, SPEC_PROPAGATION_RSLAVE);
        ASSERT_STREQ(l->cgroups_path, "machine.slice:berth:box");
        ASSERT_STREQ(l->resources_json, "{\"memory\":{\"limit\":1048576},\"pids\":{\"limit\":10}}");
        ASSERT_TRUE(l->seccomp);
        ASSERT_EQ(l->seccomp->default_action, SPEC_SECCOMP_ACT_ERRNO);
        ASSERT_TRUE(l->seccomp->has_default_errno_ret);
        ASSERT_EQ(l->seccomp->default_errno_ret, 38);
        ASSERT_EQ(l->seccomp->n_architectures, 3);
        ASSERT_EQ(l->seccomp->architectures[2], SPEC_SECCOMP_ARCH_X32);
        ASSERT_EQ(l->seccomp->flags, SPEC_SECCOMP_FLAG_LOG | SPEC_SECCOMP_FLAG_SPEC_ALLOW);
        ASSERT_STREQ(l->seccomp->listener_path, "/run/agent.sock");
        ASSERT_STREQ(l->seccomp->listener_metadata, "meta");
        ASSERT_TRUE(l->seccomp->notify);
        ASSERT_EQ(l->seccomp->n_syscalls, 3);
        ASSERT_STREQ(l->seccomp->syscalls[0].names[1], "write");
        ASSERT_EQ(l->seccomp->syscalls[1].action, SPEC_SECCOMP_ACT_NOTIFY);
        ASSERT_EQ(l->seccomp->syscalls[2].errno_ret, 1);
        ASSERT_EQ(l->seccomp->syscalls[2].n_args, 2);
        ASSERT_EQ(l->seccomp->syscalls[2].args[0].op, SPEC_SECCOMP_OP_MASKED_EQ);
        ASSERT_EQ(l->seccomp->syscalls[2].args[0].value, 255);
        ASSERT_EQ(l->seccomp->syscalls[2].args[0].value_two, 8);
        ASSERT_EQ(l->seccomp->syscalls[2].args[1].index, 5);
        ASSERT_TRUE(l->seccomp->syscalls[2].args[1].value == UINT64_MAX);
        ASSERT_STREQ(l->mount_label, "system_u:object_r:container_file_t:s0");

        ASSERT_EQ(strv_length(s->annotations), 4);
        ASSERT_STREQ(s->annotations[0], "org.example.a");
        ASSERT_STREQ(s->annotations[1], "1");
        ASSERT_STREQ(s->annotations[2], "b");
        ASSERT_STREQ(s->annotations[3], "");

        ASSERT_EQ(s->prestart.n_hooks, 1);
        ASSERT_STREQ(s->prestart.hooks[0].path, "/bin/pre");
        ASSERT_STREQ(s->prestart.hooks[0].args[1], "x");
        ASSERT_STREQ(s->prestart.hooks[0].env[0], "A=1");
        ASSERT_TRUE(s->prestart.hooks[0].has_timeout);
        ASSERT_EQ(s->prestart.hooks[0].timeout, 5);
        ASSERT_EQ(s->create_runtime.n_hooks, 2);
        ASSERT_STREQ(s->create_runtime.hooks[1].path, "/bin/cr2");
        ASSERT_TRUE(!s->create_runtime.hooks[1].has_timeout);
        ASSERT_STREQ(s->create_container.hooks[0].path, "/bin/cc");
        ASSERT_STREQ(s->start_container.hooks[0].path, "/bin/sc");
        ASSERT_STREQ(s->poststart.hooks[0].path, "/bin/ps");
        ASSERT_EQ(s->poststop.hooks[0].timeout, 1);
}

static void test_minimal_config(void) {
        _cleanup_free_ char *json = unquote(
                "{'ociVersion':'1.0.0','root':{'path':'/r'},'process':{'args':['x'],'cwd':'/'},"
                "'hostname':'','linux':null,'mounts':null}");
        _cleanup_(spec_freep) Spec *s = NULL;

        capture_reset();
        ASSERT_OK(spec_parse("config.json", json, strlen(json), &s));
        ASSERT_EQ(captured.n, 0);
        if (!s)
                return;
        ASSERT_TRUE(!s->root_readonly);
        ASSERT_TRUE(!s->process->env);
        ASSERT_TRUE(!s->process->capabilities.bounding);
        ASSERT_TRUE(!s->process->user.has_umask);
        ASSERT_TRUE(!s->process->has_oom_score_adj);
        ASSERT_EQ(s->n_mounts, 0);
        ASSERT_EQ(s->linux.rootfs_propagation, SPEC_PROPAGATION_UNSET);
        ASSERT_TRUE(!s->linux.resources_json);
        ASSERT_TRUE(!s->annotations);
}

static void test_default_specs(void) {
        for (int rootless = 0; rootless <= 1; rootless++) {
                _cleanup_(spec_freep) Spec *s = NULL;
                _cleanup_free_ char *json = NULL;

                ASSERT_OK(spec_default_json(rootless, &json));
                if (!json)
                        continue;
                ASSERT_TRUE(json[0] == '{' && json[strlen(json) - 1] == '}');
                ASSERT_TRUE(strstr(json, "\n\t\"ociVersion\": \"1.0.2-dev\",\n"));
                capture_reset();
                ASSERT_OK(spec_parse("config.json", json, strlen(json), &s));
                ASSERT_EQ(captured.n, 0);
                if (!s)
                        continue;
                ASSERT_STREQ(s->process->args[0], "sh");
                ASSERT_TRUE(s->process->terminal);
                ASSERT_STREQ(s->root_path, "rootfs");
                ASSERT_TRUE(s->root_readonly);
                ASSERT_STREQ(s->hostname, "runc");
                ASSERT_EQ(s->n_mounts, 7);
                ASSERT_STREQ(s->mounts[6].destination, "/sys/fs/cgroup");
                ASSERT_EQ(s->process->rlimits[0].resource, RLIMIT_NOFILE);
                ASSERT_EQ(strv_length(s->linux.masked_paths), 10);
                ASSERT_EQ(s->linux.namespaces[SPEC_NS_NETWORK].present, !rootless);
                ASSERT_EQ(s->linux.namespaces[SPEC_NS_USER].present, rootless);
                if (rootless) {
                        ASSERT_EQ(s->linux.n_uid_mappings, 1);
                        ASSERT_EQ(s->linux.uid_mappings[0].host_id, geteuid());
                        ASSERT_EQ(s->linux.gid_mappings[0].host_id, getegid());
                        ASSERT_TRUE(!s->linux.resources_json);
                } else
                        ASSERT_STREQ(s->linux.resources_json,
                                     "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}");
        }
}

static void test_process_json(void) {
        _cleanup_free_ char *json = unquote(
            "{'terminal':false,'user':{'uid':0,'gid':0},'args':['/bin/ls','-l'],'env':['A=b'],'cwd':'/tmp',"
            "'capabilities':{'bounding':['CAP_SYS_ADMIN']},'noNewPrivileges':true}");
        _cleanup_(spec_process_freep) SpecProcess *p = NULL;

        capture_reset();
        ASSERT_OK(spec_parse_process("process.json", json, strlen(json), &p));
        ASSERT_EQ(captured.n, 0);
        if (!p)
                return;
        ASSERT_STREQ(p->args[1], "-l");
        ASSERT_STREQ(p->cwd, "/tmp");
        ASSERT_STREQ(p->capabilities.bounding[0], "CAP_SYS_ADMIN");
        ASSERT_TRUE(p->no_new_privileges);
        ASSERT_TRUE(!p->terminal);
}

/* Accepted as runc accepts them: unknown capability names (a warning each, left out), fileMode with
 * the file type bits (only the permission bits are kept), devices outside /dev. */
static void test_tolerated(void) {
        _cleanup_free_ char *json = unquote(
                "{'ociVersion':'1.0.2','root':{'path':'rootfs'},"
                "'process':{'args':['x'],'cwd':'/','capabilities':{"
                "  'bounding':['CAP_KILL','CAP_FOO','cap_chown','CAP_CHOWN'],'effective':['CAP_NOPE'],"
                "  'ambient':['CAP_KILL']}},"
                "'linux':{'devices':["
                "  {'path':'/dev/mynull','type':'c','major':1,'minor':3,'fileMode':8630},"
                "  {'path':'/etc/x/../mydev','type':'b','major':7,'minor':0,'fileMode':25008},"
                "  {'path':'/run/fifo','type':'p','fileMode':4516},"
                "  {'path':'/dev/u','type':'u','major':1,'minor':5,'fileMode':420}]}}");
        _cleanup_free_ char *pj = unquote("{'args':['x'],'cwd':'/','capabilities':{'permitted':['CAP_NOPE']}}");
        _cleanup_(spec_process_freep) SpecProcess *p = NULL;
        _cleanup_(spec_freep) Spec *s = NULL;
        const SpecCapabilities *c;

        capture_reset();
        ASSERT_EQ(spec_parse("config.json", json, strlen(json), &s), -EINVAL); /* ".." in a device path */
        ASSERT_STREQ(captured.message, "config.json: linux.devices[1].path: path '/etc/x/../mydev' must not "
                                       "contain '..' components");
        s = spec_free(s);
        free(json);
        json = unquote(
                "{'ociVersion':'1.0.2','root':{'path':'rootfs'},"
                "'process':{'args':['x'],'cwd':'/','capabilities':{"
                "  'bounding':['CAP_KILL','CAP_FOO','cap_chown','CAP_CHOWN'],'effective':['CAP_NOPE'],"
                "  'ambient':['CAP_KILL']}},"
                "'linux':{'devices':["
                "  {'path':'/dev/mynull','type':'c','major':1,'minor':3,'fileMode':8630},"
                "  {'path':'/etc/mydev','type':'b','major':7,'minor':0,'fileMode':25008},"
                "  {'path':'/run/fifo','type':'p','fileMode':4516},"
                "  {'path':'/dev/u','type':'u','major':1,'minor':5,'fileMode':420}]}}");
        capture_reset();
        ASSERT_OK(spec_parse("config.json", json, strlen(json), &s));
        ASSERT_EQ(captured.n, 3);
        ASSERT_EQ(captured.level, LOG_WARNING);
        ASSERT_STREQ(captured.message,
                     "config.json: process.capabilities.effective[0]: unknown capability 'CAP_NOPE', ignoring");
        if (!s)
                return;
        c = &s->process->capabilities;
        ASSERT_EQ(strv_length(c->bounding), 2);
        ASSERT_STREQ(c->bounding[0], "CAP_KILL");
        ASSERT_STREQ(c->bounding[1], "CAP_CHOWN");
        ASSERT_EQ(strv_length(c->effective), 0);
        ASSERT_STREQ(c->ambient[0], "CAP_KILL");
        ASSERT_EQ(s->linux.n_devices, 4);
        if (s->linux.n_devices != 4)
                return;
        ASSERT_EQ(s->linux.devices[0].file_mode, 0666); /* S_IFCHR|0666 */
        ASSERT_STREQ(s->linux.devices[1].path, "/etc/mydev");
        ASSERT_EQ(s->linux.devices[1].file_mode, 0660); /* S_IFBLK|0660 */
        ASSERT_EQ(s->linux.devices[2].file_mode, 0644); /* S_IFIFO|0644 */
        ASSERT_EQ(s->linux.devices[3].file_mode, 0644);

        capture_reset();
        ASSERT_OK(spec_parse_process("process.json", pj, strlen(pj), &p));
        ASSERT_EQ(captured.n, 1);
        ASSERT_STREQ(captured.message, "process.json: capabilities.permitted[0]: unknown capability 'CAP_NOPE', ignoring");
        if (p)
                ASSERT_EQ(strv_length(p->capabilities.permitted), 0);
}

static void test_enums(void) {
        ASSERT_STREQ(spec_namespace_type_to_string(SPEC_NS_NETWORK), "network");
        ASSERT_EQ(spec_namespace_type_from_string("cgroup"), SPEC_NS_CGROUP);
        ASSERT_EQ(spec_namespace_type_from_string("net"), -EINVAL);
        ASSERT_EQ(spec_namespace_type_to_clone_flag(SPEC_NS_MOUNT), CLONE_NEWNS);
        ASSERT_EQ(spec_namespace_type_to_clone_flag(SPEC_NS_USER), CLONE_NEWUSER);
        ASSERT_STREQ(spec_namespace_type_to_proc_name(SPEC_NS_NETWORK), "net");
        ASSERT_STREQ(spec_namespace_type_to_proc_name(SPEC_NS_MOUNT), "mnt");
        ASSERT_TRUE(!spec_namespace_type_to_string(_SPEC_NS_MAX));
        ASSERT_EQ(spec_propagation_from_string("runbindable"), SPEC_PROPAGATION_RUNBINDABLE);
        ASSERT_EQ(spec_propagation_from_string("bogus"), -EINVAL);
        ASSERT_STREQ(spec_propagation_to_string(SPEC_PROPAGATION_SLAVE), "slave");
        ASSERT_TRUE(!spec_propagation_to_string(SPEC_PROPAGATION_UNSET));
        ASSERT_EQ(spec_rlimit_from_string("RLIMIT_NPROC"), RLIMIT_NPROC);
        ASSERT_EQ(spec_rlimit_from_string("NOFILE"), -EINVAL);
        ASSERT_STREQ(spec_rlimit_to_string(RLIMIT_MEMLOCK), "RLIMIT_MEMLOCK");
}

/* ---- the corpus ---- */

static bool has_suffix(const char *s, const char *suffix) {
        size_t a = strlen(s), b = strlen(suffix);

        return a >= b && streq(s + a - b, suffix);
}

static void check_bad(const char *what, int r, const char *expected, int expected_errno) {
        char desc[512];
        bool ok;

        ok = r == -expected_errno && captured.n == 1 && captured.level == LOG_ERR &&
             strstr(captured.message, expected);
        snprintf(desc, sizeof desc, "%s is refused: %s", what, expected);
        if (!ok)
                printf("# r=%d (expected %d), %u message(s), last: %s\n", r, -expected_errno, captured.n,
                       captured.message);
        tests_report(ok, desc, __FILE__, __LINE__);
}

static int test_corpus(const char *dir) {
        struct dirent **names = NULL;
        unsigned count = 0;
        int n;

        n = scandir(dir, &names, NULL, alphasort);
        if (n < 0) {
                printf("# cannot read corpus '%s': %m\n", dir);
                tests_report(false, "bad-configs corpus readable", __FILE__, __LINE__);
                return 0;
        }
        for (int i = 0; i < n; i++) {
                _cleanup_free_ char *json_path = NULL, *expected_path = NULL, *json = NULL, *expected = NULL;
                const char *f = names[i]->d_name;
                size_t len = 0, elen = 0;
                int r;

                if (!has_suffix(f, ".json")) {
                        free(names[i]);
                        continue;
                }
                json_path = path_join(dir, f);
                expected_path = strndup(json_path, strlen(json_path) - strlen(".json"));
                assert(json_path && expected_path);
                expected_path = realloc(expected_path, strlen(expected_path) + strlen(".expected") + 1);
                assert(expected_path);
                strcat(expected_path, ".expected");

                r = read_full_file_at(AT_FDCWD, json_path, SPEC_FILE_MAX, &json, &len);
                if (r >= 0)
                        r = read_full_file_at(AT_FDCWD, expected_path, 4096, &expected, &elen);
                if (r < 0) {
                        printf("# %s: %s\n", f, strerror(-r));
                        tests_report(false, f, __FILE__, __LINE__);
                        free(names[i]);
                        continue;
                }
                while (elen > 0 && expected[elen - 1] == '\n')
                        expected[--elen] = 0;

                capture_reset();
                if (strstr(f, "-procjson-")) {
                        _cleanup_(spec_process_freep) SpecProcess *p = NULL;
                        r = spec_parse_process("process.json", json, len, &p);
                        if (p)
                                r = 0; /* accepted after all: check_bad() fails it (one result per file) */
                } else {
                        _cleanup_(spec_freep) Spec *s = NULL;
                        r = spec_parse("config.json", json, len, &s);
                        if (s)
                                r = 0;
                }
                check_bad(f, r, expected, strstr(expected, "invalid JSON") ? EBADMSG : EINVAL);
                count++;
                free(names[i]);
        }
        free(names);
        return (int) count;
}

/* ---- generated inputs: limits ---- */

/* A config with 'inner' spliced into the process object, or at the top level. */
static char *make_config(const char *process_extra, const char *top_extra) {
        return xasprintf("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
                        "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"%s}%s}",
                        process_extra, top_extra);
}

/* '"x",' n times, without the last comma, inside [ ] */
static char *repeat_array(const char *elem, size_t n) {
        size_t l = strlen(elem);
        char *s = malloc(n * (l + 1) + 3), *p = s;

        assert(s);
        *p++ = '[';
        for (size_t i = 0; i < n; i++) {
                if (i > 0)
                        *p++ = ',';
                memcpy(p, elem, l);
                p += l;
        }
        *p++ = ']';
        *p = 0;
        return s;
}

static void check_generated(const char *what, const char *process_extra, const char *top_extra,
                            const char *expected) {
        _cleanup_free_ char *json = make_config(process_extra, top_extra);
        _cleanup_(spec_freep) Spec *s = NULL;
        int r;

        capture_reset();
        r = spec_parse("config.json", json, strlen(json), &s);
        check_bad(what, r, expected, EINVAL);
}

static void test_limits(void) {
        _cleanup_free_ char *args = NULL, *extra = NULL, *big = NULL, *gids = NULL, *mounts = NULL,
                            *sysctl = NULL, *json = NULL, *ok_args = NULL, *paths = NULL, *hooks = NULL;
        _cleanup_(spec_freep) Spec *s = NULL;
        size_t l;
        int r;

        /* exactly at the limit is fine */
        ok_args = repeat_array("\"a\"", SPEC_ARGS_MAX);
        extra = xasprintf(",\"args\":%s", ok_args);
        json = make_config(extra, "");
        capture_reset();
        ASSERT_OK(spec_parse("config.json", json, strlen(json), &s));
        if (s)
                ASSERT_EQ(strv_length(s->process->args), SPEC_ARGS_MAX);
        s = spec_free(s);
        json = mfree(json);
        extra = mfree(extra);

        args = repeat_array("\"a\"", SPEC_ARGS_MAX + 1);
        extra = xasprintf(",\"env\":%s", args);
        check_generated("4097 env entries", extra, "",
                        "config.json: process.env: too many entries (4097), the limit is 4096");
        extra = mfree(extra);

        gids = repeat_array("1", SPEC_GIDS_MAX + 1);
        extra = xasprintf(",\"user\":{\"additionalGids\":%s}", gids);
        check_generated(
            "65537 additionalGids", extra, "",
            "config.json: process.user.additionalGids: too many entries (65537), the limit is 65536");
        extra = mfree(extra);

        mounts = repeat_array("{\"destination\":\"/x\"}", SPEC_MOUNTS_MAX + 1);
        extra = xasprintf(",\"mounts\":%s", mounts);
        check_generated("1025 mounts", "", extra,
                        "config.json: mounts: too many entries (1025), the limit is 1024");
        extra = mfree(extra);

        paths = repeat_array("\"/p\"", SPEC_PATHS_MAX + 1);
        extra = xasprintf(",\"linux\":{\"maskedPaths\":%s}", paths);
        check_generated("1025 maskedPaths", "", extra,
                        "config.json: linux.maskedPaths: too many entries (1025), the limit is 1024");
        extra = mfree(extra);

        hooks = repeat_array("{\"path\":\"/h\"}", SPEC_HOOKS_MAX + 1);
        extra = xasprintf(",\"hooks\":{\"poststop\":%s}", hooks);
        check_generated("1025 hooks", "", extra,
                        "config.json: hooks.poststop: too many entries (1025), the limit is 1024");
        extra = mfree(extra);

        /* sysctl: an object with SPEC_SYSCTL_MAX + 1 keys */
        l = 32 + (SPEC_SYSCTL_MAX + 1) * 32;
        sysctl = malloc(l);
        assert(sysctl);
        strcpy(sysctl, ",\"linux\":{\"sysctl\":{");
        for (unsigned i = 0; i <= SPEC_SYSCTL_MAX; i++)
                sprintf(sysctl + strlen(sysctl), "%s\"net.k%u\":\"1\"", i > 0 ? "," : "", i);
        strcat(sysctl, "}}");
        check_generated("1025 sysctls", "", sysctl,
                        "config.json: linux.sysctl: too many entries (1025), the limit is 1024");

        /* one string of SPEC_STRING_MAX + 1 bytes */
        big = malloc(SPEC_STRING_MAX + 32);
        assert(big);
        strcpy(big, ",\"env\":[\"A=");
        l = strlen(big);
        memset(big + l, 'x', SPEC_STRING_MAX - 1);
        strcpy(big + l + SPEC_STRING_MAX - 1, "\"]");
        check_generated("a 65537-byte string", big, "",
                        "config.json: process.env[0]: string is 65537 bytes long, the limit is 65536 bytes");

        /* a document over SPEC_FILE_MAX */
        json = malloc(SPEC_FILE_MAX + 2);
        assert(json);
        memset(json, ' ', SPEC_FILE_MAX + 1);
        json[SPEC_FILE_MAX + 1] = 0;
        json[0] = '{';
        json[SPEC_FILE_MAX] = '}';
        capture_reset();
        r = spec_parse("config.json", json, SPEC_FILE_MAX + 1, &s);
        check_bad("a document over 4 MiB", r,
                  "config.json: document is 4194305 bytes, the limit is 4194304 bytes", EFBIG);

        /* a NUL inside a string */
        {
                static const char nul_json[] = "{\"ociVersion\":\"1\\u0000x\"}";
                capture_reset();
                r = spec_parse("config.json", nul_json, strlen(nul_json), &s);
                check_bad("a NUL in a string", r, "config.json: ociVersion: string contains a NUL byte",
                          EINVAL);
        }
}

/* ---- spec_load() ---- */

static void test_load(void) {
        char dir[] = "/tmp/test-spec-XXXXXX";
        _cleanup_free_ char *path = NULL, *expected = NULL, *json = NULL, *sub = NULL;
        _cleanup_(spec_freep) Spec *s = NULL;
        int r;

        ASSERT_TRUE(mkdtemp(dir));
        path = path_join(dir, "config.json");
        sub = path_join(dir, "sub");
        assert(path && sub);

        capture_reset();
        r = spec_load(dir, &s);
        ASSERT_EQ(r, -ENOENT);
        expected = xasprintf("Failed to open '%s': No such file or directory", path);
        ASSERT_STREQ(captured.message, expected);
        expected = mfree(expected);

        json =
            unquote("{'ociVersion':'1.0.0','root':{'path':'rootfs'},'process':{'args':['sh'],'cwd':'/'}}");
        ASSERT_OK(write_file_atomic_at(AT_FDCWD, path, json, strlen(json), 0644));
        capture_reset();
        ASSERT_OK(spec_load(dir, &s));
        ASSERT_EQ(captured.n, 0);
        s = spec_free(s);

        /* messages name the file */
        ASSERT_OK(write_file_atomic_at(AT_FDCWD, path, "{\n  \"ociVersion\": 1\n}", 21, 0644));
        capture_reset();
        ASSERT_EQ(spec_load(dir, &s), -EINVAL);
        expected = xasprintf("%s: ociVersion: expected a string, got an integer", path);
        ASSERT_STREQ(captured.message, expected);
        expected = mfree(expected);

        ASSERT_OK(write_file_atomic_at(AT_FDCWD, path, "{\n  \"ociVersion\": x\n}", 21, 0644));
        capture_reset();
        ASSERT_EQ(spec_load(dir, &s), -EBADMSG);
        expected = xasprintf("%s:2:17: invalid JSON:", path);
        ASSERT_TRUE(strstr(captured.message, expected));
        if (!strstr(captured.message, expected))
                printf("# %s\n", captured.message);
        expected = mfree(expected);

        /* not a regular file */
        ASSERT_OK(unlink(path));
        ASSERT_OK(mkfifo(path, 0600));
        capture_reset();
        ASSERT_EQ(spec_load(dir, &s), -EINVAL);
        ASSERT_TRUE(strstr(captured.message, "not a regular file"));
        ASSERT_OK(unlink(path));
        ASSERT_OK(mkdir(path, 0700));
        capture_reset();
        ASSERT_EQ(spec_load(dir, &s), -EISDIR);
        ASSERT_OK(rmdir(path));

        /* too big */
        {
                _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
                ASSERT_TRUE(fd >= 0);
                ASSERT_OK(ftruncate(fd, SPEC_FILE_MAX + 1));
        }
        capture_reset();
        ASSERT_EQ(spec_load(dir, &s), -EFBIG);
        ASSERT_TRUE(strstr(captured.message, "larger than 4194304 bytes"));
        ASSERT_OK(unlink(path));
        ASSERT_OK(rmdir(dir));
}

int main(int argc, char *argv[]) {
        const char *corpus = getenv("BAD_CONFIGS");
        int n;

        if (argc > 1)
                corpus = argv[1];
        log_set_forward(capture, &captured);

        test_enums();
        test_full_config();
        test_minimal_config();
        test_default_specs();
        test_process_json();
        test_tolerated();
        test_limits();
        test_load();

        if (!corpus)
                corpus = "tests/unit/bad-configs";
        n = test_corpus(corpus);
        printf("# %d bad configs in '%s'\n", n, corpus);
        ASSERT_TRUE(n >= 45);

        log_set_forward(NULL, NULL);
        return tests_done();
}
