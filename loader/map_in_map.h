/*
 * map_in_map.h -- maps of maps (loader/map_in_map.c).  Internal to the loader.
 */
#ifndef RBPF_MAP_IN_MAP_H
#define RBPF_MAP_IN_MAP_H

#include <stdint.h>

#include "btf.h"
#include "elf.h"

/* ARRAY_OF_MAPS or HASH_OF_MAPS? */
int mim_is_outer(uint32_t type);
/* The inner map's definition of outer (from its __array(values, struct X)):
 * 0 and *inner, or -EINVAL naming file and map name. */
int mim_inner_def(const struct btf *b, const struct btf_map_def *outer, const char *file,
		  const char *name, struct btf_map_def *inner);
/* A map of that definition, to pass as inner_map_fd: its fd, or -errno. */
int mim_template_create(const struct btf_map_def *inner, const char *file, const char *outer);
/* Does a map of that shape match the inner definition (the kernel's own rule)?
 * 0, or -EINVAL saying what differs. */
int mim_check_inner(const struct btf_map_def *inner, const char *file, const char *outer,
		    const char *name, uint32_t type, uint32_t key, uint32_t value,
		    uint32_t max, uint32_t flags);

struct rbpf_object;
struct rbpf_map;
/* A map of maps' initial value: the map named by .rel.maps entry rel stored at
 * slot, after checking it against the inner definition (the kernel's EINVAL would
 * not say what differs).  0 or -errno. */
int mim_fill_slot(struct rbpf_object *o, struct rbpf_map *m, uint32_t slot,
		  const Elf64_Rel *rel);

#endif
