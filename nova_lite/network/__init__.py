"""The network service (a neutron analogue): networks, subnets, ports and IPAM."""
