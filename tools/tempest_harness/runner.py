"""Tempest's workspace, configuration and run against one seeded cloud."""

from __future__ import annotations

import os
import string
import subprocess
import sys

from tempest_harness import seed

TEMPLATE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        'tempest', 'tempest.conf.template')
DEFAULT_REGEX = r'^tempest\.api\.(compute|identity|image|network|volume)\.'


def cloud_config(http_image_port: int) -> str:
    """What the cloud's configuration adds for Tempest: two image stores (Tempest's
    multi-store tests; it lists an image's stores sorted by name, and the weight
    test wants the heaviest first, so the names sort in weight order), and the
    web-download import may fetch from the harness's own HTTP server (its port is
    neither 80 nor 443). The image cache is filled only by queueing images: Tempest
    runs tests side by side, and a download by another test would otherwise fill
    the cache between the caching test's clearing and its listing. Snapshots
    (createImage, createBackup, shelve) are qcow2: a raw one of a 1 GiB root disk
    is 1 GiB through the image API, a minute under load. Compute quotas are finite,
    as a real cloud's: Tempest's default quota class test adds 100 to each default
    while it runs, and the benchmark cloud's unlimited -1 would become a quota of 99
    for every project at once. Network quotas are unlimited: Tempest's network tests
    set none and make many resources in their projects."""
    return f"""[image]
stores = fast:file,slow:file
default_store = fast
store_weights = fast:100,slow:50
image_cache_fill_on_download = false
import_allowed_ports = 80,443,{http_image_port}

[libvirt]
snapshot_image_format = qcow2

[quota]
instances = 1000
cores = 4000
ram = 4194304

[network_quota]
network = -1
subnet = -1
port = -1
router = -1
floatingip = -1
security_group = -1
security_group_rule = -1
subnetpool = -1
rbac_policy = -1
"""


def tempest_command() -> list[str]:
    """Tempest's CLI from the interpreter's own environment."""
    return [os.path.join(os.path.dirname(sys.executable), 'tempest')]


def render_config(identity_port: int, admin_password: str, seeded: seed.Seeded,
                  workspace: str, http_image: str) -> str:
    with open(TEMPLATE, encoding='utf-8') as template:
        text = string.Template(template.read())
    return text.substitute(
        identity_port=identity_port, admin_password=admin_password,
        image_ref=seeded.image_ref, image_ref_alt=seeded.image_ref_alt,
        flavor_ref=seeded.flavor_ref, flavor_ref_alt=seeded.flavor_ref_alt,
        network_name=seeded.network_name, http_image=http_image,
        public_network_id=seeded.public_network_id,
        log_file=os.path.join(workspace, 'tempest.log'),
        lock_path=os.path.join(workspace, 'locks'))


def init_workspace(workspace: str, config_text: str) -> str:
    """``tempest init`` in ``workspace`` with our tempest.conf; returns its path."""
    subprocess.run([*tempest_command(), 'init', '--name', 'nova-lite-' + str(os.getpid()),
                    '--workspace-path', os.path.join(workspace, 'workspaces.yaml'),
                    workspace], check=True, capture_output=True, text=True)
    config_path = os.path.join(workspace, 'etc', 'tempest.conf')
    with open(config_path, 'w', encoding='utf-8') as conf:
        conf.write(config_text)
    return config_path


def list_tests(workspace: str, regex: str) -> list[str]:
    done = subprocess.run([*tempest_command(), 'run', '--list-tests', '--regex', regex],
                          cwd=workspace, check=True, capture_output=True, text=True)
    return [line.strip() for line in done.stdout.splitlines()
            if line.strip().startswith('tempest.')]


# A test that takes longer fails (Tempest's OS_TEST_TIMEOUT); a whole run that
# takes longer is stopped, and the tests it did not finish count as not run.
TEST_TIMEOUT_SECONDS = 300
RUN_TIMEOUT_SECONDS = 40 * 60


def run(workspace: str, regex: str, concurrency: int, exclude_regex: str | None,
        ) -> bytes:
    """Runs the tests; returns their subunit v2 stream (Tempest's own exit code is
    not used: the areas are judged by their counts)."""
    command = [*tempest_command(), 'run', '--regex', regex, '--concurrency',
               str(concurrency), '--subunit']
    if exclude_regex:
        command += ['--exclude-regex', exclude_regex]
    env = {**os.environ, 'OS_TEST_TIMEOUT': str(TEST_TIMEOUT_SECONDS)}
    try:
        done = subprocess.run(command, cwd=workspace, capture_output=True, env=env,
                              timeout=RUN_TIMEOUT_SECONDS)
        stdout, stderr = done.stdout, done.stderr
    except subprocess.TimeoutExpired as exc:
        print(f'tempest: stopped after {RUN_TIMEOUT_SECONDS} s; the tests it had not '
              'finished count as not run', flush=True)
        stdout, stderr = exc.stdout or b'', exc.stderr or b''
    with open(os.path.join(workspace, 'tempest-run.stderr'), 'wb') as err:
        err.write(stderr)
    return stdout
