"""HTML to PDF/A with WeasyPrint, imported on first use.

WeasyPrint and its font and image stack take about 40 MB of memory; a web worker that never
makes a letter or a receipt PDF does not load them.
"""


def pdf_a(html: str) -> bytes:
    """The page as an archivable PDF/A-2b, compressed."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/a-2b", uncompressed_pdf=False)
