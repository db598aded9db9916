"""The generated articles (synth.py) in the forms articles arrive in: web pages in a news
site's template, and a web archive of those pages, for the HTML and WARC throughput runs.

Each page puts the article's lines in an article body (the first line its headline, in
<h1>) inside a site's chrome: a navigation bar, a cookie banner, a related-stories rail, a
newsletter box and a footer, with OpenGraph and JSON-LD metadata. The chrome's words are
our own and hold no numbers, so the figures a run finds are the article's.
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

CHROME_TOP = """<header class="site"><a class="logo" href="/">The Valley Ledger</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/business">Business</a></li><li><a href="/climate">Climate</a></li>
<li><a href="/opinion">Opinion</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner"><p>We use cookies to remember your choices and to measure how
our pages are read. You can change your mind at any time in the privacy settings.</p>
<button>Accept all</button><button>Manage choices</button></div></header>"""
CHROME_BOTTOM = """<aside class="newsletter"><h3>Get the morning briefing</h3><p>The stories
that matter, in your inbox before breakfast. Sign up with your email address.</p></aside>
<aside class="related"><h3>More from World</h3><ul>
<li><a href="/a">Talks resume as mediators return to the capital</a></li>
<li><a href="/b">Farmers count the cost of a late harvest</a></li>
<li><a href="/c">What the new border rules mean for travellers</a></li></ul></aside>
<footer><p>The Valley Ledger. All rights reserved.</p><a href="/about">About us</a>
<a href="/contact">Contact</a><a href="/privacy">Privacy</a></footer>"""


def page(text: str, url: str, day: str) -> str:
    """One article as a news site's page."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, body = html.escape(lines[0]), lines[1:]
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in body)
    meta = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": lines[0]}
    meta |= {
        "datePublished": day,
        "publisher": {"@type": "Organization", "name": "The Valley Ledger"},
    }
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | The Valley Ledger</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="The Valley Ledger">
<meta property="article:published_time" content="{day}T08:00:00Z">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{json.dumps(meta)}</script>
<style>body{{font-family:serif}} .related li{{margin:4px}}</style></head>
<body>{CHROME_TOP}<main><article><h1>{title}</h1>
<div class="article-body">{paragraphs}</div></article></main>{CHROME_BOTTOM}</body></html>
"""


def write_pages(corpus: Path, out: Path) -> tuple[int, int]:
    """Every article of `corpus` as a page under `out`; (pages, bytes)."""
    out.mkdir(parents=True, exist_ok=True)
    count = size = 0
    for index, path in enumerate(sorted(corpus.rglob("*.txt"))):
        text = path.read_bytes().decode("utf-8", errors="replace")
        day = f"2024-{1 + index % 12:02d}-{1 + index % 28:02d}"
        data = page(text, f"https://valleyledger.example.org/{index}", day).encode("utf-8")
        (out / f"{index:06d}.html").write_bytes(data)
        count, size = count + 1, size + len(data)
    return count, size


def write_warc(pages: Path, target: Path) -> int:
    """The pages as one .warc.gz of response and request records; its size in bytes."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with target.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for path in sorted(pages.glob("*.html")):
            url = f"https://valleyledger.example.org/{path.stem}"
            body = path.read_bytes()
            headers = [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ]
            response = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=StatusAndHeaders("200 OK", headers, "HTTP/1.1"),
            )
            writer.write_record(response)
            request = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "valleyledger.example.org")], is_http_request=True
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b""), http_headers=request
                )
            )
    return target.stat().st_size
