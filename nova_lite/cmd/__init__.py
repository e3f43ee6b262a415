"""Thin entry points: parse configuration, set up logging, run one thing."""
