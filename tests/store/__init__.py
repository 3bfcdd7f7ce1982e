"""The fake's state: the clock, lifecycle, rollout, rollup and the indexes."""
