"""tools/tempest_harness: per-area counts of a Tempest run, and its tempest.conf."""

from __future__ import annotations

import configparser
import importlib
import os
import sys
from types import ModuleType

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def _harness(name: str) -> ModuleType:
    sys.path.insert(0, os.path.join(REPO, 'tools'))
    try:
        return importlib.import_module(f'tempest_harness.{name}')
    finally:
        sys.path.remove(os.path.join(REPO, 'tools'))


ID = 'tempest.api.identity.admin.v3.test_groups.GroupsV3TestJSON'
IMG = 'tempest.api.image.v2.test_images.ImportImagesTest'
NET = 'tempest.api.network.test_networks.NetworksTest'


def test_counts_per_area_with_skipped_and_failed_classes() -> None:
    results = _harness('results')
    outcome = results.Outcome
    listed = [f'{ID}.test_a[id-1,smoke]', f'{ID}.test_b[id-2]', f'{IMG}.test_c[id-3]',
              f'{IMG}.test_d[id-4]', f'{NET}.test_e[id-5]', f'{NET}.test_f[id-6]']
    outcomes = [
        outcome(f'{ID}.test_a[id-1,smoke]', 'success', ''),
        outcome(f'{ID}.test_b[id-2]', 'fail', 'Traceback: boom'),
        outcome(f'setUpClass ({IMG})', 'fail', 'Traceback: 404'),
        outcome(f'setUpClass ({NET})', 'skip', 'no extension'),
        outcome(f'tearDownClass ({ID})', 'fail', 'Traceback: 405'),
    ]
    areas, failures = results.count(listed, outcomes)
    identity, image, network = areas['identity'], areas['image'], areas['network']
    assert (identity.listed, identity.passed, identity.failed, identity.skipped,
            identity.not_run, identity.fixture_failures) == (2, 1, 1, 0, 0, 1)
    assert (image.listed, image.passed, image.not_run, image.fixture_failures) == (2, 0, 2, 1)
    assert (network.listed, network.skipped, network.not_run) == (2, 2, 0)
    assert not identity.clean and not image.clean and network.clean
    assert areas['compute'].listed == 0 and areas['compute'].clean
    assert {f.test_id for f in failures} == {
        f'{ID}.test_b[id-2]', f'setUpClass ({IMG})', f'tearDownClass ({ID})'}


def test_a_clean_area_has_every_listed_test_passed_or_skipped() -> None:
    results = _harness('results')
    listed = [f'{ID}.test_a[id-1]', f'{ID}.test_b[id-2]']
    areas, failures = results.count(listed, [
        results.Outcome(f'{ID}.test_a[id-1]', 'success', ''),
        results.Outcome(f'{ID}.test_b[id-2]', 'skip', 'flag off')])
    assert areas['identity'].clean and failures == []
    areas, _ = results.count(listed, [results.Outcome(f'{ID}.test_a[id-1]', 'success', '')])
    assert areas['identity'].not_run == 1 and not areas['identity'].clean


def test_the_template_renders_every_placeholder_and_declares_the_flags(tmp_path) -> None:
    runner = _harness('runner')
    seed = _harness('seed')
    seeded = seed.Seeded(image_ref='img-1', image_ref_alt='img-2', flavor_ref='42',
                         flavor_ref_alt='84', network_name='net')
    text = runner.render_config(5000, 'secret', seeded, str(tmp_path),
                                'http://127.0.0.1:8000/img')
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(text)
    assert conf['identity']['uri_v3'] == 'http://127.0.0.1:5000/v3'
    assert conf['auth']['admin_password'] == 'secret'
    assert (conf['compute']['image_ref'], conf['compute']['flavor_ref_alt']) == ('img-1', '84')
    flags = conf['image-feature-enabled']
    assert [flags[f] for f in ('import_image', 'os_glance_reserved', 'do_secure_hash')] == [
        'true'] * 3
    assert [flags[f] for f in ('manage_locations', 'image_conversion',
                               'http_store_enabled')] == ['false'] * 3
    identity = conf['identity-feature-enabled']
    assert identity['api_v3'] == 'true'
    assert [identity[f] for f in ('trust', 'access_rules', 'security_compliance',
                                  'domain_specific_drivers')] == ['false'] * 4
    assert conf['image']['http_qcow2_image'] == 'http://127.0.0.1:8000/img'
    assert '$' not in text
    assert 'import_allowed_ports = 80,443,8123' in runner.cloud_config(8123)
    assert 'stores = fast:file,slow:file' in runner.cloud_config(8123)
    assert conf['image']['image_caching_enabled'] == 'true'
    assert conf['image-feature-enabled']['store_weight_enabled'] == 'true'


