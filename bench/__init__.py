"""Benchmark harness: times pages against same-template references, request by request.

Run it with `make bench` (or `python -m bench.run --help`); docs/benchmarks.md explains the method.
"""
