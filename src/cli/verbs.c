/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "container.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "spec.h"
#include "state-store.h"
#include "strv.h"
#include "verbs.h"

static int usage_error(const char *verb, const char *what) {
        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "berth %s: %s; see berth %s --help", verb, what, verb);
}

static int bad_option(const char *verb, char **argv) {
        char buf[256];

        snprintf(buf, sizeof buf, "unknown or incomplete option '%s'", argv[optind - 1]);
        return usage_error(verb, buf);
}

/* ---- spec ---- */

int verb_spec(int argc, char **argv, const GlobalOptions *g) {
        static const struct option options[] = {
                { "bundle", required_argument, NULL, 'b' },
                { "rootless", no_argument, NULL, 'r' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        _cleanup_free_ char *json = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        const char *bundle = ".";
        bool rootless = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "+b:h", options, NULL)) >= 0)
                switch (c) {
                case 'b':
                        bundle = optarg;
                        break;
                case 'r':
                        rootless = true;
                        break;
                case 'h':
                        printf("Usage: berth spec [--bundle DIR] [--rootless]\n\n"
                               "Write a default config.json (the same as runc spec) into DIR (default: the\n"
                               "current directory). Refuses to overwrite an existing one.\n");
                        return 0;
                default:
                        return bad_option("spec", argv);
                }
        if (optind < argc)
                return usage_error("spec", "takes no arguments");
        r = spec_default_json(rootless, &json);
        if (r < 0)
                return log_error_errno(r, "Failed to generate the default spec: %m");
        dir_fd = open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return log_error_errno(errno, "Failed to open bundle directory '%s': %m", bundle);
        if (faccessat(dir_fd, "config.json", F_OK, AT_SYMLINK_NOFOLLOW) >= 0)
                return log_error_errno(SYNTHETIC_ERRNO(EEXIST), "File '%s/config.json' exists. Remove it first",
                                       bundle);
        r = write_file_atomic_at(dir_fd, "config.json", json, strlen(json), 0666 & ~0022);
        if (r < 0)
                return log_error_errno(r, "Failed to write '%s/config.json': %m", bundle);
        return 0;
}

/* ---- create / run ---- */

static int parse_create_options(const char *verb, bool is_run, int argc, char **argv, ContainerOptions *o) {
        enum { ARG_PID_FILE = 0x100, ARG_CONSOLE_SOCKET, ARG_PRESERVE_FDS, ARG_NO_PIVOT, ARG_NO_NEW_KEYRING,
               ARG_NO_SUBREAPER, ARG_KEEP };
        static const struct option options[] = {
                { "bundle", required_argument, NULL, 'b' },
                { "pid-file", required_argument, NULL, ARG_PID_FILE },
                { "console-socket", required_argument, NULL, ARG_CONSOLE_SOCKET },
                { "preserve-fds", required_argument, NULL, ARG_PRESERVE_FDS },
                { "no-pivot", no_argument, NULL, ARG_NO_PIVOT },
                { "no-new-keyring", no_argument, NULL, ARG_NO_NEW_KEYRING },
                { "no-subreaper", no_argument, NULL, ARG_NO_SUBREAPER },
                { "keep", no_argument, NULL, ARG_KEEP },
                { "detach", no_argument, NULL, 'd' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        uint32_t n;
        int c;

        while ((c = getopt_long(argc, argv, is_run ? "+b:dh" : "+b:h", options, NULL)) >= 0)
                switch (c) {
                case 'b':
                        o->bundle = optarg;
                        break;
                case ARG_PID_FILE:
                        o->pid_file = optarg;
                        break;
                case ARG_CONSOLE_SOCKET:
                        o->console_socket = optarg;
                        break;
                case ARG_PRESERVE_FDS:
                        if (safe_atou32(optarg, &n) < 0 || n > 65536)
                                return usage_error(verb, "--preserve-fds: expected a number of fds");
                        o->preserve_fds = n;
                        break;
                case ARG_NO_PIVOT:
                        o->no_pivot = true;
                        break;
                case ARG_NO_NEW_KEYRING:
                        o->no_new_keyring = true;
                        break;
                case ARG_NO_SUBREAPER:
                case ARG_KEEP:
                        if (!is_run)
                                return bad_option(verb, argv);
                        if (c == ARG_KEEP)
                                o->keep = true;
                        else
                                o->no_subreaper = true;
                        break;
                case 'd':
                        if (!is_run)
                                return bad_option(verb, argv);
                        o->detach = true;
                        break;
                case 'h':
                        printf("Usage: berth %s [OPTIONS] ID\n\n"
                               "  -b, --bundle DIR        the bundle (default: the current directory)\n"
                               "  --pid-file FILE         write the init's pid to FILE (relative to the cwd)\n"
                               "  --console-socket PATH   send the pty master to PATH (needs terminal: true)\n"
                               "  --preserve-fds N        pass fds 3..3+N-1 to the container\n"
                               "  --no-pivot              chroot instead of pivot_root\n"
                               "  --no-new-keyring        keep the caller's session keyring\n",
                               verb);
                        if (is_run)
                                printf("  -d, --detach            return once the container runs\n"
                                       "  --keep                  keep the stopped container until delete\n"
                                       "  --no-subreaper          do not reap orphans while waiting\n");
                        return 1;
                default:
                        return bad_option(verb, argv);
                }
        if (optind != argc - 1)
                return usage_error(verb, "expects exactly one container id");
        o->id = argv[optind];
        return 0;
}

int verb_create(int argc, char **argv, const GlobalOptions *g) {
        ContainerOptions o = { .root = g->root, .cgroup_manager = global_cgroup_manager(g) };
        int r;

        r = parse_create_options("create", false, argc, argv, &o);
        if (r != 0)
                return r < 0 ? r : 0;
        return container_create(&o);
}

int verb_run(int argc, char **argv, const GlobalOptions *g) {
        ContainerOptions o = { .root = g->root, .cgroup_manager = global_cgroup_manager(g) };
        int r;

        r = parse_create_options("run", true, argc, argv, &o);
        if (r != 0)
                return r < 0 ? r : 0;
        o.foreground = !o.detach;
        return container_run(&o);
}

/* ---- start / state / delete: one id ---- */

static int parse_id_only(const char *verb, const char *usage, int argc, char **argv, const char **ret_id) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                {}
        };
        int c;

        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        printf("Usage: berth %s ID\n\n%s\n", verb, usage);
                        return 1;
                default:
                        return bad_option(verb, argv);
                }
        if (optind != argc - 1)
                return usage_error(verb, "expects exactly one container id");
        *ret_id = argv[optind];
        return 0;
}

