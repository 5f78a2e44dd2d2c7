"""boardpapers' Datasette plugins, one concern per module.

The package itself is registered as a plugin (entry point ``boardpapers``) so that Datasette serves
its ``templates/`` and its ``static/`` folder (at ``/-/static-plugins/boardpapers/``):

- ``charts``: pure helpers turning observation rows into a Vega-Lite timeline spec;
- ``text``: pure helpers for HTML: the figure marked in its passage, FTS5 queries, highlighted snippets;
- ``provenance``: row-page hooks: a measure's timeline and an observation's provenance card; a measure's CSV;
- ``search``: the combined search page at ``/-/search``;
- ``facets``: a ``year`` facet over ISO date columns;
- ``wildcard``: metadata.yml's ``databases: "*"`` entry applied to whatever the database is called;
- ``archive``: a pure helper finding the served archive database, whatever its file is called;
- ``cache``: whole responses kept in memory (the archive is immutable), identical requests computed once.
"""
