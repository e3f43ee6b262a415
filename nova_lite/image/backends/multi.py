"""Several named image stores (glance's multiple stores, ``enabled_backends``).

``[image] stores`` names the stores as ``id:plugin`` pairs; each file store
keeps its bytes in its own directory (``[image] store_datadirs``) and has a
weight (``[image] store_weights``). With ``stores`` unset there is one store,
the ``[image] store`` plugin, known by the plugin's name, exactly as before.

An image's ``location`` column keeps where its bytes are. With the one store
it is that store's plain location string (as it always was); with several it
is a JSON list of ``[store_id, location]`` pairs, heaviest store first. A plain
string read with several stores belongs to the store whose location it is
(else the default store), so images stored before stores were named stay
readable.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Iterable, Iterator

from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.image.backends import base

LOG = logging.getLogger(__name__)

_DESCRIPTIONS = {'file': 'Image data kept as files on the image service host.'}


@dataclasses.dataclass(frozen=True)
class StoreInfo:
    """One store as /v2/info/stores describes it."""

    id: str
    plugin: str
    weight: int
    default: bool

    @property
    def description(self) -> str:
        return _DESCRIPTIONS.get(self.plugin, f'The {self.plugin} store.')


class StoreSet(base.ImageStore):
    """The configured stores by id; as an ImageStore it acts on the default store."""

    def __init__(self, conf: cfg.ConfigOpts, stores: dict[str, base.ImageStore],
                 infos: list[StoreInfo], *, multi: bool) -> None:
        super().__init__(conf)
        self._stores = stores
        # Heaviest first, then by id: the order of an image's ``stores``.
        self.infos = sorted(infos, key=lambda i: (-i.weight, i.id))
        self.multi = multi
        self.default_id = next(i.id for i in infos if i.default)

    @classmethod
    def single(cls, conf: cfg.ConfigOpts, store: base.ImageStore) -> StoreSet:
        """The one store of a deployment without ``[image] stores``."""
        name = conf.image.store
        return cls(conf, {name: store}, [StoreInfo(name, name, 0, True)], multi=False)

    @property
    def ids(self) -> list[str]:
        """Store ids, heaviest first."""
        return [i.id for i in self.infos]

    def get_store(self, store_id: str) -> base.ImageStore:
        """The store ``store_id``; NotFound when there is no such store."""
        try:
            return self._stores[store_id]
        except KeyError:
            raise exception.NotFound(resource='Store', id=store_id) from None

    def owner_of(self, location: str) -> str:
        """The id of the store ``location`` is in (the default store when none claims it)."""
        for store_id in self.ids:
            if self._stores[store_id].owns(location):
                return store_id
        return self.default_id

    # -- the location column -----------------------------------------------------------

    def decode(self, value: str | None) -> dict[str, str]:
        """An image's locations by store id, heaviest store first."""
        if not value:
            return {}
        if value.startswith('['):
            pairs = json.loads(value)
            found = {str(sid): str(loc) for sid, loc in pairs}
        elif self.multi:
            found = {self.owner_of(value): value}
        else:
            found = {self.default_id: value}
        return {sid: found[sid] for sid in self.ids if sid in found} | {
            sid: loc for sid, loc in found.items() if sid not in self._stores}

    def encode(self, locations: dict[str, str]) -> str | None:
        """The location column for ``locations`` (by store id)."""
        if not locations:
            return None
        if not self.multi and list(locations) == [self.default_id]:
            return locations[self.default_id]
        order = {sid: n for n, sid in enumerate(self.ids)}
        pairs = sorted(locations.items(), key=lambda p: (order.get(p[0], len(order)), p[0]))
        return json.dumps([list(p) for p in pairs])

    # -- reading and writing -----------------------------------------------------------

    def add_to(self, store_id: str, image_id: str, chunks: Iterable[bytes],
               size_cap: int) -> base.StoredImage:
        return self.get_store(store_id).add(image_id, chunks, size_cap)

    def delete_from(self, store_id: str, location: str) -> None:
        """Remove ``location`` from its store (a store no longer configured: the owner)."""
        store = self._stores.get(store_id) or self._stores[self.owner_of(location)]
        store.delete(location)

    def read_best(self, image_id: str, locations: dict[str, str]) -> Iterator[bytes]:
        """The bytes of the heaviest store that has them (``locations`` is heaviest first)."""
        for store_id, location in locations.items():
            try:
                return self.get_store(store_id).get(location)
            except exception.NotFound:
                LOG.warning('Image %s has no data in store %s; trying the next one',
                            image_id, store_id)
        raise exception.ImageCorrupt(image_id=image_id,
                                     reason='its data is missing from the store')

    def add(self, image_id: str, chunks: Iterable[bytes], size_cap: int) -> base.StoredImage:
        return self.add_to(self.default_id, image_id, chunks, size_cap)

    def _store_for(self, location: str) -> base.ImageStore:
        return self._stores[self.owner_of(location)]

    def get(self, location: str) -> Iterator[bytes]:
        return self._store_for(location).get(location)

    def delete(self, location: str) -> None:
        self._store_for(location).delete(location)

    def exists(self, location: str) -> bool:
        return self._store_for(location).exists(location)

    def owns(self, location: str) -> bool:
        return any(store.owns(location) for store in self._stores.values())


def _parse_stores(conf: cfg.ConfigOpts) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for entry in conf.image.stores:
        store_id, sep, plugin = entry.partition(':')
        store_id, plugin = store_id.strip(), plugin.strip()
        if not sep or not store_id or not plugin:
            raise exception.NovaLiteError(
                f'[image] stores: {entry!r} is not an id:plugin pair')
        if store_id in dict(pairs):
            raise exception.NovaLiteError(f'[image] stores: store {store_id!r} is named twice')
        pairs.append((store_id, plugin))
    return pairs


def _weight(conf: cfg.ConfigOpts, store_id: str) -> int:
    raw = conf.image.store_weights.get(store_id, '0')
    try:
        return int(raw)
    except ValueError:
        raise exception.NovaLiteError(
            f'[image] store_weights: the weight of {store_id!r} is not an integer') from None


def load_stores(conf: cfg.ConfigOpts) -> StoreSet:
    """The stores ``[image] stores`` names, or the one ``[image] store`` when it is empty."""
    pairs = _parse_stores(conf)
    if not pairs:
        return StoreSet.single(conf, base.load_store(conf))
    ids = [sid for sid, _ in pairs]
    default_id = conf.image.default_store or ids[0]
    if default_id not in ids:
        raise exception.NovaLiteError(
            f'[image] default_store {default_id!r} is not one of [image] stores')
    unknown = (set(conf.image.store_datadirs) | set(conf.image.store_weights)) - set(ids)
    if unknown:
        raise exception.NovaLiteError(
            f'[image] store_datadirs/store_weights name unknown stores: '
            f'{", ".join(sorted(unknown))}')
    stores: dict[str, base.ImageStore] = {}
    infos: list[StoreInfo] = []
    datadirs: set[str] = set()
    for store_id, plugin in pairs:
        datadir = os.path.realpath(conf.image.store_datadirs.get(store_id) or os.path.join(
            conf.image.filesystem_store_datadir, store_id))
        if datadir in datadirs:
            raise exception.NovaLiteError(
                f'[image] store_datadirs: store {store_id!r} shares another store\'s directory')
        datadirs.add(datadir)
        stores[store_id] = base.load_store(conf, plugin, datadir=datadir)
        infos.append(StoreInfo(store_id, plugin, _weight(conf, store_id),
                               store_id == default_id))
    return StoreSet(conf, stores, infos, multi=True)
