"""[image] options: the image store, formats, size cap and secure hash."""

from oslo_config import cfg

image_group = cfg.OptGroup('image', title='Image service options')

DISK_FORMATS = ['raw', 'qcow2', 'vhd', 'vhdx', 'vmdk', 'vdi', 'iso', 'ploop',
                'aki', 'ari', 'ami']
CONTAINER_FORMATS = ['bare', 'ovf', 'ova', 'aki', 'ari', 'ami', 'docker',
                     'compressed']

HASH_ALGORITHMS = [('sha256', 'SHA-2, 256 bits'), ('sha384', 'SHA-2, 384 bits'),
                   ('sha512', 'SHA-2, 512 bits (glance\'s default)'),
                   ('sha3_256', 'SHA-3, 256 bits'), ('sha3_384', 'SHA-3, 384 bits'),
                   ('sha3_512', 'SHA-3, 512 bits'), ('blake2b', 'BLAKE2b, 512 bits')]

image_opts = [
    cfg.StrOpt('store',
               default='file',
               help='Image store plugin (entry point in nova_lite.image.stores).'),
    cfg.StrOpt('filesystem_store_datadir',
               default='$state_path/images',
               help='Directory where the file store keeps image bytes.'),
    cfg.ListOpt('disk_formats', default=DISK_FORMATS,
                help='Disk formats images may declare.'),
    cfg.ListOpt('container_formats', default=CONTAINER_FORMATS,
                help='Container formats images may declare.'),
    cfg.StrOpt('hashing_algorithm', default='sha512', choices=HASH_ALGORITHMS,
               help='Secure hash computed over image data on upload, alongside the MD5 '
                    'checksum; shown as os_hash_algo and os_hash_value.'),
    cfg.IntOpt('image_size_cap',
               default=1024 ** 4, min=1,
               help='Largest image, in bytes, an upload may store.'),
    # Interoperable image import (glance's ``/v2/images/{id}/stage`` and ``/import``).
    cfg.StrOpt('staging_dir',
               default='$state_path/image-staging',
               help='Directory where glance-direct staged image data waits for its import.'),
    cfg.ListOpt('enabled_import_methods',
                default=None,
                item_type=cfg.types.String(
                    choices=['glance-direct', 'web-download', 'copy-image',
                             'glance-download']),
                help='Import methods offered at /v2/info/import. Unset: glance-direct, '
                     'web-download and glance-download, plus copy-image when [image] '
                     'stores names more than one store. web-download fetches the image '
                     'data from a URI that passes the import filtering (the '
                     'import_*_schemes, _hosts and _ports options). copy-image copies an '
                     'active image to the stores that lack it: with the one store there '
                     'are none, so it is refused for every image. glance-download imports '
                     "an image's data and chosen properties (glance_download_properties) "
                     'from the image service of a region in the caller\'s catalog.'),
    cfg.StrOpt('worker_self_reference_url',
               help='URL of this image API worker, recorded on staged images as '
                    'os_glance_stage_host (unset: not recorded).'),
    # web-download: glance's import filtering (its [import_filtering_opts]) and the fetch.
    cfg.ListOpt('import_allowed_schemes', default=['http', 'https'],
                help='URI schemes a web-download may fetch from. When set, '
                     'import_disallowed_schemes is ignored; when empty, every scheme '
                     'not in import_disallowed_schemes is allowed (only http and https '
                     'can be fetched).'),
    cfg.ListOpt('import_disallowed_schemes', default=[],
                help='URI schemes a web-download may not fetch from (used only when '
                     'import_allowed_schemes is empty).'),
    cfg.ListOpt('import_allowed_hosts', default=[],
                help='Host names or IP addresses a web-download may fetch from. When '
                     'set, import_disallowed_hosts is ignored; empty: any host not in '
                     'import_disallowed_hosts.'),
    cfg.ListOpt('import_disallowed_hosts', default=[],
                help='Host names or IP addresses a web-download may not fetch from '
                     '(used only when import_allowed_hosts is empty).'),
    cfg.ListOpt('import_allowed_ports', default=[80, 443],
                item_type=cfg.types.Integer(min=1, max=65535),
                help='Explicit ports a web-download URI may name (a URI without a port '
                     'passes). When set, import_disallowed_ports is ignored; empty: any '
                     'port not in import_disallowed_ports.'),
    cfg.ListOpt('import_disallowed_ports', default=[],
                item_type=cfg.types.Integer(min=1, max=65535),
                help='Explicit ports a web-download URI may not name (used only when '
                     'import_allowed_ports is empty).'),
    cfg.FloatOpt('web_download_timeout', default=60.0, min=0.1,
                 help='Seconds a web-download (and a glance-download) waits to connect to '
                      'its source, and then for each next piece of data, before it fails.'),
    cfg.ListOpt('glance_download_properties',
                default=['hw_', 'trait:', 'os_distro', 'os_secure_boot', 'os_type'],
                help='Prefixes of the remote image properties a glance-download import '
                     'copies onto the local image, replacing local values (glance\'s '
                     '[glance_download_properties] extra_properties). The remote disk and '
                     'container formats are always taken; os_glance* properties never.'),
    cfg.IntOpt('web_download_max_redirects', default=5, min=0,
               help='Redirects a web-download follows; each target must pass the '
                    'import filtering too.'),
    # Multiple stores (glance's enabled_backends): unset keeps the one store above.
    cfg.ListOpt('stores',
                default=[],
                help='Named image stores as id:plugin pairs (e.g. fast:file,cheap:file), '
                     "glance's enabled_backends. Empty: the one store named by "
                     '[image] store, known by that name.'),
    cfg.StrOpt('default_store',
               help='Id of the store uploads and imports use when the caller names none '
                    '(default: the first of [image] stores).'),
    cfg.DictOpt('store_datadirs',
                default={},
                help='Directory of each file store in [image] stores, as id:path pairs '
                     '(default: a directory named after the store id under '
                     '[image] filesystem_store_datadir).'),
    cfg.DictOpt('store_weights',
                default={},
                help='Weight of each store in [image] stores, as id:integer pairs '
                     '(default 0): downloads read from the heaviest store holding the '
                     "image, and an image's stores are listed heaviest first."),
    cfg.IntOpt('task_time_to_live',
               default=48, min=1,
               help='Hours a finished import task is kept visible (its expires_at).'),
    # The image cache in front of the store (glance's, Image API 2.14 /v2/cache).
    cfg.StrOpt('image_cache_dir',
               default='$state_path/image-cache',
               help='Local directory of the image API host where downloaded and '
                    'prefetched image data is cached in front of the store. Empty: no '
                    'cache, and /v2/cache answers 404.'),
    cfg.IntOpt('image_cache_max_size',
               default=10 * 1024 ** 3, min=0,
               help='Bytes the image cache may hold; past it the least recently used '
                    'images leave the cache. An image larger than this is never cached.'),
    cfg.BoolOpt('image_cache_fill_on_download',
                default=True,
                help='Whether a download that misses the image cache fills it (as '
                     "glance's cache does). False: only images queued through "
                     '/v2/cache are cached (downloads still hit them).'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(image_group)
    conf.register_opts(image_opts, group=image_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(image_group, image_opts)]
