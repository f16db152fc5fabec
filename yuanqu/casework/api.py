from ninja import Router

router = Router(tags=["啄木鸟"])
