#!/usr/bin/python3
# verify_html.py PAGE SCREENSHOT [FOLDED] -- open a page of `rawbpf verify --html` in
# headless Chromium (Debian's chromium + chromedriver, driven by python3-selenium: test
# only, installed by `tests/deps.sh browser`) and use it as a reader would:
#   - the verdict, the kernel's message and the hint are at the top;
#   - the failing row is marked and its state is shown already;
#   - clicking an instruction shows its state on every path through it;
#   - clicking a source line shows the states of its instructions;
#   - with FOLDED: a folded loop opens on a click and shows its rows.
# Prints one "ok: ..." line per check, "FAIL: ..." and exit 1 on the first failure.
# Saves a screenshot of the page with an instruction selected to SCREENSHOT.
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def click(e):
    """Scroll e to the middle of its pane (not under the sticky heading), click it."""
    drv.execute_script("arguments[0].scrollIntoView({block: 'center'})", e)
    e.click()


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)
    print("ok: " + what)


page, shot = sys.argv[1], sys.argv[2]
folded = len(sys.argv) > 3
opts = Options()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--window-size=1500,900", "--no-first-run", "--disable-extensions"):
    opts.add_argument(a)
drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
try:
    drv.set_page_load_timeout(120)
    drv.get("file://" + page)
    verdict = drv.find_element(By.ID, "verdict").text
    check("REJECTED" in verdict, "verdict at the top: " + verdict)
    reason = drv.find_element(By.ID, "reason").text
    check(reason != "", "the kernel's message at the top: " + reason)
    hint = drv.find_element(By.ID, "hint").text
    check(hint.startswith("hint: "), "the hint at the top: " + hint[:60])
    fail = drv.find_elements(By.CSS_SELECTOR, ".fail")
    check(len(fail) == 1, "one failing row: " + (fail[0].text if fail else "none"))
    state = drv.find_element(By.ID, "state")
    check("REJECTED here" in state.text, "the failing row's state shown at once")
    rows = drv.find_elements(By.CSS_SELECTOR, ".insn")
    check(len(rows) > 3, "%d instruction rows drawn" % len(rows))
    if folded:
        folds = drv.find_elements(By.CSS_SELECTOR, "details.fold")
        check(len(folds) >= 1, "a folded loop: " + (folds[0].text[:80] if folds else ""))
        before = len(drv.find_elements(By.CSS_SELECTOR, ".insn"))
        click(folds[0].find_element(By.TAG_NAME, "summary"))
        # the page draws a fold's rows on its toggle event, after the click returns:
        # wait for them (a busy machine takes its time), at most 20 s
        for _ in range(200):
            after = len(drv.find_elements(By.CSS_SELECTOR, ".insn"))
            if after > before:
                break
            time.sleep(0.1)
        check(after > before, "opening it draws its rows (%d -> %d)" % (before, after))
        click(folds[0].find_element(By.TAG_NAME, "summary"))
        check(not folds[0].get_attribute("open"), "and it closes again")
    # click the row of an instruction walked on the way: its state, every visit
    target = rows[1]
    insn = target.get_attribute("data-insn")
    click(target)
    text = state.text
    check("visit 1" in text, "clicking insn %s shows its state: %s" % (insn, text.split("\n")[0]))
    check("=" in text, "the state has registers: " + text.split("\n")[1][:80])
    if folded:
        check("visit 2" in text or "visit" in text, "every visit listed")
    src = drv.find_elements(By.CSS_SELECTOR, ".src")
    check(len(src) > 0, "%d source lines in the C pane" % len(src))
    click(src[-1])
    check(state.text != "", "clicking a source line shows its instructions' state")
    noted = drv.find_elements(By.CSS_SELECTOR, ".insn.noted")
    if noted:       # a call that released a pointer: the state pane says so
        click(noted[0])
        check("released" in state.text, "a release call's state: " + state.text.split("\n")[-1][:80])
    else:
        click(target)
    drv.save_screenshot(shot)
    print("ok: screenshot " + shot)
finally:
    drv.quit()
