/* typed_values.bpf.c -- maps whose keys and values have BTF types of every shape
 * `rawbpf map dump` prints (tests/value.c compares it with bpftool's dump).  Nothing
 * runs: the test loads the object, fills the maps from user space and reads them. */
#include "bpf_prog.h"
#include "typed_values.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, struct rec);
	__uint(max_entries, 2);
} recs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct key2);
	__type(value, enum color);
	__uint(max_entries, 4);
} colors SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, u32);
	__type(value, struct point);
	__uint(max_entries, 1);
} points SEC(".maps");

int counter = 7;
char greeting[8] = "hi";

SEC("socket")
int typed(void *ctx)
{
	u32 k = 0;
	struct rec *r = bpf_map_lookup_elem(&recs, &k);

	counter++;
	return r ? r->pid + greeting[0] : 0;
}

char LICENSE[] SEC("license") = "GPL";
