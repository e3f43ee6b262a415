"""``nova-lite``: the demo (the main job) and flow drawings."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from oslo_config import cfg

from nova_lite import zero_config
from nova_lite.cmd import config

LOG = logging.getLogger(__name__)


def _add_parsers(subparsers: Any) -> None:
    demo = subparsers.add_parser('demo', help='boot an instance through all 29 steps on '
                                              'the embedded default, then delete it')
    demo.add_argument('--state-path', dest='demo_state_path', default=None,
                      help='state directory (default: [DEFAULT] state_path)')
    flow = subparsers.add_parser('flow', help='the boot flow, the server action flows and '
                                              'the block storage flows')
    flow_sub = flow.add_subparsers(dest='flow_command')
    graph = flow_sub.add_parser('graph', help='draw a flow (the boot by default) as a DOT '
                                              'graph')
    graph.add_argument('--flow', dest='flow_name', default='boot',
                       help='boot, a server action (' + ', '.join(_action_flows())
                            + ') or a block storage flow (' + ', '.join(_volume_flows())
                            + ')')
    graph.add_argument('--instance', default=None,
                       help='colour each task by the state it reached in this run, and '
                            'tell the run: its attempts and hosts, its resumes')
    graph.add_argument('--format', dest='graph_format', default='dot',
                       choices=['dot', 'svg', 'png', 'text'],
                       help='text: the account of the --instance run, without the graph')
    graph.add_argument('-o', '--output', default=None,
                       help='file to write (default: standard output for dot)')


def _action_flows() -> tuple[str, ...]:
    from nova_lite.flowviz import action_flows

    return action_flows.ACTION_FLOWS


def _volume_flows() -> tuple[str, ...]:
    from nova_lite.flowviz import volume_flows

    return volume_flows.VOLUME_FLOWS


def _command_opt() -> cfg.SubCommandOpt:
    return cfg.SubCommandOpt('command', title='Commands', handler=_add_parsers)


def _prepare(conf: cfg.ConfigOpts) -> None:
    """Before logging starts: the demo logs to a file in its state directory."""
    if conf.command.name != 'demo':
        return
    if conf.command.demo_state_path:
        conf.set_override('state_path', os.path.abspath(conf.command.demo_state_path))
    # The demo's cloud is a cloud like any other: its files are the owner's only.
    os.umask(config.PRIVATE_UMASK)
    zero_config.make_private_directory(conf.state_path)
    if not conf.log_file and not conf.log_dir:
        # The terminal shows the steps; the full log goes to the state directory.
        conf.set_override('log_file', os.path.join(conf.state_path, 'demo.log'))
        conf.set_override('use_stderr', False)


def _demo(conf: cfg.ConfigOpts) -> int:
    from nova_lite.demo import runner

    print(f'nova_lite demo: state in {conf.state_path} (log: {conf.log_file})')
    return runner.run(conf)


def _flow_graph(conf: cfg.ConfigOpts) -> int:
    from nova_lite.common import exception
    from nova_lite.db import api as db_api
    from nova_lite.flowviz import boot_flow as drawing

    args = conf.command
    if args.flow_name != 'boot':
        return _action_flow_graph(args)
    if args.graph_format == 'text' and not args.instance:
        print('--format text needs --instance ID (it tells one run)', file=sys.stderr)
        return 2
    database = None
    if args.instance:
        database = db_api.Database.from_conf(conf)
        if not drawing.has_recorded_run(database, args.instance):
            database.dispose()
            raise exception.NotFound(resource='Recorded boot of instance', id=args.instance)
    if args.graph_format == 'text':
        assert database is not None
        text = drawing.boot_account_text(database, args.instance)
        if args.output is None:
            sys.stdout.write(text)
            return 0
        with open(args.output, 'w', encoding='utf-8') as out:
            out.write(text)
        print(args.output)
        return 0
    return _print_or_write(drawing.boot_graph(database, args.instance), args)


def _print_or_write(graph: Any, args: Any) -> int:
    """The graph as DOT on stdout, or rendered to ``-o FILE`` (whose path is printed)."""
    from nova_lite.flowviz import render

    if args.output is None:
        if args.graph_format != 'dot':
            print('--format svg/png needs -o FILE', file=sys.stderr)
            return 2
        sys.stdout.write(graph.to_string())
        return 0
    print(render.write_graph(graph, args.output, args.graph_format))
    return 0


def _action_flow_graph(args: Any) -> int:
    """A server action or block storage flow, plain (its runs are not drawn yet)."""
    from nova_lite.flowviz import action_flows, volume_flows

    known = action_flows.ACTION_FLOWS + volume_flows.VOLUME_FLOWS
    if args.flow_name not in known:
        print(f'--flow {args.flow_name}: not boot nor one of {", ".join(known)}',
              file=sys.stderr)
        return 2
    if args.instance or args.graph_format == 'text':
        print('--instance and --format text tell a boot run only', file=sys.stderr)
        return 2
    if args.flow_name in volume_flows.VOLUME_FLOWS:
        return _print_or_write(volume_flows.volume_graph(args.flow_name), args)
    return _print_or_write(action_flows.action_graph(args.flow_name), args)


def main(argv: list[str] | None = None) -> int:
    conf = cfg.ConfigOpts()
    conf.register_cli_opt(_command_opt())
    # A drawing written with -o gets the user's umask; the demo sets its own.
    config.parse_args(conf, sys.argv[1:] if argv is None else argv, default_config_files=[],
                      before_logging=_prepare, umask=None)
    if conf.command.name == 'demo':
        return config.run_command(_demo, conf)
    if conf.command.name == 'flow' and conf.command.flow_command == 'graph':
        return config.run_command(_flow_graph, conf)
    print('usage: nova-lite {demo,flow graph} ...', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
