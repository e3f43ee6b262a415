"""Default policy rules: reader looks, member changes its project, admin does anything."""

from __future__ import annotations

import pytest
from oslo_policy import policy as oslo_policy

from nova_lite.api import policy
from nova_lite.common import context as nl_context
from nova_lite.common import exception

RULES = [
    oslo_policy.RuleDefault('thing:get', policy.PROJECT_READER),
    oslo_policy.RuleDefault('thing:create', policy.PROJECT_MEMBER),
    oslo_policy.RuleDefault('flavor:create', policy.ADMIN),
]


def _ctx(*roles: str, project: str = 'p1') -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='u', project_id=project, roles=list(roles))


@pytest.mark.parametrize('roles, rule, allowed', [
    (('reader',), 'thing:get', True),
    (('reader',), 'thing:create', False),
    (('member',), 'thing:create', True),
    (('member',), 'flavor:create', False),
    (('admin',), 'flavor:create', True),
    ((), 'thing:get', False),
])
def test_default_rules(conf, roles, rule, allowed):
    authorizer = policy.Authorizer(conf, RULES)
    if allowed:
        authorizer.authorize(_ctx(*roles), rule)
    else:
        with pytest.raises(exception.Forbidden):
            authorizer.authorize(_ctx(*roles), rule)


def test_member_of_another_project_is_refused(conf):
    authorizer = policy.Authorizer(conf, RULES)
    with pytest.raises(exception.Forbidden):
        authorizer.authorize(_ctx('member', project='p2'), 'thing:create',
                             {'project_id': 'p1'})
    authorizer.authorize(_ctx('admin', project='p2'), 'thing:create', {'project_id': 'p1'})
