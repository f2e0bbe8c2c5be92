#ifndef ONBOARD_CSPAWN_SHIM_H
#define ONBOARD_CSPAWN_SHIM_H
#include <spawn.h>

// glibc (2.29+) has posix_spawn_file_actions_addchdir_np but declares it only under _GNU_SOURCE;
// defining that here would change other system types (fd_set) and clash with Foundation's view.
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);

static inline int onboard_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}
#endif
