/*
 * kernel.h -- what the library reads from the kernel's own files, beside bpf():
 * small sysfs/procfs files (sysfs.c), tracefs (tracefs.c), /proc/kallsyms
 * (kallsyms.c).  Internal to the loader; the public parts are in rawbpf.h.
 */
#ifndef RBPF_KERNEL_H
#define RBPF_KERNEL_H

#include <stddef.h>

/* sysfs.c: a small text file into buf (NUL-terminated): bytes, or -errno. */
int kfile_read(const char *path, char *buf, size_t n);
/* A file holding one decimal number ("1234\n"): it (>= 0), or -errno. */
long kfile_number(const char *path);

/* tracefs.c: does tracefs directory dir hold name? */
int tracefs_has(const char *dir, const char *name);
/* Append one line to tracefs kprobe_events (never truncating it: O_TRUNC would
 * delete every probe on the system).  0 or -errno, no message. */
int tracefs_kprobe_write(const char *cmd);
/* Remove probe GROUP/NAME from kprobe_events; 0, or -errno with a message. */
int tracefs_kprobe_remove(const char *probe);
/* The same two for uprobe_events. */
int tracefs_uprobe_write(const char *cmd);
int tracefs_uprobe_remove(const char *probe);

/* kallsyms.c: is func a symbol in /proc/kallsyms?  1 when it cannot tell. */
int kallsyms_has(const char *func);

#endif
