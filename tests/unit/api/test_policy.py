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


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _with_policy_file(conf, path) -> None:
    conf.set_override('policy_reload_interval', 1.0, group='api')
    policy.Authorizer(conf, RULES)  # registers [oslo_policy]
    conf.set_override('policy_file', str(path), group='oslo_policy')


def test_a_changed_policy_file_is_in_force_after_the_reload_interval(conf, tmp_path):
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"flavor:create": "role:member"\n')
    _with_policy_file(conf, policy_file)
    clock = FakeClock()
    authorizer = policy.Authorizer(conf, RULES, clock=clock)
    authorizer.authorize(_ctx('member'), 'flavor:create')
    policy_file.write_text('"flavor:create": "role:admin"\n# changed\n')
    clock.now += 0.5  # not looked at yet: the loaded rules answer
    authorizer.authorize(_ctx('member'), 'flavor:create')
    clock.now += 0.6
    with pytest.raises(exception.Forbidden):
        authorizer.authorize(_ctx('member'), 'flavor:create')
    policy_file.unlink()  # gone: the defaults again (admin only)
    clock.now += 1.1
    with pytest.raises(exception.Forbidden):
        authorizer.authorize(_ctx('member'), 'flavor:create')
    authorizer.authorize(_ctx('admin'), 'flavor:create')


def test_a_policy_file_created_later_is_picked_up(conf, tmp_path):
    policy_file = tmp_path / 'policy.yaml'
    _with_policy_file(conf, policy_file)
    clock = FakeClock()
    authorizer = policy.Authorizer(conf, RULES, clock=clock)
    assert not authorizer.allowed(_ctx('reader'), 'thing:create')
    policy_file.write_text('"thing:create": "role:reader"\n')
    clock.now += 1.0
    assert authorizer.allowed(_ctx('reader'), 'thing:create')


def test_files_are_not_searched_between_reloads(conf, tmp_path, monkeypatch):
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"thing:get": "role:reader"\n')
    _with_policy_file(conf, policy_file)
    clock = FakeClock()
    authorizer = policy.Authorizer(conf, RULES, clock=clock)
    searched = []
    real_find_file = conf.find_file
    monkeypatch.setattr(conf, 'find_file', lambda name: searched.append(name)
                        or real_find_file(name))
    for _ in range(5):
        authorizer.authorize(_ctx('reader'), 'thing:get')
    assert searched == []
    clock.now += 1.0
    authorizer.authorize(_ctx('reader'), 'thing:get')
    assert searched[0] == str(policy_file)


def test_a_broken_policy_file_fails_every_check_until_it_is_fixed(conf, tmp_path):
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"thing:get": "role:reader"\n')
    _with_policy_file(conf, policy_file)
    clock = FakeClock()
    authorizer = policy.Authorizer(conf, RULES, clock=clock)
    policy_file.write_text('"thing:get": [unclosed\n')
    clock.now += 1.0
    with pytest.raises(Exception) as raised:
        authorizer.authorize(_ctx('reader'), 'thing:get')
    assert not isinstance(raised.value, exception.Forbidden)
    policy_file.write_text('"thing:get": "role:member"\n')
    clock.now += 1.0
    assert not authorizer.allowed(_ctx('reader'), 'thing:get')
    assert authorizer.allowed(_ctx('member'), 'thing:get')


def test_decisions_are_remembered_for_plain_rules_only(conf, tmp_path, monkeypatch):
    authorizer = policy.Authorizer(conf, RULES)
    calls = []
    enforcer = authorizer._rules.enforcer
    real_enforce = enforcer.enforce
    monkeypatch.setattr(enforcer, 'enforce', lambda *a, **kw: calls.append(a[0])
                        or real_enforce(*a, **kw))
    for _ in range(3):
        authorizer.authorize(_ctx('reader'), 'thing:get')
        assert not authorizer.allowed(_ctx('reader', project='p2'), 'thing:get',
                                      {'project_id': 'p1'})
    assert calls == ['thing:get', 'thing:get']
    # An http: check asks a server each time: nothing is remembered.
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"thing:get": "http://127.0.0.1:9/check"\n')
    conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    remote = policy.Authorizer(conf, RULES)
    assert remote._rules.enforcer is not None and not remote._rules.remember
