/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Copy a directory tree between two directory fds (tmpcopyup). Everything is opened relative to
 * a directory fd with O_NOFOLLOW: symlinks are copied as symlinks and never followed, so the copy
 * cannot read or write outside the two trees. Non-logging. */

/* How deep copy_tree_at() descends before giving up with -ELOOP. */
#define COPY_DEPTH_MAX 128U

/* Copy the entries of directory src_fd (files, directories, symlinks, device nodes, FIFOs,
 * sockets; their mode, owner, times and extended attributes where the target takes them) into the
 * directory dst_fd, which should be empty. Hard links become separate copies. Both fds must be
 * opened O_RDONLY|O_DIRECTORY (not O_PATH). Returns 0 or a negative errno: -ELOOP when the tree is
 * deeper than COPY_DEPTH_MAX. */
int copy_tree_at(int src_fd, int dst_fd);
/* Give directory dst_fd the mode, owner, extended attributes and times of src_fd. */
int copy_dir_attrs(int src_fd, int dst_fd);
