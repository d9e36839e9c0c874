"""The Kendari demo and the synthetic benchmark registry: generated data, kept apart from the product's code.

Domain apps never import this package (``tests/demo/test_boundary.py``); it sits above all of them and drives their
services like an officer would. ``sentra load_demo`` runs :data:`sentra.demo.steps.STEPS` in order,
``sentra seed_scale`` writes :mod:`sentra.demo.synthetic`'s national registry, ``sentra demo_otp_code`` prints the
demo key's current code.
"""
