"""Routes: a controller lists its ``(method, path, handler)``; one helper adds them.

A resource with the usual five operations gets them from :func:`crud`;
:func:`add_routes` puts a list on a :class:`~nova_lite.api.wsgi.Router`, under
a prefix and wrapped (microversion labels, neutron error names, the
``/v2.1/{project_id}`` form) as the API needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from nova_lite.api import wsgi

Route = tuple[str, str, wsgi.Handler]
Wrapper = Callable[[wsgi.Handler], wsgi.Handler]

# (method, where, controller method): the usual operations of a collection.
_CRUD = (('POST', 'collection', 'create'), ('GET', 'collection', 'index'),
         ('GET', 'member', 'show'), ('UPDATE', 'member', 'update'),
         ('DELETE', 'member', 'delete'))


def crud(path: str, id_name: str, controller: object, *,
         update_method: str = 'PUT') -> list[Route]:
    """The routes of ``path`` and ``path/{id_name}`` to the controller's ``create``,
    ``index``, ``show``, ``update`` and ``delete`` (those it has)."""
    paths = {'collection': path, 'member': f'{path}/{{{id_name}}}'}
    routes: list[Route] = []
    for method, where, action in _CRUD:
        handler = getattr(controller, action, None)
        if handler is not None:
            verb = update_method if method == 'UPDATE' else method
            routes.append((verb, paths[where], handler))
    return routes


def add_routes(router: wsgi.Router, routes: Iterable[Route], *, prefix: str = '',
               wrap: Wrapper | None = None) -> None:
    """Add ``routes`` to ``router``, each path under ``prefix``, each handler wrapped."""
    for method, path, handler in routes:
        router.add(method, prefix + path, wrap(handler) if wrap is not None else handler)
