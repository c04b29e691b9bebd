"""``explainer serve``: the live preview, in four parts.

``serve`` runs the preview (watch -> rebuild -> reload); ``worker`` is the warm build
process that runs the pipeline and writes the site through the one write path;
``watch`` turns file events into batches; ``devserver`` is the only module that knows
livereload and Tornado.
"""
