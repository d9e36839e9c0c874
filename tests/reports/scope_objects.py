# The reports pages take no URL arguments: their region comes from ?wilayah=, checked in test_dashboard.py.
