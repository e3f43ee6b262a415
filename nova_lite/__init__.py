"""nova_lite: a small, real IaaS control plane in the OpenStack mould."""
