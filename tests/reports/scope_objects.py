# The reports pages take their region from ?wilayah= (checked in test_dashboard.py); only a chart's XLSX download
# carries the region in its path.
from sentra.core.testing import scope_provider


@scope_provider("reports:chart_xlsx")
def chart_of_region_a(world):
    return {"wilayah": "74.71", "key": "size"}
