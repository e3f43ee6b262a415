"""Authorisation with oslo.policy: rules in code, overridable by a policy file.

Default roles: ``reader`` may look, ``member`` may create and change its
project's resources, ``admin`` may do anything (flavors, hosts, other
projects). Another project's resource is answered 404 by the managers, not
403, so its existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Mapping

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


def rule(name: str, check: str, description: str, method: str,
         path: str) -> policy.DocumentedRuleDefault:
    """A documented rule default for one API operation (``method path``)."""
    return policy.DocumentedRuleDefault(name=name, check_str=check, description=description,
                                        operations=[{'method': method, 'path': path}])


class Authorizer:
    """One oslo.policy enforcer with nova_lite's default rules registered."""

    def __init__(self, conf: cfg.ConfigOpts, rules: list[policy.RuleDefault]) -> None:
        self._enforcer = policy.Enforcer(conf, use_conf=True)
        self._enforcer.register_defaults(BASE_RULES + rules)

    def authorize(self, ctx: nl_context.RequestContext, rule: str,
                  target: Mapping[str, str] | None = None, *,
                  project_id: str | None = None) -> None:
        """Raise Forbidden (403) unless the caller's roles allow ``rule``.

        The target is ``target`` if given, else the resource's ``project_id``
        (the caller's own project when that is not given either).
        """
        creds = {'roles': list(ctx.roles), 'project_id': ctx.project_id,
                 'user_id': ctx.user_id}
        if target is None:
            target = {'project_id': project_id if project_id is not None
                      else ctx.project_id or ''}
        if not self._enforcer.enforce(rule, dict(target), creds, do_raise=False):
            raise exception.Forbidden(message=f'Policy does not allow {rule} to be performed.')

    def allowed(self, ctx: nl_context.RequestContext, rule: str,
                target: Mapping[str, str] | None = None, *,
                project_id: str | None = None) -> bool:
        """Whether :meth:`authorize` would let the caller through."""
        try:
            self.authorize(ctx, rule, target, project_id=project_id)
        except exception.Forbidden:
            return False
        return True
