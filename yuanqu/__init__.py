"""yuanqu (园区): the data and governance platform for Wuhan's industrial-park plan 2025–2027."""
