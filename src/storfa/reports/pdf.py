"""Reports as PDF: the document as HTML (a package template, A4 print CSS),
laid out by WeasyPrint. Nothing is fetched: the only resources are data: URIs
(charts embedded in the page), and the URL fetcher refuses every other scheme."""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from storfa.reports.document import Block, Document, Image

TEMPLATES = Path(__file__).parent / "templates"
MEDIA_TYPE = "application/pdf"


@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                       trim_blocks=True, lstrip_blocks=True)


def _kind(block: Block) -> str:
    return type(block).__name__


def _data_uri(image: Image) -> str:
    return "data:image/png;base64," + base64.b64encode(image.png).decode("ascii")


def _css_string(text: str) -> str:
    # The footer sits in a CSS string inside <style>, where HTML escaping does
    # not apply: keep only characters that cannot end the string or the element.
    return re.sub(r"[^\w\s,.()/–-]", "", text)[:120]


def html_of(doc: Document) -> str:
    footer = _css_string(doc.meta[0] if doc.meta else doc.title)
    return _env().get_template("document.html").render(
        doc=doc, kind=_kind, data_uri=_data_uri, footer=footer)


def _fetcher() -> Any:
    from weasyprint import URLFetcher

    # Only data: URIs; a file:, http: or https: reference is refused, so a
    # report never reads the disk or reaches the network.
    return URLFetcher(allowed_protocols={"data"})


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html_of(doc), base_url=None,
                      url_fetcher=_fetcher()).write_pdf()
    return pdf
