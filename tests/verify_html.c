/*
 * verify_html.c -- the page of `rawbpf verify --html`, opened in a real browser.
 *
 * Headless Chromium, driven by tests/verify_html.py (selenium), reads the verdict,
 * the message and the hint at the top, finds the failing row, clicks instructions
 * and a source line and reads the state pane, and opens and closes a folded loop on
 * the million-instruction program's page.  The screenshot it saves of the first page
 * is the one lesson 7 shows (tutorial/07-verify-page.png is a copy).  Chromium,
 * chromedriver and selenium are test-only dependencies (`tests/deps.sh browser`);
 * without them the test is skipped, saying why.  The page itself needs nothing: one
 * file, no network.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rawbpf.h"
#include "test.h"

static void need_browser(void)
{
	int st;
	char *out = test_run_cmd(&st, "tests/deps.sh browser 2>&1");

	if (st != 0)
		SKIP("chromium/chromedriver/python3-selenium not installable: %s", test_excerpt(out));
	free(out);
}

/* The page must stand alone: no URL to fetch anything from. */
static void self_contained(const char *page)
{
	int st;
	char *out = test_run_cmd(&st, "grep -cE '(src|href)=\"(https?:)?//|@import|url\\(' %s", page);

	ASSERT_TRUE(atoi(out) == 0, "%s refers to something outside it: %s", page, out);
	free(out);
}

TEST(verify_html_page_in_chromium)
{
	const char *page = test_path("verify-page.html");
	char abs[4096];
	int st;
	char *out;

	NEED_ROOT();
	need_browser();
	test_timeout(300);
	out = test_run_cmd(&st, "%s verify %s --html %s", test_path("rawbpf"),
			   test_path("progs/bad_ringbuf_after_submit.bpf.o"), page);
	ASSERT(1, st);
	free(out);
	self_contained(page);
	ASSERT_TRUE(realpath(page, abs) != NULL, "no %s", page);
	out = test_run_cmd(&st, "/usr/bin/python3 tests/verify_html.py %s %s 2>&1", abs,
			   test_path("verify-page.png"));
	ASSERT_TRUE(st == 0, "the page in chromium:\n%s", out);
	ASSERT_CONTAINS(out, "ok: a release call's state");
	ASSERT_CONTAINS(out, "ok: screenshot");
	free(out);
}

/* The million-instruction program: the page stays small (folded data) and usable. */
TEST(verify_html_million_insns_page)
{
	const char *page = test_path("verify-page-loop.html");
	char abs[4096];
	struct stat s;
	int st;
	char *out;

	NEED_ROOT();
	need_browser();
	test_timeout(600);
	out = test_run_cmd(&st, "%s verify %s --html %s >/dev/null", test_path("rawbpf"),
			   test_path("progs/bad_packet_loop.bpf.o"), page);
	ASSERT(1, st);
	free(out);
	ASSERT(0, stat(page, &s));
	ASSERT_TRUE(s.st_size < 4 << 20, "the page of a 1M-row log is %lld bytes", (long long)s.st_size);
	self_contained(page);
	ASSERT_TRUE(realpath(page, abs) != NULL, "no %s", page);
	out = test_run_cmd(&st, "/usr/bin/python3 tests/verify_html.py %s %s folded 2>&1", abs,
			   test_path("verify-page-loop.png"));
	ASSERT_TRUE(st == 0, "the folded page in chromium:\n%s", out);
	ASSERT_CONTAINS(out, "ok: opening it draws its rows");
	free(out);
}
