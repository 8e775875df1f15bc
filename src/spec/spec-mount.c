/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The mount options berth knows (mounts[].options), as data: spec-validate.c checks them and the
 * mount plan turns them into flags. Pure: no syscalls. */

#include <string.h>
#include <sys/mount.h>

#include "spec.h"

static const struct {
        const char *name;
        bool clear;
        unsigned long flag;
} flag_table[] = {
        { "ro", false, MS_RDONLY },               { "rw", true, MS_RDONLY },
        { "nosuid", false, MS_NOSUID },           { "suid", true, MS_NOSUID },
        { "nodev", false, MS_NODEV },             { "dev", true, MS_NODEV },
        { "noexec", false, MS_NOEXEC },           { "exec", true, MS_NOEXEC },
        { "sync", false, MS_SYNCHRONOUS },        { "async", true, MS_SYNCHRONOUS },
        { "dirsync", false, MS_DIRSYNC },         { "remount", false, MS_REMOUNT },
        { "mand", false, MS_MANDLOCK },           { "nomand", true, MS_MANDLOCK },
        { "noatime", false, MS_NOATIME },         { "atime", true, MS_NOATIME },
        { "nodiratime", false, MS_NODIRATIME },   { "diratime", true, MS_NODIRATIME },
        { "relatime", false, MS_RELATIME },       { "norelatime", true, MS_RELATIME },
        { "strictatime", false, MS_STRICTATIME }, { "nostrictatime", true, MS_STRICTATIME },
        { "silent", false, MS_SILENT },           { "loud", true, MS_SILENT },
        { "nosymfollow", false, MS_NOSYMFOLLOW }, { "symfollow", true, MS_NOSYMFOLLOW },
};

/* The recursive forms (runc's names): applied to every mount of the tree with
 * mount_setattr(AT_RECURSIVE). An atime value replaces the whole atime field. */
static const struct {
        const char *name;
        uint64_t set, clear;
} recursive_table[] = {
        { "rro", MOUNT_ATTR_RDONLY, 0 },
        { "rrw", 0, MOUNT_ATTR_RDONLY },
        { "rnosuid", MOUNT_ATTR_NOSUID, 0 },
        { "rsuid", 0, MOUNT_ATTR_NOSUID },
        { "rnodev", MOUNT_ATTR_NODEV, 0 },
        { "rdev", 0, MOUNT_ATTR_NODEV },
        { "rnoexec", MOUNT_ATTR_NOEXEC, 0 },
        { "rexec", 0, MOUNT_ATTR_NOEXEC },
        { "rnodiratime", MOUNT_ATTR_NODIRATIME, 0 },
        { "rdiratime", 0, MOUNT_ATTR_NODIRATIME },
        { "rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME },
        { "rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
        { "rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
        { "ratime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
        { "rnorelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
        { "rnostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
        { "rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0 },
        { "rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW },
};

static const struct {
        const char *name;
        unsigned long flags;
} propagation_table[] = {
        { "private", MS_PRIVATE },       { "rprivate", MS_PRIVATE | MS_REC },
        { "shared", MS_SHARED },         { "rshared", MS_SHARED | MS_REC },
        { "slave", MS_SLAVE },           { "rslave", MS_SLAVE | MS_REC },
        { "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

int spec_mount_option_parse(const char *opt, SpecMountOptions *o) {
        assert(opt);
        assert(o);

        if (strchr(opt, '=')) /* "mode=755", "size=64k": filesystem data, no name below has a '=' */
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(flag_table); i++)
                if (streq(opt, flag_table[i].name)) {
                        if (flag_table[i].clear) {
                                o->clear |= flag_table[i].flag;
                                o->set &= ~flag_table[i].flag;
                        } else {
                                o->set |= flag_table[i].flag;
                                o->clear &= ~flag_table[i].flag;
                        }
                        return 1;
                }
        for (size_t i = 0; i < ELEMENTSOF(recursive_table); i++)
                if (streq(opt, recursive_table[i].name)) {
                        uint64_t s = recursive_table[i].set, c = recursive_table[i].clear;

                        /* The later option wins, as for the plain flags. */
                        if (c & MOUNT_ATTR__ATIME)
                                o->rec_set &= ~MOUNT_ATTR__ATIME;
                        o->rec_set = (o->rec_set & ~c) | s;
                        o->rec_clear = (o->rec_clear & ~s) | c;
                        return 1;
                }
        for (size_t i = 0; i < ELEMENTSOF(propagation_table); i++)
                if (streq(opt, propagation_table[i].name)) {
                        o->propagation = propagation_table[i].flags;
                        return 1;
                }
        if (streq(opt, "bind")) {
                o->bind = true;
                return 1;
        }
        if (streq(opt, "rbind")) {
                o->bind = o->recursive = true;
                return 1;
        }
        /* runc's extension: fill a new tmpfs with what the image has at the destination. */
        if (streq(opt, "tmpcopyup")) {
                o->copy_up = true;
                return 1;
        }
        if (streq(opt, "notmpcopyup")) {
                o->copy_up = false;
                return 1;
        }
        /* Accepted and meaningless here (as in runc and crun). */
        if (streq(opt, "defaults"))
                return 1;
        return 0;
}

bool spec_mount_is_bind(const SpecMount *m, const SpecMountOptions *o) {
        assert(m);
        assert(o);

        return o->bind || streq_ptr(m->type, "bind") || streq_ptr(m->type, "rbind");
}
