"""Render tagged reports for people: standalone HTML review pages and a batch index."""

from nlp.render.html import page_view, render_index, render_report, write_batch_html, write_pages

__all__ = ["page_view", "render_index", "render_report", "write_batch_html", "write_pages"]
