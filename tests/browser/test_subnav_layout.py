"""The sub-navigation and download rows of the coding, case-analysis, reports
and recommendations pages, on a desktop and on a phone: no list marker or
generated separator is drawn over a link's text, no two pieces of text
overlap, and no page is wider than the screen. List markers are not in the
DOM, so their boxes come from Chromium's own DOM domain (pseudo-elements
::marker, ::before, ::after) over CDP."""

from __future__ import annotations

from typing import Any, TypedDict

import pytest
from livesite import SignIn
from playwright.sync_api import CDPSession, Page
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser

PAGES = ("/coding", "/coding/matrix", "/coding/agreement", "/analysis", "/analysis/variables",
         "/analysis/quality", "/recommendations", "/reports")
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
# The lists laid out in a row: sub-navigation, downloads, pagers.
ROWS = "main nav, main ul.inline"
PROBE = "data-layout-probe"
# Sub-pixel contact is not an overlap.
SLACK = 0.5

# Numbers every element of the rows, and returns the client rectangles of
# their text, one per line box.
TEXT_BOXES = """([rows, probe]) => {
  const boxes = [];
  let n = 0;
  const all = [...document.querySelectorAll(rows)];
  for (const row of all.filter(r => !all.some(o => o !== r && o.contains(r)))) {
    for (const el of [row, ...row.querySelectorAll('*')]) el.setAttribute(probe, String(n++));
    const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const text = node.textContent.trim();
      if (!text || !node.parentElement.checkVisibility()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width > 0 && r.height > 0) {
          boxes.push({what: text, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom});
        }
      }
    }
  }
  return boxes;
}"""


class Box(TypedDict):
    what: str
    x0: float
    y0: float
    x1: float
    y1: float


def _overlap(a: Box, b: Box) -> bool:
    return (min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > SLACK
            and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > SLACK)


def _probed(node: dict[str, Any]) -> bool:
    attributes = node.get("attributes", [])
    return PROBE in attributes[::2]


def _pseudo_boxes(cdp: CDPSession) -> list[Box]:
    """The border boxes of the ::marker, ::before and ::after of every probed element,
    in the same viewport coordinates as getClientRects()."""
    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    boxes: list[Box] = []
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.get("children", []))
        if not _probed(node):
            continue
        for pseudo in node.get("pseudoElements", []):
            if pseudo.get("pseudoType") not in ("marker", "before", "after"):
                continue
            try:
                quad = cdp.send("DOM.getBoxModel", {"nodeId": pseudo["nodeId"]})["model"]["border"]
            except PlaywrightError:  # a pseudo-element without a box draws nothing
                continue
            xs, ys = quad[0::2], quad[1::2]
            if max(xs) - min(xs) > 0 and max(ys) - min(ys) > 0:
                boxes.append(Box(what=f"::{pseudo['pseudoType']} of {node['nodeName'].lower()}",
                                 x0=min(xs), y0=min(ys), x1=max(xs), y1=max(ys)))
    return boxes


def _clashes(page: Page, cdp: CDPSession) -> list[str]:
    # getBoxModel and getClientRects agree only without scrolling.
    page.evaluate("window.scrollTo(0, 0)")
    texts: list[Box] = page.evaluate(TEXT_BOXES, [ROWS, PROBE])
    assert texts, f"no row of links on {page.url}"
    pseudos = _pseudo_boxes(cdp)
    found = [f"{p['what']} over {t['what']!r}" for p in pseudos for t in texts if _overlap(p, t)]
    found += [f"{a['what']!r} over {b['what']!r}"
              for i, a in enumerate(texts) for b in texts[i + 1:] if _overlap(a, b)]
    return found


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_marker_or_text_overlaps_a_link(page: Page, sign_in: SignIn, viewport: str) -> None:
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "coder")
    cdp = page.context.new_cdp_session(page)
    clashes, wide = {}, {}
    for path in PAGES:
        response = page.goto(path)
        assert response is not None and response.ok, (path, response and response.status)
        cdp.send("DOM.enable")
        found = _clashes(page, cdp)
        if found:
            clashes[path] = found
        # Nothing (a filter form sized to a long <select>, a table) widens the page
        # beyond the screen; wide tables scroll inside their own box.
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide[path] = scroll_width
    assert not clashes, clashes
    assert not wide, f"wider than the {width} px screen: {wide}"
