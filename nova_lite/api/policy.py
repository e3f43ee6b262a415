"""Authorisation with oslo.policy: rules in code, overridable by a policy file.

Default roles: ``reader`` may look, ``member`` may create and change its
project's resources, ``admin`` may do anything (flavors, hosts, other
projects). Another project's resource is answered 404 by the managers, not
403, so its existence is not revealed.

oslo.policy's enforcer looks for the policy file (``[oslo_policy]
policy_file``, searched in the configuration directories) and every
``policy_dirs`` directory on each check. :class:`Authorizer` does that at
most every ``[api] policy_reload_interval`` seconds instead: a changed,
new or removed policy file or policy directory file is in force at most that
long after the change, on a new enforcer that replaces the old one at once
(a check never sees half-loaded rules). Between reloads, a decision already
taken for the same rule, target and credentials is answered from memory when
every rule is a plain role/attribute check (no ``http:`` or custom check
whose answer could change on its own).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from oslo_config import cfg
from oslo_policy import _checks, policy

from nova_lite.common import context as nl_context
from nova_lite.common import exception

LOG = logging.getLogger(__name__)

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

# Decisions remembered per loaded rule set; past this many the memory starts over.
MAX_REMEMBERED_DECISIONS = 4096
# Checks whose answer depends on the target and credentials alone.
_PURE_CHECKS: frozenset[type[_checks.BaseCheck]] = frozenset({
    _checks.TrueCheck, _checks.FalseCheck, _checks.RoleCheck, _checks.GenericCheck,
    _checks.RuleCheck, _checks.AndCheck, _checks.OrCheck, _checks.NotCheck})

DecisionKey = tuple[Hashable, ...]
PolicySources = tuple[Hashable, ...]


def rule(name: str, check: str, description: str, method: str,
         path: str) -> policy.DocumentedRuleDefault:
    """A documented rule default for one API operation (``method path``)."""
    return policy.DocumentedRuleDefault(name=name, check_str=check, description=description,
                                        operations=[{'method': method, 'path': path}])


def _is_pure(check: _checks.BaseCheck) -> bool:
    """Whether ``check`` (and every check under it) answers from target and creds alone."""
    if type(check) not in _PURE_CHECKS:
        return False
    if isinstance(check, (_checks.AndCheck, _checks.OrCheck)):
        return all(_is_pure(sub) for sub in check.rules)
    if isinstance(check, _checks.NotCheck):
        return _is_pure(check.rule)
    return True


def _file_state(path: str) -> tuple[str, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return path, stat.st_mtime_ns, stat.st_size


@dataclasses.dataclass
class _LoadedRules:
    """One loaded rule set: its enforcer (which no longer reads files) and decisions."""

    enforcer: policy.Enforcer | None
    remember: bool
    error: Exception | None = None
    decisions: dict[DecisionKey, bool] = dataclasses.field(default_factory=dict)


class Authorizer:
    """One oslo.policy enforcer with nova_lite's default rules registered.

    The policy files are looked at again at most every ``[api]
    policy_reload_interval`` seconds (0: on every check, as oslo.policy does).
    """

    def __init__(self, conf: cfg.ConfigOpts, rules: list[policy.RuleDefault], *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._conf = conf
        self._defaults = BASE_RULES + rules
        self._clock = clock
        self._reload_interval = float(conf.api.policy_reload_interval)
        self._reload_lock = threading.Lock()
        first = self._new_enforcer(None)  # registers [oslo_policy] on conf
        # Like oslo.policy, the file name is the one configured when the API was built.
        self._policy_file: str = first.policy_file
        self._sources = self._policy_sources()
        self._rules = self._load(first)
        self._next_check = self._clock() + self._reload_interval

    # Loading.

    def _new_enforcer(self, policy_file: str | None) -> policy.Enforcer:
        enforcer = policy.Enforcer(self._conf, policy_file=policy_file, use_conf=True)
        enforcer.register_defaults(self._defaults)
        return enforcer

    def _policy_sources(self) -> PolicySources:
        """Where the policy file and policy directories are, with their files' stat."""
        found = self._conf.find_file(self._policy_file)
        sources: list[Hashable] = [_file_state(found) if found else None]
        for directory in self._conf.oslo_policy.policy_dirs:
            path = self._conf.find_file(directory)
            if not path or not os.path.isdir(path):
                sources.append((directory, None))
                continue
            try:
                names = sorted(os.listdir(path))
            except OSError:
                names = []
            sources.append((path, _file_state(path),
                            tuple(_file_state(os.path.join(path, name)) for name in names)))
        return tuple(sources)

    def _load(self, enforcer: policy.Enforcer) -> _LoadedRules:
        try:
            enforcer.load_rules()
        except Exception as exc:
            # As oslo.policy does, every check fails (500) until the files load again.
            LOG.exception('Could not load the policy files; every policy check fails '
                          'until they load')
            return _LoadedRules(enforcer=None, remember=False, error=exc)
        # The rules are in memory: from now on only _reload_if_changed reads files.
        enforcer.use_conf = False
        remember = all(_is_pure(check) for check in enforcer.rules.values())
        return _LoadedRules(enforcer=enforcer, remember=remember)

    def _reload_if_changed(self) -> None:
        """Look at the policy files if the interval passed; reload them if they changed."""
        if not self._reload_lock.acquire(blocking=False):
            return  # another thread is looking; this check uses the rules in force
        try:
            self._next_check = self._clock() + self._reload_interval
            sources = self._policy_sources()
            if sources == self._sources and self._rules.error is None:
                return
            self._sources = sources
            self._rules = self._load(self._new_enforcer(self._policy_file))
            LOG.info('Policy rules reloaded from %s', self._policy_file)
        finally:
            self._reload_lock.release()

    # Checks.

    def _enforce(self, rule: str, target: dict[str, Any], creds: dict[str, Any]) -> bool:
        if self._clock() >= self._next_check:
            self._reload_if_changed()
        loaded = self._rules
        if loaded.enforcer is None:
            raise loaded.error or RuntimeError('policy rules not loaded')
        if not loaded.remember:
            return bool(loaded.enforcer.enforce(rule, target, creds, do_raise=False))
        key: DecisionKey = (rule, tuple(sorted(target.items())), tuple(creds['roles']),
                            creds['project_id'], creds['user_id'], creds.get('system_scope'))
        try:
            return loaded.decisions[key]
        except KeyError:
            pass
        except TypeError:  # a target value that cannot be a key
            return bool(loaded.enforcer.enforce(rule, target, creds, do_raise=False))
        decision = bool(loaded.enforcer.enforce(rule, target, creds, do_raise=False))
        if len(loaded.decisions) >= MAX_REMEMBERED_DECISIONS:
            loaded.decisions.clear()
        loaded.decisions[key] = decision
        return decision

    def authorize(self, ctx: nl_context.RequestContext, rule: str,
                  target: Mapping[str, str] | None = None, *,
                  project_id: str | None = None) -> None:
        """Raise Forbidden (403) unless the caller's roles allow ``rule``.

        The target is ``target`` if given, else the resource's ``project_id``
        (the caller's own project when that is not given either).
        """
        creds = {'roles': list(ctx.roles), 'project_id': ctx.project_id,
                 'user_id': ctx.user_id, 'system_scope': ctx.system_scope}
        if target is None:
            target = {'project_id': project_id if project_id is not None
                      else ctx.project_id or ''}
        if not self._enforce(rule, dict(target), creds):
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
