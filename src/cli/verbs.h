/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* Global options (runc's names), parsed in main.c. */
typedef struct GlobalOptions {
        const char *root;
        bool systemd_cgroup;
        const char *cgroup_manager;
} GlobalOptions;

typedef int (*VerbFunc)(int argc, char **argv, const GlobalOptions *g);

int verb_spec(int argc, char **argv, const GlobalOptions *g);
int verb_create(int argc, char **argv, const GlobalOptions *g);
int verb_start(int argc, char **argv, const GlobalOptions *g);
int verb_run(int argc, char **argv, const GlobalOptions *g);
int verb_state(int argc, char **argv, const GlobalOptions *g);
int verb_list(int argc, char **argv, const GlobalOptions *g);
int verb_kill(int argc, char **argv, const GlobalOptions *g);
int verb_delete(int argc, char **argv, const GlobalOptions *g);
int verb_exec(int argc, char **argv, const GlobalOptions *g);
/* verb-cgroup.c */
int verb_ps(int argc, char **argv, const GlobalOptions *g);
int verb_pause(int argc, char **argv, const GlobalOptions *g);
int verb_resume(int argc, char **argv, const GlobalOptions *g);
int verb_update(int argc, char **argv, const GlobalOptions *g);
int verb_events(int argc, char **argv, const GlobalOptions *g);
int verb_features(int argc, char **argv, const GlobalOptions *g);

/* The cgroup manager a new container gets (CgroupManagerType): --systemd-cgroup, else
 * --cgroup-manager, else cgroupfs (runc's default). */
int global_cgroup_manager(const GlobalOptions *g);
