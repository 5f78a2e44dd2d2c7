"""boardpapers' Datasette plugins, one concern per module.

The package itself is registered as a plugin (entry point ``boardpapers``) so that Datasette serves
its ``templates/`` and its ``static/`` folder (at ``/-/static-plugins/boardpapers/``):

- ``charts``: pure helpers turning observation rows into a Vega-Lite timeline spec, and sparklines;
- ``text``: pure helpers for HTML: the figure marked in its passage, FTS5 queries, highlighted snippets;
- ``provenance``: row-page hooks: a measure's chart and grouped figures, and an observation's provenance card;
- ``browse``: the measure index (``/-/measures``, and on the home page), the papers and a paper's page;
- ``downloads``: a measure's CSV and JSON, every figure's CSV, the archive file; every table CSV streamed
  in full as an attachment, with an optional byte-order mark for Excel;
- ``menus``: the menu without items that lead nowhere (no dashboards; one search);
- ``search``: the combined search page at ``/-/archive-search``;
- ``facets``: a ``year`` facet over ISO date columns;
- ``wildcard``: metadata.yml's ``databases: "*"`` entry applied to whatever the database is called;
- ``archive``: a pure helper finding the served archive database, whatever its file is called;
- ``cache``: whole responses kept in memory (the archive is immutable), identical requests computed once.
"""
