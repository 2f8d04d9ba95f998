"""Benchmarks of issue 10: every figure beside a raw-SQL baseline on the same machine, in the same run."""
