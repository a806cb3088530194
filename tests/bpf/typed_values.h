/* typed_values.h -- the types of tests/bpf/typed_values.bpf.c's maps, shared with the
 * test (tests/value.c) that fills them: x86-64 and BPF lay these out alike. */
enum color { RED = 1, GREEN = 2, BLUE = -3 };
enum big { SMALL = 1, HUGE = 0x100000000ULL };

struct point { unsigned char x, y; };

struct rec {
	int pid;
	unsigned int flags: 3;
	int sgn: 5;
	enum color c: 8;
	char comm[16];
	char raw[4];                         /* not text: printed as numbers */
	enum color col;
	enum big b;
	union { unsigned int a; unsigned short h; } u;
	struct { unsigned char lo, hi; };    /* anonymous */
	struct point pts[2];
	unsigned long long grid[2][3];
	_Bool ok;
	signed char neg;
	short s;
	long long ll;
};

struct key2 { unsigned int a; unsigned short b; };
