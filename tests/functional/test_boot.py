"""The whole boot flow in-process, then the delete, checking every resource."""

from __future__ import annotations

import os
import subprocess

from nova_lite.conductor import flow_states
from nova_lite.conductor.flows import keys
from nova_lite.virt import power_state


def test_boot_and_delete_on_libvirt(make_env):
    env = make_env(hosts=['host1'], virt_driver='libvirt')
    server = env.boot()
    assert server['status'] == 'ACTIVE', server['fault']
    assert server['host'] == 'host1'
    assert server['power_state'] == power_state.RUNNING

    # Network: one port with a MAC from the base prefix and a fixed IP from the subnet.
    [vif] = server['network_info']
    assert vif['mac_address'].startswith('fa:16:3e:')
    [ip] = vif['fixed_ips']
    assert ip['ip_address'].startswith('10.0.0.') and ip['ip_address'] != '10.0.0.1'
    ports = env.cloud.networks.list_ports(env.ctx, device_id=server['id'])
    assert [p['binding:host_id'] for p in ports] == ['host1']

    # Volume: attached, in use.
    volume = env.volume()
    assert volume['status'] == 'in-use'
    assert [a['server_id'] for a in volume['attachments']] == [server['id']]

    # Claim: the flavor's resources are used on host1.
    assert env.host_usage()['host1'] == {'vcpus_used': 1, 'memory_mb_used': 512,
                                         'local_gb_used': 1}

    # The domain: libvirt.xml written, valid, defined and running with our MAC and disk.
    xml_path = os.path.join(env.cloud.conf.compute.instances_path, server['id'], 'libvirt.xml')
    result = subprocess.run(['virt-xml-validate', xml_path, 'domain'], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(xml_path) as f:
        xml = f.read()
    assert vif['mac_address'] in xml and server['id'] in xml
    # The port's security groups (the project's default group): the interface names
    # the port's nwfilter, written beside libvirt.xml as a valid filter document.
    filter_name = f"nova-lite-port-{vif['port_id']}"
    assert f'<filterref filter="{filter_name}"' in xml
    filter_path = os.path.join(os.path.dirname(xml_path), f'{filter_name}.xml')
    result = subprocess.run(['virt-xml-validate', filter_path, 'nwfilter'],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert {rule['direction'] for rule in vif['security_group_rules']} == {'ingress', 'egress'}
    assert volume['id'] in xml or 'volume-' in xml
    driver = env.cloud.compute_hosts[0].manager.driver
    assert server['id'] in driver.list_instance_ids()

    # Every atom of the run succeeded, once.
    states, runs = flow_states.load_atom_states(env.cloud.db, server['id'], keys.BOOT_FLOW)
    for task in keys.BOOT_TASKS:
        assert states[task] == 'SUCCESS', (task, states)
        assert runs[task] == 1

    env.delete(server['id'])
    assert env.leftovers(server['id']).total() == 0
    assert env.volume()['status'] == 'available'
    assert env.host_usage()['host1'] == {'vcpus_used': 0, 'memory_mb_used': 0,
                                         'local_gb_used': 0}
    assert server['id'] not in driver.list_instance_ids()
    # The freed IP can be handed out again.
    again = env.boot(with_volume=False, networks=[{'uuid': env.network['id'],
                                                   'fixed_ip': ip['ip_address']}])
    assert again['status'] == 'ACTIVE', again['fault']
    assert again['network_info'][0]['fixed_ips'][0]['ip_address'] == ip['ip_address']


def test_boot_without_volume_on_fake_driver(make_env):
    env = make_env(hosts=['host1'])
    server = env.boot(with_volume=False)
    assert server['status'] == 'ACTIVE', server['fault']
    env.delete(server['id'])
    assert env.leftovers(server['id']).total() == 0


def test_boot_and_delete_on_postgresql(pg_db, make_env):
    """The same code on the local PostgreSQL server (pg_db points [database] at it)."""
    env = make_env(hosts=['host1', 'host2'], virt_driver='libvirt')
    assert env.cloud.db.engine.dialect.name == 'postgresql'
    server = env.boot()
    assert server['status'] == 'ACTIVE', server['fault']
    assert env.volume()['status'] == 'in-use'
    env.delete(server['id'])
    assert env.leftovers(server['id']).total() == 0
    assert all(sum(usage.values()) == 0 for usage in env.host_usage().values())
