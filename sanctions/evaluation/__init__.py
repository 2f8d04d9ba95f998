"""Public credit evaluation (公共信用综合评价) and grade-based supervision suggestions (issue 11)."""
