/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>

#include "config.h"
#include "log.h"
#include "spec.h"
#include "verbs.h"

static const char *arg_root; /* NULL: default_root() */
static const char *arg_log;
static const char *arg_log_format = "text";
static bool arg_debug;
static bool arg_systemd_cgroup;
static const char *arg_cgroup_manager;
static int arg_log_level = -1;

/* Every command runc has, in its order; func NULL: not available yet (said so in --help, berth(8)
 * and when called). */
static const struct {
        const char *name;
        VerbFunc func;
        const char *help;
} verbs[] = {
        { "checkpoint", NULL, "checkpoint a running container (not available yet)" },
        { "create", verb_create, "create a container; its process waits for start" },
        { "delete", verb_delete, "delete a container (--force to kill a running one)" },
        { "events", verb_events, "stats (--stats once, or every --interval) and OOM events as JSON" },
        { "exec", verb_exec, "run a new process in a container" },
        { "features", verb_features, "print the OCI features JSON of this runtime" },
        { "kill", verb_kill, "send a signal to a container's init (--all: to every process)" },
        { "list", verb_list, "list containers (-q, --format table|json)" },
        { "pause", verb_pause, "freeze every process of a container" },
        { "ps", verb_ps, "list the processes of a container (--format table|json, ps options)" },
        { "restore", NULL, "restore a container from a checkpoint (not available yet)" },
        { "resume", verb_resume, "thaw a paused container" },
        { "run", verb_run, "create and start a container (-d to detach)" },
        { "spec", verb_spec, "write a default config.json (--bundle DIR, --rootless)" },
        { "start", verb_start, "start the user process of a created container" },
        { "state", verb_state, "print the state of a container as JSON" },
        { "update", verb_update, "change the resource limits of a container (--resources FILE|-)" },
        { "help", NULL, "print this help, or COMMAND's with help COMMAND" },
};

/* As runc: /run/berth for root; an unprivileged user's containers live in their runtime dir (the
 * state store refuses a root that is not the caller's own). */
static int default_root(char **ret) {
        const char *xdg = getenv("XDG_RUNTIME_DIR");

        if (geteuid() != 0 && xdg && *xdg) {
                if (asprintf(ret, "%s/berth", xdg) < 0)
                        return log_oom();
                return 0;
        }
        *ret = strdup(BERTH_DEFAULT_ROOT);
        return *ret ? 0 : log_oom();
}

static void help(void) {
        printf("Usage: berth [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n\n"
               "An OCI container runtime for systemd hosts, runc-compatible.\n\n"
               "Commands (berth help COMMAND, or berth COMMAND --help, for its options):\n");
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                printf("  %-10s %s\n", verbs[i].name, verbs[i].help);
        printf("\nGlobal options:\n"
               "  --root DIR               state directory (default " BERTH_DEFAULT_ROOT ",\n"
               "                           $XDG_RUNTIME_DIR/berth when not run as root)\n"
               "  --log PATH               write log messages to PATH (created if missing, appended to);\n"
               "                           errors still go to stderr too; 'journald' keeps them on stderr\n"
               "  --log-format text|json   format of --log lines (json as runc writes it)\n"
               "  --log-level LEVEL        debug, info, warning or error (default: info)\n"
               "  --debug                  log debug messages (--log-level debug)\n"
               "  --systemd-cgroup         put containers in systemd scopes (--cgroup-manager systemd)\n"
               "  --cgroup-manager NAME    systemd|cgroupfs|disabled (default cgroupfs)\n"
               "  --rootless auto|true|false  accepted when it agrees with the caller (true: not root)\n"
               "  -v, --version            print the version\n"
               "  -h, --help               print this help\n\n"
               "See berth(8).\n");
}

static int find_verb(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(name, verbs[i].name))
                        return (int) i;
        return -ENOENT;
}

static int log_level_from_string(const char *s) {
        if (streq(s, "debug"))
                return LOG_DEBUG;
        if (streq(s, "info"))
                return LOG_INFO;
        if (streq(s, "warning") || streq(s, "warn"))
                return LOG_WARNING;
        if (streq(s, "error"))
                return LOG_ERR;
        return -EINVAL;
}