def test_the_http_image_server_serves_the_seed_image_and_nothing_else() -> None:
    import urllib.error
    import urllib.request

    http_image = _harness('http_image')
    seed = _harness('seed')
    server = http_image.ImageServer().start()
    try:
        with urllib.request.urlopen(server.url, timeout=5) as response:
            assert response.read() == seed.IMAGE_BYTES
        try:
            urllib.request.urlopen(server.url + '.missing', timeout=5)
        except urllib.error.HTTPError as error:
            assert error.code == 404
        else:
            raise AssertionError('an unknown path was served')
    finally:
        server.stop()


def test_the_compute_flags_are_the_issue_s(tmp_path) -> None:
    runner = _harness('runner')
    seeded = _harness('seed').Seeded(image_ref='i', image_ref_alt='j', flavor_ref='1',
                                     flavor_ref_alt='2', network_name='n')
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(runner.render_config(5000, 'pw', seeded, str(tmp_path), 'http://x/'))
    flags = conf['compute-feature-enabled']
    enabled = ('console_output', 'resize', 'snapshot', 'pause', 'suspend', 'shelve',
               'interface_attach', 'disk_config', 'enable_instance_password')
    disabled = ('live_migration', 'cold_migration', 'shelve_migrate', 'rescue',
                'stable_rescue', 'change_password', 'vnc_console', 'spice_console',
                'serial_console', 'attach_encrypted_volume', 'metadata_service',
                'config_drive', 'personality', 'swap_volume', 'volume_multiattach',
                'unified_limits')
    assert {flag: flags[flag] for flag in enabled} == dict.fromkeys(enabled, 'true')
    assert {flag: flags[flag] for flag in disabled} == dict.fromkeys(disabled, 'false')


def test_the_network_flags_name_the_seeded_public_network(tmp_path) -> None:
    runner = _harness('runner')
    seeded = _harness('seed').Seeded(image_ref='i', image_ref_alt='j', flavor_ref='1',
                                     flavor_ref_alt='2', network_name='n',
                                     public_network_id='pub-id')
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(runner.render_config(5000, 'pw', seeded, str(tmp_path), 'http://x/'))
    assert conf['network']['public_network_id'] == 'pub-id'
    assert conf['network']['floating_network_name'] == 'public'
    assert conf['network-feature-enabled']['floating_ips'] == 'true'
    extensions = conf['network-feature-enabled']['api_extensions'].split(',')
    assert {'router', 'extraroute', 'external-net'} <= set(extensions)
    assert conf['auth']['create_isolated_networks'] == 'true'


def test_gate_failure_lines_name_each_failure_of_the_gated_areas() -> None:
    results = _harness('results')
    sys.path.insert(0, os.path.join(REPO, 'tools'))
    try:
        tempest_run = importlib.import_module('tempest_run')
    finally:
        sys.path.remove(os.path.join(REPO, 'tools'))
    failures = [results.Outcome(f'tearDownClass ({ID})', 'fail',
                                'Traceback\n  x\nTimeout: 60 s\n'),
                results.Outcome(f'{IMG}.test_c[id-3]', 'fail', 'NotFound: 404')]
    assert tempest_run.gate_failure_lines(failures, {'identity'}) == [
        f'tearDownClass ({ID}): Timeout: 60 s']
    assert tempest_run.gate_failure_lines(failures, {'compute'}) == []
