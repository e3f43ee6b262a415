"""Authorisation with oslo.policy: rules in code, overridable by a policy file.

Default roles: ``reader`` may look, ``member`` may create and change its
project's resources, ``admin`` may do anything (flavors, hosts, other
projects). Another project's resource is answered 404 by the managers, not
403, so its existence is not revealed.
"""

from __future__ import annotations

from oslo_config import cfg
from oslo_policy import policy

from nova_lite.common import context as nl_context
from nova_lite.common import exception

ADMIN = 'role:admin'
MEMBER = 'role:member or role:admin'
READER = 'role:reader or role:member or role:admin'
PROJECT_READER = f'({READER}) and project_id:%(project_id)s or role:admin'
PROJECT_MEMBER = f'({MEMBER}) and project_id:%(project_id)s or role:admin'

BASE_RULES = [
    policy.RuleDefault('admin', ADMIN, 'The cloud administrator.'),
    policy.RuleDefault('member', MEMBER, 'May create and change resources.'),
    policy.RuleDefault('reader', READER, 'May look at resources.'),
]


class Authorizer:
    """One oslo.policy enforcer with nova_lite's default rules registered."""

    def __init__(self, conf: cfg.ConfigOpts, rules: list[policy.RuleDefault]) -> None:
        self._enforcer = policy.Enforcer(conf, use_conf=True)
        self._enforcer.register_defaults(BASE_RULES + rules)

    def authorize(self, ctx: nl_context.RequestContext, rule: str,
                  target: dict[str, str] | None = None) -> None:
        """Raise Forbidden (403) unless the caller's roles allow ``rule``."""
        creds = {'roles': list(ctx.roles), 'project_id': ctx.project_id,
                 'user_id': ctx.user_id}
        target = target if target is not None else {'project_id': ctx.project_id or ''}
        if not self._enforcer.enforce(rule, target, creds, do_raise=False):
            raise exception.Forbidden(message=f'Policy does not allow {rule} to be performed.')