static int parse_global(int argc, char **argv) {
        enum { ARG_ROOT = 0x100, ARG_LOG, ARG_LOG_FORMAT, ARG_DEBUG, ARG_SYSTEMD_CGROUP, ARG_CGROUP_MANAGER,
               ARG_ROOTLESS, ARG_CRIU, ARG_LOG_LEVEL };
        static const struct option options[] = {
                { "root", required_argument, NULL, ARG_ROOT },
                { "log", required_argument, NULL, ARG_LOG },
                { "log-format", required_argument, NULL, ARG_LOG_FORMAT },
                { "debug", no_argument, NULL, ARG_DEBUG },
                { "systemd-cgroup", no_argument, NULL, ARG_SYSTEMD_CGROUP },
                { "cgroup-manager", required_argument, NULL, ARG_CGROUP_MANAGER },
                { "rootless", required_argument, NULL, ARG_ROOTLESS },
                { "criu", required_argument, NULL, ARG_CRIU },
                { "log-level", required_argument, NULL, ARG_LOG_LEVEL },
                { "version", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        int c;

        opterr = 0;
        while ((c = getopt_long(argc, argv, "+vh", options, NULL)) >= 0)
                switch (c) {
                case ARG_ROOT:
                        arg_root = optarg;
                        break;
                case ARG_LOG:
                        arg_log = optarg;
                        break;
                case ARG_LOG_FORMAT:
                        if (!streq(optarg, "text") && !streq(optarg, "json"))
                                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                       "--log-format: expected text or json, got '%s'", optarg);
                        arg_log_format = optarg;
                        break;
                case ARG_DEBUG:
                        arg_debug = true;
                        break;
                case ARG_SYSTEMD_CGROUP:
                        arg_systemd_cgroup = true;
                        break;
                case ARG_CGROUP_MANAGER:
                        if (!streq(optarg, "systemd") && !streq(optarg, "cgroupfs") && !streq(optarg, "disabled"))
                                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                       "--cgroup-manager: expected systemd, cgroupfs or "
                                                       "disabled, got '%s'", optarg);
                        arg_cgroup_manager = optarg;
                        break;
                case ARG_ROOTLESS:
                        /* runc's values. berth decides by the caller's euid (what runc's "auto"
                         * does): an unprivileged caller runs rootless, root does not; a value
                         * that says otherwise is refused rather than ignored. */
                        if (!streq(optarg, "false") && !streq(optarg, "true") && !streq(optarg, "auto"))
                                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                       "--rootless: expected true, false or auto, got '%s'",
                                                       optarg);
                        if ((streq(optarg, "true") && geteuid() == 0) || (streq(optarg, "false") && geteuid() != 0))
                                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP),
                                                       "--rootless %s: not supported for a caller with euid %u "
                                                       "(berth runs rootless exactly when not run as root)",
                                                       optarg, (unsigned) geteuid());
                        break;
                case ARG_CRIU:
                        return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP),
                                               "--criu: checkpoint and restore are not supported");
                case ARG_LOG_LEVEL:
                        arg_log_level = log_level_from_string(optarg);
                        if (arg_log_level < 0)
                                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                       "--log-level: expected debug, info, warning or "
                                                       "error, got '%s'", optarg);
                        break;
                case 'v':
                        printf("berth version " BERTH_VERSION "\nspec: " SPEC_DEFAULT_OCI_VERSION "\n");
                        return 0;
                case 'h':
                        help();
                        return 0;
                case '?':
                default:
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Unknown global option '%s'; see berth --help",
                                               argv[optind - 1]);
                }
        return 1;
}

int main(int argc, char **argv) {
        _cleanup_free_ char *root = NULL;
        GlobalOptions g;
        const char *verb;
        int r, log_fd = -1;

        r = parse_global(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        if (arg_log_level >= 0)
                log_set_max_level(arg_log_level);
        if (arg_debug)
                log_set_max_level(LOG_DEBUG);
        if (arg_log && !streq(arg_log, "journald")) {
                log_fd = open(arg_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
                if (log_fd < 0) {
                        log_error_errno(errno, "Failed to open log file '%s': %m", arg_log);
                        return EXIT_FAILURE;
                }
                log_set_file(log_fd, streq(arg_log_format, "json"));
        }
        if (optind >= argc) {
                log_error("No command given; see berth --help");
                return EXIT_FAILURE;
        }
        verb = argv[optind];
        if (!arg_root) {
                r = default_root(&root);
                if (r < 0)
                        return EXIT_FAILURE;
        }
        g = (GlobalOptions) {
                .root = arg_root ?: root,
                .systemd_cgroup = arg_systemd_cgroup,
                .cgroup_manager = arg_cgroup_manager,
        };
        if (streq(verb, "help")) {
                /* berth help COMMAND: COMMAND --help. */
                if (optind + 1 >= argc) {
                        help();
                        return EXIT_SUCCESS;
                }
                verb = argv[optind + 1];
                if (find_verb(verb) >= 0 && verbs[find_verb(verb)].func) {
                        char *hargv[] = { (char *) verb, (char *) "--help", NULL };

                        optind = 0;
                        r = verbs[find_verb(verb)].func(2, hargv, &g);
                        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
                }
                if (streq(verb, "help")) {
                        help();
                        return EXIT_SUCCESS;
                }
        }
        r = find_verb(verb);
        if (r >= 0 && verbs[r].func) {
                int vi = optind;

                optind = 0; /* the verb parses its own options from its own argv[0] */
                r = verbs[r].func(argc - vi, argv + vi, &g);
                return r < 0 ? EXIT_FAILURE : r;
        }
        if (r >= 0) {
                log_error("berth %s: not available yet", verb);
                return EXIT_FAILURE;
        }
        log_error("Unknown command '%s'; see berth --help", verb);
        return EXIT_FAILURE;
}
