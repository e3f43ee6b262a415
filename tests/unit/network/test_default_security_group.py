"""Each project's default group: made once, on first use, even by concurrent callers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa

from nova_lite.common import context as nl_context
from nova_lite.db.models import network_security as models


def test_concurrent_first_uses_make_one_default_group(networks: Any, db: Any) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(lambda _: networks.ensure_default_security_group('proj-x'),
                           range(8)))
    assert len(ids) == 1
    with db.reader() as session:
        groups = session.scalars(sa.select(models.SecurityGroup).where(
            models.SecurityGroup.project_id == 'proj-x')).all()
        assert [group.name for group in groups] == ['default']
        assert session.scalar(sa.select(sa.func.count()).select_from(
            models.SecurityGroupRule).where(
            models.SecurityGroupRule.security_group_id == groups[0].id)) == 4


def test_a_list_in_another_project_s_name_makes_that_project_s_group(networks: Any) -> None:
    admin = nl_context.RequestContext(user_id='a', project_id='admin-p', roles=['admin'],
                                      is_admin=True)
    page = networks.page_security_groups(admin, [('project_id', ['proj-y'])])
    assert [(g['name'], g['project_id']) for g in page.items] == [('default', 'proj-y')]
