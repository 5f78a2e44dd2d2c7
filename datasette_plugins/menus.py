"""Only menu items that lead somewhere a reader wants.

Two installed plugins add menu items this archive does not want: datasette-dashboards'
"Dashboards" (it has no dashboards: the page says "No dashboards found") and datasette-search-all's
"Search all tables" (a second, raw search beside ``/-/archive-search``). Datasette puts the menu in
every template's context as ``menu_links()``; this plugin's ``extra_template_vars`` replaces it with
the same links, less those. (``templates/search_all.html`` sends ``/-/search`` to the archive's search.)
Those two plugins' hooks are not called at all: datasette-search-all's asks a permission check per
searchable table to decide whether to show its link, on every page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from datasette import hookimpl
from datasette.utils import await_me_maybe

HIDDEN_PATHS = ("/-/dashboards", "/-/search")
SKIPPED_PLUGINS = ("dashboards", "search_all")  # the plugins whose only menu links are those: not asked


def keep_link(link: Mapping[str, Any], hidden: Iterable[str]) -> bool:
    """False for a menu link to one of the ``hidden`` paths (whatever the ``base_url`` before it)."""
    href = str(link.get("href") or "").split("?", 1)[0].rstrip("/")
    return not any(href == path or href.endswith(path) for path in hidden)


def wanted_links(datasette: Any, request: Any, hidden: Iterable[str] = HIDDEN_PATHS):
    """A ``menu_links()`` for the templates: every plugin's links, less the ``hidden`` ones."""
    from datasette.plugins import pm  # not at import time: Datasette imports the plugins while it loads

    hidden = tuple(datasette.urls.path(p) for p in hidden)
    skipped = [plugin for plugin in map(pm.get_plugin, SKIPPED_PLUGINS) if plugin is not None]
    hook_caller = pm.subset_hook_caller("menu_links", remove_plugins=skipped) if skipped else pm.hook.menu_links

    async def menu_links() -> list[Mapping[str, Any]]:
        links: list[Mapping[str, Any]] = []
        for hook in hook_caller(datasette=datasette, actor=request.actor if request else None, request=request or None):
            found = await await_me_maybe(hook)
            links.extend(link for link in found or [] if keep_link(link, hidden))
        return links

    return menu_links


@hookimpl
def extra_template_vars(request, datasette):
    return {"menu_links": wanted_links(datasette, request)}
