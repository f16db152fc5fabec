"""陪跑 and 惠企 (tasks 7 and 9, safeguard 5): service specialists and their visit plans, visit records
whose needs become 啄木鸟 cases, and the 惠企 policies matched to the firms that qualify. See
docs/service.md."""