int verb_start(int argc, char **argv, const GlobalOptions *g) {
        const char *id = NULL;
        int r;

        r = parse_id_only("start", "Release the process of a created container.", argc, argv, &id);
        if (r != 0)
                return r < 0 ? r : 0;
        return container_start(g->root, id);
}

int verb_state(int argc, char **argv, const GlobalOptions *g) {
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        _cleanup_free_ char *json = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        ContainerStatus st;
        const char *id = NULL;
        int r;

        r = parse_id_only("state", "Print the OCI state of a container as JSON.", argc, argv, &id);
        if (r != 0)
                return r < 0 ? r : 0;
        r = container_open(g->root, id, /* lock= */ false, &dir_fd, &s);
        if (r < 0)
                return r;
        r = container_state_usable(s);
        if (r < 0)
                return r;
        st = state_status(dir_fd, s);
        if (st == CONTAINER_STOPPED)
                s->pid = 0;
        r = state_to_json(s, st, /* pretty= */ true, &json);
        if (r < 0)
                return log_oom();
        printf("%s\n", json);
        return 0;
}

int verb_delete(int argc, char **argv, const GlobalOptions *g) {
        static const struct option options[] = {
                { "force", no_argument, NULL, 'f' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        bool force = false;
        int c;

        while ((c = getopt_long(argc, argv, "+fh", options, NULL)) >= 0)
                switch (c) {
                case 'f':
                        force = true;
                        break;
                case 'h':
                        printf("Usage: berth delete [-f|--force] ID\n\n"
                               "Remove a stopped or created container; --force kills a running one first.\n");
                        return 0;
                default:
                        return bad_option("delete", argv);
                }
        if (optind != argc - 1)
                return usage_error("delete", "expects exactly one container id");
        return container_delete(g->root, argv[optind], force);
}

/* ---- kill ---- */

int verb_kill(int argc, char **argv, const GlobalOptions *g) {
        static const struct option options[] = {
                { "all", no_argument, NULL, 'a' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        bool all = false;
        int c, sig = SIGTERM;

        while ((c = getopt_long(argc, argv, "+ah", options, NULL)) >= 0)
                switch (c) {
                case 'a':
                        all = true;
                        break;
                case 'h':
                        printf("Usage: berth kill [-a|--all] ID [SIGNAL]\n\n"
                               "SIGNAL is a name with or without SIG (TERM, SIGKILL) or a number; "
                               "default TERM.\n"
                               "Signal 0 sends nothing: it checks that the container is running.\n");
                        return 0;
                default:
                        return bad_option("kill", argv);
                }
        if (optind != argc - 1 && optind != argc - 2)
                return usage_error("kill", "expects a container id and an optional signal");
        if (optind == argc - 2 && streq(argv[optind + 1], "0"))
                sig = 0; /* as runc: only checks that the container exists and runs */
        else if (optind == argc - 2) {
                sig = signal_from_string(argv[optind + 1]);
                if (sig < 0)
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "berth kill: unknown signal '%s'",
                                               argv[optind + 1]);
        }
        return container_kill(g->root, argv[optind], sig, all);
}

/* ---- list ---- */

typedef struct ListRow {
        ContainerState *state;
        ContainerStatus status;
} ListRow;

static void list_rows_free(ListRow *rows, size_t n) {
        for (size_t i = 0; i < n; i++)
                container_state_free(rows[i].state);
        free(rows);
}

/* The owner as runc's list shows it, in the table and the JSON alike: the user name, or "#UID". */
static int owner_name(uint32_t uid, char **ret) {
        struct passwd pw, *res = NULL;
        char buf[4096];

        if (getpwuid_r((uid_t) uid, &pw, buf, sizeof buf, &res) == 0 && res)
                *ret = strdup(res->pw_name);
        else if (asprintf(ret, "#%u", uid) < 0)
                *ret = NULL;
        return *ret ? 0 : -ENOMEM;
}

static void print_table(ListRow *rows, size_t n) {
        const char *hdr[6] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" };
        size_t w[6];
        char pid[16];

        for (int c = 0; c < 6; c++)
                w[c] = strlen(hdr[c]);
        for (size_t i = 0; i < n; i++) {
                ContainerState *s = rows[i].state;
                size_t l[6] = { strlen(s->id), (size_t) snprintf(pid, sizeof pid, "%d", s->pid),
                                strlen(container_status_to_string(rows[i].status)), strlen(strempty(s->bundle)),
                                strlen(strempty(s->created)), strlen(s->owner_name) };
                for (int c = 0; c < 6; c++)
                        if (l[c] > w[c])
                                w[c] = l[c];
        }
        printf("%-*s   %-*s   %-*s   %-*s   %-*s   %s\n", (int) w[0], hdr[0], (int) w[1], hdr[1], (int) w[2],
               hdr[2], (int) w[3], hdr[3], (int) w[4], hdr[4], hdr[5]);
        for (size_t i = 0; i < n; i++) {
                ContainerState *s = rows[i].state;

                snprintf(pid, sizeof pid, "%d", s->pid);
                printf("%-*s   %-*s   %-*s   %-*s   %-*s   %s\n", (int) w[0], s->id, (int) w[1], pid, (int) w[2],
                       container_status_to_string(rows[i].status), (int) w[3], strempty(s->bundle), (int) w[4],
                       strempty(s->created), s->owner_name);
        }
}

static int print_json(ListRow *rows, size_t n) {
        fputs("[", stdout);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *json = NULL;

                if (state_to_json(rows[i].state, rows[i].status, /* pretty= */ false, &json) < 0)
                        return log_oom();
                printf("%s%s", i ? "," : "", json);
        }
        fputs("]\n", stdout);
        return 0;
}

int verb_list(int argc, char **argv, const GlobalOptions *g) {
        static const struct option options[] = {
                { "quiet", no_argument, NULL, 'q' },
                { "format", required_argument, NULL, 'f' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        _cleanup_strv_free_ char **ids = NULL;
        _cleanup_close_ int root_fd = -EBADF;
        const char *format = "table";
        ListRow *rows = NULL;
        bool quiet = false;
        size_t n = 0;
        int c, r;

        while ((c = getopt_long(argc, argv, "+qf:h", options, NULL)) >= 0)
                switch (c) {
                case 'q':
                        quiet = true;
                        break;
                case 'f':
                        if (!streq(optarg, "table") && !streq(optarg, "json"))
                                return usage_error("list", "--format: expected table or json");
                        format = optarg;
                        break;
                case 'h':
                        printf("Usage: berth list [-q|--quiet] [-f|--format table|json]\n");
                        return 0;
                default:
                        return bad_option("list", argv);
                }
        if (optind != argc)
                return usage_error("list", "takes no arguments");

        r = state_root_open(g->root, /* create= */ false, &root_fd);
        if (r >= 0) {
                r = state_list_ids(root_fd, &ids);
                if (r < 0)
                        return log_error_errno(r, "Failed to list '%s': %m", g->root);
        } else if (r != -ENOENT)
                return r;

        rows = calloc(strv_length(ids) + 1, sizeof(ListRow));
        if (!rows)
                return log_oom();
        STRV_FOREACH(id, ids) {
                _cleanup_close_ int dir_fd = -EBADF;
                ContainerState *s = NULL;

                /* A dir that is not ours is refused (and said so) by state_dir_open(). */
                if (state_dir_open(root_fd, *id, /* lock= */ false, &dir_fd) < 0 ||
                    state_read(dir_fd, *id, /* locked= */ false, &s) < 0)
                        continue; /* gone meanwhile, or still being created */
                rows[n].state = s;
                rows[n].status = state_status(dir_fd, s);
                if (owner_name(s->owner, &s->owner_name) < 0) {
                        n++;
                        list_rows_free(rows, n);
                        return log_oom();
                }
                /* Shown as "unknown"; stderr says why (stdout stays what scripts parse). */
                if (s->corrupt)
                        log_warning("container '%s': %s", s->id, s->corrupt);
                if (rows[n].status == CONTAINER_STOPPED)
                        s->pid = 0;
                n++;
        }
        r = 0;
        if (quiet)
                for (size_t i = 0; i < n; i++)
                        printf("%s\n", rows[i].state->id);
        else if (streq(format, "json"))
                r = print_json(rows, n);
        else
                print_table(rows, n);
        list_rows_free(rows, n);
        return r;
}

/* ---- exec ---- */

#define EXEC_FAILED_EXIT_STATUS 255

static int parse_user(const char *s, ExecOptions *o) {
        _cleanup_free_ char *u = strdup(s);
        char *g;

        if (!u)
                return log_oom();
        g = strchr(u, ':');
        if (g)
                *g++ = 0;
        /* Numbers only: a name would have to be looked up in the container's /etc/passwd. */
        if (safe_atou32(u, &o->uid) < 0 || (g && safe_atou32(g, &o->gid) < 0))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "berth exec: --user: expected UID[:GID] as numbers, "
                                       "got '%s'", s);
        o->has_user = true;
        o->has_gid = g;
        return 0;
}

static int parse_gids(const char *s, ExecOptions *o) {
        _cleanup_free_ char *copy = strdup(s);

        if (!copy)
                return log_oom();
        for (char *p = copy, *w; (w = strsep(&p, ","));) {
                uint32_t *n, g;

                if (safe_atou32(w, &g) < 0)
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                               "berth exec: --additional-gids: expected numbers, got '%s'", s);
                if (o->n_additional_gids >= SPEC_GIDS_MAX)
                        return log_error_errno(SYNTHETIC_ERRNO(E2BIG), "berth exec: too many --additional-gids");
                n = realloc(o->additional_gids, (o->n_additional_gids + 1) * sizeof(uint32_t));
                if (!n)
                        return log_oom();
                o->additional_gids = n;
                o->additional_gids[o->n_additional_gids++] = g;
        }
        return 0;
}

static void exec_help(void) {
        printf("Usage: berth exec [OPTIONS] ID [COMMAND [ARG...]]\n\n"
               "Run a new process in every namespace of a created or running container.\n\n"
               "  -p, --process FILE       the process as JSON (process.json), instead of COMMAND\n"
               "  -t, --tty                allocate a terminal in the container\n"
               "  --console-socket PATH    send the terminal's master to PATH (with -d)\n"
               "  -d, --detach             return once the process runs\n"
               "  --pid-file FILE          write the process' host pid to FILE\n"
               "  -e, --env KEY=VALUE      add to the environment (repeatable)\n"
               "  --cwd DIR                working directory in the container\n"
               "  -u, --user UID[:GID]     user and group ids\n"
               "  -g, --additional-gids G  additional group ids (repeatable, or comma-separated)\n"
               "  -c, --cap CAP            add a capability (repeatable)\n"
               "  --no-new-privs           set no_new_privs\n"
               "  --preserve-fds N         pass fds 3..3+N-1 into the process\n"
               "  --apparmor PROFILE       AppArmor profile for the process\n"
               "  --process-label LABEL    SELinux label for the process\n");
}

int verb_exec(int argc, char **argv, const GlobalOptions *g) {
        enum { ARG_CONSOLE_SOCKET = 0x100, ARG_PID_FILE, ARG_CWD, ARG_NO_NEW_PRIVS, ARG_PRESERVE_FDS,
               ARG_PROCESS_LABEL, ARG_APPARMOR, ARG_NOT_SUPPORTED };
        static const struct option options[] = {
                { "process", required_argument, NULL, 'p' },
                { "tty", no_argument, NULL, 't' },
                { "console-socket", required_argument, NULL, ARG_CONSOLE_SOCKET },
                { "detach", no_argument, NULL, 'd' },
                { "pid-file", required_argument, NULL, ARG_PID_FILE },
                { "env", required_argument, NULL, 'e' },
                { "cwd", required_argument, NULL, ARG_CWD },
                { "user", required_argument, NULL, 'u' },
                { "additional-gids", required_argument, NULL, 'g' },
                { "cap", required_argument, NULL, 'c' },
                { "no-new-privs", no_argument, NULL, ARG_NO_NEW_PRIVS },
                { "preserve-fds", required_argument, NULL, ARG_PRESERVE_FDS },
                { "process-label", required_argument, NULL, ARG_PROCESS_LABEL },
                { "apparmor", required_argument, NULL, ARG_APPARMOR },
                { "cgroup", required_argument, NULL, ARG_NOT_SUPPORTED },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        _cleanup_strv_free_ char **env = NULL, **caps = NULL, **args = NULL;
        ExecOptions o = { .root = g->root };
        uint32_t n;
        int c, li = 0, r;

        while ((c = getopt_long(argc, argv, "+p:tde:u:g:c:h", options, &li)) >= 0)
                switch (c) {
                case 'p':
                        o.process_file = optarg;
                        break;
                case 't':
                        o.tty = true;
                        break;
                case ARG_CONSOLE_SOCKET:
                        o.console_socket = optarg;
                        break;
                case 'd':
                        o.detach = true;
                        break;
                case ARG_PID_FILE:
                        o.pid_file = optarg;
                        break;
                case 'e':
                        if (!strchr(optarg, '=') || optarg[0] == '=') {
                                r = usage_error("exec", "--env: expected KEY=VALUE");
                                goto out;
                        }
                        if (strv_extend(&env, optarg) < 0) {
                                r = log_oom();
                                goto out;
                        }
                        break;
                case ARG_CWD:
                        o.cwd = optarg;
                        break;
                case 'u':
                        r = parse_user(optarg, &o);
                        if (r < 0)
                                goto out;
                        break;
                case 'g':
                        r = parse_gids(optarg, &o);
                        if (r < 0)
                                goto out;
                        break;
                case 'c':
                        if (strv_extend(&caps, optarg) < 0) {
                                r = log_oom();
                                goto out;
                        }
                        break;
                case ARG_NO_NEW_PRIVS:
                        o.no_new_privs = true;
                        break;
                case ARG_PRESERVE_FDS:
                        if (safe_atou32(optarg, &n) < 0 || n > 65536) {
                                r = usage_error("exec", "--preserve-fds: expected a number of fds");
                                goto out;
                        }
                        o.preserve_fds = n;
                        break;
                case ARG_PROCESS_LABEL:
                        o.process_label = optarg;
                        break;
                case ARG_APPARMOR:
                        o.apparmor = optarg;
                        break;
                case ARG_NOT_SUPPORTED:
                        /* runc's --cgroup joins a sub-cgroup of the container: berth makes none, and
                         * running the process elsewhere than asked is worse than refusing. */
                        r = log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "berth exec: --%s: not supported",
                                            options[li].name);
                        goto out;
                case 'h':
                        exec_help();
                        r = 0;
                        goto out;
                default:
                        r = bad_option("exec", argv);
                        goto out;
                }
        if (optind >= argc) {
                r = usage_error("exec", "expects a container id");
                goto out;
        }
        o.id = argv[optind];
        if (o.process_file && optind + 1 < argc) {
                r = usage_error("exec", "takes either --process or a command, not both");
                goto out;
        }
        if (!o.process_file && optind + 1 >= argc) {
                r = usage_error("exec", "expects a command (or --process FILE)");
                goto out;
        }
        for (int i = optind + 1; i < argc; i++)
                if (strv_extend(&args, argv[i]) < 0) {
                        r = log_oom();
                        goto out;
                }
        o.args = args;
        o.env = env;
        o.caps = caps;
        r = container_exec(&o);
        /* As runc: a failed exec (no such container, no such binary, a bad process.json) exits
         * 255, which the process' own exit status cannot be mistaken for so easily. */
        if (r < 0)
                r = EXEC_FAILED_EXIT_STATUS;
out:
        free(o.additional_gids);
        return r;
}
