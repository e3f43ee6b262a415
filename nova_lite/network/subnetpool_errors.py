"""Subnet pool and address scope errors under neutron's type names."""

from __future__ import annotations

from nova_lite.common import exception


class SubnetPoolNotFound(exception.NotFound):
    msg_fmt = 'Subnet pool %(id)s could not be found.'


class AddressScopeNotFound(exception.NotFound):
    msg_fmt = 'Address scope %(id)s could not be found.'


class SubnetPoolInUse(exception.Conflict):
    msg_fmt = 'Unable to complete operation on subnet pool %(id)s. %(reason)s.'


class AddressScopeInUse(exception.Conflict):
    msg_fmt = 'Unable to complete operation on address scope %(id)s. %(reason)s.'


class AddressScopePrefixConflict(exception.Conflict):
    msg_fmt = ('Failed to associate address scope: subnetpools within an address scope '
               'must have unique prefixes.')


class SubnetAllocationError(exception.Conflict):
    msg_fmt = 'Failed to allocate subnet: %(reason)s.'


class SubnetPoolQuotaExceeded(exception.Conflict):
    msg_fmt = 'Per-tenant subnet pool prefix quota exceeded.'


class IllegalSubnetPoolPrefixBounds(exception.InvalidInput):
    msg_fmt = "Illegal prefix bounds: %(reason)s"


class IllegalSubnetPoolPrefixUpdate(exception.InvalidInput):
    msg_fmt = 'Illegal update to prefixes: %(reason)s.'


class IllegalSubnetPoolAssociationToAddressScope(exception.InvalidInput):
    msg_fmt = 'Illegal subnetpool association: %(reason)s.'


class NetworkSubnetPoolAffinityError(exception.InvalidInput):
    msg_fmt = 'Subnets hosted on the same network must be allocated from the same subnet pool.'
