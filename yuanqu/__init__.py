"""yuanqu (园区): the data and governance platform for a city's industrial-park plan, driven by its
policy pack (the shipped pack: Wuhan's plan 2025–2027)."""
