from ninja import Router

router = Router(tags=["评价体系"])
