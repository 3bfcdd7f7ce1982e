"""Parity with the real service: real captures replayed against the fake, or any endpoint.

Each snapshot (``snapshots``) is one capture of AWS's own answers, with its
source and date. ``replay`` sends its requests again and ``compare`` says
where the answers differ under one masking rule; ``report`` writes the
differences down. ``ssm-invocations parity`` is the command line of it;
``record`` writes new snapshots from an endpoint's answers.
"""
