"""Chinese text: normalisation, segmentation, search queries and snippets.

Plain Python with no Django models, so the same code serves the web app, Celery jobs and
the benchmarks. The search index (the `search` app) stores what `document_terms` makes and
queries what `parse_query` makes, with the same `Segmenter` on both sides.
"""
